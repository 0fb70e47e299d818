#include "support/Pilot.h"

#include "core/Errors.h"
#include "model/Clock.h"
#include "xml/Xml.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>

namespace caseflow::test {

std::filesystem::path namurSamples() {
    return projectDir() / "samples/namur";
}

std::vector<std::string> sampleStems() {
    std::vector<std::string> stems;
    for (const auto& entry : std::filesystem::directory_iterator(namurSamples() / "situations"))
        stems.push_back(entry.path().stem().string());
    std::sort(stems.begin(), stems.end());
    return stems;
}

std::string sampleSituation(const std::string& stem) {
    return readFile(namurSamples() / "situations" / (stem + ".xml"));
}

std::vector<ScenarioStep> scenarioSteps(const std::string& stem) {
    auto doc = xml::parseFile(namurSamples() / "scenarios" / (stem + ".xml"));
    std::vector<ScenarioStep> steps;
    for (xmlNode* step : xml::children(xml::root(doc.get()), "step")) {
        ScenarioStep parsed{xml::attribute(step, "event").value_or(""),    xml::attribute(step, "actor").value_or(""),
                            xml::attribute(step, "date").value_or(""),     xml::attribute(step, "expect").value_or(""),
                            xml::attribute(step, "rules").value_or(""),    "",
                            xml::attribute(step, "signedBy").value_or(""), xml::attribute(step, "state").value_or("")};
        if (auto data = xml::children(step); !data.empty()) parsed.data = xml::serializeNode(data.front());
        steps.push_back(std::move(parsed));
    }
    return steps;
}

std::string withoutNodes(const std::string& xmlText, const std::string& xpath) {
    auto doc = xml::parseString(xmlText, "test data");
    xml::XPath query(doc.get());
    auto nodes = query.nodes(xpath);
    REQUIRE_FALSE(nodes.empty());
    for (xmlNode* node : nodes) {
        if (node->type == XML_ATTRIBUTE_NODE) {
            xmlRemoveProp(reinterpret_cast<xmlAttr*>(node));
        } else {
            xmlUnlinkNode(node);
            xmlFreeNode(node);
        }
    }
    return xml::serializeNode(xml::root(doc.get()));
}

std::string withText(const std::string& xmlText, const std::string& xpath, const std::string& text) {
    auto doc = xml::parseString(xmlText, "test data");
    xml::XPath query(doc.get());
    auto nodes = query.nodes(xpath);
    REQUIRE_FALSE(nodes.empty());
    for (xmlNode* node : nodes) xmlNodeSetContent(node, xml::x(text.c_str()));
    return xml::serializeNode(xml::root(doc.get()));
}

std::string withAttribute(const std::string& xmlText, const std::string& xpath, const std::string& name,
                          const std::string& value) {
    auto doc = xml::parseString(xmlText, "test data");
    xml::XPath query(doc.get());
    auto nodes = query.nodes(xpath);
    REQUIRE_FALSE(nodes.empty());
    for (xmlNode* node : nodes) xmlSetProp(node, xml::x(name.c_str()), xml::x(value.c_str()));
    return xml::serializeNode(xml::root(doc.get()));
}

std::string refusedRules(const std::function<void()>& action) {
    try {
        action();
    } catch (const RuleRefusal& refusal) {
        std::set<std::string> ids;
        for (const auto& violation : refusal.violations()) ids.insert(violation.ruleId);
        std::string joined;
        for (const auto& id : ids) joined += (joined.empty() ? "" : " ") + id;
        return joined;
    }
    return "accepted";
}

Pilot::Pilot() : Pilot(namurSamples() / "network.xml", projectDir() / "workflows/funding.scxml") {}

Pilot::Pilot(const std::filesystem::path& networkFile, const std::filesystem::path& workflowFile)
    : database_(dir_, "pilot.db") {
    FundingProcess::initialize(database_.address(), networkFile, workflowFile);
    process_.emplace(FundingProcess::open(database_.address()));
}

std::int64_t Pilot::registerSample(const std::string& stem) {
    auto steps = scenarioSteps(stem);
    FixedBusinessDate today(steps.empty() ? "2026-01-05" : steps.front().date);
    std::string situation = sampleSituation(stem);
    if (const int earlier = registrations_[stem]++; earlier > 0) {
        const auto start = situation.find("<reference>") + std::string("<reference>").size();
        situation.insert(situation.find("</reference>", start), "-" + std::to_string(earlier + 1));
    }
    return process_->registerSituation(situation, stem + ".xml", Actor{"partner", "test"}).id;
}

FireResult Pilot::fire(std::int64_t id, const std::string& event, const std::string& data, const std::string& actor,
                       const std::string& date) {
    FixedBusinessDate today(date);
    return process_->fire(id, event, data.empty() ? std::nullopt : std::optional<std::string>(data), event + " data",
                          Actor::parse(actor));
}

FireResult Pilot::fire(std::int64_t id, const ScenarioStep& step) {
    if (step.signedBy.empty()) return fire(id, step.event, step.data, step.actor, step.date);
    // A signed step goes through the signing desk with the signer's key (issue 6).
    FixedBusinessDate today(step.date);
    return signers().fire(id, step.event, step.data, step.actor, step.signedBy);
}

ScenarioSigners& Pilot::signers() {
    if (!signers_) signers_.emplace(*process_);
    return *signers_;
}

void Pilot::runSteps(std::int64_t id, const std::string& stem, std::size_t from, std::size_t to) {
    const auto steps = scenarioSteps(stem);
    REQUIRE(to <= steps.size());
    for (std::size_t n = from; n <= to; ++n) {
        const ScenarioStep& step = steps[n - 1];
        INFO(stem << " step " << n << " " << step.event);
        CHECK(playStep(id, step) == "");
    }
}

std::string Pilot::playStep(std::int64_t id, const ScenarioStep& step) {
    std::string divergence;
    if (step.expect == "refused") {
        if (const auto refused = refusedRules([&] { fire(id, step); }); refused != step.rules)
            divergence = "refused by \"" + refused + "\" instead of \"" + step.rules + "\"";
    } else {
        fire(id, step);
    }
    if (!step.state.empty())
        if (const auto now = state(id); now != step.state)
            divergence +=
                (divergence.empty() ? "" : "; ") + std::string("in state ") + now + " instead of " + step.state;
    return divergence;
}

std::string Pilot::playScenario(std::int64_t id, const std::string& stem) {
    const auto steps = scenarioSteps(stem);
    for (std::size_t n = 0; n < steps.size(); ++n)
        if (auto divergence = playStep(id, steps[n]); !divergence.empty())
            return stem + " step " + std::to_string(n + 1) + " " + steps[n].event + ": " + divergence;
    return "";
}

void Pilot::runScenario(std::int64_t id, const std::string& stem) {
    runSteps(id, stem, 1, scenarioSteps(stem).size());
}

} // namespace caseflow::test
