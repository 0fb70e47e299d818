// The money rules at their edges (issue 13): one envelope rule for every reader (R18), the
// under-spending shown early, deadlines a review answers, money that can be closed, and the
// countersignature above the threshold (R14). Each case runs the real engine over a real
// SQLite pilot database, with the Namur settings changed only where the case needs it.
#include "model/Clock.h"
#include "process/CommitteeReport.h"
#include "process/SigningDesk.h"
#include "render/DocumentRenderer.h"
#include "support/Pilot.h"

#include <catch2/catch.hpp>

namespace caseflow::test {
namespace {

// The Namur settings with R18's rule and the 2026 envelope chosen by the case.
std::filesystem::path namurNetworkWith(const ScratchDir& dir, const std::string& commitmentDate,
                                       const std::string& envelope2026) {
    std::string network = readFile(namurSamples() / "network.xml");
    network = withAttribute(network, "/network/envelopes", "commitmentDate", commitmentDate);
    network = withAttribute(network, "/network/envelopes/envelope[@year = '2026']", "amount", envelope2026);
    const auto file = dir / "network.xml";
    writeFile(file, network);
    return file;
}

// Emma's dossier submitted on `submittedOn` (request dated that day), ready for the budget check.
std::int64_t emmaInBudgetCheck(Pilot& pilot, const std::string& submittedOn) {
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 8);
    ScenarioStep submit = emmaStep(9);
    submit.date = submittedOn;
    submit.data = withAttribute(submit.data, "/fundingRequest | /fundingRequest/noDoubleSubsidy", "date", submittedOn);
    pilot.fire(id, submit);
    return id;
}

// A first Emma approved in February 2026 (1 560 €), then a second request dated 21 December
// 2026 under budget check: the second situation.
std::int64_t decemberRequestAfterOneApproval(Pilot& pilot) {
    const auto first = pilot.registerSample(kEmma);
    pilot.runSteps(first, kEmma, 1, 10);
    return emmaInBudgetCheck(pilot, "2026-12-21");
}

// Emma's approval (step 10) decided on `decidedOn`.
ScenarioStep emmaApprovalOn(const std::string& decidedOn) {
    ScenarioStep approve = emmaStep(10);
    approve.date = decidedOn;
    approve.data = withAttribute(approve.data, "/budgetDecision", "date", decidedOn);
    return approve;
}

} // namespace

TEST_CASE("a request of 21 December approved on 5 January is booked in one year only (R18)", "[fast]") {
    // The samples' rule: an approval commits the envelope of the year it is decided in, so a
    // year once over takes no new commitment. 2026 holds 2 000 €, of which Emma's first
    // approval (1 560 €) leaves 440 €; the second request of 1 560 € is dated 21 December and
    // approved on 5 January: it must land in 2027, and only there, for every reader.
    ScratchDir dir;
    Pilot pilot(namurNetworkWith(dir, "decision-date", "200000"), projectDir() / "workflows/funding.scxml");
    const auto december = decemberRequestAfterOneApproval(pilot);
    pilot.fire(december, emmaApprovalOn("2027-01-05"));
    FundingProcess& process = pilot.process();
    CHECK(pilot.state(december) == "paying");

    CHECK(process.envelope(2026).committed == 156000);
    CHECK(process.envelope(2026).remaining() == 44000);
    CHECK(process.envelope(2027).committed == 156000);
    for (const auto& request : process.fundingRequests())
        if (request.situationId == december) CHECK(request.year == 2027);

    const auto ledger = render::EnvelopeLedger::build(process.situations(), process.network());
    const auto after = ledger->after(december, 1);
    REQUIRE(after);
    CHECK(after->year == 2027);
    CHECK(after->remaining() == 6000000 - 156000);

    CHECK(computeCommitteeFigures(process, 2026, Date::parseOrThrow("2026-12-31", "asOf")).approved == 156000);
    CHECK(computeCommitteeFigures(process, 2027, Date::parseOrThrow("2027-12-31", "asOf")).approved == 156000);
    // The finance tables are what a replay of the log gives.
    CHECK(process.projectionDrift().empty());
}

TEST_CASE("with the request-date rule a January approval of a December request counts in the request's year, "
          "for the guard and for every reader (R18)",
          "[fast]") {
    ScratchDir dir;
    SECTION("the closed year has room: the approval is booked there, and the documents and report agree") {
        Pilot pilot(namurNetworkWith(dir, "request-date", "400000"), projectDir() / "workflows/funding.scxml");
        const auto december = decemberRequestAfterOneApproval(pilot);
        pilot.fire(december, emmaApprovalOn("2027-01-05"));
        FundingProcess& process = pilot.process();
        CHECK(process.envelope(2026).committed == 312000);
        CHECK(process.envelope(2027).committed == 0);
        const auto after = render::EnvelopeLedger::build(process.situations(), process.network())->after(december, 1);
        REQUIRE(after);
        CHECK(after->year == 2026);
        CHECK(after->remaining() == 400000 - 312000);
        CHECK(computeCommitteeFigures(process, 2026, Date::parseOrThrow("2027-01-31", "asOf")).approved == 312000);
        CHECK(computeCommitteeFigures(process, 2027, Date::parseOrThrow("2027-01-31", "asOf")).approved == 0);
    }
    SECTION("the closed year is spent: the approval is refused with R18 and nothing goes below zero") {
        Pilot pilot(namurNetworkWith(dir, "request-date", "200000"), projectDir() / "workflows/funding.scxml");
        const auto december = decemberRequestAfterOneApproval(pilot);
        CHECK(refusedRules([&] { pilot.fire(december, emmaApprovalOn("2027-01-05")); }) == "R18");
        CHECK(pilot.process().envelope(2026).remaining() == 44000);
        CHECK(pilot.state(december) == "budget-check");
    }
}

TEST_CASE("the envelope shows how much of the year has passed against what is committed and paid, and warns "
          "past the network's threshold (R18)",
          "[fast]") {
    Pilot pilot;
    const auto emma = pilot.registerSample(kEmma);
    pilot.runSteps(emma, kEmma, 1, 11); // 1 560 € approved and paid out of 60 000 €
    const std::string db = pilot.databasePath().string();
    const auto envelopeOn = [&](const std::string& day, const std::vector<std::string>& more) {
        std::vector<std::string> arguments = {"envelope", "--year", "2026", "--db", db};
        arguments.insert(arguments.end(), more.begin(), more.end());
        return runCli(arguments, "", {{"CASEFLOW_TODAY", day}});
    };

    // 30 September: 273 of 365 days (74.7 %) against 2.6 % committed, 15 points allowed.
    const auto late = envelopeOn("2026-09-30", {"--json"});
    INFO(late.out << late.err);
    REQUIRE(late.exitCode == 0);
    CHECK(late.out.find(R"("elapsedPermille": 747)") != std::string::npos);
    CHECK(late.out.find(R"("committedPermille": 26)") != std::string::npos);
    CHECK(late.out.find(R"("paidPermille": 26)") != std::string::npos);
    CHECK(late.out.find(R"("warning": true)") != std::string::npos);
    const auto lateText = envelopeOn("2026-09-30", {"--lang", "fr"});
    CHECK(lateText.out.find(
              "74,7\u00a0% de l'année est écoulé ; 2,6\u00a0% de l'enveloppe est engagé, 2,6\u00a0% payé.") !=
          std::string::npos);
    CHECK(lateText.out.find(
              "Sous-consommation (R18) : les engagements sont en retard sur l'année de plus de 15 points.") !=
          std::string::npos);

    // 31 January: 8.4 % of the year against 2.6 % committed is within the 15 points.
    const auto early = envelopeOn("2026-01-31", {});
    CHECK(early.out.find("8.4% of the year has passed; 2.6% of the envelope is committed, 2.6% paid.") !=
          std::string::npos);
    CHECK(early.out.find("Under-spending") == std::string::npos);
}

TEST_CASE("a review held clears the follow-up deadline it answers, in `due` and in the committee report "
          "(deadlines)",
          "[fast]") {
    Pilot pilot;
    const auto emma = pilot.registerSample(kEmma);
    pilot.runSteps(emma, kEmma, 1, 11); // paid: in follow-up, the follow-up meeting of 7 September pending
    FundingProcess& process = pilot.process();
    const auto followUpsOf = [&](const Date& day) {
        int found = 0;
        for (const auto& deadline : process.due(day))
            if (deadline.situationId == emma && deadline.event == "followup.due") ++found;
        return found;
    };
    const Date october = Date::parseOrThrow("2026-10-01", "day");
    CHECK(followUpsOf(october) == 1);
    // The follow-up meeting of 7 September and the review due six months after the payment.
    CHECK(computeCommitteeFigures(process, 2026, october).followUpsOverdue == 2);

    pilot.runSteps(emma, kEmma, 12, 12); // the review of 7 September
    CHECK(followUpsOf(october) == 0);
    CHECK(computeCommitteeFigures(process, 2026, october).followUpsOverdue == 0);
    // The next review is what the situation waits for now, and it is not overdue.
    const auto due = process.due(Date::parseOrThrow("2027-03-31", "day"));
    REQUIRE(due.size() == 1);
    CHECK(due.front().event == "review.due");
    CHECK(due.front().due == "2027-03-07");
    CHECK(process.projectionDrift().empty());
}

namespace {

// Emma approved (1 560 €) and paid 1 000 € of it on 2 March: in `paying`, 560 € still committed.
std::int64_t emmaPaidInPart(Pilot& pilot) {
    const auto emma = pilot.registerSample(kEmma);
    pilot.runSteps(emma, kEmma, 1, 10);
    pilot.fire(emma, withData(emmaStep(11), withAttribute(emmaStep(11).data, "/payment", "amount", "100000")));
    return emma;
}

std::string grantClosure(const std::string& finalAmount) {
    return R"(<fundingClosure request="fr1" date="2026-06-30" outcome="closed" finalAmount=")" + finalAmount +
           R"(" by="Marc Lambert"><reason>La psychomotricité s'est arrêtée après 12 séances : Emma va mieux.</reason></fundingClosure>)";
}

std::string requestStateOf(FundingProcess& process, std::int64_t situation) {
    for (const auto& request : process.fundingRequests())
        if (request.situationId == situation) return request.state;
    return "";
}

} // namespace

TEST_CASE("a grant closed with a final amount below the approved one gives the rest back to the envelope and "
          "leaves paying (R18)",
          "[fast]") {
    Pilot pilot;
    const auto emma = emmaPaidInPart(pilot);
    FundingProcess& process = pilot.process();
    CHECK(pilot.state(emma) == "paying");
    CHECK(process.envelope(2026).committed == 156000);

    const std::string coordinator = "coordinator:Marc Lambert";
    CHECK(refusedRules([&] { pilot.fire(emma, "grant.closed", grantClosure("120000"), coordinator, "2026-06-30"); }) ==
          "R18");
    CHECK(refusedRules([&] { pilot.fire(emma, "grant.closed", grantClosure("156000"), coordinator, "2026-06-30"); }) ==
          "R18");
    CHECK(refusedRules([&] {
              pilot.fire(emma, "grant.closed", grantClosure("100000"), "finance:Nathalie Piron", "2026-06-30");
          }) == "R16");
    CHECK(process.envelope(2026).committed == 156000);

    pilot.fire(emma, "grant.closed", grantClosure("100000"), coordinator, "2026-06-30");
    CHECK(pilot.state(emma) == "follow-up");
    CHECK(process.envelope(2026).committed == 100000);
    CHECK(process.envelope(2026).paid == 100000);
    CHECK(requestStateOf(process, emma) == "closed");
    CHECK(computeCommitteeFigures(process, 2026, Date::parseOrThrow("2026-07-31", "asOf")).approved == 100000);
    // Before the closure the report as of that day still sees the whole grant committed.
    CHECK(computeCommitteeFigures(process, 2026, Date::parseOrThrow("2026-06-01", "asOf")).approved == 156000);
    CHECK(process.projectionDrift().empty());
}

TEST_CASE("a request withdrawn while in budget check commits nothing and the plan goes on (R16)", "[fast]") {
    Pilot pilot;
    const auto emma = pilot.registerSample(kEmma);
    pilot.runSteps(emma, kEmma, 1, 9);
    const std::string withdrawal =
        R"(<fundingClosure request="fr1" date="2026-02-12" outcome="withdrawn" by="Julie Maes">)"
        R"(<reason>La mutuelle rembourse finalement la psychomotricité.</reason></fundingClosure>)";
    CHECK(refusedRules([&] {
              pilot.fire(emma, "request.withdrawn", withdrawal, "finance:Nathalie Piron", "2026-02-12");
          }) == "R16");
    pilot.fire(emma, "request.withdrawn", withdrawal, "case_manager:Julie Maes", "2026-02-12");
    FundingProcess& process = pilot.process();
    CHECK(pilot.state(emma) == "follow-up");
    CHECK(requestStateOf(process, emma) == "withdrawn");
    CHECK(process.envelope(2026).committed == 0);
    for (const auto& deadline : process.due(Date::parseOrThrow("2026-12-31", "day")))
        CHECK(deadline.event != "budget-check.overdue");
    CHECK(process.projectionDrift().empty());
}

TEST_CASE("a situation can be closed from any phase with its reason, and what a grant paid in part still "
          "committed goes back to the envelope (R18)",
          "[fast]") {
    Pilot pilot;
    const std::string noReason = R"(<closure date="2026-06-30" reason="other"/>)";
    const std::string moved =
        R"(<closure date="2026-06-30" reason="moved-away">La famille s'installe à Liège.</closure>)";
    SECTION("while paying: the grant is closed at what was paid") {
        const auto emma = emmaPaidInPart(pilot);
        CHECK(refusedRules([&] {
                  pilot.fire(emma, "situation.closed", noReason, "case_manager:Julie Maes", "2026-06-30");
              }) == "R18");
        pilot.fire(emma, "situation.closed", moved, "case_manager:Julie Maes", "2026-06-30");
        CHECK(pilot.state(emma) == "closed");
        CHECK(pilot.process().envelope(2026).committed == 100000);
        CHECK(requestStateOf(pilot.process(), emma) == "closed");
        CHECK(pilot.process().projectionDrift().empty());
    }
    SECTION("under budget check: the request is withdrawn") {
        const auto emma = pilot.registerSample(kEmma);
        pilot.runSteps(emma, kEmma, 1, 9);
        pilot.fire(emma, "situation.closed", moved, "case_manager:Julie Maes", "2026-06-30");
        CHECK(pilot.state(emma) == "closed");
        CHECK(requestStateOf(pilot.process(), emma) == "withdrawn");
        CHECK(pilot.process().due(Date::parseOrThrow("2027-12-31", "day")).empty());
    }
    SECTION("with the plan agreed") {
        const auto emma = pilot.registerSample(kEmma);
        pilot.runSteps(emma, kEmma, 1, 6);
        pilot.fire(emma, "situation.closed", moved, "case_manager:Julie Maes", "2026-06-30");
        CHECK(pilot.state(emma) == "closed");
    }
}

namespace {

// Emma's dossier asking 6 000 € (above the 5 000 € stronger-validation threshold, under the
// 10 000 € ceiling), under budget check; the approval of it decided by Marc Lambert.
struct LargeApproval {
    Pilot pilot;
    std::int64_t id = 0;
    std::string decision;
    LargeApproval() {
        id = pilot.registerSample(kEmma);
        pilot.runSteps(id, kEmma, 1, 8);
        std::string request = withAttribute(emmaStep(9).data, "/fundingRequest/line", "amount", "300000");
        pilot.fire(id, withData(emmaStep(9), request));
        decision = withAttribute(emmaStep(10).data, "/budgetDecision", "amount", "600000");
    }
    // The decision signed by Marc Lambert and recorded as budget.approved.
    FireResult approve(const std::string& decisionXml) {
        FixedBusinessDate today("2026-02-16");
        return SigningDesk(pilot.process())
            .signDecision(id, decisionXml, "decision", pilot.signers().keyFor("coordinator:Marc Lambert"),
                          Actor::parse("coordinator:Marc Lambert"));
    }
    std::string countersignedBy(const std::string& signer) {
        FixedBusinessDate today("2026-02-16");
        return SigningDesk(pilot.process())
            .countersignDecision(id, decision, "decision", pilot.signers().keyFor(signer));
    }
};

} // namespace

TEST_CASE("above the threshold an approval needs a second coordinator's cryptographic countersignature, and a "
          "bare countersignedBy no longer does (R14)",
          "[signature]") {
    LargeApproval large;
    CHECK(refusedRules([&] { large.approve(large.decision); }) == "R14");
    CHECK(refusedRules([&] {
              large.approve(withAttribute(large.decision, "/budgetDecision", "countersignedBy", "Sophie Dumont"));
          }) == "R14");
    CHECK(large.pilot.state(large.id) == "budget-check");

    large.approve(large.countersignedBy("coordinator:Sophie Dumont"));
    CHECK(large.pilot.state(large.id) == "paying");
    CHECK(large.pilot.process().envelope(2026).committed == 600000);
    const std::string stored = large.pilot.process().situation(large.id).document;
    CHECK(stored.find("<countersignature by=\"Sophie Dumont\"") != std::string::npos);
}

TEST_CASE("the same coordinator signing and countersigning a decision is refused with R14", "[signature]") {
    LargeApproval large;
    try {
        large.approve(large.countersignedBy("coordinator:Marc Lambert"));
        FAIL("the same person twice was accepted");
    } catch (const RuleRefusal& refusal) {
        REQUIRE(refusal.violations().size() == 1);
        CHECK(refusal.violations().front().ruleId == "R14");
        CHECK(refusal.violations().front().message ==
              "The countersignature must be another coordinator's than the one who signs the decision.");
    }
    CHECK(large.pilot.state(large.id) == "budget-check");
}

TEST_CASE("a countersignature by someone who is not a coordinator, or over another decision, is refused with R14",
          "[signature]") {
    LargeApproval large;
    CHECK(refusedRules([&] { large.approve(large.countersignedBy("pedopsychiatrist:Dr Hélène Marchal")); }) == "R14");
    // Countersigned for 6 000 €, then the amount changed to 5 500 € before the decision is signed.
    const std::string changed =
        withAttribute(large.countersignedBy("coordinator:Sophie Dumont"), "/budgetDecision", "amount", "550000");
    CHECK(refusedRules([&] { large.approve(changed); }) == "R14");
    CHECK(large.pilot.state(large.id) == "budget-check");
}

} // namespace caseflow::test
