// Amounts, dates, numbers and times as Belgian readers expect them, checked against what
// ICU 72 (Debian 12) prints: the group separator of fr_BE is U+202F (narrow no-break space),
// the space before € U+00A0; nl_BE puts € first with U+00A0. Amounts are integer cents and
// never go through floating point. Times are stored in UTC and shown in Europe/Brussels.
#include "render/RenderTestSupport.h"

#include "core/Errors.h"
#include "i18n/MoneyFormat.h"
#include "render/LanguageSpec.h"
#include "render/LocaleFormat.h"

#include <catch2/catch.hpp>

using namespace caseflow;
using namespace caseflow::render;

namespace {
const std::string nnbsp = "\u202f"; // narrow no-break space
const std::string nbsp = "\u00a0";  // no-break space
} // namespace

TEST_CASE("Amounts in cents are written the fr_BE and nl_BE way", "[render]") {
    CHECK(i18n::formatMoney(1000000, "fr") == "10" + nnbsp + "000,00" + nbsp + "€");
    CHECK(i18n::formatMoney(1000000, "nl") == "€" + nbsp + "10.000,00");
    CHECK(i18n::formatMoney(5, "fr") == "0,05" + nbsp + "€");
    CHECK(i18n::formatMoney(214000, "nl") == "€" + nbsp + "2.140,00");
    SECTION("large amounts stay exact (no floating point)") {
        CHECK(i18n::formatMoney(100000000001, "fr") ==
              "1" + nnbsp + "000" + nnbsp + "000" + nnbsp + "000,01" + nbsp + "€");
    }
}

TEST_CASE("cf:format-money reads cents exactly, from attributes and from cf:sum-cents", "[render]") {
    using namespace caseflow::test::render;
    TemplateDirectory directory;
    directory.write(
        "doc.xhtml",
        templateText(
            R"~(<p t:text="cf:format-money(cf:sum-cents(//line/@amount))">t</p><p t:text="cf:format-money(//line[2]/@amount)">a</p><p t:text="cf:format-money('12.5')">bad</p>)~"));
    Environment environment(directory.path(), "tpl");
    const auto data =
        xml::parseString(R"~(<situation><line amount="9007199254740000"/><line amount="992"/></situation>)~", "data");
    RenderInputs inputs;
    inputs.situation = data.get();
    inputs.language = LanguageSpec::parse("nl");
    const std::string body = bodyOf(environment.get("doc")->render(inputs));
    CHECK(body == "<p>€" + nbsp + "90.071.992.547.409,92</p><p>€" + nbsp +
                      "9,92</p><p class=\"not-provided\">niet ingevuld</p>");
}

TEST_CASE("Dates are written the way each language writes them", "[render]") {
    const Date date = Date::parseOrThrow("2026-02-11", "test");
    CHECK(formatDate(date, "fr") == "11 février 2026");
    CHECK(formatDate(date, "nl") == "11 februari 2026");
    CHECK(formatDate(date, "fr", DateStyle::Full) == "mercredi 11 février 2026");
    CHECK(formatDate(date, "nl", DateStyle::Full) == "woensdag 11 februari 2026");
    CHECK(formatDate(date, "fr", DateStyle::Numeric) == "11/02/2026");
    CHECK(formatDate(date, "nl", DateStyle::Numeric) == "11/02/2026");
    CHECK_FALSE(formatIsoDate("2026-02-30", "fr").has_value());
    CHECK_FALSE(formatIsoDate("", "fr").has_value());
    CHECK(formatIsoDate(" 2026-02-28\n", "fr") == "28 février 2026");
}

TEST_CASE("Instants are stored in UTC and shown in Brussels time, summer time included", "[render]") {
    CHECK(formatInstant("2026-02-13T09:30:00Z", "fr") == "13 février 2026 à 10:30");
    CHECK(formatInstant("2026-07-03T08:15:00.000Z", "fr") == "3 juillet 2026 à 10:15");
    CHECK(formatInstant("2026-07-03T08:15:00.000Z", "nl") == "3 juli 2026 om 10:15");
    // The night the clocks go back: 00:30 UTC is 02:30 summer time, 01:30 UTC is 02:30 winter time.
    CHECK(formatInstant("2026-10-25T00:30:00Z", "fr") == "25 octobre 2026 à 02:30");
    CHECK(formatInstant("2026-10-25T01:30:00Z", "fr") == "25 octobre 2026 à 02:30");
    CHECK(formatInstant("2026-12-31T23:30:00Z", "nl") == "1 januari 2027 om 00:30");
    CHECK_FALSE(formatInstant("2026-13-01T00:00:00Z", "fr").has_value());
    CHECK_FALSE(formatInstant("yesterday", "fr").has_value());
}

TEST_CASE("Numbers are grouped per locale", "[render]") {
    CHECK(formatInteger(12345, "fr") == "12" + nnbsp + "345");
    CHECK(formatInteger(12345, "nl") == "12.345");
    CHECK(formatInteger(7, "nl") == "7");
}

TEST_CASE("The language parameter is fr, nl, fr+nl or nl+fr", "[render]") {
    CHECK(LanguageSpec::parse("fr").languages() == std::vector<std::string>{"fr"});
    CHECK(LanguageSpec::parse("nl+fr").languages() == std::vector<std::string>{"nl", "fr"});
    CHECK(LanguageSpec::parse("fr+nl").bilingual());
    for (const auto* bad : {"", "en", "de", "fr+fr", "fr+", "+nl", "FR", "fr+nl+fr"}) {
        INFO(bad);
        CHECK_THROWS_AS(LanguageSpec::parse(bad), UsageError);
        CHECK_THROWS_WITH(LanguageSpec::parse(bad), Catch::Contains("languages are: fr, nl, fr+nl, nl+fr"));
    }
}
