// Specification that docs/openapi.json describes the server as it is: the same paths and
// methods as the route table, each with its operationId, and every documented status code
// produced by a real request to the running server (and no status the server gives on a
// walked request is undocumented). The document served at /api/v1/openapi.json is the file.
#include "model/BankAccount.h"
#include "service/Routes.h"
#include "service/ServiceFixture.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <functional>
#include <set>

using caseflow::test::http::jsonString;
using caseflow::test::http::Request;
using caseflow::test::http::Response;
using caseflow::test::http::ServiceFixture;

namespace {

Poco::JSON::Object::Ptr openApi() {
    Poco::JSON::Parser parser;
    return parser.parse(caseflow::test::readFile(caseflow::test::projectDir() / "docs" / "openapi.json"))
        .extract<Poco::JSON::Object::Ptr>();
}

struct Recipe {
    std::string operation;
    int status;
    std::function<Request(const ServiceFixture&)> request;
};

std::string upper(std::string text) {
    for (auto& ch : text) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return text;
}

} // namespace

TEST_CASE("docs/openapi.json and the route table name the same operations", "[service]") {
    const auto doc = openApi();
    CHECK(doc->getValue<std::string>("openapi") == "3.1.0");
    std::set<std::string> documented, routed;
    auto paths = doc->getObject("paths");
    for (const auto& [path, item] : *paths) {
        for (const auto& [method, operation] : *item.extract<Poco::JSON::Object::Ptr>())
            documented.insert(upper(method) + " " + path + " " +
                              operation.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("operationId"));
    }
    for (const auto& route : caseflow::service::routes())
        routed.insert(route.method + " " + route.path + " " + caseflow::service::operationName(route.operation));
    CHECK(documented == routed);
}

TEST_CASE("Every documented status code is what the server answers", "[service]") {
    ServiceFixture service([](caseflow::service::ServiceConfig& config) { config.maxBodyBytes = 64 * 1024; });
    const std::string big = "{\"event\": \"" + std::string(70 * 1024, 'x') + "\"}";
    const std::string consent =
        "{\"event\": \"consent.recorded\", \"data\": " +
        jsonString(R"(<consent type="informed" given="true" date="2026-05-01" recordedBy="T">x</consent>)") + "}";
    std::string registration =
        caseflow::test::readFile(caseflow::test::http::samplesDir() / "situations" / "02-dinant-five-before-six.xml");
    caseflow::test::http::replaceAll(registration, "KIR-26-002", "KIR-26-OAS");
    const std::string approve = R"({"outcome": "approved", "amountCents": 900000, "date": "2026-06-20"})";
    // The payment carries a proof, which getProof then reads (issue 17).
    const std::string pay = R"({"amountCents": 1000, "date": "2026-06-25", "reference": "OAS-1", "proofs": [)"
                            R"({"fileName": "oas.pdf", "contentBase64": "JVBERi0xLjQgT3BlbkFQSSB3YWxrCg=="}]})";
    const std::string proof = "/api/v1/proofs/d6250cfc2376f653577d34fc327cdc20cdb4dc930c1ef36d2d1ef577165ba813";
    const std::string large = "/api/v1/funding-requests/16/fr1";
    // Payment runs (issue 17): situation 1's first payment, a communication no payment carries,
    // and the run of request 16/fr1 once it is approved and partly paid above.
    const std::string firstPayment = caseflow::communicationOf({1, 1})->digits();
    const std::string noPayment = caseflow::communicationOf({99999, 1})->digits();
    const std::string runOfLarge = R"({"requests": ["16/fr1"]})";
    using H = std::vector<std::pair<std::string, std::string>>;
    // A signed decision sent to the generic signature endpoint instead of the decision one.
    auto toSignatures = [](Request request, std::int64_t id) {
        request.path = "/api/v1/situations/" + std::to_string(id) + "/signatures";
        return request;
    };
    auto signedPlan = [](const ServiceFixture& fixture) {
        auto toSign = fixture.get("/api/v1/situations/12/care-plan/document-to-sign", "pedopsychiatrist");
        return caseflow::test::http::signLocally(toSign.json()->getValue<std::string>("document"),
                                                 "pedopsychiatrist:Dr Claire Dubois");
    };
    auto as = [](const ServiceFixture& fixture, const std::string& role, Request request) {
        if (!role.empty()) request.token = fixture.token(role);
        return request;
    };
    // clang-format off
    const std::vector<Recipe> recipes = {
        {"health", 200, [&](auto& s) { return as(s, "", {"GET", "/health"}); }},
        {"openApi", 200, [&](auto& s) { return as(s, "", {"GET", "/api/v1/openapi.json"}); }},
        {"metrics", 200, [&](auto& s) { return as(s, "coordinator", {"GET", "/metrics"}); }},
        {"metrics", 401, [&](auto& s) { return as(s, "", {"GET", "/metrics"}); }},
        {"metrics", 403, [&](auto& s) { return as(s, "case_manager", {"GET", "/metrics"}); }},
        {"listSituations", 200, [&](auto& s) { return as(s, "coordinator", {"GET", "/api/v1/situations?state=budget-check"}); }},
        {"listSituations", 400, [&](auto& s) { return as(s, "coordinator", {"GET", "/api/v1/situations?state=NOT%20A%20STATE"}); }},
        {"listSituations", 401, [&](auto& s) { return as(s, "", {"GET", "/api/v1/situations"}); }},
        {"registerSituation", 201, [&](auto& s) { return as(s, "partner", {"POST", "/api/v1/situations", "", registration, "application/xml"}); }},
        {"registerSituation", 400, [&](auto& s) { return as(s, "partner", {"POST", "/api/v1/situations", "", "{\"document\": 1"}); }},
        {"registerSituation", 401, [&](auto& s) { return as(s, "", {"POST", "/api/v1/situations", "", registration, "application/xml"}); }},
        {"registerSituation", 403, [&](auto& s) { return as(s, "finance", {"POST", "/api/v1/situations", "", registration, "application/xml"}); }},
        {"registerSituation", 413, [&](auto& s) { return as(s, "partner", {"POST", "/api/v1/situations", "", big}); }},
        {"registerSituation", 415, [&](auto& s) { return as(s, "partner", {"POST", "/api/v1/situations", "", registration, "text/plain"}); }},
        {"registerSituation", 422, [&](auto& s) { return as(s, "partner", {"POST", "/api/v1/situations", "", "<situation/>", "application/xml"}); }},
        {"getSituation", 200, [&](auto& s) { return as(s, "coordinator", {"GET", "/api/v1/situations/12"}); }},
        {"getSituation", 401, [&](auto& s) { return as(s, "", {"GET", "/api/v1/situations/12"}); }},
        {"getSituation", 403, [&](auto& s) { return as(s, "case_manager", {"GET", "/api/v1/situations/3"}); }},
        {"getSituation", 404, [&](auto& s) { return as(s, "coordinator", {"GET", "/api/v1/situations/99999"}); }},
        {"listEvents", 200, [&](auto& s) { return as(s, "coordinator", {"GET", "/api/v1/situations/12/events"}); }},
        {"listEvents", 401, [&](auto& s) { return as(s, "", {"GET", "/api/v1/situations/12/events"}); }},
        {"listEvents", 403, [&](auto& s) { return as(s, "committee", {"GET", "/api/v1/situations/12/events"}); }},
        {"listEvents", 404, [&](auto& s) { return as(s, "coordinator", {"GET", "/api/v1/situations/99999/events"}); }},
        {"fireEvent", 200, [&](auto& s) { return as(s, "case_manager", {"POST", "/api/v1/situations/12/events", "", consent}); }},
        {"fireEvent", 400, [&](auto& s) { return as(s, "case_manager", {"POST", "/api/v1/situations/12/events", "", "{"}); }},
        {"fireEvent", 401, [&](auto& s) { return as(s, "", {"POST", "/api/v1/situations/12/events", "", consent}); }},
        {"fireEvent", 403, [&](auto& s) { return as(s, "finance", {"POST", "/api/v1/situations/12/events", "", consent}); }},
        {"fireEvent", 404, [&](auto& s) { return as(s, "coordinator", {"POST", "/api/v1/situations/99999/events", "", consent}); }},
        {"fireEvent", 409, [&](auto& s) { return as(s, "case_manager", {"POST", "/api/v1/situations/12/events", "", R"({"event": "need.none"})"}); }},
        {"fireEvent", 412, [&](auto& s) { return as(s, "case_manager", {"POST", "/api/v1/situations/12/events", "", consent, "application/json", H{{"If-Match", "\"2\""}}}); }},
        {"fireEvent", 413, [&](auto& s) { return as(s, "case_manager", {"POST", "/api/v1/situations/12/events", "", big}); }},
        {"fireEvent", 415, [&](auto& s) { return as(s, "case_manager", {"POST", "/api/v1/situations/12/events", "", consent, "text/xml"}); }},
        {"fireEvent", 422, [&](auto& s) { return as(s, "case_manager", {"POST", "/api/v1/situations/12/events", "", "{\"event\": \"consent.recorded\", \"data\": \"<consent/>\"}"}); }},
        {"renderDocument", 200, [&](auto& s) { return as(s, "coordinator", {"GET", "/api/v1/situations/12/documents/care-plan?lang=fr%2Bnl"}); }},
        {"renderDocument", 400, [&](auto& s) { return as(s, "coordinator", {"GET", "/api/v1/situations/12/documents/..%2Fsecret"}); }},
        {"renderDocument", 401, [&](auto& s) { return as(s, "", {"GET", "/api/v1/situations/12/documents/care-plan"}); }},
        {"renderDocument", 403, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/situations/12/documents/care-plan"}); }},
        {"renderDocument", 404, [&](auto& s) { return as(s, "coordinator", {"GET", "/api/v1/situations/99999/documents/care-plan"}); }},
        {"renderDocument", 406, [&](auto& s) { return as(s, "coordinator", {"GET", "/api/v1/situations/12/documents/care-plan?format=docx"}); }},
        {"listDue", 200, [&](auto& s) { return as(s, "coordinator", {"GET", "/api/v1/due?at=2027-01-01"}); }},
        {"listDue", 400, [&](auto& s) { return as(s, "coordinator", {"GET", "/api/v1/due?at=tomorrow"}); }},
        {"listDue", 401, [&](auto& s) { return as(s, "", {"GET", "/api/v1/due"}); }},
        {"listDue", 403, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/due"}); }},
        {"listFundingRequests", 200, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/funding-requests?state=budget-check"}); }},
        {"listFundingRequests", 400, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/funding-requests?state=lost"}); }},
        {"listFundingRequests", 401, [&](auto& s) { return as(s, "", {"GET", "/api/v1/funding-requests"}); }},
        {"listFundingRequests", 403, [&](auto& s) { return as(s, "partner", {"GET", "/api/v1/funding-requests"}); }},
        {"decideFundingRequest", 200, [&](auto& s) { return s.signedDecision(16, "fr1", approve, true); }},
        {"decideFundingRequest", 400, [&](auto& s) { return as(s, "coordinator", {"POST", large + "/decision", "", R"({"outcome": "approved", "amountCents": -1})"}); }},
        {"decideFundingRequest", 401, [&](auto& s) { return as(s, "", {"POST", large + "/decision", "", approve}); }},
        {"decideFundingRequest", 403, [&](auto& s) { return as(s, "finance", {"POST", large + "/decision", "", approve}); }},
        {"decideFundingRequest", 404, [&](auto& s) { return as(s, "coordinator", {"POST", "/api/v1/funding-requests/12/nope/decision", "", approve}); }},
        {"decideFundingRequest", 409, [&](auto& s) { return as(s, "coordinator", {"POST", "/api/v1/funding-requests/1/fr1/decision", "", approve}); }},
        {"decideFundingRequest", 412, [&](auto& s) { return as(s, "coordinator", {"POST", "/api/v1/funding-requests/17/fr1/decision", "", approve, "application/json", H{{"If-Match", "\"3\""}}}); }},
        {"decideFundingRequest", 413, [&](auto& s) { return as(s, "coordinator", {"POST", large + "/decision", "", big}); }},
        {"decideFundingRequest", 415, [&](auto& s) { return as(s, "coordinator", {"POST", large + "/decision", "", approve, "application/x-www-form-urlencoded"}); }},
        {"decideFundingRequest", 422, [&](auto& s) { return as(s, "coordinator", {"POST", "/api/v1/funding-requests/12/fr1/decision", "", R"({"outcome": "approved", "amountCents": 2000000, "date": "2026-06-20"})"}); }},
        {"prepareDecisionSignature", 200, [&](auto& s) { return as(s, "coordinator", {"POST", "/api/v1/funding-requests/17/fr1/decision/document-to-sign?keyType=rsa", "", approve}); }},
        {"prepareDecisionSignature", 400, [&](auto& s) { return as(s, "coordinator", {"POST", "/api/v1/funding-requests/17/fr1/decision/document-to-sign?keyType=dsa", "", approve}); }},
        {"prepareDecisionSignature", 401, [&](auto& s) { return as(s, "", {"POST", "/api/v1/funding-requests/17/fr1/decision/document-to-sign", "", approve}); }},
        {"prepareDecisionSignature", 403, [&](auto& s) { return as(s, "finance", {"POST", "/api/v1/funding-requests/17/fr1/decision/document-to-sign", "", approve}); }},
        {"prepareDecisionSignature", 404, [&](auto& s) { return as(s, "coordinator", {"POST", "/api/v1/funding-requests/17/nope/decision/document-to-sign", "", approve}); }},
        {"prepareDecisionSignature", 413, [&](auto& s) { return as(s, "coordinator", {"POST", "/api/v1/funding-requests/17/fr1/decision/document-to-sign", "", big}); }},
        {"prepareDecisionSignature", 415, [&](auto& s) { return as(s, "coordinator", {"POST", "/api/v1/funding-requests/17/fr1/decision/document-to-sign", "", approve, "text/plain"}); }},
        {"prepareCarePlanSignature", 200, [&](auto& s) { return as(s, "pedopsychiatrist", {"GET", "/api/v1/situations/12/care-plan/document-to-sign"}); }},
        {"prepareCarePlanSignature", 400, [&](auto& s) { return as(s, "pedopsychiatrist", {"GET", "/api/v1/situations/12/care-plan/document-to-sign?keyType=dsa"}); }},
        {"prepareCarePlanSignature", 401, [&](auto& s) { return as(s, "", {"GET", "/api/v1/situations/12/care-plan/document-to-sign"}); }},
        {"prepareCarePlanSignature", 403, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/situations/12/care-plan/document-to-sign"}); }},
        {"prepareCarePlanSignature", 404, [&](auto& s) { return as(s, "coordinator", {"GET", "/api/v1/situations/99999/care-plan/document-to-sign"}); }},
        {"submitSignature", 200, [&](auto& s) { return toSignatures(s.signedDecision(17, "fr1", approve, true), 17); }},
        {"submitSignature", 400, [&](auto& s) { return as(s, "coordinator", {"POST", "/api/v1/situations/18/signatures", "", "<carePlan>\xff</carePlan>", "application/xml"}); }},
        {"submitSignature", 401, [&](auto& s) { return as(s, "", {"POST", "/api/v1/situations/18/signatures", "", "<carePlan/>", "application/xml"}); }},
        {"submitSignature", 403, [&](auto& s) { return as(s, "finance", {"POST", "/api/v1/situations/18/signatures", "", "<carePlan/>", "application/xml"}); }},
        {"submitSignature", 404, [&](auto& s) { return as(s, "coordinator", {"POST", "/api/v1/situations/99999/signatures", "", "<carePlan/>", "application/xml"}); }},
        {"submitSignature", 409, [&](auto& s) { return as(s, "pedopsychiatrist", {"POST", "/api/v1/situations/12/signatures", "", signedPlan(s), "application/xml"}); }},
        {"submitSignature", 412, [&](auto& s) { auto r = toSignatures(s.signedDecision(18, "fr1", approve), 18); r.headers = H{{"If-Match", "\"1\""}}; return r; }},
        {"submitSignature", 413, [&](auto& s) { return as(s, "coordinator", {"POST", "/api/v1/situations/18/signatures", "", big, "application/xml"}); }},
        {"submitSignature", 415, [&](auto& s) { return as(s, "coordinator", {"POST", "/api/v1/situations/18/signatures", "", "<carePlan/>", "application/json"}); }},
        {"submitSignature", 422, [&](auto& s) { auto r = toSignatures(s.signedDecision(18, "fr1", approve), 18); caseflow::test::http::replaceAll(r.body, "amount=\"900000\"", "amount=\"800000\""); return r; }},
        {"recordPayment", 201, [&](auto& s) { return as(s, "finance", {"POST", large + "/payments", "", pay, "application/json", H{{"Idempotency-Key", "oas-1"}}}); }},
        {"recordPayment", 400, [&](auto& s) { return as(s, "finance", {"POST", large + "/payments", "", pay}); }},
        {"recordPayment", 401, [&](auto& s) { return as(s, "", {"POST", large + "/payments", "", pay, "application/json", H{{"Idempotency-Key", "oas-2"}}}); }},
        {"recordPayment", 403, [&](auto& s) { return as(s, "case_manager", {"POST", large + "/payments", "", pay, "application/json", H{{"Idempotency-Key", "oas-3"}}}); }},
        {"recordPayment", 404, [&](auto& s) { return as(s, "finance", {"POST", "/api/v1/funding-requests/16/nope/payments", "", pay, "application/json", H{{"Idempotency-Key", "oas-4"}}}); }},
        {"recordPayment", 409, [&](auto& s) { return as(s, "finance", {"POST", "/api/v1/funding-requests/12/fr1/payments", "", pay, "application/json", H{{"Idempotency-Key", "oas-5"}}}); }},
        {"recordPayment", 412, [&](auto& s) { return as(s, "finance", {"POST", large + "/payments", "", R"({"amountCents": 1000, "date": "2026-06-25", "reference": "OAS-6"})", "application/json", H{{"Idempotency-Key", "oas-6"}, {"If-Match", "\"1\""}}}); }},
        {"recordPayment", 413, [&](auto& s) { return as(s, "finance", {"POST", large + "/payments", "", big, "application/json", H{{"Idempotency-Key", "oas-7"}}}); }},
        {"recordPayment", 415, [&](auto& s) { return as(s, "finance", {"POST", large + "/payments", "", pay, "text/csv", H{{"Idempotency-Key", "oas-8"}}}); }},
        {"recordPayment", 422, [&](auto& s) { return as(s, "finance", {"POST", large + "/payments", "", R"({"amountCents": 2000, "date": "2026-06-25", "reference": "OAS-1"})", "application/json", H{{"Idempotency-Key", "oas-1"}}}); }},
        {"getEnvelope", 200, [&](auto& s) { return as(s, "committee", {"GET", "/api/v1/envelopes/2026"}); }},
        {"getEnvelope", 400, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/envelopes/20x6"}); }},
        {"getEnvelope", 401, [&](auto& s) { return as(s, "", {"GET", "/api/v1/envelopes/2026"}); }},
        {"getEnvelope", 403, [&](auto& s) { return as(s, "partner", {"GET", "/api/v1/envelopes/2026"}); }},
        {"getEnvelope", 404, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/envelopes/2031"}); }},
        {"exportPayments", 200, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/payments.csv?year=2026"}); }},
        {"exportPayments", 400, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/payments.csv?year=last"}); }},
        {"exportPayments", 401, [&](auto& s) { return as(s, "", {"GET", "/api/v1/payments.csv"}); }},
        {"exportPayments", 403, [&](auto& s) { return as(s, "committee", {"GET", "/api/v1/payments.csv"}); }},
        {"getProof", 200, [&](auto& s) { return as(s, "finance", {"GET", proof}); }},
        {"getProof", 401, [&](auto& s) { return as(s, "", {"GET", proof}); }},
        {"getProof", 403, [&](auto& s) { return as(s, "committee", {"GET", proof}); }},
        {"getProof", 404, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/proofs/" + std::string(64, '0')}); }},
        {"exportAccounting", 200, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/payments/accounting.csv?year=2026"}); }},
        {"exportAccounting", 400, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/payments/accounting.csv"}); }},
        {"exportAccounting", 401, [&](auto& s) { return as(s, "", {"GET", "/api/v1/payments/accounting.csv?year=2026"}); }},
        {"exportAccounting", 403, [&](auto& s) { return as(s, "case_manager", {"GET", "/api/v1/payments/accounting.csv?year=2026"}); }},
        {"listPaymentsDue", 200, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/payments/due"}); }},
        {"listPaymentsDue", 401, [&](auto& s) { return as(s, "", {"GET", "/api/v1/payments/due"}); }},
        {"listPaymentsDue", 403, [&](auto& s) { return as(s, "committee", {"GET", "/api/v1/payments/due"}); }},
        {"findPayment", 200, [&](auto& s) { return as(s, "coordinator", {"GET", "/api/v1/payments?communication=" + firstPayment}); }},
        {"findPayment", 400, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/payments?communication=000000100132"}); }},
        {"findPayment", 401, [&](auto& s) { return as(s, "", {"GET", "/api/v1/payments?communication=" + firstPayment}); }},
        {"findPayment", 403, [&](auto& s) { return as(s, "partner", {"GET", "/api/v1/payments?communication=" + firstPayment}); }},
        {"findPayment", 404, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/payments?communication=" + noPayment}); }},
        {"buildPaymentRun", 201, [&](auto& s) { return as(s, "finance", {"POST", "/api/v1/payment-runs", "", runOfLarge, "application/json", H{{"Idempotency-Key", "oas-run-1"}}}); }},
        {"buildPaymentRun", 400, [&](auto& s) { return as(s, "finance", {"POST", "/api/v1/payment-runs", "", runOfLarge}); }},
        {"buildPaymentRun", 401, [&](auto& s) { return as(s, "", {"POST", "/api/v1/payment-runs", "", runOfLarge, "application/json", H{{"Idempotency-Key", "oas-run-2"}}}); }},
        {"buildPaymentRun", 403, [&](auto& s) { return as(s, "coordinator", {"POST", "/api/v1/payment-runs", "", runOfLarge, "application/json", H{{"Idempotency-Key", "oas-run-3"}}}); }},
        {"buildPaymentRun", 413, [&](auto& s) { return as(s, "finance", {"POST", "/api/v1/payment-runs", "", big, "application/json", H{{"Idempotency-Key", "oas-run-4"}}}); }},
        {"buildPaymentRun", 415, [&](auto& s) { return as(s, "finance", {"POST", "/api/v1/payment-runs", "", runOfLarge, "text/plain", H{{"Idempotency-Key", "oas-run-5"}}}); }},
        {"buildPaymentRun", 422, [&](auto& s) { return as(s, "finance", {"POST", "/api/v1/payment-runs", "", R"({"requests": ["12/fr1"]})", "application/json", H{{"Idempotency-Key", "oas-run-6"}}}); }},
        {"listPaymentRuns", 200, [&](auto& s) { return as(s, "coordinator", {"GET", "/api/v1/payment-runs"}); }},
        {"listPaymentRuns", 401, [&](auto& s) { return as(s, "", {"GET", "/api/v1/payment-runs"}); }},
        {"listPaymentRuns", 403, [&](auto& s) { return as(s, "committee", {"GET", "/api/v1/payment-runs"}); }},
        {"getPaymentRun", 200, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/payment-runs/run-0001"}); }},
        {"getPaymentRun", 401, [&](auto& s) { return as(s, "", {"GET", "/api/v1/payment-runs/run-0001"}); }},
        {"getPaymentRun", 403, [&](auto& s) { return as(s, "partner", {"GET", "/api/v1/payment-runs/run-0001"}); }},
        {"getPaymentRun", 404, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/payment-runs/run-9999"}); }},
        {"exportPaymentRun", 200, [&](auto& s) { return as(s, "coordinator", {"GET", "/api/v1/payment-runs/run-0001/pain.001.xml"}); }},
        {"exportPaymentRun", 401, [&](auto& s) { return as(s, "", {"GET", "/api/v1/payment-runs/run-0001/pain.001.xml"}); }},
        {"exportPaymentRun", 403, [&](auto& s) { return as(s, "case_manager", {"GET", "/api/v1/payment-runs/run-0001/pain.001.xml"}); }},
        {"exportPaymentRun", 404, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/payment-runs/run-9999/pain.001.xml"}); }},
        {"getCommitteeReport", 200, [&](auto& s) { return as(s, "committee", {"GET", "/api/v1/reports/committee?year=2026&format=csv"}); }},
        {"getCommitteeReport", 400, [&](auto& s) { return as(s, "committee", {"GET", "/api/v1/reports/committee?year=26"}); }},
        {"getCommitteeReport", 401, [&](auto& s) { return as(s, "", {"GET", "/api/v1/reports/committee?year=2026"}); }},
        {"getCommitteeReport", 403, [&](auto& s) { return as(s, "finance", {"GET", "/api/v1/reports/committee?year=2026"}); }},
        {"getCommitteeReport", 404, [&](auto& s) { return as(s, "coordinator", {"GET", "/api/v1/reports/committee?year=2031&format=csv"}); }},
        {"getCommitteeReport", 406, [&](auto& s) { return as(s, "committee", {"GET", "/api/v1/reports/committee?year=2026&format=docx"}); }},
    };
    // clang-format on
    // Documented codes no request can produce on a healthy server with this build: the
    // database cannot be made unreadable from outside, and WeasyPrint is installed.
    const std::set<std::string> unreachable = {"health 503", "renderDocument 503", "getCommitteeReport 503"};
    std::vector<Recipe> all = recipes;

    std::set<std::string> documented;
    const auto doc = openApi();
    for (const auto& [path, item] : *doc->getObject("paths"))
        for (const auto& [method, operation] : *item.extract<Poco::JSON::Object::Ptr>()) {
            auto object = operation.extract<Poco::JSON::Object::Ptr>();
            for (const auto& [status, response] : *object->getObject("responses"))
                documented.insert(object->getValue<std::string>("operationId") + " " + status);
        }

    std::set<std::string> walked;
    for (const auto& recipe : all) {
        const std::string key = recipe.operation + " " + std::to_string(recipe.status);
        INFO(key);
        CHECK(documented.count(key) == 1); // the server's answer is documented
        const Response response = service.send(recipe.request(service));
        INFO(response.body.substr(0, 300));
        CHECK(response.status == recipe.status);
        if (recipe.status >= 400) CHECK(response.header("content-type").rfind("application/problem+json", 0) == 0);
        walked.insert(key);
    }
    for (const auto& key : documented) {
        INFO("documented but never produced: " << key);
        CHECK((walked.count(key) == 1 || unreachable.count(key) == 1));
    }
    // What is served is the file in the repository.
    CHECK(service.get("/api/v1/openapi.json", "").body ==
          caseflow::test::readFile(caseflow::test::projectDir() / "docs" / "openapi.json"));
}
