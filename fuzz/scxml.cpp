// Fuzz target: a workflow definition (SCXML, docs/workflow-language.md) loaded by
// StateChart::loadString, analysed as `caseflow workflow check` and `workflow graph` do, then
// run: started over the render fixture situation with the Namur settings as $network, and
// sent each event the chart names, in turn.
// Properties: everything wrong with a definition is refused at load with InvalidInput (the
// StateChart.h promise), and a loaded chart runs into the engine's own errors only (an event
// not allowed, a rule refusal, a condition that cannot be evaluated), never a crash.
#include "FuzzSupport.h"

#include "core/Errors.h"
#include "workflow/Interpreter.h"
#include "workflow/StateChart.h"
#include "xml/Xml.h"

#include <cstddef>
#include <cstdint>

using namespace caseflow;
using namespace caseflow::workflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::shared_ptr<const StateChart> chart;
    try {
        chart = StateChart::loadString(fuzz::bytes(data, size), "fuzz.scxml");
    } catch (const UsageError&) {
        return 0;
    }
    const auto events = chart->eventNames();
    (void)chart->unreachableStates();
    (void)chart->toDot({});

    static const xml::Document situation = xml::parseString(fuzz::sampleSituationXml(), "tests/render/situation.xml");
    xml::XPath variables(situation.get());
    variables.setNodeVariable("network", xml::root(fuzz::namurNetwork().document()));
    variables.setStringVariable("today", "2026-11-26");
    Interpreter interpreter(chart, variables.context());
    try {
        interpreter.start();
    } catch (const Error&) {
        return 0; // a condition or an action that cannot run on this data: refused by name
    }
    int fired = 0;
    for (const auto& event : events) {
        if (++fired > 32 || interpreter.finished()) break;
        try {
            (void)interpreter.fire(event);
        } catch (const Error&) {
            // not allowed here, refused by a rule, or not evaluable: each named, none fatal
        }
        (void)interpreter.enabledEvents();
        (void)interpreter.activeAtomicStates();
    }
    return 0;
}
