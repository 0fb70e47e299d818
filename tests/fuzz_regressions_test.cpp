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

TEST_CASE("a document with a NUL byte is refused instead of read up to it, and one part alone is not a situation",
          "[fuzz-regression]") {
    const std::string valid = test::readFile(test::testsDir() / "fixtures" / "minimal-situation.xml");
    REQUIRE_NOTHROW(Situation::parse(valid, "situation.xml"));
    // libxml2 stops at the NUL: what comes after it would have been dropped without a word.
    CHECK_THROWS_WITH(Situation::parse(valid + std::string(1, '\0') + "<trailing/>", "situation.xml"),
                      Catch::Matchers::Contains("situation.xml: a NUL byte (at byte " + std::to_string(valid.size()) +
                                                ") is not allowed in XML"));
    CHECK_THROWS_AS(Situation::parse(test::readFile(test::projectDir() / "fuzz" / "regressions" / "situation_xml" /
                                                    "nul-byte-cuts-the-document.xml"),
                                     "fuzz input"),
                    InvalidInput);
    // The schema declares some of a situation's parts globally: one alone validates against it.
    CHECK_THROWS_WITH(
        Situation::parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<birthDate>2015-08-09</birthDate>\n",
                         "situation.xml"),
        "situation.xml: the root element is <birthDate>, a situation's is <situation>");
}
