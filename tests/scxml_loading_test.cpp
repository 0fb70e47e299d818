// Specification of loading workflow definitions: the supported SCXML subset is accepted and
// described (states, transitions, events, unreachable states, a drawing); everything outside
// it, and every broken reference or XPath expression, is refused at load with file:line.
#include "core/Errors.h"
#include "support/TestSupport.h"
#include "workflow/StateChart.h"

#include <catch2/catch.hpp>

using namespace caseflow;
using namespace caseflow::workflow;
using Catch::Matchers::Contains;
using Strings = std::vector<std::string>;

namespace {

std::filesystem::path fixture(const std::string& name) {
    return test::testsDir() / "scxml" / name;
}

// A chart whose third line is `snippet`, inside state "a" (line 2); state "b" follows.
std::string chartWith(const std::string& snippet) {
    return "<scxml xmlns='http://www.w3.org/2005/07/scxml' xmlns:cf='urn:caseflow:workflow:1' version='1.0'>\n"
           "<state id='a'>\n" +
           snippet + "\n</state>\n<state id='b'/>\n</scxml>\n";
}

std::string loadError(const std::string& text) {
    try {
        StateChart::loadString(text, "inline.scxml");
    } catch (const InvalidInput& error) {
        return error.what();
    }
    return "(loaded without error)";
}

} // namespace

TEST_CASE("A chart lists its states and transitions in document order", "[scxml]") {
    auto chart = StateChart::load(fixture("entry-exit-order.scxml"));
    REQUIRE(chart->name() == "entry-exit-order");
    REQUIRE(chart->initial() == Strings{"a"});
    Strings ids;
    for (const auto& state : chart->states()) ids.push_back(state.id);
    REQUIRE(ids == Strings{"a", "a1", "a1x", "b", "b1", "b2"});
    const StateInfo& a1x = chart->states()[2];
    REQUIRE(a1x.parent == "a1");
    REQUIRE(a1x.isAtomic);
    REQUIRE_FALSE(a1x.isFinal);
    REQUIRE(a1x.line == 11);
    REQUIRE(chart->states()[0].initial == Strings{"a1"});
    REQUIRE(chart->states()[3].initial == Strings{"b2"});
    REQUIRE(chart->states()[0].parent.empty());

    REQUIRE(chart->transitions().size() == 1);
    const Transition& go = chart->transitions()[0];
    REQUIRE(go.source == "a1x");
    REQUIRE(go.events == Strings{"go"});
    REQUIRE(go.targets == Strings{"b"});
    REQUIRE(go.line == 14);
    REQUIRE_FALSE(go.internal);

    auto rules = StateChart::load(fixture("rules.scxml"));
    const Transition& held = rules->transitions()[1];
    REQUIRE(held.cond == "not(@kind = 'emergency')");
    REQUIRE(held.rules.size() == 4);
    REQUIRE(held.rules[2].ruleId == "R6");
    REQUIRE(held.rules[2].expression == "partner[@role = 'pedopsychiatrist']");
    REQUIRE(held.rules[2].message == "A pedopsychiatrist takes part in every concertation.");
    // libxml2 numbers an element by the line where its start tag ends (the rule spans 15-16).
    REQUIRE(held.rules[2].line == 16);
    REQUIRE(rules->transitions()[3].targets.empty());
}

TEST_CASE("A chart names the events its transitions use", "[scxml]") {
    auto chart = StateChart::load(fixture("event-matching.scxml"));
    REQUIRE(chart->eventNames() ==
            std::set<std::string>{"budget", "budget.approved", "budgets.x", "note", "payment", "reset"});
    REQUIRE(StateChart::load(fixture("done-state.scxml"))->eventNames() ==
            std::set<std::string>{"done.state.review", "read"});
}

TEST_CASE("A chart finds the states nothing can reach", "[scxml]") {
    REQUIRE(StateChart::load(fixture("event-matching.scxml"))->unreachableStates() == Strings{"catchAll", "caught"});
    REQUIRE(StateChart::load(fixture("entry-exit-order.scxml"))->unreachableStates() == Strings{"b1"});
    REQUIRE(StateChart::load(fixture("done-state.scxml"))->unreachableStates().empty());
}

TEST_CASE("A chart draws itself as Graphviz DOT with compound states as clusters", "[scxml]") {
    auto chart = StateChart::load(fixture("rules.scxml"));
    const std::string dot = chart->toDot({"requested"});
    REQUIRE_THAT(dot, Contains("digraph \"rules\" {"));
    REQUIRE_THAT(dot, Contains("[label=\"requested\", style=\"rounded,filled\""));
    REQUIRE_THAT(dot, Contains("[label=\"concerted\"]"));
    REQUIRE_THAT(dot, Contains("label=\"concertation.held [not(@kind = 'emergency')]\\n{R5, R6, R7}\""));
    REQUIRE_THAT(dot, Contains("style=dashed")); // the targetless "note"

    const std::string nested = StateChart::load(fixture("done-state.scxml"))->toDot();
    REQUIRE_THAT(nested, Contains("subgraph cluster1 {"));
    REQUIRE_THAT(nested, Contains("label=\"review\""));
    REQUIRE_THAT(nested, Contains("peripheries=2"));
    REQUIRE_THAT(nested, Contains("ltail=cluster1"));
    REQUIRE_THAT(nested, Contains("start -> entry1 [lhead=cluster1]"));
}

TEST_CASE("Elements outside the supported subset are refused with file and line", "[scxml]") {
    const auto [snippet, element] = GENERATE(table<std::string, std::string>({
        {"<parallel id='p'/>", "parallel"},
        {"<history id='h'/>", "history"},
        {"<datamodel><data id='x'/></datamodel>", "datamodel"},
        {"<onentry><data id='x'/></onentry>", "data"},
        {"<onentry><assign location='x' expr='1'/></onentry>", "assign"},
        {"<onentry><script>x = 1</script></onentry>", "script"},
        {"<invoke type='http://www.w3.org/TR/scxml/'/>", "invoke"},
        {"<onentry><if cond='true()'><log expr='1'/></if></onentry>", "if"},
        {"<onentry><elseif cond='true()'/></onentry>", "elseif"},
        {"<onentry><foreach array='x' item='y'/></onentry>", "foreach"},
        {"<final id='f'><donedata/></final>", "donedata"},
        {"<onentry><send id='s' event='e' delay='P1D'><param name='x' expr='1'/></send></onentry>", "param"},
        {"<onentry><send id='s' event='e' delay='P1D'><content>x</content></send></onentry>", "content"},
        {"<transition event='e' target='b'><finalize/></transition>", "finalize"},
        {"<unknown/>", "unknown"},
        {"<cf:unknown/>", "cf:unknown"},
        {"<other:thing xmlns:other='urn:example:other'/>", "other:thing"},
    }));
    CAPTURE(snippet);
    REQUIRE_THAT(loadError(chartWith(snippet)), Contains("inline.scxml:3: element <" + element + "> is not supported"));
}

TEST_CASE("A refused element is reported from a file with the file's name and line", "[scxml]") {
    const auto path = fixture("unsupported-parallel.scxml");
    REQUIRE_THROWS_AS(StateChart::load(path), InvalidInput);
    REQUIRE_THROWS_WITH(StateChart::load(path), Contains(path.string() + ":5: element <parallel> is not supported"));
}

TEST_CASE("Attributes outside the supported subset are refused with file and line", "[scxml]") {
    const auto [snippet, message] = GENERATE(table<std::string, std::string>({
        {"<transition event='e' target='b' foo='1'/>", "attribute 'foo' of <transition> is not supported"},
        {"<transition event='e' target='b' cf:weight='2'/>", "attribute 'cf:weight' of <transition> is not supported"},
        {"<onentry><send id='s' event='e' delay='P1D' target='#_internal'/></onentry>",
         "attribute 'target' of <send> is not supported"},
        {"<onentry><send id='s' event='e' delayexpr=\"'P1D'\"/></onentry>", "attribute 'delayexpr' of <send>"},
        {"<onentry><raise event='e' sendid='x'/></onentry>", "attribute 'sendid' of <raise>"},
        {"<onentry id='x'/>", "attribute 'id' of <onentry>"},
    }));
    CAPTURE(snippet);
    REQUIRE_THAT(loadError(chartWith(snippet)), Contains("inline.scxml:3: " + message));
}

TEST_CASE("Broken structure and references are refused with file and line", "[scxml]") {
    const auto [snippet, message] = GENERATE(table<std::string, std::string>({
        {"<transition event='e' target='nowhere'/>", "inline.scxml:3: target 'nowhere' is not a state of this chart"},
        {"<transition event='e' target='a b'/>", "inline.scxml:3: target must name exactly one state"},
        {"<transition event='e' type='sideways' target='b'/>", "inline.scxml:3: type must be 'internal' or 'external'"},
        {"<transition event='e..x' target='b'/>", "inline.scxml:3: 'e..x' is not a valid event descriptor"},
        {"<transition event='' target='b'/>", "inline.scxml:3: the event attribute is empty"},
        {"<state id='a'/>", "inline.scxml:3: state id 'a' is already used at line 2"},
        {"<state/>", "inline.scxml:3: <state> needs a non-empty 'id' attribute"},
        {"<onentry><send id='s' event='e' delay='6 months'/></onentry>",
         "inline.scxml:3: delay '6 months' is not an ISO 8601 duration"},
        {"<onentry><send id='s' event='e'/></onentry>", "inline.scxml:3: <send> needs exactly one of 'delay'"},
        {"<onentry><send event='e' delay='P1D'/></onentry>", "inline.scxml:3: <send> needs a non-empty 'id'"},
        {"<onentry><raise/></onentry>", "inline.scxml:3: <raise> needs a non-empty 'event' attribute"},
        {"<onentry><raise event='done.*'/></onentry>", "inline.scxml:3: 'done.*' is not a valid event name"},
        {"<onentry><cancel/></onentry>", "inline.scxml:3: <cancel> needs a non-empty 'sendid' attribute"},
        {"<transition event='e' target='b'><cf:rule id='R1' cond='true()'/></transition>",
         "inline.scxml:3: <cf:rule> needs a non-empty 'message' attribute"},
        {"<transition event='e' target='b'><cf:rule cond='true()' message='m'/></transition>",
         "inline.scxml:3: <cf:rule> needs a non-empty 'id' attribute"},
        {"<onentry>some text</onentry>", "inline.scxml:3: text is not allowed in <onentry>"},
        {"<transition event='e' target='b'><state id='c'/></transition>",
         "inline.scxml:3: element <state> is not allowed in <transition>"},
        {"<onentry><cf:rule id='R1' cond='true()' message='m'/></onentry>",
         "inline.scxml:3: element <cf:rule> is not allowed in <onentry>"},
        {"<final id='f'><transition target='b'/></final>",
         "inline.scxml:3: element <transition> is not allowed in <final>"},
        {"<initial><transition target='b'/></initial>", "inline.scxml:3: state 'a' has an initial but no child states"},
        {"<initial><transition target='b'/><transition target='b'/></initial><state id='a1'/>",
         "inline.scxml:3: <initial> must contain exactly one <transition>"},
        {"<initial><transition target='a1' event='e'/></initial><state id='a1'/>",
         "inline.scxml:3: attribute 'event' of <transition> is not supported"},
        {"<initial><transition target='a1 a2'/></initial><state id='a1'/><state id='a2'/>",
         "inline.scxml:3: initial of state 'a' must name exactly one state"},
    }));
    CAPTURE(snippet);
    REQUIRE_THAT(loadError(chartWith(snippet)), Contains(message));
}

TEST_CASE("Initial states are checked", "[scxml]") {
    const std::string head = "<scxml xmlns='http://www.w3.org/2005/07/scxml' version='1.0'";
    REQUIRE_THAT(loadError(head + " initial='x'>\n<state id='a'/>\n</scxml>"),
                 Contains("inline.scxml:1: initial 'x' of the chart is not a state of this chart"));
    REQUIRE_THAT(loadError(head + ">\n<state id='a' initial='b'/>\n<state id='b'/>\n</scxml>"),
                 Contains("inline.scxml:2: state 'a' has an initial but no child states"));
    REQUIRE_THAT(loadError(head + ">\n<state id='a' initial='b'><state id='a1'/></state>\n<state id='b'/>\n</scxml>"),
                 Contains("inline.scxml:2: initial 'b' of state 'a' is not a descendant of it"));
    REQUIRE_THAT(loadError(head + ">\n<state id='a' initial='a1'>\n<initial><transition target='a1'/></initial>\n"
                                  "<state id='a1'/></state>\n</scxml>"),
                 Contains("has both an initial attribute and an <initial> element"));
    REQUIRE_THAT(loadError(head + ">\n</scxml>"), Contains("inline.scxml:1: <scxml> contains no state"));
    REQUIRE_THAT(loadError("<scxml xmlns='http://www.w3.org/2005/07/scxml' version='2.0'>\n<state id='a'/>\n</scxml>"),
                 Contains("inline.scxml:1: version must be 1.0, not '2.0'"));
    REQUIRE_THAT(loadError("<scxml version='1.0'><state id='a'/></scxml>"),
                 Contains("the root element must be <scxml> in the namespace http://www.w3.org/2005/07/scxml"));
}

TEST_CASE("Several problems are all reported at once", "[scxml]") {
    try {
        StateChart::loadString(chartWith("<parallel/>\n<history/>"), "inline.scxml");
        FAIL("loaded");
    } catch (const InvalidInput& error) {
        REQUIRE(error.details() == Strings{"inline.scxml:3: element <parallel> is not supported",
                                           "inline.scxml:4: element <history> is not supported"});
    }
}

TEST_CASE("XPath expressions that do not compile are refused at load with file, line and expression", "[scxml]") {
    const auto [snippet, message] = GENERATE(table<std::string, std::string>({
        {"<transition event='e' cond='count(partner' target='b'/>",
         "inline.scxml:3: cond of <transition> is not a valid XPath 1.0 expression: 'count(partner'"},
        {"<transition event='e' target='b'><cf:rule id='R5' cond='partner[' message='m'/></transition>",
         "inline.scxml:3: cond of <cf:rule> is not a valid XPath 1.0 expression: 'partner['"},
        {"<onentry><log label='x' expr='1 +'/></onentry>",
         "inline.scxml:3: expr of <log> is not a valid XPath 1.0 expression: '1 +'"},
        {"<onentry><send id='s' event='e' cf:at='cf:add-days(date, -2))'/></onentry>",
         "inline.scxml:3: cf:at of <send> is not a valid XPath 1.0 expression: 'cf:add-days(date, -2))'"},
        {"<transition event='e' cond='' target='b'/>", "inline.scxml:3: cond of <transition> is empty"},
    }));
    CAPTURE(snippet);
    REQUIRE_THAT(loadError(chartWith(snippet)), Contains(message));
}

TEST_CASE("An XPath error in a file is reported with the file's name and line", "[scxml]") {
    const auto path = fixture("bad-xpath.scxml");
    REQUIRE_THROWS_WITH(StateChart::load(path),
                        Contains(path.string() + ":5: cond of <transition> is not a valid XPath 1.0 expression: "
                                                 "'count(situation/partner >= 3'"));
}
