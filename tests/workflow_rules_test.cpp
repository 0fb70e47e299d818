// One specification per rule of docs/domain.md: the action is refused with the rule's id while
// the rule is broken, and accepted once the data is fixed. Everything runs on a real
// SQLite file through the same use cases the CLI and the HTTP service call, with the
// sample situation of Emma (scenario 01) as the base case.
#include "core/Errors.h"
#include "store/Database.h"
#include "support/Pilot.h"

#include <catch2/catch.hpp>

#include <set>

using namespace caseflow;
using namespace caseflow::test;

namespace {

ScenarioStep as(ScenarioStep s, std::string actor) {
    s.actor = std::move(actor);
    return s;
}

// The same step signed by someone else ("role:Name"), or not signed at all ("").
ScenarioStep signedBy(ScenarioStep s, std::string signer) {
    s.signedBy = std::move(signer);
    return s;
}

// Emma's situation after the first `lastStep` steps of her scenario.
struct Emma {
    Pilot pilot;
    std::int64_t id;
    explicit Emma(std::size_t lastStep) : id(pilot.registerSample(kEmma)) {
        if (lastStep > 0) pilot.runSteps(id, kEmma, 1, lastStep);
    }
    std::string refusing(const ScenarioStep& s) {
        return refusedRules([&] { pilot.fire(id, s); });
    }
    std::string state() { return pilot.state(id); }
};

std::int64_t registerWith(Pilot& pilot, const std::string& xpath, const std::string& text) {
    static int registrations = 0; // each registration its own youth reference: a reference is one dossier
    const auto situation = withText(withText(sampleSituation(kEmma), xpath, text), "/situation/youth/reference",
                                    "KIR-26-9" + std::to_string(100 + ++registrations));
    return pilot.process().registerSituation(situation, "changed.xml", Actor{"partner", "test"}).id;
}

} // namespace

TEST_CASE("R1: a youth living outside the territory is redirected at registration", "[workflow][rules]") {
    Pilot pilot;
    CHECK(pilot.state(pilot.registerSample("14-charleroi-out-of-territory")) == "redirected-out-of-territory");
    CHECK(pilot.state(registerWith(pilot, "/situation/youth/postalCode", "5310")) == "awaiting-request");
}

TEST_CASE("R1: a youth past the age range is redirected, one aged 23 is not", "[workflow][rules]") {
    Pilot pilot;
    // Emma is registered on 2026-01-07: born 2002-01-07 she is 24 that day, born a day later 23.
    CHECK(pilot.state(registerWith(pilot, "/situation/youth/birthDate", "2002-01-07")) ==
          "redirected-out-of-age-range");
    CHECK(pilot.state(registerWith(pilot, "/situation/youth/birthDate", "2002-01-08")) == "awaiting-request");
}

TEST_CASE("R1: a concertation is requested by one of the situation's partners", "[workflow][rules]") {
    Emma emma(0);
    CHECK(emma.refusing(withData(emmaStep(1), withAttribute(emmaStep(1).data, "/request", "requestedBy", "nobody"))) ==
          "R1");
    CHECK(emma.refusing(emmaStep(1)) == "accepted");
}

TEST_CASE("R2: the category is derived from age and living environment and kept with the situation",
          "[workflow][rules]") {
    Pilot pilot;
    std::set<int> categories;
    for (const auto& stem : sampleStems()) {
        const auto record = pilot.process().situation(pilot.registerSample(stem));
        REQUIRE(record.category);
        categories.insert(*record.category);
    }
    CHECK(categories == std::set<int>{1, 2, 3, 4, 5, 6});
}

TEST_CASE("R3: an emergency is redirected, never silently dropped", "[workflow][rules]") {
    Pilot pilot;
    const auto id = pilot.registerSample("13-namur-emergency");
    CHECK(pilot.state(id) == "redirected-emergency");
    CHECK(pilot.process().history(id).size() == 1);           // recorded, with its outcome
    CHECK_THROWS_AS(pilot.fire(id, emmaStep(1)), UsageError); // nothing more happens to it
}

TEST_CASE("R4: the twelve pilot samples cover every category and reach their phases", "[workflow][rules]") {
    Pilot pilot;
    std::set<int> pilotCategories;
    int pilotSituations = 0;
    for (const auto& stem : sampleStems()) {
        const auto id = pilot.registerSample(stem);
        pilot.runScenario(id, stem);
        const auto record = pilot.process().situation(id);
        if (record.state.rfind("redirected", 0) != 0) {
            ++pilotSituations;
            pilotCategories.insert(*record.category);
        }
    }
    CHECK(pilotSituations == pilot.process().network().pilotSituations());
    CHECK(pilotCategories.size() == 6);
}

TEST_CASE("R5: a concertation with two partners present is refused with R5", "[workflow][rules]") {
    Emma emma(2);
    CHECK(emma.refusing(emmaStep(3)) == "R5");
    CHECK(emma.refusing(emmaStep(4)) == "accepted");
    CHECK(emma.state() == "concertation-held");
}

TEST_CASE("R5: a concertation without a mental-health partner present is refused with R5", "[workflow][rules]") {
    Emma emma(2);
    // p1 is the mental-health service: excused, the others present.
    const auto data =
        withAttribute(emmaStep(4).data, "/concertation/participant[@partner='p1']", "attendance", "excused");
    const auto refused = emma.refusing(withData(emmaStep(4), data));
    CHECK(refused.find("R5") != std::string::npos);
}

TEST_CASE("R6: a concertation without a pedopsychiatrist is refused, a network one assigned d'office is accepted",
          "[workflow][rules]") {
    Emma emma(2);
    const auto without =
        withAttribute(emmaStep(4).data, "/concertation/participant[@role='pedopsychiatrist']", "role", "psychologist");
    CHECK(emma.refusing(withData(emmaStep(4), without)) == "R6");
    auto assigned =
        withAttribute(emmaStep(4).data, "/concertation/participant[@partner='p5']", "attendance", "present");
    assigned = withAttribute(
        withAttribute(assigned, "/concertation/participant[@role='pedopsychiatrist']", "role", "psychologist"),
        "/concertation/participant[@partner='p5']", "role", "pedopsychiatrist");
    assigned = withoutNodes(assigned, "/concertation/participant[@partner='p5']/@partner");
    assigned = withAttribute(assigned, "/concertation/participant[@role='pedopsychiatrist']", "networkPedopsychiatrist",
                             "np-dubois");
    CHECK(emma.refusing(withData(emmaStep(4), assigned)) == "accepted");
}

TEST_CASE("R7: a concertation that designates no case manager is refused with R7", "[workflow][rules]") {
    Emma emma(2);
    CHECK(emma.refusing(withData(emmaStep(4), withoutNodes(emmaStep(4).data, "/concertation/caseManager"))) == "R7");
    CHECK(emma.refusing(withData(
              emmaStep(4), withAttribute(emmaStep(4).data, "/concertation/caseManager", "partner", "p9"))) == "R7");
}

TEST_CASE("R8: partners must commit to meet again more than six months later", "[workflow][rules]") {
    Emma emma(2);
    const auto soon = withoutNodes(emmaStep(4).data, "/concertation/nextMeetings/meeting[@date='2026-09-07']");
    CHECK(emma.refusing(withData(emmaStep(4), soon)) == "R8");
    CHECK(emma.refusing(emmaStep(4)) == "accepted");
    const auto planSoon = withoutNodes(emmaStep(5).data, "/carePlan/followUp/meeting[@date='2026-09-07']");
    CHECK(emma.refusing(withData(emmaStep(5), planSoon)) == "R8");
    CHECK(emma.refusing(emmaStep(5)) == "accepted");
}

TEST_CASE("R8: the follow-up meeting becomes a deadline that `due` lists", "[workflow][rules][deadlines]") {
    Emma emma(4);
    const auto due = emma.pilot.process().due(*Date::parse("2026-09-07"));
    REQUIRE(due.size() == 1);
    CHECK(due.front().event == "followup.due");
    CHECK(due.front().due == "2026-09-07");
    CHECK(emma.pilot.process().due(*Date::parse("2026-09-06")).empty());
}

TEST_CASE("R9: no concertation before the youth agrees to share information, no validated plan without adhesion",
          "[workflow][rules]") {
    Emma emma(1);
    CHECK(emma.refusing(emmaStep(4)) == "R9");
    emma.pilot.fire(emma.id, emmaStep(2));
    CHECK(emma.refusing(emmaStep(4)) == "accepted");
    CHECK(emma.refusing(emmaStep(5)) == "accepted"); // the plan is agreed; adhesion follows it
    CHECK(emma.refusing(emmaStep(7)) == "R9");
    emma.pilot.fire(emma.id, emmaStep(6));
    CHECK(emma.refusing(emmaStep(7)) == "accepted");
}

TEST_CASE("R10: a youth not invited needs the objection's reason and who informs them", "[workflow][rules]") {
    Emma emma(2);
    const auto notInvited = withAttribute(emmaStep(4).data, "/concertation/youthParticipation", "invited", "false");
    CHECK(emma.refusing(withData(emmaStep(4), notInvited)) == "R10");
    const std::string objection =
        R"(<objection by="p3" informedBy="p2">Le SAJ estime que la présence d'Emma (3 ans) n'est pas adaptée.</objection>)";
    const auto at = notInvited.find("<youthParticipation");
    const auto close = notInvited.find("/>", at);
    const auto withObjection =
        notInvited.substr(0, close) + ">" + objection + "</youthParticipation>" + notInvited.substr(close + 2);
    CHECK(emma.refusing(withData(emmaStep(4), withObjection)) == "accepted");
}

TEST_CASE("R11: only a valid signature of the pedopsychiatrist the plan names validates it", "[workflow][rules]") {
    Emma emma(6);
    CHECK(emma.refusing(signedBy(emmaStep(7), "")) == "R11");                                  // not signed
    CHECK(emma.refusing(signedBy(emmaStep(7), "pedopsychiatrist:Dr Claire Dubois")) == "R11"); // not hers to sign
    CHECK(emma.refusing(emmaStep(7)) == "accepted"); // Dr Hélène Marchal, whom the plan names (partner p1)
    CHECK(emma.state() == "plan-validated");
}

TEST_CASE("R11: a change to the signed plan voids the signature until the pedopsychiatrist signs again",
          "[workflow][rules]") {
    Emma emma(8); // the signed plan, a need identified: the dossier is in preparation
    const auto amended = withAttribute(emmaStep(5).data, "/carePlan/actions/action[@id='a2']", "end", "2026-06-30");
    emma.pilot.fire(emma.id, "plan.revised", amended, "case_manager:Julie Maes", "2026-02-06");
    CHECK(emma.refusing(emmaStep(9)) == "R11");
    emma.pilot.fire(emma.id, emmaStep(7)); // signed again, over the amended plan
    CHECK(emma.refusing(emmaStep(9)) == "accepted");

    emma.pilot.runSteps(emma.id, kEmma, 10, 12);
    CHECK(emma.state() == "follow-up");
    auto revised = withAttribute(emmaStep(5).data, "/carePlan", "agreedOn", "2026-06-01");
    revised = withAttribute(revised, "/carePlan/followUp/meeting[@date='2026-09-07']", "date", "2026-12-14");
    emma.pilot.fire(emma.id, "plan.revised", revised, "case_manager:Julie Maes", "2026-06-01");
    CHECK(emma.state() == "plan-agreed");
    CHECK_THROWS_AS(emma.pilot.fire(emma.id, emmaStep(8)), UsageError); // no need without a signed plan
    // The revised plan needs the family's adhesion to it (R9) before it is signed again.
    emma.pilot.fire(emma.id, "consent.recorded", withAttribute(emmaStep(6).data, "/consent", "date", "2026-06-01"),
                    "case_manager:Julie Maes", "2026-06-01");
    emma.pilot.fire(emma.id, emmaStep(7));
    CHECK(emma.state() == "plan-validated");
}

TEST_CASE("R12: every expense supports a plan action in an eligible category", "[workflow][rules]") {
    Emma emma(8);
    CHECK(emma.refusing(withData(emmaStep(9),
                                 withAttribute(emmaStep(9).data, "/fundingRequest/line[1]", "action", "a9"))) == "R12");
    CHECK(emma.refusing(withData(
              emmaStep(9), withAttribute(emmaStep(9).data, "/fundingRequest/line[1]", "category", "staff"))) == "R12");
    CHECK(emma.refusing(emmaStep(9)) == "accepted");
}

TEST_CASE("R13: a request must declare that the expense is not funded elsewhere", "[workflow][rules]") {
    Emma emma(8);
    CHECK(emma.refusing(withData(emmaStep(9), withAttribute(emmaStep(9).data, "/fundingRequest/noDoubleSubsidy",
                                                            "declared", "false"))) == "R13");
    CHECK(emma.refusing(withData(emmaStep(9), withoutNodes(emmaStep(9).data, "/fundingRequest/noDoubleSubsidy"))) ==
          "R13");
    CHECK(emma.refusing(emmaStep(9)) == "accepted");
}

TEST_CASE("R14: a request above the ceiling of 10 000 EUR is refused", "[workflow][rules]") {
    Emma emma(8);
    CHECK(emma.refusing(withData(
              emmaStep(9), withAttribute(emmaStep(9).data, "/fundingRequest/line[1]", "amount", "924001"))) == "R14");
    CHECK(emma.refusing(withData(emmaStep(9), withAttribute(emmaStep(9).data, "/fundingRequest/line[1]", "amount",
                                                            "924000"))) == "accepted");
}

TEST_CASE("R14: an approval above the stronger-validation threshold needs a countersignature", "[workflow][rules]") {
    Emma emma(8);
    const auto big = withAttribute(emmaStep(9).data, "/fundingRequest/line[1]", "amount", "600000");
    emma.pilot.fire(emma.id, withData(emmaStep(9), big));
    auto approval = withAttribute(emmaStep(10).data, "/budgetDecision", "amount", "676000");
    CHECK(emma.refusing(withData(emmaStep(10), approval)) == "R14");
    // A bare name is no second validation any more: the countersignature is a second
    // coordinator's XML signature (tests/rules_money_test.cpp, "… (R14)").
    approval = withAttribute(approval, "/budgetDecision", "countersignedBy", "Présidente du comité");
    CHECK(emma.refusing(withData(emmaStep(10), approval)) == "R14");
}

TEST_CASE("R15: the single form is formalised by the designated case manager and names a valid payee",
          "[workflow][rules]") {
    Emma emma(8);
    CHECK(emma.refusing(withData(
              emmaStep(9), withAttribute(emmaStep(9).data, "/fundingRequest/caseManager", "partner", "p3"))) == "R15");
    CHECK(emma.refusing(withData(emmaStep(9), withAttribute(emmaStep(9).data, "/fundingRequest/payee", "iban",
                                                            "BE71096123456768"))) == "R15");
    // Submitted without a payee: accepted, but it cannot be approved until completed.
    emma.pilot.fire(emma.id, withData(emmaStep(9), withoutNodes(emmaStep(9).data, "/fundingRequest/payee")));
    CHECK(emma.refusing(emmaStep(10)) == "R15");
}

TEST_CASE("R16: only the coordinator decides, an approval is signed by them, returns and rejections give reasons",
          "[workflow][rules]") {
    Emma emma(9);
    CHECK(emma.refusing(as(emmaStep(10), "case_manager:Julie Maes")) == "R16");
    CHECK(emma.refusing(signedBy(emmaStep(10), "")) == "R16");                         // an unsigned approval
    CHECK(emma.refusing(signedBy(emmaStep(10), "coordinator:Anne Mertens")) == "R16"); // not the one it names
    const std::string returned =
        R"(<budgetDecision request="fr1" date="2026-02-16" outcome="returned" by="Marc Lambert"/>)";
    CHECK(emma.refusing({"budget.returned", "coordinator:Marc Lambert", "2026-02-16", "", "", returned, ""}) == "R16");
    const std::string withReason =
        R"(<budgetDecision request="fr1" date="2026-02-16" outcome="returned" by="Marc Lambert"><reason>Devis manquant.</reason></budgetDecision>)";
    CHECK(emma.refusing({"budget.returned", "coordinator:Marc Lambert", "2026-02-16", "", "", withReason, ""}) ==
          "accepted");
    CHECK(emma.state() == "dossier-in-preparation");
}

TEST_CASE("R16: payments follow the approved decision and never exceed it", "[workflow][rules]") {
    Emma emma(10);
    CHECK(emma.refusing(withData(emmaStep(11), withAttribute(emmaStep(11).data, "/payment", "amount", "156001"))) ==
          "R18");
    CHECK(emma.refusing(as(emmaStep(11), "case_manager:Julie Maes")) == "R16");
    emma.pilot.fire(emma.id, withData(emmaStep(11), withAttribute(emmaStep(11).data, "/payment", "amount", "100000")));
    CHECK(emma.state() == "paying");
    // The same id again would replace the recorded payment: payment.recorded only adds one.
    CHECK_THROWS_AS(emma.pilot.fire(emma.id, withData(emmaStep(11),
                                                      withAttribute(emmaStep(11).data, "/payment", "amount", "56000"))),
                    DataOutOfScope);
    auto second =
        withAttribute(withAttribute(emmaStep(11).data, "/payment", "amount", "56000"), "/payment", "id", "pay2");
    CHECK(emma.refusing(withData(emmaStep(11), second)) == "accepted");
    CHECK(emma.state() == "follow-up");
    const auto envelope = emma.pilot.process().envelope(2026);
    CHECK(envelope.paid == 156000);
    CHECK(envelope.committed == 156000);
}

TEST_CASE("R17: an aid is renewed by a new request referring to an approved one", "[workflow][rules]") {
    Emma emma(12);
    auto renewal = withAttribute(withAttribute(emmaStep(9).data, "/fundingRequest", "id", "fr2"), "/fundingRequest",
                                 "date", "2026-09-10");
    CHECK(refusedRules([&] {
              emma.pilot.fire(emma.id, "renewal.requested",
                              withAttribute(renewal, "/fundingRequest", "renewalOf", "fr9"), "case_manager:Julie Maes",
                              "2026-09-10");
          }) == "R17");
    CHECK(refusedRules([&] {
              emma.pilot.fire(emma.id, "renewal.requested",
                              withAttribute(renewal, "/fundingRequest", "renewalOf", "fr1"), "case_manager:Julie Maes",
                              "2026-09-10");
          }) == "accepted");
    CHECK(emma.state() == "dossier-in-preparation");
}

TEST_CASE("R18: an approval that would overspend the yearly envelope is refused", "[workflow][rules]") {
    Pilot pilot;
    // Other situations have taken 59 000 EUR of the 60 000 EUR envelope; Emma asks 1 560 EUR.
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 9);
    auto db = caseflow::store::Database::open(pilot.databasePath(), caseflow::store::OpenMode::MustExist);
    db.exec("INSERT INTO funding_requests(situation_id, request_id, state, year, requested_cents, approved_cents) "
            "VALUES (99, 'x', 'approved', 2026, 5900000, 5900000)");
    CHECK(refusedRules([&] { pilot.fire(id, emmaStep(10)); }) == "R18");
    db.exec("UPDATE funding_requests SET approved_cents = 5844000 WHERE situation_id = 99");
    CHECK(refusedRules([&] { pilot.fire(id, emmaStep(10)); }) == "accepted");
    CHECK(pilot.process().envelope(2026).remaining() == 0);
}

TEST_CASE("a refusal reports every failed rule, each in the user's language", "[workflow][rules][i18n]") {
    Emma emma(1);
    emma.pilot.process().setLanguage("nl");
    try {
        emma.pilot.fire(emma.id, emmaStep(3));
        FAIL("accepted a concertation with two partners and no consent");
    } catch (const RuleRefusal& refusal) {
        std::set<std::string> ids;
        for (const auto& v : refusal.violations()) ids.insert(v.ruleId);
        CHECK(ids == std::set<std::string>{"R5", "R9"});
        CHECK_THAT(refusal.violations().front().message, Catch::Contains("minstens 3 aanwezige partners"));
        // The first line too: which event, in which state (named as users know it), by which rules.
        CHECK_THAT(std::string(refusal.what()), Catch::StartsWith("gebeurtenis 'concertation.held' wordt geweigerd") &&
                                                    Catch::EndsWith("door R5, R9"));
    }
    emma.pilot.process().setLanguage("fr");
    try {
        emma.pilot.fire(emma.id, emmaStep(3));
    } catch (const RuleRefusal& refusal) {
        CHECK_THAT(refusal.violations().front().message, Catch::Contains("au moins 3 partenaires"));
        CHECK_THAT(std::string(refusal.what()), Catch::StartsWith("l'événement « concertation.held » est refusé"));
    }
}

TEST_CASE("a refused event changes nothing that is stored", "[workflow][rules]") {
    Emma emma(2);
    const auto before = emma.pilot.process().situation(emma.id);
    CHECK(emma.refusing(emmaStep(3)) == "R5");
    const auto after = emma.pilot.process().situation(emma.id);
    CHECK(after.version == before.version);
    CHECK(after.document == before.document);
    CHECK(emma.pilot.process().history(emma.id).size() == 3);
}
