// Fuzz target: a situation document as registration receives it (CLI file, HTTP body):
// parsed by the hardened libxml2 reader and validated against schemas/situation.xsd.
// Properties: bad input is refused with the engine's own error (InvalidInput), never with
// another exception or a crash; a document that validates can be read field by field, and
// what the engine writes back from it validates again.
#include "FuzzSupport.h"

#include "core/Errors.h"
#include "model/Situation.h"

#include <cstddef>
#include <cstdint>
#include <optional>

using namespace caseflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::optional<Situation> situation;
    try {
        situation.emplace(Situation::parse(fuzz::bytes(data, size), "fuzz input"));
    } catch (const UsageError&) {
        return 0; // refused, as it should be: the message names the problem
    }
    // A valid document: every accessor the rules use must answer.
    (void)situation->reference();
    (void)situation->birthDate();
    (void)situation->environment();
    (void)situation->municipality();
    (void)situation->emergency();
    (void)situation->openedOn();
    (void)situation->category(fuzz::namurNetwork());
    const std::string written = situation->toXml();
    try {
        (void)Situation::parse(written, "written back");
    } catch (const UsageError& refused) {
        fuzz::violated("a valid situation, written back by the engine, validates again",
                       std::string(refused.what()) + "\n--- written:\n" + written);
    }
    return 0;
}
