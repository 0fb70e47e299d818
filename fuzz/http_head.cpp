// Fuzz target: the bytes of an HTTP request head, judged as the service judges them before
// it reads a body (RequestHead.h).
// Properties: no head crashes the parser or the checks, none makes the server fail with a 500,
// none is dropped without an answer, and every problem body is valid UTF-8: whatever a client
// sends, it is answered with a 4xx naming the problem, or routed.
#include "FuzzSupport.h"
#include "RequestHead.h"
#include "service/HttpFraming.h"
#include "service/JsonBody.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto verdict = caseflow::fuzz::judgeRequestHead(caseflow::fuzz::bytes(data, size));
    const std::string head(caseflow::fuzz::bytes(data, size));
    if (verdict.status >= 500)
        caseflow::fuzz::violated("a request head is answered 4xx or routed, never 5xx",
                                 head + "\n--- answer:\n" + verdict.problem);
    if (verdict.dropped && caseflow::service::headLength(head) != std::string_view::npos)
        caseflow::fuzz::violated("a complete request head is answered, never dropped", head);
    if (!caseflow::service::isValidUtf8(verdict.problem))
        caseflow::fuzz::violated("a problem body is valid UTF-8", head + "\n--- answer:\n" + verdict.problem);
    return 0;
}
