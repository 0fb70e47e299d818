// The accepted steps of a sample scenario (samples/namur/scenarios), as the transition benchmarks
// replay them: the steps a scenario expects to be refused are left out, so that every step
// replayed is one durable transition. What must stay true: the steps keep the scenario's order,
// and a signed step keeps its signer (it is signed as `caseflow plan sign` does).
#pragma once

#include "xml/Xml.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace caseflow::bench {

struct Step {
    std::string event, actor, date, data, signedBy;
};

inline std::vector<Step> acceptedSteps(const std::filesystem::path& scenario) {
    auto doc = xml::parseFile(scenario);
    std::vector<Step> steps;
    for (xmlNode* step : xml::children(xml::root(doc.get()), "step")) {
        if (xml::attribute(step, "expect")) continue;
        auto data = xml::children(step);
        steps.push_back({*xml::attribute(step, "event"), *xml::attribute(step, "actor"), *xml::attribute(step, "date"),
                         data.empty() ? "" : xml::serializeNode(data.front()),
                         xml::attribute(step, "signedBy").value_or("")});
    }
    return steps;
}

inline std::string readAll(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

} // namespace caseflow::bench
