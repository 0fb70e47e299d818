// One source for the rules (issue 12, step 4): the interpreter dry-runs an event's transition
// and reports each cf:rule; the finance checks are that dry run of the workflow's approval, so
// they can no longer disagree with it; a boolean reads the same in guards, templates and C++;
// what C++ needs to know of a workflow (the event that submits a dossier, the phases) is
// declared in the workflow file and refused at load with file:line when it is wrong.
#include "core/Errors.h"
#include "model/XsBoolean.h"
#include "process/CommitteeReport.h"
#include "support/Pilot.h"
#include "support/TestSupport.h"
#include "workflow/Interpreter.h"
#include "workflow/StateChart.h"
#include "workflow/XPathFunctions.h"
#include "xml/Xml.h"

#include <catch2/catch.hpp>

using namespace caseflow;
using namespace caseflow::test;
using Catch::Matchers::Contains;

namespace {

// The same data fired as another event (dossier.updated keeps a request in preparation).
ScenarioStep as(ScenarioStep s, std::string event) {
    s.event = std::move(event);
    return s;
}

const FundingCheck& checkNamed(const FundingRequestSummary& request, const std::string& id) {
    for (const auto& check : request.checks)
        if (check.id == id) return check;
    FAIL("no check '" << id << "'");
    throw Error("unreachable");
}

FundingRequestSummary onlyRequest(Pilot& pilot) {
    const auto requests = pilot.process().fundingRequests();
    REQUIRE(requests.size() == 1);
    return requests.front();
}

std::string loadError(const std::string& text) {
    try {
        workflow::StateChart::loadString(text, "inline.scxml");
    } catch (const InvalidInput& error) {
        return error.what();
    }
    return "(loaded without error)";
}

std::string chart(const std::string& body) {
    return "<scxml xmlns='http://www.w3.org/2005/07/scxml' xmlns:cf='urn:caseflow:workflow:1' version='1.0'>\n" + body +
           "\n</scxml>\n";
}

} // namespace

TEST_CASE("a dry run reports every rule of the transition with its verdict and changes nothing",
          "[workflow][dry-run]") {
    const auto loaded = workflow::StateChart::loadString(chart(R"(
<state id='waiting'>
  <transition event='go' target='done'>
    <cf:rule id='X1' check='size' cond='count(item) &gt;= 2' message='Two items are needed.'/>
    <cf:rule id='X2' cond='cf:is-true(@ready)' message='The data must be ready.'/>
  </transition>
</state>
<final id='done'/>)"),
                                                         "dry-run.scxml");
    xml::Document data = xml::parseString("<data ready='1'><item/></data>", "data.xml");
    xml::XPath xpath(data.get());
    workflow::Interpreter interpreter(loaded, xpath.context());
    interpreter.restore({"waiting"});

    const auto refused = interpreter.dryRun("go");
    CHECK(refused.allowed);
    CHECK_FALSE(refused.enabled);
    REQUIRE(refused.rules.size() == 2);
    CHECK(refused.rules[0].rule.ruleId == "X1");
    CHECK(refused.rules[0].rule.check == "size");
    CHECK_FALSE(refused.rules[0].passed);
    CHECK(refused.rules[1].rule.ruleId == "X2");
    CHECK(refused.rules[1].passed); // ready="1" is as true as ready="true"
    CHECK(interpreter.activeAtomicStates().ids() == std::vector<std::string>{"waiting"});

    // fire() refuses with exactly the rules the dry run found failing.
    try {
        interpreter.fire("go");
        FAIL("go was accepted with one item");
    } catch (const RuleRefusal& refusal) {
        REQUIRE(refusal.violations().size() == 1);
        CHECK(refusal.violations()[0].ruleId == "X1");
    }

    xmlNewChild(xml::root(data.get()), nullptr, xml::x("item"), nullptr);
    const auto accepted = interpreter.dryRun("go");
    CHECK(accepted.enabled);
    CHECK(accepted.rules.size() == 2);
    CHECK(interpreter.activeAtomicStates().ids() == std::vector<std::string>{"waiting"}); // still: nothing was taken
    CHECK(interpreter.fire("go").configuration == std::set<std::string>{"done"});
    CHECK_THROWS_AS(interpreter.dryRun("nothing.known"), UsageError);
}

TEST_CASE("declared=\"1\" gets the same verdict from the finance checks and from the workflow", "[workflow][finance]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 8);
    const auto declaredAs = [&](const std::string& value) {
        return withAttribute(emmaStep(9).data, "/fundingRequest/noDoubleSubsidy", "declared", value);
    };

    // "0" is false everywhere: the check fails in preparation, and submitting is refused by R13.
    pilot.fire(id, as(withData(emmaStep(9), declaredAs("0")), "dossier.updated"));
    CHECK(checkNamed(onlyRequest(pilot), "no-double-subsidy").status == CheckStatus::Fail);
    CHECK(checkNamed(onlyRequest(pilot), "no-double-subsidy").ruleId == "R13");
    CHECK_FALSE(onlyRequest(pilot).noDoubleSubsidyDeclared);
    CHECK(refusedRules([&] { pilot.fire(id, withData(emmaStep(9), declaredAs("0"))); }) == "R13");

    // "1" is true everywhere: the check passes, and the workflow accepts the submission (it
    // refused it with R13 while the C++ check passed it).
    pilot.fire(id, as(withData(emmaStep(9), declaredAs("1")), "dossier.updated"));
    CHECK(checkNamed(onlyRequest(pilot), "no-double-subsidy").status == CheckStatus::Pass);
    CHECK(onlyRequest(pilot).noDoubleSubsidyDeclared);
    CHECK(refusedRules([&] { pilot.fire(id, withData(emmaStep(9), declaredAs("1"))); }) == "accepted");
    CHECK(pilot.state(id) == "budget-check");
    CHECK(checkNamed(onlyRequest(pilot), "no-double-subsidy").status == CheckStatus::Pass);
}

TEST_CASE("the finance checks are the approval's own rules, figures and messages included", "[workflow][finance]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 8);
    // 6 000 EUR: under the ceiling, above the stronger-validation threshold, no payee yet.
    const auto big = withoutNodes(withAttribute(emmaStep(9).data, "/fundingRequest/line[1]", "amount", "600000"),
                                  "/fundingRequest/payee");
    pilot.fire(id, as(withData(emmaStep(9), big), "dossier.updated"));
    const auto request = onlyRequest(pilot);
    std::vector<std::string> ids;
    for (const auto& check : request.checks) ids.push_back(check.id);
    CHECK(ids == std::vector<std::string>{"ceiling", "second-validation", "completeness", "envelope",
                                          "no-double-subsidy", "plan-validated"});
    CHECK(checkNamed(request, "ceiling").status == CheckStatus::Pass);
    const auto& second = checkNamed(request, "second-validation");
    CHECK(second.status == CheckStatus::Attention);
    REQUIRE(second.unmet.size() == 1);
    CHECK_THAT(second.unmet[0].message, Contains("second validation")); // {threshold} filled in
    CHECK_THAT(second.unmet[0].message, !Contains("{threshold}"));
    const auto& completeness = checkNamed(request, "completeness");
    CHECK(completeness.status == CheckStatus::Fail);
    CHECK(completeness.ruleId == "R15");
    REQUIRE(completeness.unmet.size() == 1);
    CHECK_THAT(completeness.unmet[0].message, Contains("IBAN"));
    CHECK(checkNamed(request, "plan-validated").status == CheckStatus::Pass);
    CHECK(checkNamed(request, "envelope").status == CheckStatus::Pass);

    // Above the ceiling, the check fails like the approval would.
    pilot.fire(id, as(withData(emmaStep(9), withAttribute(big, "/fundingRequest/line[1]", "amount", "2000000")),
                      "dossier.updated"));
    CHECK(checkNamed(onlyRequest(pilot), "ceiling").status == CheckStatus::Fail);
}

TEST_CASE("cf:is-true and cf:is-false read xs:boolean as C++ does", "[workflow][booleans]") {
    xml::Document data = xml::parseString("<f a='true' b='1' c=' 0 ' d='false' e='yes'/>", "flags.xml");
    xml::XPath xpath(data.get());
    workflow::registerCaseflowFunctions(xpath.context());
    for (const char* name : {"a", "b", "c", "d", "e", "absent"}) {
        INFO(name);
        const std::string text = xpath.string(std::string("string(/f/@") + name + ")");
        CHECK(xpath.boolean(std::string("cf:is-true(/f/@") + name + ")") == isXsTrue(text));
        CHECK(xpath.boolean(std::string("cf:is-false(/f/@") + name + ")") == isXsFalse(text));
    }
    CHECK(isXsTrue("1"));
    CHECK(isXsTrue(" true "));
    CHECK(isXsFalse("0"));
    CHECK_FALSE(isXsTrue("yes"));
    CHECK_FALSE(isXsFalse("yes"));
    CHECK_FALSE(isXsTrue(""));
    CHECK_FALSE(isXsFalse(""));
}

TEST_CASE("an emergency flagged 1 is redirected like one flagged true", "[workflow][booleans]") {
    Pilot pilot;
    const auto situation = withText(withText(sampleSituation(kEmma), "/situation/emergency", "1"),
                                    "/situation/youth/reference", "KIR-26-9777");
    const auto id = pilot.process().registerSituation(situation, "emergency.xml", Actor{"partner", "test"}).id;
    CHECK(pilot.state(id) == "redirected-emergency");
}

TEST_CASE("a financial need stated as needed=\"1\" is taken like needed=\"true\"", "[workflow][booleans]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 7);
    REQUIRE(emmaStep(8).event == "need.identified");
    const auto needed = [&](const std::string& value) {
        return withData(emmaStep(8), withAttribute(emmaStep(8).data, "/financialNeed", "needed", value));
    };
    // The event scope and R12 both read the flag: "0" is no need, on the event that says there is one.
    CHECK_THROWS_AS(pilot.fire(id, needed("0")), DataOutOfScope);
    CHECK(refusedRules([&] { pilot.fire(id, needed("1")); }) == "accepted");
    CHECK(pilot.state(id) == "dossier-in-preparation");
}

TEST_CASE("both workflows declare the phase of every state, and the report reads it from them", "[workflow][phases]") {
    const auto funding = workflow::StateChart::load(projectDir() / "workflows" / "funding.scxml");
    CHECK(phaseOfState(*funding, "eligibility") == "youth-in-distress");
    CHECK(phaseOfState(*funding, "plan-validated") == "financial-need");
    CHECK(phaseOfState(*funding, "paying") == "payment");
    CHECK(phaseOfState(*funding, "redirected-emergency") == "redirected");
    CHECK(phaseOfState(*funding, "no-such-state") == "other");
    const auto clinical = workflow::StateChart::load(projectDir() / "workflows" / "clinical-concertation.scxml");
    CHECK(phaseOfState(*clinical, "clarification") == "clarification");
    CHECK(phaseOfState(*clinical, "outside-target-public") == "redirected");
    for (const auto* loaded : {funding.get(), clinical.get()})
        for (const auto& state : loaded->states())
            if (state.isAtomic) CHECK(loaded->phaseOf(state.id) != "");
    CHECK(funding->submitsDossier("dossier.submitted"));
    CHECK_FALSE(funding->submitsDossier("dossier.updated"));
    REQUIRE(funding->approvingEvent());
    CHECK(funding->approvingEvent()->event == "budget.approved");
    CHECK_FALSE(clinical->approvingEvent());
}

TEST_CASE("the finance tables follow the event the workflow declares as submitting a dossier", "[workflow][finance]") {
    // The same workflow without submits-dossier: a submitted request stays in preparation in
    // the finance tables, which proves the projection reads the declaration, not a name.
    std::string text = readFile(projectDir() / "workflows" / "funding.scxml");
    const std::string marker = "<cf:event name=\"dossier.submitted\" submits-dossier=\"true\">";
    REQUIRE(text.find(marker) != std::string::npos);
    text.replace(text.find(marker), marker.size(), "<cf:event name=\"dossier.submitted\">");
    ScratchDir dir;
    const auto workflowFile = dir / "funding-undeclared.scxml";
    writeFile(workflowFile, text);
    Pilot undeclared(namurSamples() / "network.xml", workflowFile);
    const auto id = undeclared.registerSample(kEmma);
    undeclared.runSteps(id, kEmma, 1, 9);
    CHECK(undeclared.state(id) == "budget-check");
    CHECK(onlyRequest(undeclared).state == "in-preparation");

    Pilot declared;
    const auto same = declared.registerSample(kEmma);
    declared.runSteps(same, kEmma, 1, 9);
    CHECK(onlyRequest(declared).state == "budget-check");
}

TEST_CASE("wrong declarations for C++ are refused at load with file:line", "[workflow][scxml][phases]") {
    const std::string states = "<state id='a'><transition event='go' target='b'/></state>\n<final id='b'/>";
    CHECK_THAT(loadError(chart(states + "\n<cf:phase id='one' states='a nowhere'/>")),
               Contains("inline.scxml:4: state 'nowhere' of phase 'one' is not a state of this chart"));
    CHECK_THAT(loadError(chart(states + "\n<cf:phase id='one' states='a'/>")),
               Contains("inline.scxml:3: state 'b' belongs to no <cf:phase>"));
    CHECK_THAT(loadError(chart(states + "\n<cf:phase id='one' states='a b'/>\n<cf:phase id='two' states='a'/>")),
               Contains("inline.scxml:5: state 'a' is already in phase 'one'"));
    CHECK(loadError(chart(states + "\n<cf:phase id='one' states='a b'/>")) == "(loaded without error)");

    const std::string takesRequest = "<cf:takes element='fundingRequest' change='add'/>";
    CHECK_THAT(loadError(chart("<cf:event name='go' submits-dossier='true'><cf:takes element='review' "
                               "change='add'/></cf:event>\n" +
                               states)),
               Contains("inline.scxml:2: event 'go' submits a dossier, so it must take a <fundingRequest>"));
    CHECK_THAT(
        loadError(chart("<cf:event name='go' submits-dossier='maybe'>" + takesRequest + "</cf:event>\n" + states)),
        Contains("inline.scxml:2: submits-dossier must be true or false"));
    CHECK(loadError(chart("<cf:event name='go' submits-dossier='1'>" + takesRequest + "</cf:event>\n" + states)) ==
          "(loaded without error)");
    CHECK_THAT(loadError(chart("<state id='a'><transition event='go' target='b'>\n"
                               "<cf:rule id='R1' check='c' cond='true()' message='m'/>\n"
                               "<cf:rule id='R2' check='c' cond='true()' message='m'/>\n"
                               "</transition></state><final id='b'/>")),
               Contains("inline.scxml:4: check 'c' is fed by rule R1 at line 3, not R2"));
    CHECK_THAT(loadError(chart("<state id='a'><transition event='go' target='b'>\n"
                               "<cf:rule id='R1' unmet='attention' cond='true()' message='m'/>\n"
                               "</transition></state><final id='b'/>")),
               Contains("inline.scxml:3: unmet only applies to a rule that feeds a check"));
}
