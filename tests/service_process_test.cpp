// Specification of the whole funding process over HTTP: a partner registers a situation, the
// partners, case manager and pedopsychiatrist take it through concertation, care plan and
// request form, the coordinator approves the budget and finance pays in two instalments,
// all through the real server on a loopback port, with the actors taken from the tokens.
#include "service/ServiceFixture.h"

#include <Poco/JSON/Array.h>

using caseflow::test::http::jsonString;
using caseflow::test::http::Request;
using caseflow::test::http::Response;
using caseflow::test::http::ServiceFixture;

namespace {

std::string roleOfActor(const std::string& actor) {
    return actor.substr(0, actor.find(':'));
}

} // namespace

TEST_CASE("A situation goes from registration to payment through the HTTP API", "[service]") {
    ServiceFixture service;
    std::string registration = caseflow::test::readFile(caseflow::test::http::samplesDir() / "situations" /
                                                        "12-beauraing-srj-budget-check.xml");
    caseflow::test::http::replaceAll(registration, "KIR-26-012", "KIR-26-900");

    // Phase 1: a partner registers the situation as XML; they are assigned to it at once.
    Response registered =
        service.send({"POST", "/api/v1/situations", service.token("partner"), registration, "application/xml", {}});
    REQUIRE(registered.status == 201);
    const auto id = registered.json()->getValue<std::int64_t>("id");
    CHECK(registered.header("location") == "/api/v1/situations/" + std::to_string(id));
    CHECK(registered.header("etag") == "\"1\"");
    CHECK(registered.json()->getValue<std::string>("state") == "awaiting-request");

    // The coordinator assigns the case manager and the pedopsychiatrist (`caseflow user assign`).
    {
        auto process = caseflow::FundingProcess::open(service.database());
        caseflow::service::Accounts accounts(process.accounts());
        accounts.assign("Élodie Massart", {id});
        accounts.assign("Dr Claire Dubois", {id});
    }

    // Phases 2 to 6, each step by the role the scenario names, with If-Match on every write.
    std::string etag = registered.header("etag");
    for (const auto& step : caseflow::test::scenarioSteps("12-beauraing-srj-budget-check")) {
        caseflow::FixedBusinessDate today(step.date);
        if (!step.signedBy.empty()) {
            // The split flow: the pedopsychiatrist fetches the plan to sign, signs it on their
            // own machine, and sends it back (R11); the server never sees the key.
            Response toSign = service.get("/api/v1/situations/" + std::to_string(id) + "/care-plan/document-to-sign",
                                          "pedopsychiatrist");
            REQUIRE(toSign.status == 200);
            CHECK(toSign.header("etag") == etag);
            const std::string signedPlan =
                caseflow::test::http::signLocally(toSign.json()->getValue<std::string>("document"), step.signedBy);
            Response signedStep = service.send({"POST",
                                                "/api/v1/situations/" + std::to_string(id) + "/signatures",
                                                service.token("pedopsychiatrist"),
                                                signedPlan,
                                                "application/xml",
                                                {{"If-Match", etag}}});
            INFO(signedStep.body);
            REQUIRE(signedStep.status == 200);
            CHECK(signedStep.json()->getValue<std::string>("state") == "plan-validated");
            etag = signedStep.header("etag");
            continue;
        }
        const std::string body = "{\"event\": " + jsonString(step.event) +
                                 (step.data.empty() ? "" : ", \"data\": " + jsonString(step.data)) + "}";
        Response fired = service.post("/api/v1/situations/" + std::to_string(id) + "/events", roleOfActor(step.actor),
                                      body, {{"If-Match", etag}});
        INFO(step.event << " on " << step.date << ": " << fired.body);
        if (step.refused()) {
            REQUIRE(fired.status == 422);
            CHECK(fired.header("content-type").rfind("application/problem+json", 0) == 0);
            CHECK(fired.json()->getValue<std::string>("type") == "urn:caseflow:problem:rule-refusal");
            CHECK(fired.ruleIds() == std::vector<std::string>{"R10"});
            continue;
        }
        REQUIRE(fired.status == 200);
        CHECK(fired.header("etag") != etag);
        etag = fired.header("etag");
    }
    Response situation = service.get("/api/v1/situations/" + std::to_string(id), "case_manager");
    REQUIRE(situation.status == 200);
    CHECK(situation.json()->getValue<std::string>("state") == "budget-check");
    CHECK(situation.header("etag") == etag);

    // Phase 7: finance sees the request with its automatic checks, the coordinator approves.
    Response queue = service.get("/api/v1/funding-requests?state=budget-check", "finance");
    REQUIRE(queue.status == 200);
    Poco::JSON::Object::Ptr ours;
    auto requests = queue.json()->getArray("fundingRequests");
    for (std::size_t i = 0; i < requests->size(); ++i)
        if (requests->getObject(i)->getValue<std::int64_t>("situationId") == id) ours = requests->getObject(i);
    REQUIRE(ours);
    CHECK(ours->getValue<std::string>("requestId") == "fr1");
    CHECK(ours->getValue<std::int64_t>("requestedCents") == 125000);
    auto checks = ours->getArray("checks");
    REQUIRE(checks->size() == 6);
    for (std::size_t i = 0; i < checks->size(); ++i) {
        INFO(checks->getObject(i)->getValue<std::string>("id"));
        CHECK(checks->getObject(i)->getValue<std::string>("status") == "pass");
    }

    const auto before = service.get("/api/v1/envelopes/2026", "finance").json();
    const std::string base = "/api/v1/funding-requests/" + std::to_string(id) + "/fr1";
    const std::string decision = R"({"outcome": "approved", "amountCents": 125000, "date": "2026-06-20"})";
    // Unsigned, an approval is refused (R16): finance pays on the coordinator's signed decision.
    Response unsignedApproval = service.post(base + "/decision", "coordinator", decision);
    CHECK(unsignedApproval.status == 422);
    CHECK(unsignedApproval.ruleIds() == std::vector<std::string>{"R16"});
    Response toSign = service.post(base + "/decision/document-to-sign", "coordinator", decision);
    REQUIRE(toSign.status == 200);
    CHECK(toSign.json()->getValue<std::string>("event") == "budget.approved");
    const std::string signedDecision = caseflow::test::http::signLocally(
        toSign.json()->getValue<std::string>("document"), "coordinator:Marie Coordinator");
    Response approved = service.send({"POST",
                                      base + "/decision",
                                      service.token("coordinator"),
                                      signedDecision,
                                      "application/xml",
                                      {{"If-Match", toSign.header("etag")}}});
    INFO(approved.body);
    REQUIRE(approved.status == 200);
    CHECK(approved.json()->getValue<std::int64_t>("approvedCents") == 125000);
    CHECK(approved.json()->getValue<std::string>("state") == "paying");

    // Phase 8: two instalments; a retried request returns the first answer and pays nothing more.
    const std::string first = R"({"amountCents": 70000, "date": "2026-06-25", "reference": "VIR-900-1"})";
    Response paid = service.post(base + "/payments", "finance", first, {{"Idempotency-Key", "pay-900-1"}});
    REQUIRE(paid.status == 201);
    CHECK(paid.json()->getObject("fundingRequest")->getValue<std::string>("state") == "partially-paid");
    Response retried = service.post(base + "/payments", "finance", first, {{"Idempotency-Key", "pay-900-1"}});
    CHECK(retried.status == 201);
    CHECK(retried.body == paid.body);
    CHECK(retried.header("idempotent-replayed") == "true");
    Response rest = service.post(base + "/payments", "finance",
                                 R"({"amountCents": 55000, "date": "2026-07-02", "reference": "VIR-900-2"})",
                                 {{"Idempotency-Key", "pay-900-2"}});
    REQUIRE(rest.status == 201);
    CHECK(rest.json()->getValue<std::string>("state") == "follow-up");
    CHECK(rest.json()->getObject("fundingRequest")->getValue<std::string>("state") == "paid");
    CHECK(service.count("SELECT count(*) FROM payments WHERE situation_id = " + std::to_string(id)) == 2);

    const auto after = service.get("/api/v1/envelopes/2026", "finance").json();
    CHECK(after->getValue<std::int64_t>("committedCents") - before->getValue<std::int64_t>("committedCents") == 125000);
    CHECK(after->getValue<std::int64_t>("paidCents") - before->getValue<std::int64_t>("paidCents") == 125000);
    CHECK(after->getValue<std::int64_t>("remainingCents") ==
          after->getValue<std::int64_t>("amountCents") - after->getValue<std::int64_t>("committedCents"));

    Response csv = service.get("/api/v1/payments.csv?year=2026", "finance");
    REQUIRE(csv.status == 200);
    CHECK(csv.header("content-type").rfind("text/csv", 0) == 0);
    CHECK(csv.body.find(std::to_string(id) + ",KIR-26-900,fr1,") != std::string::npos);
    CHECK(csv.body.find(",70000,700.00,VIR-900-1,") != std::string::npos);
    CHECK(csv.body.find(",55000,550.00,VIR-900-2,") != std::string::npos);

    // The audit trail names the authenticated users, never the names written in the scenario.
    Response history = service.get("/api/v1/situations/" + std::to_string(id) + "/events", "coordinator");
    REQUIRE(history.status == 200);
    std::set<std::string> actors;
    auto events = history.json()->getArray("events");
    for (std::size_t i = 0; i < events->size(); ++i)
        actors.insert(events->getObject(i)->getValue<std::string>("actor"));
    CHECK(actors == std::set<std::string>{"partner:Laurent Partner", "case_manager:Élodie Massart",
                                          "pedopsychiatrist:Dr Claire Dubois", "coordinator:Marie Coordinator",
                                          "finance:Finn Finance"});
    CHECK(events->size() == 14); // registration, 10 scenario steps (one refused), approval, 2 payments

    // Every read of the situation was recorded: who, when, what.
    CHECK(service.count("SELECT count(*) FROM read_log WHERE situation_id = " + std::to_string(id) +
                        " AND user_name = 'Élodie Massart' AND what = 'situation'") == 1);
    CHECK(service.count("SELECT count(*) FROM read_log WHERE situation_id = " + std::to_string(id) +
                        " AND user_name = 'Marie Coordinator' AND what = 'history'") == 1);
    CHECK(service.count("SELECT count(*) FROM read_log WHERE situation_id = " + std::to_string(id) +
                        " AND role = 'finance' AND what = 'funding-requests'") >= 1);

    caseflow::FundingProcess process = caseflow::FundingProcess::open(service.database());
    CHECK(process.verify().intact);
}

TEST_CASE("Problems come in the caller's language with stable types", "[service]") {
    ServiceFixture service;
    const std::string path = "/api/v1/funding-requests/12/fr1/decision";
    const std::string tooMuch = R"({"outcome": "approved", "amountCents": 2000000, "date": "2026-06-20"})";
    Response english = service.post(path, "coordinator", tooMuch);
    Response french = service.post(path, "coordinator", tooMuch, {{"Accept-Language", "fr-BE,fr;q=0.9"}});
    Response dutch = service.post(path, "coordinator", tooMuch, {{"Accept-Language", "nl-BE"}});
    for (const Response* response : {&english, &french, &dutch}) {
        INFO(response->body);
        REQUIRE(response->status == 422);
        CHECK(response->json()->getValue<std::string>("type") == "urn:caseflow:problem:rule-refusal");
        CHECK(response->json()->getValue<int>("status") == 422);
        const auto ids = response->ruleIds();
        CHECK(std::count(ids.begin(), ids.end(), "R14") >= 1); // above the request and the ceiling
        CHECK(std::count(ids.begin(), ids.end(), "R16") == 1); // and not signed by the coordinator
    }
    CHECK(english.json()->getValue<std::string>("title") == "Refused by the network's rules");
    CHECK(french.json()->getValue<std::string>("title") == "Refusé par les règles du réseau");
    CHECK(dutch.json()->getValue<std::string>("title") == "Geweigerd door de regels van het netwerk");
    CHECK(french.header("content-language") == "fr");
    const auto message = [](const Response& response) {
        auto rules = response.json()->getArray("rules");
        for (std::size_t i = 0; i < rules->size(); ++i)
            if (rules->getObject(i)->getValue<std::string>("id") == "R14")
                return rules->getObject(i)->getValue<std::string>("message");
        return std::string();
    };
    CHECK(message(english) != message(french));
    CHECK(message(french) != message(dutch));

    Response unauthenticated = service.get("/api/v1/situations", "", {{"Accept-Language", "nl"}});
    CHECK(unauthenticated.status == 401);
    CHECK(unauthenticated.header("www-authenticate").rfind("Bearer", 0) == 0);
    CHECK(unauthenticated.json()->getValue<std::string>("title") == "Authenticatie vereist");
}

TEST_CASE("Documents render in the language and format asked for, and each read is recorded", "[service]") {
    ServiceFixture service;
    Response french =
        service.get("/api/v1/situations/12/documents/care-plan", "case_manager", {{"Accept-Language", "fr"}});
    REQUIRE(french.status == 200);
    CHECK(french.header("content-type").rfind("text/html", 0) == 0);
    CHECK(french.header("content-disposition").find("KIR-26-012_care-plan_fr.html") != std::string::npos);
    CHECK(french.body.find("lang=\"fr\"") != std::string::npos);
    Response both = service.get("/api/v1/situations/12/documents/funding-request?lang=nl%2Bfr", "pedopsychiatrist");
    REQUIRE(both.status == 200);
    CHECK(both.body.find("lang=\"nl\"") != std::string::npos);
    CHECK(both.body.find("lang=\"fr\"") != std::string::npos);
    Response odt = service.get("/api/v1/situations/12/documents/care-plan", "coordinator",
                               {{"Accept", "application/vnd.oasis.opendocument.text"}});
    REQUIRE(odt.status == 200);
    CHECK(odt.body.rfind("PK", 0) == 0); // an ODT is a zip
    // A document whose subject does not exist yet is 404, not an empty document.
    Response notYet = service.get("/api/v1/situations/12/documents/payment-notice", "coordinator");
    CHECK(notYet.status == 404);
    CHECK(service.count("SELECT count(*) FROM read_log WHERE situation_id = 12 AND what = 'document:care-plan'") == 2);
    CHECK(service.count("SELECT count(*) FROM read_log WHERE what = 'document:payment-notice'") == 0);
}
