// What the fuzz targets found (fuzz/regressions/README.md), each pinned at the front end a user
// meets: the inputs themselves are replayed by the fuzz.TARGET.replay tests; these say what the
// registration, the JSON reader and the server answer for them.
#include "service/ServiceFixture.h"

#include "model/Errors.h"
#include "model/Situation.h"
#include "service/JsonBody.h"
#include "service/Problem.h"

#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <catch2/catch.hpp>

#include <sstream>

using namespace caseflow;
using caseflow::test::http::ServiceFixture;

namespace {

std::string withBirthDate(const std::string& date) {
    std::string text = test::readFile(test::testsDir() / "fixtures" / "minimal-situation.xml");
    const auto open = text.find("<birthDate>") + std::string("<birthDate>").size();
    text.replace(open, text.find("</birthDate>") - open, date);
    return text;
}

} // namespace

TEST_CASE("a date xs:date accepts but the engine cannot read (five-digit year, sign, time zone) is refused by the "
          "schema",
          "[fuzz-regression]") {
    REQUIRE_NOTHROW(Situation::parse(withBirthDate("2015-08-09"), "situation.xml"));
    for (const std::string date : {"22015-08-09", "-2015-08-09", "2015-08-09Z", "2015-08-09+02:00"}) {
        INFO(date);
        CHECK_THROWS_AS(Situation::parse(withBirthDate(date), "situation.xml"), InvalidInput);
    }
    // The same type serves every date of an event's data: a payment dated in a time zone would
    // validate, be stored, and then fail every envelope, CSV and report that reads it.
    CHECK_THROWS_AS(
        parseEventData(R"(<payment id="p1" request="fr1" date="2026-03-02Z" amount="100" reference="r"/>)", "data"),
        InvalidInput);
    CHECK_NOTHROW(
        parseEventData(R"(<payment id="p1" request="fr1" date="2026-03-02" amount="100" reference="r"/>)", "data"));
}

TEST_CASE("a JSON body that ends inside a number gets a malformed-json problem written in valid UTF-8",
          "[fuzz-regression]") {
    try {
        service::JsonBody::parse("0.", {"amountCents"});
        FAIL("the body was accepted");
    } catch (const service::ProblemException& refused) {
        CHECK(refused.problem().kind() == service::ProblemKind::MalformedJson);
        for (const char* language : {"en", "fr", "nl"}) {
            std::ostringstream body;
            Poco::JSON::Stringifier::stringify(refused.problem().toJson(language, "/api/v1/situations"), body);
            INFO(body.str());
            CHECK(service::isValidUtf8(body.str()));
            CHECK(body.str().find("not valid JSON") != std::string::npos);
        }
    }
}

TEST_CASE("a Content-Length that is not a number is answered 400 and the connection closed, not 500",
          "[fuzz-regression][service]") {
    ServiceFixture service;
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", service.port()));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    const std::string head = "POST /api/v1/situations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             "Content-Length: 6\"\r\n\r\n";
    socket.sendBytes(head.data(), static_cast<int>(head.size()));
    std::string answer;
    char buffer[4096];
    try {
        for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;)
            answer.append(buffer, static_cast<std::size_t>(n));
    } catch (const Poco::Exception&) {
    }
    INFO(answer);
    REQUIRE(answer.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(answer.find("urn:caseflow:problem:bad-request") != std::string::npos);
    CHECK(answer.find("Content-Length must be a number of bytes.") != std::string::npos);
    CHECK(answer.find("Connection: close") != std::string::npos);
    // The server is still up for the next client.
    CHECK(service.send({"GET", "/health", "", ""}).status == 200);
}
