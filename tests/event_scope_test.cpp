// Specification of event-scoped data (issue 11, parts 1-3): each event takes only the data its
// workflow declares, registration takes phase 1 only, and money enters only through its own
// doors (a signed budget.approved, payment.recorded dated between its decision and today,
// canonical cents, one year rule). Real pilot databases, the real CLI and the real server.
#include "core/Errors.h"
#include "model/Situation.h"
#include "process/CommitteeReport.h"
#include "process/EventScope.h"
#include "service/ServiceFixture.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "support/Pilot.h"
#include "workflow/StateChart.h"

#include <catch2/catch.hpp>

#include <map>
#include <set>

using namespace caseflow;
using namespace caseflow::test;

namespace {

// One schema-valid data element per part an event can carry, and per attribute value an
// event's meaning depends on ("budgetDecision/approved").
std::map<std::string, std::string> dataVariants() {
    const std::string decision = R"(<budgetDecision request="fr1" date="2026-02-16" amount="100" by="M" outcome=")";
    const std::map<std::string, std::string> variants = {
        {"redirection", R"(<redirection date="2026-01-07" reason="emergency"/>)"},
        {"consent", R"(<consent type="informed" given="true" date="2026-01-07" recordedBy="T"/>)"},
        {"partner", R"(<partner id="p9" sector="other"><organisation>O</organisation></partner>)"},
        {"request", R"(<request date="2026-01-07" requestedBy="p1"><reason>R</reason></request>)"},
        {"concertation",
         R"(<concertation id="c9" date="2026-01-07"><participant partner="p1" role="other" attendance="present"/><youthParticipation invited="true"/></concertation>)"},
        {"carePlan",
         R"(<carePlan agreedOn="2026-01-07"><pedopsychiatrist partner="p1"/><objectives><objective id="o1">O</objective></objectives><actions><action id="a1" responsible="p1" start="2026-01-07">A</action></actions></carePlan>)"},
        {"financialNeed/true", R"(<financialNeed date="2026-01-07" needed="true"/>)"},
        {"financialNeed/false", R"(<financialNeed date="2026-01-07" needed="false"/>)"},
        {"fundingRequest",
         R"(<fundingRequest id="fr9" date="2026-01-07"><line category="therapy" action="a1" amount="100">L</line></fundingRequest>)"},
        {"fundingRequest/renewal",
         R"(<fundingRequest id="fr9" date="2026-01-07" renewalOf="fr1"><line category="therapy" action="a1" amount="100">L</line></fundingRequest>)"},
        {"budgetDecision/approved", decision + R"(approved"/>)"},
        {"budgetDecision/returned", decision + R"(returned"><reason>R</reason></budgetDecision>)"},
        {"budgetDecision/rejected", decision + R"(rejected"><reason>R</reason></budgetDecision>)"},
        {"payment", R"(<payment id="pay9" request="fr1" date="2026-01-07" amount="100" reference="X"/>)"},
        {"fundingClosure/closed",
         R"(<fundingClosure request="fr1" date="2026-01-07" outcome="closed" finalAmount="0" by="M"><reason>R</reason></fundingClosure>)"},
        {"fundingClosure/withdrawn",
         R"(<fundingClosure request="fr1" date="2026-01-07" outcome="withdrawn" by="M"><reason>R</reason></fundingClosure>)"},
        {"review", R"(<review date="2026-01-07" outcome="continue"/>)"},
        {"closure", R"(<closure date="2026-01-07" reason="other"/>)"},
        // Issue 13's corrections: one element, told apart by kind.
        {"correction/moved",
         R"(<correction id="k9" date="2026-01-07" kind="moved"><postalCode>5100</postalCode><municipality>Jambes</municipality></correction>)"},
        {"correction/placement-changed",
         R"(<correction id="k9" date="2026-01-07" kind="placement-changed"><environment>institution</environment></correction>)"},
        {"correction/language-changed",
         R"(<correction id="k9" date="2026-01-07" kind="language-changed"><language>nl</language></correction>)"},
        {"correction/registration-corrected",
         R"(<correction id="k9" date="2026-01-07" kind="registration-corrected"><givenName>E</givenName><reason>R</reason></correction>)"},
    };
    // Every element an event can carry per the schema has at least one variant here.
    for (const auto& part : situationPartOrder()) {
        if (eventPartKind(part) == PartKind::None) continue;
        const bool covered = std::any_of(variants.begin(), variants.end(), [&](const auto& variant) {
            return variant.first == part || variant.first.rfind(part + "/", 0) == 0;
        });
        INFO(part);
        CHECK(covered);
    }
    return variants;
}

// The specification of funding.scxml's scopes, written independently of the chart: which
// variant each event takes. Every pair not listed must be refused.
const std::set<std::pair<std::string, std::string>>& acceptedPairs() {
    static const std::set<std::pair<std::string, std::string>> pairs = {
        {"consent.recorded", "consent"},
        {"partner.added", "partner"},
        {"concertation.requested", "request"},
        {"concertation.held", "concertation"},
        {"plan.agreed", "carePlan"},
        {"plan.signed", "carePlan"},
        {"plan.revised", "carePlan"},
        {"need.identified", "financialNeed/true"},
        {"need.none", "financialNeed/false"},
        {"dossier.updated", "fundingRequest"},
        {"dossier.updated", "fundingRequest/renewal"},
        {"dossier.submitted", "fundingRequest"},
        {"dossier.submitted", "fundingRequest/renewal"},
        {"renewal.requested", "fundingRequest/renewal"},
        {"budget.approved", "budgetDecision/approved"},
        {"budget.returned", "budgetDecision/returned"},
        {"budget.rejected", "budgetDecision/rejected"},
        {"payment.recorded", "payment"},
        {"review.held", "review"},
        {"situation.closed", "closure"},
        {"grant.closed", "fundingClosure/closed"},
        {"request.withdrawn", "fundingClosure/withdrawn"},
        {"youth.moved", "correction/moved"},
        {"youth.placement-changed", "correction/placement-changed"},
        {"family.language-changed", "correction/language-changed"},
        {"registration.corrected", "correction/registration-corrected"},
    };
    return pairs;
}

// Emma's situation driven through her scenario until it is in `state`.
std::int64_t emmaIn(Pilot& pilot, const std::string& state) {
    const auto id = pilot.registerSample(kEmma);
    const auto steps = scenarioSteps(kEmma);
    for (std::size_t n = 1; n <= steps.size() && pilot.state(id) != state; ++n)
        if (!steps[n - 1].refused()) pilot.fire(id, steps[n - 1]);
    REQUIRE(pilot.state(id) == state);
    return id;
}

std::int64_t storedEvents(Pilot& pilot) {
    // A connection of its own: the process keeps its database to itself.
    auto db = store::Database::open(pilot.databasePath(), store::OpenMode::MustExist);
    auto count = db.prepare("SELECT count(*) FROM events WHERE situation_id > 0"); // not the settings stream
    count.step();
    return count.columnInt(0);
}

std::string jsonEvent(const std::string& event, const std::string& data) {
    return R"({"event": ")" + event + R"(", "data": )" + http::jsonString(data) + "}";
}

} // namespace

TEST_CASE("every event of funding.scxml takes exactly the data elements it declares, and nothing else",
          "[workflow][scope]") {
    const auto variants = dataVariants();
    const auto chart = workflow::StateChart::load(projectDir() / "workflows/funding.scxml");
    const auto events = chart->eventNames();
    std::size_t pairs = 0, accepted = 0;
    for (const auto& event : events) {
        // A fresh situation per event: an accepted pair may be recorded, and must not change
        // what the next pair meets.
        Pilot pilot;
        const auto id = pilot.registerSample(kEmma);
        for (const auto& [variant, data] : variants) {
            ++pairs;
            INFO(event << " x " << variant);
            bool outOfScope = false;
            try {
                pilot.fire(id, event, data, "coordinator:Marc Lambert", "2026-01-07");
            } catch (const DataOutOfScope& refusal) {
                outOfScope = true;
                CHECK(refusal.event() == event);
                CHECK_THAT(refusal.what(),
                           Catch::Contains(event) &&
                               Catch::Contains("<" + xml::name(xml::root(xml::parseString(data, "d").get()))));
            } catch (const Error&) {
                // Past the scope check: the state or a guard decided, which is not this test's concern.
            }
            const bool expected = acceptedPairs().count({event, variant}) > 0;
            CHECK(outOfScope == !expected);
            if (!outOfScope) ++accepted;
        }
    }
    // The figures the issue's closing note gives.
    WARN("event x element matrix: " << events.size() << " events x " << variants.size() << " elements = " << pairs
                                    << " pairs, " << accepted << " accepted");
    CHECK(pairs == events.size() * variants.size());
    CHECK(accepted == acceptedPairs().size());
}

TEST_CASE("a payment riding on consent.recorded is refused before any guard runs, and nothing is stored",
          "[workflow][scope]") {
    Pilot pilot;
    const auto id = emmaIn(pilot, "budget-check");
    const auto before = storedEvents(pilot);
    const auto payment = R"(<payment id="pay1" request="fr1" date="2026-02-10" amount="9999999" reference="F"/>)";
    // A partner's token: the guards would not even be reached.
    CHECK_THROWS_AS(pilot.fire(id, "consent.recorded", payment, "partner:Julie Maes", "2026-02-10"), DataOutOfScope);
    CHECK(storedEvents(pilot) == before);
    CHECK(pilot.process().envelope(2026).paid == 0);
    CHECK(pilot.process().payments().empty());
}

TEST_CASE("an unsigned approval riding on partner.added is refused and commits nothing", "[workflow][scope]") {
    Pilot pilot;
    const auto id = emmaIn(pilot, "budget-check");
    const auto committed = pilot.process().envelope(2026).committed;
    const auto approval =
        R"(<budgetDecision request="fr1" date="2026-02-10" outcome="approved" amount="1000000" by="X"/>)";
    try {
        pilot.fire(id, "partner.added", approval, "case_manager:Julie Maes", "2026-02-10");
        FAIL("the approval was accepted");
    } catch (const DataOutOfScope& refusal) {
        CHECK(refusal.reason() == DataOutOfScope::Reason::OtherElement);
        CHECK_THAT(refusal.what(), Catch::Contains("partner.added") && Catch::Contains("<budgetDecision") &&
                                       Catch::Contains("<partner>"));
    }
    CHECK(pilot.process().envelope(2026).committed == committed);
    CHECK(pilot.state(id) == "budget-check");
}

TEST_CASE("budget.approved takes only an approval, and an event cannot replace what it does not own",
          "[workflow][scope]") {
    Pilot pilot;
    const auto id = emmaIn(pilot, "budget-check");
    const auto returned =
        R"(<budgetDecision request="fr1" date="2026-02-10" outcome="returned" by="X"><reason>R</reason></budgetDecision>)";
    try {
        pilot.fire(id, "budget.approved", returned, "coordinator:Marc Lambert", "2026-02-10");
        FAIL("accepted");
    } catch (const DataOutOfScope& refusal) {
        CHECK(refusal.reason() == DataOutOfScope::Reason::AttributeCondition);
        CHECK_THAT(refusal.what(), Catch::Contains("outcome=\"approved\""));
    }
    // partner.added adds a partner; it cannot rewrite p1 (the pedopsychiatrist who signs the plan).
    const auto p1 = R"(<partner id="p1" sector="other"><organisation>Someone else</organisation></partner>)";
    CHECK_THROWS_AS(pilot.fire(id, "partner.added", p1, "case_manager:Julie Maes", "2026-02-10"), DataOutOfScope);
}

TEST_CASE("a log holding a forged event fails verify, which names the event", "[workflow][scope][verify]") {
    Pilot pilot;
    const auto id = emmaIn(pilot, "budget-check");
    REQUIRE(pilot.process().verify().intact);
    // Written past the engine, hash chain and projection included: only the scope check sees it.
    const std::string forged =
        "<event type=\"consent.recorded\"><data><payment id=\"payX\" request=\"fr1\" "
        "date=\"2026-02-10\" amount=\"500000\" reference=\"F\"/></data><outcome "
        "configuration=\"process budget-check\" active=\"budget-check\" finished=\"false\"/></event>";
    const auto version = pilot.process().situation(id).version;
    auto db = store::Database::open(pilot.databasePath(), store::OpenMode::MustExist);
    store::EventStore(db).append({id, "consent.recorded", "partner:Forger", forged}, version,
                                 [&](store::Database&, const store::StoredEvent&) {});
    const auto report = pilot.process().verify();
    CHECK_FALSE(report.intact);
    // The projection was left alone, so it drifts too: the scope problem is one finding among others.
    std::string findings;
    for (const auto& problem : report.problems) findings += problem + "\n";
    CHECK_THAT(findings, Catch::Contains("situation " + std::to_string(id)) && Catch::Contains("consent.recorded") &&
                             Catch::Contains("<payment"));
    // The CLI says so too, with its error exit code.
    auto cli = runCli({"verify", "--db", pilot.databasePath().string()});
    CHECK(cli.exitCode == 1);
    CHECK_THAT(cli.out, Catch::Contains("BROKEN") && Catch::Contains("consent.recorded"));
}

TEST_CASE("a workflow declaring data for an unknown element is refused at load with the file and line",
          "[workflow][scope]") {
    const std::string chart =
        R"(<scxml xmlns="http://www.w3.org/2005/07/scxml" xmlns:cf="urn:caseflow:workflow:1" version="1.0">
  <cf:event name="go"><cf:takes element="paymnet" change="add"/></cf:event>
  <cf:event name="gone"><cf:takes element="payment" change="add"/></cf:event>
  <cf:event name="go.on"><cf:takes element="carePlan" change="add"/></cf:event>
  <state id="a"><transition event="go go.on" target="b"/></state>
  <final id="b"/>
</scxml>)";
    try {
        workflow::StateChart::loadString(chart, "scoped.scxml");
        FAIL("loaded");
    } catch (const InvalidInput& invalid) {
        const std::string all = invalid.what();
        CHECK_THAT(all, Catch::Contains("scoped.scxml:2: element 'paymnet' is not a part of the situation"));
        CHECK_THAT(all, Catch::Contains("scoped.scxml:4: <carePlan> is a single part"));
    }
    // Once the structure is sound, a declaration no transition takes is a typo too.
    const std::string typo =
        R"(<scxml xmlns="http://www.w3.org/2005/07/scxml" xmlns:cf="urn:caseflow:workflow:1" version="1.0">
  <cf:event name="go"><cf:takes element="payment" change="add"/></cf:event>
  <cf:event name="gone"><cf:takes element="payment" change="add"/></cf:event>
  <state id="a"><transition event="go" target="b"/></state>
  <final id="b"/>
</scxml>)";
    CHECK_THROWS_WITH(workflow::StateChart::loadString(typo, "typo.scxml"),
                      Catch::Contains("typo.scxml:3: event 'gone' is declared but no transition"));
}

TEST_CASE("an event that declares nothing takes no data", "[workflow][scope]") {
    Pilot pilot;
    const auto id = emmaIn(pilot, "follow-up");
    const auto review = R"(<review date="2026-03-02" outcome="continue"/>)";
    try {
        pilot.fire(id, "review.due", review, "coordinator:Marc Lambert", "2026-03-02");
        FAIL("accepted");
    } catch (const DataOutOfScope& refusal) {
        CHECK(refusal.reason() == DataOutOfScope::Reason::TakesNoData);
    }
}

TEST_CASE("data out of scope is exit 2 on the CLI, naming the event, the element and what it takes", "[cli][scope]") {
    Pilot pilot;
    const auto id = emmaIn(pilot, "budget-check");
    const auto payment = R"(<payment id="pay1" request="fr1" date="2026-02-10" amount="100" reference="F"/>)";
    auto result = runCli({"event", std::to_string(id), "consent.recorded", "--data", "-", "--as", "partner:Julie Maes",
                          "--db", pilot.databasePath().string()},
                         payment);
    CHECK(result.exitCode == 2);
    CHECK_THAT(result.err, Catch::Contains("consent.recorded") && Catch::Contains("<payment") &&
                               Catch::Contains("<consent> (add)"));
}

TEST_CASE("registration takes phase 1 only: a later part is refused naming the element, nothing stored",
          "[workflow][scope]") {
    Pilot pilot;
    const auto withApproval = withAttribute(sampleSituation(kEmma), "/situation", "openedOn",
                                            "2026-01-07"); // unchanged, to start from the sample
    std::string forged = withApproval;
    forged.insert(
        forged.find("</situation>"),
        R"(<budgetDecisions><budgetDecision request="fr1" date="2026-01-07" outcome="approved" amount="2000000" by="X"/></budgetDecisions>)"
        R"(<payments><payment id="pay1" request="fr1" date="2026-01-07" amount="2000000" reference="F"/></payments>)");
    try {
        pilot.process().registerSituation(forged, "forged.xml", Actor{"partner", "test"});
        FAIL("registered");
    } catch (const DataOutOfScope& refusal) {
        CHECK(refusal.reason() == DataOutOfScope::Reason::LaterPhase);
        CHECK(refusal.element() == "budgetDecisions");
        CHECK_THAT(refusal.what(), Catch::Contains("<budgetDecisions>"));
    }
    CHECK(storedEvents(pilot) == 0);
    for (const char* part : {"<redirection date=\"2026-01-07\" reason=\"emergency\"/>",
                             "<closure date=\"2026-01-07\" reason=\"other\"/>"}) {
        std::string later = sampleSituation(kEmma);
        // Both go where the schema puts them: redirection after emergency, closure last.
        if (std::string(part).find("redirection") != std::string::npos)
            later.insert(later.find("</emergency>") + 12, part);
        else
            later.insert(later.find("</situation>"), part);
        CHECK_THROWS_AS(pilot.process().registerSituation(later, "later.xml", Actor{"partner", "test"}),
                        DataOutOfScope);
    }
    // Every sample still registers.
    for (const auto& stem : sampleStems()) CHECK_NOTHROW(pilot.registerSample(stem));
}

TEST_CASE("registration of a later phase is exit 2 on the CLI and 422 over HTTP", "[cli][service][scope]") {
    std::string forged = sampleSituation(kEmma);
    forged.insert(
        forged.find("</situation>"),
        R"(<payments><payment id="pay1" request="fr1" date="2026-01-07" amount="2000000" reference="F"/></payments>)");
    Pilot pilot;
    auto cli = runCli({"situation", "new", "-", "--db", pilot.databasePath().string()}, forged);
    CHECK(cli.exitCode == 2);
    CHECK_THAT(cli.err, Catch::Contains("<payments>"));

    http::ServiceFixture service;
    const auto before = service.storedState();
    http::Response response = service.send({"POST",
                                            "/api/v1/situations",
                                            service.token("coordinator"),
                                            forged,
                                            "application/xml",
                                            {{"Accept-Language", "fr"}}});
    CHECK(response.status == 422);
    CHECK(response.json()->getValue<std::string>("type") == "urn:caseflow:problem:data-out-of-scope");
    CHECK(response.json()->getValue<std::string>("title") == "Données que cet événement n'accepte pas");
    CHECK_THAT(response.json()->getValue<std::string>("detail"), Catch::Contains("<payments>"));
    CHECK(service.storedState() == before);
}

TEST_CASE("over HTTP, a payment on consent.recorded is a translated 422 and nothing is stored", "[service][scope]") {
    http::ServiceFixture service;
    const auto before = service.storedState();
    const auto payment = R"(<payment id="payX" request="fr1" date="2026-05-01" amount="100" reference="F"/>)";
    http::Response response = service.post("/api/v1/situations/12/events", "partner",
                                           jsonEvent("consent.recorded", payment), {{"Accept-Language", "nl-BE"}});
    INFO(response.body);
    CHECK(response.status == 422);
    CHECK(response.json()->getValue<std::string>("type") == "urn:caseflow:problem:data-out-of-scope");
    CHECK(response.json()->getValue<std::string>("title") == "Gegevens die deze gebeurtenis niet aanvaardt");
    CHECK_THAT(response.json()->getValue<std::string>("detail"),
               Catch::Contains("consent.recorded") && Catch::Contains("<payment>") && Catch::Contains("aanvaardt"));
    CHECK(response.json()->getValue<std::string>("element") == "payment");
    CHECK(service.storedState() == before);
}

TEST_CASE("amounts are canonical cents: signs, leading zeros, spaces, exponents and decimals are refused as such",
          "[model][money]") {
    Pilot pilot;
    const auto id = emmaIn(pilot, "paying");
    for (const std::string amount : {"+100", "0100", "1e3", " 100", "100 ", "-5", "12.5", ""}) {
        INFO("amount '" << amount << "'");
        const auto payment = withAttribute(scenarioSteps(kEmma)[10].data, "/payment", "amount", amount);
        try {
            pilot.fire(id, "payment.recorded", payment, "finance:Nathalie Piron", "2026-03-02");
            FAIL("accepted");
        } catch (const InvalidInput& invalid) {
            CHECK_THAT(invalid.what(), Catch::Contains("is not canonical cents"));
        }
    }
    CHECK(pilot.process().payments().empty());
    CHECK(isCanonicalCents("0"));
    CHECK_FALSE(isCanonicalCents("007"));
}

TEST_CASE("a birth date after the registration date is refused", "[model][registration]") {
    Pilot pilot;
    const auto future = withText(sampleSituation(kEmma), "/situation/youth/birthDate", "2026-01-08");
    try {
        pilot.process().registerSituation(future, "future.xml", Actor{"partner", "test"});
        FAIL("registered");
    } catch (const RuleRefusal& refused) { // R1 since issue 13
        CHECK_THAT(refused.what(), Catch::Contains("2026-01-08") && Catch::Contains("after the registration date"));
        REQUIRE(refused.violations().size() == 1);
        CHECK(refused.violations()[0].ruleId == "R1");
    }
    CHECK(storedEvents(pilot) == 0);
}

TEST_CASE("a youth reference already registered is refused, naming the existing situation", "[registration][service]") {
    Pilot pilot;
    const auto first = pilot.registerSample(kEmma);
    try {
        pilot.process().registerSituation(sampleSituation(kEmma), "again.xml", Actor{"partner", "test"});
        FAIL("registered twice");
    } catch (const AlreadyRegistered& refusal) {
        CHECK(refusal.situationId() == first);
        CHECK_THAT(refusal.what(),
                   Catch::Contains("KIR-26-001") && Catch::Contains("situation " + std::to_string(first)));
    }
    CHECK(storedEvents(pilot) == 1);
    auto cli = runCli({"situation", "new", "-", "--db", pilot.databasePath().string()}, sampleSituation(kEmma));
    CHECK(cli.exitCode == 2);
    CHECK_THAT(cli.err, Catch::Contains("already registered as situation " + std::to_string(first)));

    http::ServiceFixture service;
    const auto response = service.send(
        {"POST", "/api/v1/situations", service.token("coordinator"), sampleSituation(kEmma), "application/xml", {}});
    CHECK(response.status == 409);
    CHECK(response.json()->getValue<std::int64_t>("situationId") == 1);
}

TEST_CASE("a payment is dated on or after the decision it pays and not after today", "[workflow][money]") {
    Pilot pilot;
    const auto id = emmaIn(pilot, "paying"); // approved on 2026-02-16
    const auto payment = scenarioSteps(kEmma)[10].data;
    for (const std::string date : {"1900-01-01", "2026-02-15"}) {
        INFO(date);
        CHECK(refusedRules([&] {
                  pilot.fire(id, "payment.recorded", withAttribute(payment, "/payment", "date", date),
                             "finance:Nathalie Piron", "2026-03-02");
              }) == "R16");
    }
    for (const std::string date : {"2099-12-31", "2026-03-03"}) {
        INFO(date);
        CHECK(refusedRules([&] {
                  pilot.fire(id, "payment.recorded", withAttribute(payment, "/payment", "date", date),
                             "finance:Nathalie Piron", "2026-03-02");
              }) == "R16");
    }
    CHECK(pilot.process().payments().empty());
    CHECK(refusedRules([&] {
              pilot.fire(id, "payment.recorded", withAttribute(payment, "/payment", "date", "2026-02-16"),
                         "finance:Nathalie Piron", "2026-03-02");
          }) == "accepted");
}

TEST_CASE("a payment counts in the year of its date in the envelope, the payments export and the report",
          "[workflow][money]") {
    Pilot pilot;
    const auto id = emmaIn(pilot, "paying"); // a 2026 request, approved in 2026
    const auto payment = withAttribute(scenarioSteps(kEmma)[10].data, "/payment", "date", "2027-01-05");
    pilot.fire(id, "payment.recorded", payment, "finance:Nathalie Piron", "2027-01-08");
    auto& process = pilot.process();
    CHECK(process.envelope(2026).paid == 0);
    CHECK(process.envelope(2027).paid == 156000);
    CHECK(process.envelope(2026).committed == 156000); // the commitment stays with its request's year
    CHECK(process.payments(2026).empty());
    REQUIRE(process.payments(2027).size() == 1);
    CHECK(computeCommitteeFigures(process, 2026, Date::parseOrThrow("2027-01-08", "d")).paid == 0);
    // The 2027 report counts the payment although the situation was opened in 2026.
    const auto figures2027 = computeCommitteeFigures(process, 2027, Date::parseOrThrow("2027-01-08", "d"));
    CHECK(figures2027.paid == 156000);
    CHECK(figures2027.months.front().paidCumulative == 156000);
}

TEST_CASE("a dossier event replaces only the request in preparation, never one already decided", "[workflow][scope]") {
    Pilot pilot;
    const std::string stem = "05-gembloux-turning-eighteen";
    const auto id = pilot.registerSample(stem);
    pilot.runSteps(id, stem, 1, 14); // fr1 approved and paid; the renewal fr2 in preparation
    REQUIRE(pilot.state(id) == "dossier-in-preparation");
    const auto steps = scenarioSteps(stem);
    const auto approvedBefore = pilot.process().envelope(2026).committed;
    // fr1's own form again, with bigger lines: it would rewrite a decided, paid request.
    const auto rewrite = withAttribute(steps[8].data, "/fundingRequest/line[1]", "amount", "900000");
    try {
        pilot.fire(id, "dossier.updated", rewrite, steps[13].actor, "2026-10-01");
        FAIL("accepted");
    } catch (const DataOutOfScope& refusal) {
        CHECK(refusal.reason() == DataOutOfScope::Reason::WouldReplace);
        CHECK_THAT(refusal.what(), Catch::Contains("'fr1'") && Catch::Contains("latest"));
    }
    CHECK(pilot.process().envelope(2026).committed == approvedBefore);
    // The request in preparation (the latest) is still updated as before.
    CHECK(refusedRules([&] { pilot.fire(id, "dossier.updated", steps[14].data, steps[14].actor, "2026-10-01"); }) ==
          "accepted");
}
