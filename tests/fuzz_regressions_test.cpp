// What the fuzz targets found (fuzz/regressions/README.md), each pinned at the front end a user
// meets: the inputs themselves are replayed by the fuzz.TARGET.replay tests; these say what
// registration, event data and the JSON reader answer for them.
#include "support/TestSupport.h"

#include "core/Errors.h"
#include "model/Situation.h"
#include "service/JsonBody.h"
#include "service/Problem.h"

#include <Poco/JSON/Stringifier.h>

#include <catch2/catch.hpp>

#include <sstream>

using namespace caseflow;

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
            CHECK(body.str().find("expected digit") != std::string::npos); // the reason is still given
        }
    }
}
