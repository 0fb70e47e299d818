// Specification of the service facing bad input: malformed or non-UTF-8 JSON, wrong types,
// unknown fields, oversized, truncated and slow bodies, path traversal, SQL-looking strings,
// invalid IBANs, negative or fractional amounts. Each gets a precise 4xx problem, the server
// stays up, and nothing stored changes.
#include "service/ServiceFixture.h"

#include <Poco/JSON/Array.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <thread>

using caseflow::test::http::jsonString;
using caseflow::test::http::Request;
using caseflow::test::http::Response;
using caseflow::test::http::ServiceFixture;

namespace {

struct BadCase {
    std::string what;
    Request request;
    int status;
    std::string type; // slug after urn:caseflow:problem:
};

std::string problemType(const Response& response) {
    const std::string type = response.json()->getValue<std::string>("type");
    const std::string prefix = "urn:caseflow:problem:";
    return type.rfind(prefix, 0) == 0 ? type.substr(prefix.size()) : type;
}

// Sends raw bytes and returns whatever the server answers before it closes (or "" on timeout).
std::string rawExchange(std::uint16_t port, const std::string& bytes, bool closeWriteSide,
                        std::chrono::milliseconds pauseBeforeReading = std::chrono::milliseconds(0)) {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    if (closeWriteSide) socket.shutdownSend();
    std::this_thread::sleep_for(pauseBeforeReading);
    return caseflow::test::http::receiveUntilClosed(socket);
}

int statusOf(const std::string& rawResponse) {
    if (rawResponse.rfind("HTTP/1.", 0) != 0) return 0;
    return std::stoi(rawResponse.substr(9, 3));
}

} // namespace

TEST_CASE("Bad requests get a precise 4xx and change nothing", "[service]") {
    ServiceFixture service([](caseflow::service::ServiceConfig& config) { config.maxBodyBytes = 64 * 1024; });
    // Situation 12's dossier is sent back for completion, so that a new request form can be
    // submitted (and refused) below.
    REQUIRE(service
                .post("/api/v1/funding-requests/12/fr1/decision", "coordinator",
                      R"({"outcome": "returned", "date": "2026-06-10", "reasons": ["Complete the payee."]})")
                .status == 200);
    const auto before = service.storedState();
    const std::string coordinator = service.token("coordinator");
    const std::string finance = service.token("finance");
    const std::string manager = service.token("case_manager");
    const std::string events = "/api/v1/situations/12/events";
    const std::string decision = "/api/v1/funding-requests/15/fr1/decision";
    const std::string payments = "/api/v1/funding-requests/12/fr1/payments";
    const std::string consent = R"(<consent type="informed" given="true" date="2026-05-01" recordedBy="T">x</consent>)";
    std::string dossier = caseflow::test::scenarioSteps("12-beauraing-srj-budget-check").back().data;
    std::string badIban = dossier;
    caseflow::test::http::replaceAll(badIban, "BE24063987654338", "BE24063987654339");
    std::string malformedIban = dossier;
    caseflow::test::http::replaceAll(malformedIban, "BE24063987654338", "BE24-0639");
    const std::vector<std::pair<std::string, std::string>> key = {{"Idempotency-Key", "bad-input"}};

    const std::vector<BadCase> cases = {
        {"truncated JSON", {"POST", events, manager, R"({"event": "consent.recorded", )"}, 400, "malformed-json"},
        {"not JSON at all", {"POST", events, manager, "event=consent.recorded"}, 400, "malformed-json"},
        {"an array, not an object", {"POST", events, manager, R"(["consent.recorded"])"}, 400, "malformed-json"},
        {"an empty body", {"POST", events, manager, ""}, 400, "malformed-json"},
        {"a JSON comment",
         {"POST", events, manager, "{/* hi */ \"event\": \"consent.recorded\"}"},
         400,
         "malformed-json"},
        {"deep nesting",
         {"POST", events, manager, std::string(5000, '[') + std::string(5000, ']')},
         400,
         "malformed-json"},
        {"a Latin-1 byte", {"POST", events, manager, "{\"event\": \"consent.recorded\xe9\"}"}, 400, "invalid-encoding"},
        {"an overlong UTF-8 form", {"POST", events, manager, "{\"event\": \"\xc0\xaf\"}"}, 400, "invalid-encoding"},
        {"a UTF-16 surrogate in UTF-8",
         {"POST", events, manager, "{\"event\": \"\xed\xa0\x80\"}"},
         400,
         "invalid-encoding"},
        {"an escaped lone surrogate", {"POST", events, manager, R"({"event": "\ud800"})"}, 400, "malformed-json"},
        {"a number for a string", {"POST", events, manager, R"({"event": 5})"}, 400, "wrong-type"},
        {"a string for a version",
         {"POST", events, manager, R"({"event": "consent.recorded", "expectedVersion": "3"})"},
         400,
         "wrong-type"},
        {"an object for XML data",
         {"POST", events, manager, R"({"event": "consent.recorded", "data": {"consent": 1}})"},
         400,
         "wrong-type"},
        {"an unknown field",
         {"POST", events, manager, R"({"event": "consent.recorded", "priority": "high"})"},
         400,
         "unknown-field"},
        {"a missing event", {"POST", events, manager, R"({"data": "<consent/>"})"}, 400, "missing-field"},
        {"an event name with markup", {"POST", events, manager, R"({"event": "<script>"})"}, 400, "invalid-value"},
        {"an event the state does not take",
         {"POST", events, manager, R"({"event": "payment.recorded"})"},
         409,
         "event-not-allowed"},
        {"XML that is not well-formed",
         {"POST", events, manager, "{\"event\": \"consent.recorded\", \"data\": " + jsonString("<consent type=") + "}"},
         422,
         "invalid-document"},
        {"XML with a DOCTYPE",
         {"POST", events, manager,
          "{\"event\": \"consent.recorded\", \"data\": " + jsonString("<!DOCTYPE x [<!ENTITY a \"b\">]><consent/>") +
              "}"},
         422,
         "invalid-document"},
        {"XML the schema refuses",
         {"POST", events, manager,
          "{\"event\": \"consent.recorded\", \"data\": " + jsonString("<consent type=\"whatever\"/>") + "}"},
         422,
         "invalid-document"},
        {"an IBAN failing mod-97",
         {"POST", events, manager, "{\"event\": \"dossier.submitted\", \"data\": " + jsonString(badIban) + "}"},
         422,
         "rule-refusal"},
        {"an IBAN of the wrong shape",
         {"POST", events, manager, "{\"event\": \"dossier.submitted\", \"data\": " + jsonString(malformedIban) + "}"},
         422,
         "invalid-document"},
        {"text/plain",
         {"POST", events, manager, R"({"event": "consent.recorded"})", "text/plain"},
         415,
         "unsupported-media-type"},
        {"a stale If-Match",
         {"POST",
          events,
          manager,
          "{\"event\": \"consent.recorded\", \"data\": " + jsonString(consent) + "}",
          "application/json",
          {{"If-Match", "\"1\""}}},
         412,
         "precondition-failed"},
        {"a malformed If-Match",
         {"POST", events, manager, R"({"event": "consent.recorded"})", "application/json", {{"If-Match", "version 3"}}},
         400,
         "bad-request"},
        {"a negative amount",
         {"POST", decision, coordinator, R"({"outcome": "approved", "amountCents": -900000})"},
         400,
         "invalid-value"},
        {"a fractional amount",
         {"POST", decision, coordinator, R"({"outcome": "approved", "amountCents": 900000.5})"},
         400,
         "invalid-value"},
        {"an amount in exponent form",
         {"POST", decision, coordinator, R"({"outcome": "approved", "amountCents": 9e5})"},
         400,
         "invalid-value"},
        {"an amount as a string",
         {"POST", decision, coordinator, R"({"outcome": "approved", "amountCents": "900000"})"},
         400,
         "wrong-type"},
        {"an amount as a boolean",
         {"POST", decision, coordinator, R"({"outcome": "approved", "amountCents": true})"},
         400,
         "wrong-type"},
        {"a huge amount",
         {"POST", decision, coordinator, R"({"outcome": "approved", "amountCents": 123456789012345678901234567890})"},
         400,
         "malformed-json"},
        {"an amount above the schema's bound",
         {"POST", decision, coordinator, R"({"outcome": "approved", "amountCents": 100000000001})"},
         400,
         "invalid-value"},
        {"an approval without amount",
         {"POST", decision, coordinator, R"({"outcome": "approved"})"},
         400,
         "missing-field"},
        {"an unknown outcome", {"POST", decision, coordinator, R"({"outcome": "maybe"})"}, 400, "invalid-value"},
        {"an impossible date",
         {"POST", decision, coordinator, R"({"outcome": "rejected", "date": "2026-02-30", "reasons": ["x"]})"},
         400,
         "invalid-value"},
        {"reasons that are not strings",
         {"POST", decision, coordinator, R"({"outcome": "rejected", "reasons": [1, 2]})"},
         400,
         "wrong-type"},
        {"a zero payment",
         {"POST", payments, finance, R"({"amountCents": 0, "reference": "V"})", "application/json", key},
         400,
         "invalid-value"},
        {"a negative payment",
         {"POST", payments, finance, R"({"amountCents": -100, "reference": "V"})", "application/json", key},
         400,
         "invalid-value"},
        {"a payment without Idempotency-Key",
         {"POST", payments, finance, R"({"amountCents": 100, "reference": "V"})"},
         400,
         "idempotency-key-missing"},
        {"a payment id with a slash",
         {"POST", payments, finance, R"({"amountCents": 100, "reference": "V", "paymentId": "../p"})",
          "application/json", key},
         400,
         "invalid-value"},
        {"a payment the workflow refuses",
         {"POST", payments, finance, R"({"amountCents": 100, "reference": "V"})", "application/json", key},
         409,
         "event-not-allowed"},
        {"path traversal in a document name",
         {"GET", "/api/v1/situations/12/documents/..%2F..%2Fetc%2Fpasswd", manager},
         400,
         "bad-request"},
        {"a dotted document name",
         {"GET", "/api/v1/situations/12/documents/care-plan.xml", manager},
         400,
         "bad-request"},
        {"a NUL in a path segment",
         {"GET", "/api/v1/situations/12/documents/care%00plan", manager},
         400,
         "bad-request"},
        {"a broken %-escape", {"GET", "/api/v1/situations/12/documents/care%zzplan", manager}, 400, "bad-request"},
        {"dot segments", {"GET", "/api/v1/situations/12/documents/../../../../etc/passwd", manager}, 404, "not-found"},
        {"SQL in a situation id", {"GET", "/api/v1/situations/12%20OR%201=1", coordinator}, 404, "not-found"},
        {"SQL in a state filter",
         {"GET", "/api/v1/situations?state=%27%20OR%20%271%27=%271", coordinator},
         400,
         "bad-request"},
        {"SQL in a request id",
         {"POST", "/api/v1/funding-requests/12/fr1'%20OR%20'1'='1/decision", coordinator,
          R"({"outcome": "rejected", "reasons": ["x"]})"},
         404,
         "not-found"},
        {"SQL in a year", {"GET", "/api/v1/envelopes/2026;DROP%20TABLE%20events", finance}, 400, "bad-request"},
        {"SQL in a registration",
         {"POST", "/api/v1/situations", coordinator,
          "{\"document\": " +
              jsonString("<situation><youth><reference>x'; DROP TABLE events; --</reference></youth></situation>") +
              "}"},
         422,
         "invalid-document"},
        {"an unknown query parameter", {"GET", "/api/v1/situations?pageSize=5", coordinator}, 400, "bad-request"},
        {"an unknown year", {"GET", "/api/v1/envelopes/2031", finance}, 404, "not-found"},
        {"an unknown situation", {"GET", "/api/v1/situations/999999", coordinator}, 404, "not-found"},
        {"a method the path does not take",
         {"DELETE", "/api/v1/situations/12", coordinator},
         405,
         "method-not-allowed"},
        {"a token of the wrong shape", {"GET", "/api/v1/situations", "not-a-token"}, 401, "unauthenticated"},
        {"a forged token",
         {"GET", "/api/v1/situations", "cfk_000000000000_" + std::string(64, 'a')},
         401,
         "unauthenticated"},
    };
    for (const auto& bad : cases) {
        INFO(bad.what);
        const Response response = service.send(bad.request);
        INFO(response.body);
        CHECK(response.status == bad.status);
        CHECK(response.header("content-type").rfind("application/problem+json", 0) == 0);
        CHECK(problemType(response) == bad.type);
        CHECK(response.json()->getValue<int>("status") == bad.status);
        CHECK_FALSE(response.json()->getValue<std::string>("detail").empty());
    }
    // The refused IBAN names its rule.
    const Response iban = service.post(events, "case_manager",
                                       "{\"event\": \"dossier.submitted\", \"data\": " + jsonString(badIban) + "}");
    auto rules = iban.json()->getArray("rules");
    REQUIRE(rules);
    CHECK(rules->getObject(0)->getValue<std::string>("id") == "R15");
    // The unknown field is named, for the client to fix.
    const Response unknown =
        service.post(events, "case_manager", R"({"event": "consent.recorded", "priority": "high"})");
    CHECK(unknown.json()->getValue<std::string>("field") == "priority");

    CHECK(service.storedState() == before);
    CHECK(service.get("/health", "").status == 200);
}

TEST_CASE("Oversized, truncated and slow bodies are refused and the server stays up", "[service]") {
    ServiceFixture service([](caseflow::service::ServiceConfig& config) {
        config.maxBodyBytes = 64 * 1024;
        config.socketTimeoutSeconds = 1;
        config.bodyTimeoutSeconds = 2;
    });
    const auto before = service.storedState();
    const std::string token = service.token("case_manager");
    const std::string head = "POST /api/v1/situations/12/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                             "\r\nContent-Type: application/json\r\n";

    SECTION("a body over the limit is 413, announced or not") {
        const std::string big = "{\"event\": \"consent.recorded\", \"data\": \"" + std::string(70 * 1024, 'x') + "\"}";
        Response response = service.send({"POST", "/api/v1/situations/12/events", token, big});
        CHECK(response.status == 413);
        CHECK(response.json()->getValue<std::string>("type") == "urn:caseflow:problem:payload-too-large");
        // Announced as enormous and never sent: refused from the headers alone.
        const std::string answer = rawExchange(service.port(), head + "Content-Length: 10000000000\r\n\r\n", false);
        CHECK(statusOf(answer) == 413);
        // Chunked, so the size is only known while reading.
        std::string chunked = head + "Transfer-Encoding: chunked\r\n\r\n";
        for (int n = 0; n < 80; ++n) chunked += "400\r\n" + std::string(1024, 'y') + "\r\n";
        chunked += "0\r\n\r\n";
        CHECK(statusOf(rawExchange(service.port(), chunked, true)) == 413);
    }
    SECTION("a body shorter than its Content-Length is 400 truncated-body") {
        const std::string answer = rawExchange(service.port(), head + "Content-Length: 100\r\n\r\n{\"event\":", true);
        CHECK(statusOf(answer) == 400);
        CHECK(answer.find("urn:caseflow:problem:truncated-body") != std::string::npos);
    }
    SECTION("a body that stops arriving is 408") {
        const std::string answer = rawExchange(service.port(), head + "Content-Length: 100\r\n\r\n{\"event\":", false,
                                               std::chrono::milliseconds(100));
        CHECK(statusOf(answer) == 408);
        CHECK(answer.find("urn:caseflow:problem:request-timeout") != std::string::npos);
    }
    SECTION("garbage instead of HTTP is 400 from the HTTP layer") {
        const std::string answer = rawExchange(service.port(), "\x16\x03\x01 this is not http\r\n\r\n", true);
        INFO(answer);
        CHECK((statusOf(answer) == 400 || answer.empty()));
    }
    CHECK(service.get("/health", "").status == 200);
    CHECK(service.storedState() == before);
}
