// The phase diagram (see PhaseDiagram.h). Drawn by hand rather than by Graphviz: eight boxes in
// a row (or a column) are all a reader needs to see where a case stands, and a fixed layout
// keeps the text at a readable size whatever the workflow's number of states.
#include "web/PhaseDiagram.h"

#include "i18n/Translator.h"
#include "workflow/StateChart.h"
#include "workflow/StateSet.h"
#include "xml/Xml.h"

#include <algorithm>
#include <set>

namespace caseflow::web {
namespace {

std::string t(const char* msgid, const std::string& language) {
    return i18n::translate(i18n::kWebDomain, msgid, language);
}

std::string phaseLabel(const std::string& phase, const std::string& language) {
    if (phase == "youth-in-distress") return t("Youth in distress", language);
    if (phase == "concertation-request") return t("Concertation request", language);
    if (phase == "concertation") return t("Concertation", language);
    if (phase == "care-plan") return t("Care plan", language);
    if (phase == "financial-need") return t("Financial need", language);
    if (phase == "request-dossier") return t("Funding request", language);
    if (phase == "budget-check") return t("Budget check", language);
    if (phase == "payment") return t("Payment", language);
    return phase;
}

// Phases that are not one of the eight steps: where a case goes aside or after them.
bool outsideTheSteps(const std::string& phase) {
    return phase == "redirected" || phase == "follow-up" || phase == "closed";
}

std::string escaped(const std::string& text) {
    std::string out;
    xml::appendEscaped(out, text, false);
    return out;
}

// A label in at most two lines of about `width` characters (words are not cut).
std::vector<std::string> wrapped(const std::string& label, std::size_t width) {
    std::vector<std::string> lines{""};
    std::size_t start = 0;
    while (start < label.size()) {
        auto end = label.find(' ', start);
        if (end == std::string::npos) end = label.size();
        const std::string word = label.substr(start, end - start);
        if (!lines.back().empty() && lines.back().size() + 1 + word.size() > width && lines.size() < 2)
            lines.emplace_back();
        lines.back() += (lines.back().empty() ? "" : " ") + word;
        start = end + 1;
    }
    return lines;
}

// One line of text; squeezed to `room` pixels when it would run past its box.
std::string textLine(double x, double y, const std::string& line, bool bold, const char* anchor, double room) {
    // About 0.6 em a character at 14px: measured on DejaVu Sans, the page's fallback font.
    const double guessed = static_cast<double>(line.size()) * 14 * (bold ? 0.64 : 0.58);
    std::string svg = "<text x=\"" + std::to_string(static_cast<int>(x)) + "\" y=\"" +
                      std::to_string(static_cast<int>(y)) + "\" text-anchor=\"" + anchor + "\"";
    if (bold) svg += " font-weight=\"bold\"";
    if (guessed > room)
        svg += " textLength=\"" + std::to_string(static_cast<int>(room)) + "\" lengthAdjust=\"spacingAndGlyphs\"";
    return svg + ">" + escaped(line) + "</text>";
}

} // namespace

std::vector<PhaseStep> phaseSteps(const workflow::StateChart& chart, const std::string& state,
                                  const std::string& language) {
    std::set<std::string> here;
    for (const auto& atomic : workflow::StateSet::parse(state)) here.insert(chart.phaseOf(atomic));
    const bool pastTheSteps = here.count("follow-up") > 0 || here.count("closed") > 0;
    std::vector<PhaseStep> steps;
    for (const auto& phase : chart.phases()) {
        if (outsideTheSteps(phase.id)) continue;
        steps.push_back({phase.id, phaseLabel(phase.id, language), pastTheSteps, here.count(phase.id) > 0});
    }
    if (!pastTheSteps) {
        // Every step before the current one is done.
        const auto current = std::find_if(steps.begin(), steps.end(), [](const PhaseStep& s) { return s.current; });
        for (auto step = steps.begin(); step != current && current != steps.end(); ++step) step->done = true;
    }
    return steps;
}

std::string phaseDiagramSvg(const std::vector<PhaseStep>& steps, const std::string& language, bool vertical) {
    const int count = static_cast<int>(steps.size());
    // Across: boxes 104 wide with 16 between; down: boxes 320 wide with 16 between.
    const int boxWidth = vertical ? 320 : 104, boxHeight = vertical ? 44 : 64, gap = 16, margin = 8;
    const int width = vertical ? boxWidth + 2 * margin : count * boxWidth + (count - 1) * gap + 2 * margin;
    const int height = vertical ? count * boxHeight + (count - 1) * gap + 2 * margin : boxHeight + 2 * margin + 26;
    const std::string hereWords = t("you are here", language);
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(width) + " " +
                      std::to_string(height) + "\" width=\"" + std::to_string(width) + "\" height=\"" +
                      std::to_string(height) + "\" font-family=\"DejaVu Sans, Verdana, sans-serif\" font-size=\"14\"" +
                      " role=\"img\" aria-label=\"" + escaped(t("The eight phases of the process", language)) + "\">";
    for (int i = 0; i < count; ++i) {
        const PhaseStep& step = steps[static_cast<std::size_t>(i)];
        const int x = vertical ? margin : margin + i * (boxWidth + gap);
        const int y = vertical ? margin + i * (boxHeight + gap) : margin;
        // Current: thick dark outline, bold, a warm fill and the words; done: a tick; to come:
        // a dashed outline. Shape, weight and words tell them apart without colour.
        const std::string fill = step.current ? "#fff1c2" : step.done ? "#e6efe6" : "#ffffff";
        const std::string stroke = step.current ? "#1d3f7a" : step.done ? "#4d6b4d" : "#6b6b6b";
        svg += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
               std::to_string(boxWidth) + "\" height=\"" + std::to_string(boxHeight) + "\" rx=\"6\" fill=\"" + fill +
               "\" stroke=\"" + stroke + "\" stroke-width=\"" + (step.current ? "4" : "1.5") + "\"" +
               (step.current || step.done ? "" : " stroke-dasharray=\"5 4\"") + "/>";
        const std::string number = std::to_string(i + 1) + (step.done ? " \u2713" : "");
        svg += "<g fill=\"#1a1a1a\">";
        if (vertical) {
            svg += textLine(x + 10, y + 27, number + "  " + step.label, step.current, "start",
                            boxWidth - 20 - (step.current ? 110 : 0));
            if (step.current) svg += textLine(x + boxWidth - 10, y + 27, hereWords, true, "end", 100);
        } else {
            svg += textLine(x + 8, y + 18, number, step.current, "start", boxWidth - 16);
            const auto lines = wrapped(step.label, 12);
            for (std::size_t line = 0; line < lines.size(); ++line)
                svg += textLine(x + boxWidth / 2.0, y + 38 + 17 * static_cast<double>(line), lines[line], step.current,
                                "middle", boxWidth - 10);
            if (step.current)
                svg += textLine(x + boxWidth / 2.0, y + boxHeight + 20, "\u25B2 " + hereWords, true, "middle",
                                boxWidth + gap);
        }
        svg += "</g>";
        if (i + 1 < count) {
            // An arrow to the next phase, in the gap.
            const int ax = vertical ? x + boxWidth / 2 : x + boxWidth + 2,
                      ay = vertical ? y + boxHeight + 2 : y + boxHeight / 2;
            svg += vertical
                       ? "<path d=\"M" + std::to_string(ax) + " " + std::to_string(ay) + " v8 l-5 -5 m5 5 l5 -5\""
                       : "<path d=\"M" + std::to_string(ax) + " " + std::to_string(ay) + " h11 l-5 -5 m5 5 l-5 5\"";
            svg += " fill=\"none\" stroke=\"#4a4a4a\" stroke-width=\"1.5\"/>";
        }
    }
    return svg + "</svg>\n";
}

} // namespace caseflow::web
