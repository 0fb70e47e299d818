// Fuzz target: the data an event carries (`caseflow event fire --data`, the HTTP event
// endpoints): parseEventData, then the part put in place in a copy of a full situation and
// the result validated, as FundingProcess does before any guard runs; and the same bytes
// read as a stored event payload (the log's form, read back by rebuild and verify).
// Properties: bad data is refused with the engine's own errors, never another exception or a
// crash; a stored payload the engine reads is written back and read again to the same text.
#include "FuzzSupport.h"

#include "core/Errors.h"
#include "model/Situation.h"
#include "process/EventPayload.h"

#include <cstddef>
#include <cstdint>

using namespace caseflow;

namespace {

void asEventData(std::string_view text) {
    xml::Document data;
    try {
        data = parseEventData(text, "fuzz input");
    } catch (const UsageError&) {
        return;
    }
    static const Situation sample = Situation::fromStored(fuzz::sampleSituationXml());
    Situation situation = sample.copy();
    try {
        situation.apply(xml::root(data.get()));
        situation.validate("situation after the event");
    } catch (const UsageError&) {
        return; // a part that does not fit this situation: refused by name
    }
    (void)situation.toXml();
}

void asStoredPayload(const std::string& text) {
    EventPayload payload;
    try {
        payload = EventPayload::parse(text);
    } catch (const Error&) {
        return; // not a payload: rebuild and verify report it
    }
    const std::string written = payload.toXml();
    std::string again;
    try {
        again = EventPayload::parse(written).toXml();
    } catch (const Error& refused) {
        fuzz::violated("a payload the engine wrote is read back", std::string(refused.what()) + "\n" + written);
    }
    if (again != written) fuzz::violated("parse(toXml(p)) gives p back exactly", written + "\n--- then:\n" + again);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(fuzz::bytes(data, size));
    asEventData(text);
    asStoredPayload(text);
    return 0;
}
