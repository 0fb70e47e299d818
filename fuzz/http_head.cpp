// Fuzz target: the bytes of an HTTP request head, judged as the service judges them before
// it reads a body (RequestHead.h).
// Properties: no head crashes the parser or the checks, and none makes the server fail with a
// 500: whatever a client sends, it is answered with a 4xx naming the problem, or routed. Heads
// that today's server drops without an answer (a Content-Length Poco cannot parse) are not
// refused here yet: issue 11 part 5 answers them, and this target asserts it when it calls
// the server's own head reader.
#include "FuzzSupport.h"
#include "RequestHead.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto verdict = caseflow::fuzz::judgeRequestHead(caseflow::fuzz::bytes(data, size));
    if (verdict.status >= 500)
        caseflow::fuzz::violated("a request head is answered 4xx or routed, never 5xx",
                                 std::string(caseflow::fuzz::bytes(data, size)) + "\n--- answer:\n" + verdict.problem);
    return 0;
}
