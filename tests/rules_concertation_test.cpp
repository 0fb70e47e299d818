// Specifications of the concertation rules R5-R10 at their edges (issue 13): each case is
// refused with its rule id while the rule is broken and accepted once the data is right, for
// the first concertation and for those held during follow-up alike. Everything runs on a real
// SQLite file through the use cases the CLI and the HTTP service call, from the sample
// situations of the Namur pilot (Emma, scenario 01, unless said otherwise).
#include "core/Errors.h"
#include "model/Clock.h"
#include "model/Date.h"
#include "process/FundingProcess.h"
#include "process/RuleMessages.h"
#include "support/Pilot.h"
#include "workflow/Interpreter.h"
#include "workflow/StateChart.h"
#include "workflow/XPathFunctions.h"
#include "xml/Xml.h"

#include <catch2/catch.hpp>

#include <regex>

using namespace caseflow;
using namespace caseflow::test;

namespace {

// The Namur settings with one <concertation> setting changed, written where a Pilot can load them.
std::filesystem::path namurWith(const ScratchDir& dir, const std::string& setting, const std::string& value) {
    std::string text = readFile(namurSamples() / "network.xml");
    text = std::regex_replace(text, std::regex("<" + setting + ">[^<]*</" + setting + ">"),
                              "<" + setting + ">" + value + "</" + setting + ">");
    const auto file = dir / "network.xml";
    writeFile(file, text);
    return file;
}

// A sample situation registered with `change` applied to its document (e.g. a partner's
// organisation), under its own youth reference.
std::int64_t registerChanged(Pilot& pilot, const std::string& stem,
                             const std::function<std::string(std::string)>& change) {
    static int registrations = 0;
    const auto steps = scenarioSteps(stem);
    FixedBusinessDate today(steps.front().date);
    const auto situation = withText(change(sampleSituation(stem)), "/situation/youth/reference",
                                    "KIR-26-8" + std::to_string(100 + ++registrations));
    return pilot.process().registerSituation(situation, "changed.xml", Actor{"partner", "test"}).id;
}

// Emma's concertation (step 4) with its participants replaced by `participants`.
ScenarioStep emmaConcertationWith(const std::string& participants) {
    auto step = emmaStep(4);
    std::string data = withoutNodes(step.data, "/concertation/participant");
    data.insert(data.find("<youthParticipation"), participants);
    return withData(step, data);
}

std::string refusing(Pilot& pilot, std::int64_t id, const ScenarioStep& step) {
    return refusedRules([&] { pilot.fire(id, step); });
}

// A concertation held during Emma's follow-up (after her payment, step 11): her first
// concertation's minutes, as concertation c2 on 7 September, next meeting in March 2027.
ScenarioStep emmaFollowUpConcertation() {
    auto step = emmaStep(4);
    step.date = "2026-09-07";
    std::string data =
        withAttribute(withAttribute(step.data, "/concertation", "id", "c2"), "/concertation", "date", "2026-09-07");
    data = withAttribute(data, "/concertation/nextMeetings/meeting", "date", "2027-03-15");
    return withData(step, data);
}

std::string loadError(const std::string& chart) {
    try {
        workflow::StateChart::loadString(chart, "inline.scxml");
    } catch (const InvalidInput& error) {
        return error.what();
    }
    return "(loaded without error)";
}

// A chart with the rule set `set` (line 2) and two states whose `e` transitions carry `included`.
std::string chartWithRuleSet(const std::string& set, const std::string& included) {
    return "<scxml xmlns='http://www.w3.org/2005/07/scxml' xmlns:cf='urn:caseflow:workflow:1' version='1.0'>\n" + set +
           "\n<state id='a'><transition event='e' target='b'>" + included +
           "</transition></state>\n<state id='b'><transition event='e'>" + included +
           "</transition></state>\n</scxml>\n";
}

} // namespace

TEST_CASE("a partner listed twice counts once towards the partners of R5", "[workflow][rules][R5]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 2);
    // Two partners, p2 written twice: three lines of minutes, two partners.
    const auto twice = emmaConcertationWith(R"(<participant partner="p1" role="pedopsychiatrist" attendance="present"/>
      <participant partner="p2" role="social-worker" attendance="present"/>
      <participant partner="p2" role="case-manager" attendance="present"/>)");
    CHECK(refusing(pilot, id, twice) == "R5");
    const auto three = emmaConcertationWith(R"(<participant partner="p1" role="pedopsychiatrist" attendance="present"/>
      <participant partner="p2" role="social-worker" attendance="present"/>
      <participant partner="p3" role="social-worker" attendance="present"/>)");
    CHECK(refusing(pilot, id, three) == "accepted");
}

TEST_CASE("where the network asks for distinct organisations, two partners of one organisation count once for R5",
          "[workflow][rules][R5]") {
    // p3 (SAJ de Namur) becomes a second service of the ONE, p2's organisation.
    const auto sameOrganisation = [](std::string situation) {
        return withText(situation, "/situation/partners/partner[@id='p3']/organisation",
                        "ONE – Consultation pour enfants de Namur-Salzinnes");
    };
    const auto threePresent =
        emmaConcertationWith(R"(<participant partner="p1" role="pedopsychiatrist" attendance="present"/>
      <participant partner="p2" role="social-worker" attendance="present"/>
      <participant partner="p3" role="social-worker" attendance="present"/>
      <participant partner="p4" role="physician" attendance="excused"/>)");
    SECTION("Namur counts partners: three partners are enough") {
        Pilot pilot;
        const auto id = registerChanged(pilot, kEmma, sameOrganisation);
        pilot.runSteps(id, kEmma, 1, 2);
        CHECK(refusing(pilot, id, threePresent) == "accepted");
    }
    SECTION("counting organisations, the same three partners are two organisations") {
        ScratchDir dir;
        Pilot pilot(namurWith(dir, "distinctPartners", "organisation"), projectDir() / "workflows/funding.scxml");
        const auto id = registerChanged(pilot, kEmma, sameOrganisation);
        pilot.runSteps(id, kEmma, 1, 2);
        pilot.process().setLanguage("fr");
        try {
            pilot.fire(id, threePresent);
            FAIL("three partners of two organisations were accepted");
        } catch (const RuleRefusal& refusal) {
            REQUIRE(refusal.violations().size() == 1);
            CHECK(refusal.violations()[0].ruleId == "R5");
            CHECK(refusal.violations()[0].message ==
                  "Les partenaires présents doivent venir d'au moins 3 organisations différentes.");
        }
        // A fourth partner from another organisation makes three organisations.
        const auto fourPresent =
            emmaConcertationWith(R"(<participant partner="p1" role="pedopsychiatrist" attendance="present"/>
      <participant partner="p2" role="social-worker" attendance="present"/>
      <participant partner="p3" role="social-worker" attendance="present"/>
      <participant partner="p4" role="physician" attendance="present"/>)");
        CHECK(refusing(pilot, id, fourPresent) == "accepted");
    }
}

TEST_CASE("the mental-health message of R5 agrees in number with the count the network asks for",
          "[workflow][rules][R5]") {
    const RuleViolation violation{
        "R5", "At least {minMentalHealthPartners} of the partners present must come from mental health."};
    const auto withMentalHealth = [](int count) {
        std::string text = readFile(namurSamples() / "network.xml");
        text = std::regex_replace(text, std::regex("<minMentalHealthPartners>[0-9]+</minMentalHealthPartners>"),
                                  "<minMentalHealthPartners>" + std::to_string(count) + "</minMentalHealthPartners>");
        return NetworkSettings::fromString(text, "network.xml");
    };
    const EnvelopeFigures envelope{};
    const auto one = withMentalHealth(1), two = withMentalHealth(2);
    CHECK(localiseViolations({violation}, "fr", *one, envelope)[0].message ==
          "Au moins 1 des partenaires présents doit relever de la santé mentale.");
    CHECK(localiseViolations({violation}, "fr", *two, envelope)[0].message ==
          "Au moins 2 des partenaires présents doivent relever de la santé mentale.");
    CHECK(localiseViolations({violation}, "nl", *one, envelope)[0].message ==
          "Minstens 1 van de aanwezige partners moet uit de geestelijke gezondheidszorg komen.");
    CHECK(localiseViolations({violation}, "nl", *two, envelope)[0].message ==
          "Minstens 2 van de aanwezige partners moeten uit de geestelijke gezondheidszorg komen.");
    // A message whose catalog entry has no plural forms keeps its one translation.
    CHECK(localiseViolations({{"R7", "The concertation must designate a case manager among the partners."}}, "fr", *one,
                             envelope)[0]
              .message.find("gestionnaire de cas") != std::string::npos);
}

TEST_CASE("a rule set is written once and guards every transition that includes it", "[scxml][rules][fast]") {
    const std::string set = "<cf:rules id='checks'><cf:rule id='R7' cond='count(manager) = 1' message='one manager'/>"
                            "<cf:rule id='R9' cond='consent' message='consent first'/></cf:rules>";
    const auto chart =
        workflow::StateChart::loadString(chartWithRuleSet(set, "<cf:rules ref='checks'/>"), "inline.scxml");
    for (const auto& transition : chart->transitions()) {
        std::vector<std::string> ids;
        for (const auto& rule : transition.rules) ids.push_back(rule.ruleId);
        CHECK(ids == std::vector<std::string>{"R7", "R9"});
    }

    auto document = xml::parseString("<situation><manager/></situation>", "situation.xml");
    xml::XPath xpath(document.get());
    workflow::Interpreter interpreter(chart, xpath.context());
    interpreter.start();
    try {
        interpreter.fire("e");
        FAIL("e was taken without consent");
    } catch (const RuleRefusal& refusal) {
        REQUIRE(refusal.violations().size() == 1);
        CHECK(refusal.violations()[0].ruleId == "R9");
    }
    xmlNewChild(xml::root(document.get()), nullptr, xml::x("consent"), nullptr);
    interpreter.fire("e");
    CHECK(interpreter.activeAtomicStates().ids() == std::vector<std::string>{"b"});
    // The second state's transition includes the same rules.
    xmlNewChild(xml::root(document.get()), nullptr, xml::x("manager"), nullptr);
    CHECK_THROWS_AS(interpreter.fire("e"), RuleRefusal);
}

TEST_CASE("a rule set that is unknown, empty, defined twice or never included is refused at load",
          "[scxml][rules][fast]") {
    const std::string set = "<cf:rules id='checks'><cf:rule id='R7' cond='true()' message='m'/></cf:rules>";
    CHECK_THAT(loadError(chartWithRuleSet(set, "<cf:rules ref='other'/>")),
               Catch::Contains("inline.scxml:3: rules 'other' are not defined; defined rule sets: checks"));
    CHECK_THAT(loadError(chartWithRuleSet(set, "")),
               Catch::Contains("inline.scxml:2: rules 'checks' are defined but no transition includes them"));
    CHECK_THAT(loadError(chartWithRuleSet("<cf:rules id='checks'/>", "<cf:rules ref='checks'/>")),
               Catch::Contains("inline.scxml:2: <cf:rules> must contain at least one <cf:rule>"));
    CHECK_THAT(loadError(chartWithRuleSet(set + set, "<cf:rules ref='checks'/>")),
               Catch::Contains("inline.scxml:2: rules 'checks' are already defined at line 2"));
    CHECK_THAT(loadError(chartWithRuleSet("<cf:rules id='checks'><raise event='x'/></cf:rules>", "")),
               Catch::Contains("element <raise> is not supported"));
    // A broken rule of a set included twice is reported once, at its own line.
    const auto broken = loadError(chartWithRuleSet(
        "<cf:rules id='checks'><cf:rule id='R7' cond='partner[' message='m'/></cf:rules>", "<cf:rules ref='checks'/>"));
    CHECK_THAT(broken, Catch::Contains("inline.scxml:2: cond of <cf:rule> is not a valid XPath 1.0 expression"));
    CHECK(broken.find("partner[") == broken.rfind("partner["));
}

TEST_CASE("a concertation held during follow-up meets R5 to R10 like the first one", "[workflow][rules][R8][R10]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 11);
    REQUIRE(pilot.state(id) == "follow-up");
    const auto good = emmaFollowUpConcertation();
    // No next meeting more than six months away (R8), the youth neither invited nor an
    // objection recorded (R10), one partner from mental health absent (R5).
    auto broken = withoutNodes(good.data, "/concertation/nextMeetings/meeting");
    broken = withAttribute(broken, "/concertation/youthParticipation", "invited", "false");
    broken = withAttribute(broken, "/concertation/participant[@partner='p1']", "attendance", "excused");
    CHECK(refusing(pilot, id, withData(good, broken)) == "R10 R5 R6 R8");
    CHECK(refusing(pilot, id, good) == "accepted");
    CHECK(pilot.state(id) == "follow-up");
}

TEST_CASE("R6 wants a pedopsychiatrist known as such and present, not a participant whose role says so",
          "[workflow][rules][R6]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 2);
    const std::string others = R"(<participant partner="p3" role="social-worker" attendance="present"/>
      <participant partner="p4" role="physician" attendance="present"/>)";
    // p2 (the ONE's social worker) is no pedopsychiatrist, whatever the minutes call her.
    CHECK(refusing(pilot, id,
                   emmaConcertationWith(
                       R"(<participant partner="p1" role="psychologist" attendance="present"/>
      <participant partner="p2" role="pedopsychiatrist" attendance="present"/>)" +
                       others)) == "R6");
    // The partner's pedopsychiatrist excused, or a network pedopsychiatrist the network does not know.
    CHECK(refusing(pilot, id,
                   emmaConcertationWith(
                       R"(<participant partner="p1" role="pedopsychiatrist" attendance="excused"/>
      <participant partner="p2" role="social-worker" attendance="present"/>)" +
                       others)) == "R5 R6");
    CHECK(
        refusing(pilot, id,
                 emmaConcertationWith(
                     R"(<participant networkPedopsychiatrist="np-nobody" role="pedopsychiatrist" attendance="present"/>
      <participant partner="p1" role="psychologist" attendance="present"/>
      <participant partner="p2" role="social-worker" attendance="present"/>)" +
                     others)) == "R6");
    // A network pedopsychiatrist the settings list, present.
    CHECK(
        refusing(pilot, id,
                 emmaConcertationWith(
                     R"(<participant networkPedopsychiatrist="np-dubois" role="pedopsychiatrist" attendance="present"/>
      <participant partner="p1" role="psychologist" attendance="present"/>
      <participant partner="p2" role="social-worker" attendance="present"/>)" +
                     others)) == "accepted");
}

TEST_CASE("the care plan of R6 names a partner recorded as a pedopsychiatrist", "[workflow][rules][R6]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 4);
    REQUIRE(pilot.state(id) == "concertation-held");
    const auto plan = emmaStep(5);
    REQUIRE(plan.event == "plan.agreed");
    CHECK(refusing(pilot, id,
                   withData(plan, withAttribute(plan.data, "/carePlan/pedopsychiatrist", "partner", "p2"))) == "R6");
    CHECK(refusing(pilot, id, plan) == "accepted");
}

TEST_CASE("cf:more-than-months is true only strictly after the months have passed", "[scxml][R8][fast]") {
    auto document = xml::parseString("<data/>", "data.xml");
    xml::XPath xpath(document.get());
    workflow::registerCaseflowFunctions(xpath.context());
    CHECK_FALSE(xpath.boolean("cf:more-than-months('2026-02-02', '2026-08-02', 6)"));
    CHECK(xpath.boolean("cf:more-than-months('2026-02-02', '2026-08-03', 6)"));
    // Month ends as cf:add-months: 31 August plus six months is 28 February.
    CHECK_FALSE(xpath.boolean("cf:more-than-months('2026-08-31', '2027-02-28', 6)"));
    CHECK(xpath.boolean("cf:more-than-months('2026-08-31', '2027-03-01', 6)"));
    CHECK(xpath.boolean("cf:more-than-months(' 2026-02-02\n', '2026-08-03', 6)"));
    // What it cannot read is never "more than".
    CHECK_FALSE(xpath.boolean("cf:more-than-months('2026-02-30', '2027-08-03', 6)"));
    CHECK_FALSE(xpath.boolean("cf:more-than-months('2026-02-02', 'soon', 6)"));
    CHECK_FALSE(xpath.boolean("cf:more-than-months('2026-02-02', '2027-08-03', 6.5)"));
    CHECK_FALSE(xpath.boolean("cf:more-than-months('2026-02-02', '2027-08-03', 'six')"));
}

TEST_CASE("a next meeting exactly six months after the concertation is not more than six months for R8",
          "[workflow][rules][R8]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 2);
    const auto step = emmaStep(4); // held on 2026-02-02
    const auto meetingOn = [&](const std::string& date) {
        return withData(
            step, withAttribute(step.data, "/concertation/nextMeetings/meeting[@date='2026-09-07']", "date", date));
    };
    CHECK(refusing(pilot, id, meetingOn("2026-08-02")) == "R8");
    CHECK(refusing(pilot, id, meetingOn("2026-08-03")) == "accepted");
    // The meeting that answers R8 is the follow-up deadline.
    std::string followUpDue;
    for (const auto& deadline : pilot.process().due(*Date::parse("2027-12-31")))
        if (deadline.situationId == id && deadline.event == "followup.due") followUpDue = deadline.due;
    CHECK(followUpDue == "2026-08-03");
}

TEST_CASE("a care plan whose follow-up meeting is exactly six months after the concertation is refused by R8",
          "[workflow][rules][R8]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 4);
    const auto plan = emmaStep(5);
    REQUIRE(plan.event == "plan.agreed");
    const auto followUpOn = [&](const std::string& date) {
        return withData(plan, withAttribute(plan.data, "/carePlan/followUp/meeting[@date='2026-09-07']", "date", date));
    };
    CHECK(refusing(pilot, id, followUpOn("2026-08-02")) == "R8");
    CHECK(refusing(pilot, id, followUpOn("2026-08-03")) == "accepted");
}

namespace {

// A consent as Emma's case manager records it on `date`.
ScenarioStep consentStep(const std::string& type, bool given, const std::string& by, const std::string& date) {
    return {"consent.recorded",
            "case_manager:Julie Maes",
            date,
            "",
            "",
            "<consent type=\"" + type + "\" given=\"" + (given ? "true" : "false") + "\" date=\"" + date +
                "\" recordedBy=\"Julie Maes\" by=\"" + by + "\">Recorded with the family.</consent>",
            "",
            ""};
}

// Emma registered with another birth date (she is 3 in the sample).
std::int64_t emmaBornOn(Pilot& pilot, const std::string& birthDate) {
    return registerChanged(pilot, kEmma, [&](std::string situation) {
        return withText(situation, "/situation/youth/birthDate", birthDate);
    });
}

} // namespace

TEST_CASE("from the network's self-consent age a parent's consent alone no longer counts for R9",
          "[workflow][rules][R9]") {
    Pilot pilot;
    // 18 on 1 January 2026, before the concertation of 2 February; the parent consented (step 2).
    const auto adult = emmaBornOn(pilot, "2008-01-01");
    pilot.runSteps(adult, kEmma, 1, 2);
    CHECK(refusing(pilot, adult, emmaStep(4)) == "R9");
    pilot.fire(adult, consentStep("information-sharing", true, "youth", "2026-01-30"));
    CHECK(refusing(pilot, adult, emmaStep(4)) == "accepted");
    // Her adhesion to the plan is hers too: her mother's (step 6) does not validate it.
    pilot.fire(adult, emmaStep(5));
    pilot.fire(adult, emmaStep(6));
    CHECK(refusing(pilot, adult, emmaStep(7)) == "R9");
    pilot.fire(adult, consentStep("plan-adhesion", true, "youth", "2026-02-03"));
    CHECK(refusing(pilot, adult, emmaStep(7)) == "accepted");

    // 17 on the day of the concertation, her parent's consent is enough.
    const auto minor = emmaBornOn(pilot, "2008-06-01");
    pilot.runSteps(minor, kEmma, 1, 2);
    CHECK(refusing(pilot, minor, emmaStep(4)) == "accepted");
}

TEST_CASE("a consent to share information withdrawn later stops concertations and new partners until given again",
          "[workflow][rules][R9]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 2); // the mother agreed on 14 January
    pilot.fire(id, consentStep("information-sharing", false, "parent", "2026-01-20"));
    CHECK(refusing(pilot, id, emmaStep(4)) == "R9");
    const ScenarioStep partner{
        "partner.added",
        "case_manager:Julie Maes",
        "2026-01-21",
        "",
        "",
        R"(<partner id="p6" sector="social"><organisation>CPAS de Namur</organisation></partner>)",
        "",
        ""};
    CHECK(refusing(pilot, id, partner) == "R9");
    // A consent cannot be slipped in before the withdrawal.
    CHECK(refusing(pilot, id, consentStep("information-sharing", true, "parent", "2026-01-18")) == "R9");
    pilot.fire(id, consentStep("information-sharing", true, "parent", "2026-01-30"));
    CHECK(refusing(pilot, id, partner) == "accepted");
    CHECK(refusing(pilot, id, emmaStep(4)) == "accepted");
}

TEST_CASE("a consent withdrawn during follow-up stops the follow-up concertations of R9", "[workflow][rules][R9]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 11);
    pilot.fire(id, consentStep("information-sharing", false, "parent", "2026-08-31"));
    CHECK(refusing(pilot, id, emmaFollowUpConcertation()) == "R9");
    pilot.fire(id, consentStep("information-sharing", true, "parent", "2026-09-07"));
    CHECK(refusing(pilot, id, emmaFollowUpConcertation()) == "accepted");
}

TEST_CASE("adhesion to the plan of R9 is recorded after the plan is agreed, and the latest one decides",
          "[workflow][rules][R9]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 4);
    const auto adhesion = emmaStep(6);
    REQUIRE(adhesion.event == "consent.recorded");
    CHECK(refusing(pilot, id, adhesion) == "R9"); // no plan yet
    pilot.fire(id, emmaStep(5));                  // agreed on 2 February
    CHECK(refusing(pilot, id, consentStep("plan-adhesion", true, "parent", "2026-02-01")) == "R9");
    CHECK(refusing(pilot, id, emmaStep(7)) == "R9"); // no adhesion: the plan is not validated
    pilot.fire(id, adhesion);
    pilot.fire(id, consentStep("plan-adhesion", false, "parent", "2026-02-03"));
    CHECK(refusing(pilot, id, emmaStep(7)) == "R9");
    pilot.fire(id, consentStep("plan-adhesion", true, "parent", "2026-02-04"));
    CHECK(refusing(pilot, id, emmaStep(7)) == "accepted");
}
