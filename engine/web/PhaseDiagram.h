// Where a situation stands among the eight phases of the process, for the situation page:
// a compact SVG drawn here (no Graphviz, no script) that stays legible at page width, across
// (wide screens) or down (narrow ones), and the same facts as a list for the page's text
// alternative. What must stay true: the eight phases are the workflow's own (<cf:phase> in
// workflows/funding.scxml, document order, without redirected, follow-up and closed); the
// current phase is told by outline, weight and the words "you are here", never by colour
// alone; every text is escaped and in the user's language.
#pragma once

#include <string>
#include <vector>

namespace caseflow::workflow {
class StateChart;
}

namespace caseflow::web {

struct PhaseStep {
    std::string id;    // the <cf:phase> id: youth-in-distress, concertation-request...
    std::string label; // in the user's language
    bool done = false; // a phase the situation has passed
    bool current = false;
};

// The eight phases and where `state` (a StateSet string) stands among them. A situation in
// follow-up or closed has passed all eight; a redirected one none.
std::vector<PhaseStep> phaseSteps(const workflow::StateChart& chart, const std::string& state,
                                  const std::string& language);

// The phases drawn as an SVG document, `vertical` for narrow screens.
std::string phaseDiagramSvg(const std::vector<PhaseStep>& steps, const std::string& language, bool vertical);

} // namespace caseflow::web
