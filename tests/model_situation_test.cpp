// Specifications of the situation document: what the schema accepts and refuses, how
// event data is put in place, and how the category (R2) is derived at every band edge.
#include "core/Errors.h"
#include "model/NetworkSettings.h"
#include "model/Situation.h"
#include "support/TestSupport.h"

#include <catch2/catch.hpp>

#include <regex>

using namespace caseflow;
using caseflow::test::projectDir;
using caseflow::test::readFile;
using caseflow::test::testsDir;

namespace {

std::string minimalSituation() {
    return readFile(testsDir() / "fixtures/minimal-situation.xml");
}

std::string withoutElement(std::string text, const std::string& element) {
    return std::regex_replace(text, std::regex("\\s*<" + element + ">[^<]*</" + element + ">"), "");
}

std::shared_ptr<const NetworkSettings> namur() {
    static const auto settings = NetworkSettings::fromFile(projectDir() / "samples/namur/network.xml");
    return settings;
}

std::string allDetails(const InvalidInput& error) {
    std::string all;
    for (const auto& detail : error.details()) all += detail + "\n";
    return all;
}

} // namespace

TEST_CASE("a minimal registration document is a valid situation", "[model]") {
    auto situation = Situation::parse(minimalSituation(), "minimal.xml");
    CHECK(situation.reference() == "KIR-26-900");
    CHECK(situation.municipality() == "Namur");
    CHECK_FALSE(situation.emergency());
    CHECK(situation.birthDate().iso() == "2014-05-17");
}

TEST_CASE("a situation missing a required field is refused with the file, line and field", "[model]") {
    const auto required =
        GENERATE(as<std::string>{}, "reference", "birthDate", "environment", "postalCode", "municipality", "emergency");
    const std::string text = withoutElement(minimalSituation(), required);
    REQUIRE(text != minimalSituation());
    try {
        Situation::parse(text, "broken.xml");
        FAIL("accepted a situation without " << required);
    } catch (const InvalidInput& error) {
        const std::string details = allDetails(error);
        CHECK_THAT(details, Catch::Contains("broken.xml:"));
        CHECK_THAT(details, Catch::Contains(required == "emergency" ? "emergency" : required));
    }
}

TEST_CASE("a typed-in category is refused: the category is derived, never entered", "[model]") {
    std::string text = minimalSituation();
    text.replace(text.find("<emergency>"), 0, "<category>3</category>");
    CHECK_THROWS_AS(Situation::parse(text, "category.xml"), InvalidInput);
}

TEST_CASE("wrong values are refused by the schema", "[model]") {
    auto replace = [](std::string text, const std::string& from, const std::string& to) {
        text.replace(text.find(from), from.size(), to);
        return text;
    };
    const auto base = minimalSituation();
    CHECK_THROWS_AS(Situation::parse(replace(base, "2014-05-17", "2014-02-30"), "d.xml"), InvalidInput);
    CHECK_THROWS_AS(Situation::parse(replace(base, ">family<", ">street<"), "e.xml"), InvalidInput);
    CHECK_THROWS_AS(Situation::parse(replace(base, ">false<", ">maybe<"), "f.xml"), InvalidInput);
    CHECK_THROWS_AS(Situation::parse(replace(base, "KIR-26-900", "<b>x</b>"), "g.xml"), InvalidInput);
}

TEST_CASE("event data is put in place in the schema's order and lists replace by id", "[model]") {
    auto situation = Situation::parse(minimalSituation(), "minimal.xml");
    auto partner = parseEventData(
        R"(<partner id="p1" sector="mental-health"><organisation>SSM Namur</organisation></partner>)", "p.xml");
    auto request = parseEventData(
        R"(<request date="2026-02-03" requestedBy="p1"><reason>Repeated school refusal.</reason></request>)", "r.xml");
    auto consent =
        parseEventData(R"(<consent type="informed" given="true" date="2026-02-02" recordedBy="Julie Maes"/>)", "c.xml");
    situation.apply(xml::root(request.get()));
    situation.apply(xml::root(partner.get()));
    situation.apply(xml::root(consent.get()));
    REQUIRE_NOTHROW(situation.validate("after events"));

    auto renamed = parseEventData(
        R"(<partner id="p1" sector="mental-health"><organisation>SSM de Namur</organisation></partner>)", "p2.xml");
    situation.apply(xml::root(renamed.get()));
    xml::XPath xpath(situation.document());
    CHECK(xpath.number("count(/situation/partners/partner)") == 1);
    CHECK(xpath.string("/situation/partners/partner/organisation") == "SSM de Namur");
    CHECK(xpath.string("name(/situation/*[3])") == "consents");
    CHECK(xpath.string("name(/situation/*[last()])") == "request");
}

TEST_CASE("event data that is not a part of a situation is refused by the schema", "[model]") {
    CHECK_THROWS_AS(parseEventData("<youth><reference>X1</reference></youth>", "y.xml"), InvalidInput);
    CHECK_THROWS_AS(
        parseEventData(R"(<payment id="x" request="f1" date="2026-01-01" amount="-5" reference="r"/>)", "n.xml"),
        InvalidInput);
    CHECK_THROWS_AS(
        parseEventData(R"(<payment id="x" request="f1" date="2026-01-01" amount="12.50" reference="r"/>)", "f.xml"),
        InvalidInput);
}

TEST_CASE("the category is derived at every age band edge", "[model]") {
    struct Case {
        const char* birth;
        const char* on;
        LivingEnvironment environment;
        std::optional<int> category;
    };
    const Case cases[] = {
        {"2020-03-10", "2026-03-09", LivingEnvironment::Family, 1},                 // 5, the day before turning 6
        {"2020-03-10", "2026-03-10", LivingEnvironment::Family, 2},                 // 6 on the birthday itself
        {"2010-06-01", "2026-05-31", LivingEnvironment::Family, 2},                 // 15
        {"2010-06-01", "2026-06-01", LivingEnvironment::Family, 3},                 // 16
        {"2002-09-15", "2026-09-14", LivingEnvironment::Institution, 6},            // 23
        {"2002-09-15", "2026-09-15", LivingEnvironment::Institution, std::nullopt}, // 24: out of range
        {"2024-01-01", "2026-01-01", LivingEnvironment::Institution, 4},
        {"2014-04-01", "2026-04-01", LivingEnvironment::Institution, 5}, // 12: the 11-12 transition
        {"2008-03-01", "2026-02-28", LivingEnvironment::Family, 3},      // 17, the 18 transition
    };
    for (const Case& c : cases) {
        INFO("born " << c.birth << " on " << c.on);
        CHECK(namur()->category(*Date::parse(c.birth), c.environment, *Date::parse(c.on)) == c.category);
    }
}

TEST_CASE("dates refuse impossible days and count months like people do", "[model]") {
    CHECK_FALSE(Date::parse("2026-02-29"));
    CHECK_FALSE(Date::parse("2026-13-01"));
    CHECK_FALSE(Date::parse("26-01-01"));
    CHECK(Date::parse("2028-02-29"));
    CHECK(monthsBetween(*Date::parse("2026-01-31"), *Date::parse("2026-02-27")) == 0);
    CHECK(monthsBetween(*Date::parse("2026-01-31"), *Date::parse("2026-02-28")) == 1); // month's end reached
    CHECK(monthsBetween(*Date::parse("2026-01-30"), *Date::parse("2026-03-01")) == 1);
    CHECK(ageOn(*Date::parse("2008-02-29"), *Date::parse("2026-02-28")) == 17); // leap-day birthday
    CHECK(ageOn(*Date::parse("2008-02-29"), *Date::parse("2026-03-01")) == 18); // reached on 1 March
    CHECK(ageOn(*Date::parse("2008-02-29"), *Date::parse("2028-02-29")) == 20);
    CHECK(monthsBetween(*Date::parse("2026-01-15"), *Date::parse("2026-07-15")) == 6);
    CHECK(monthsBetween(*Date::parse("2026-01-15"), *Date::parse("2026-07-14")) == 5);
    CHECK(monthsBetween(*Date::parse("2026-07-15"), *Date::parse("2026-01-15")) == -6);
    CHECK(Date::parse("2026-01-31")->addMonths(1).iso() == "2026-02-28");
}

TEST_CASE("the Namur settings hold the numbers of the scheme", "[model]") {
    CHECK(namur()->ceilingPerIntervention() == 1000000);
    CHECK(namur()->minPartners() == 3);
    CHECK(namur()->minMentalHealthPartners() == 1);
    CHECK(namur()->followUpMinMonths() == 6);
    CHECK(namur()->maxAge() == 23);
    CHECK(namur()->pilotSituations() == 12);
    CHECK(namur()->inTerritory("5310")); // Éghezée
    CHECK(namur()->inTerritory("5000"));
    CHECK_FALSE(namur()->inTerritory("4000")); // Liège
    CHECK(namur()->envelope(2026) == 6000000);
}

TEST_CASE("invalid network settings are refused with the file and line", "[model]") {
    std::string text = readFile(projectDir() / "samples/namur/network.xml");
    text.replace(text.find("<minPartners>3</minPartners>"), 28, "<minPartners>three</minPartners>");
    try {
        NetworkSettings::fromString(text, "bad-network.xml");
        FAIL("accepted minPartners 'three'");
    } catch (const InvalidInput& error) {
        CHECK_THAT(allDetails(error), Catch::Contains("bad-network.xml:") && Catch::Contains("minPartners"));
    }
}
