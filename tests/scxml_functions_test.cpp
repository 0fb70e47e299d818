// Specification of the cf: XPath functions that guards call (urn:caseflow:functions), at their
// edges: birthdays, month ends, leap days, invalid dates, IBAN checks, exact sums of cents;
// and of the ISO 8601 durations and date-times that deadlines use.
#include "core/Errors.h"
#include "model/Clock.h"
#include "model/Date.h"
#include "support/TestSupport.h"
#include "workflow/IsoDuration.h"
#include "workflow/XPathFunctions.h"
#include "xml/Xml.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <optional>

using namespace caseflow;
using namespace caseflow::workflow;

namespace {

// A small document and an XPath context with the cf: functions registered.
struct Functions {
    explicit Functions(const std::string& text = "<data/>")
        : document(xml::parseString(text, "data.xml")), xpath(document.get()) {
        registerCaseflowFunctions(xpath.context());
    }
    double number(const std::string& expression) { return xpath.number(expression); }
    std::string string(const std::string& expression) { return xpath.string(expression); }
    bool boolean(const std::string& expression) { return xpath.boolean(expression); }
    xml::Document document;
    xml::XPath xpath;
};

// libxml2 prints some evaluation errors ("function not found") on its generic channel: keep
// the test output clean while a test provokes one on purpose.
class QuietGenericErrors {
public:
    QuietGenericErrors() { xmlSetGenericErrorFunc(nullptr, ignore); }
    ~QuietGenericErrors() { xmlSetGenericErrorFunc(nullptr, nullptr); }
    QuietGenericErrors(const QuietGenericErrors&) = delete;
    QuietGenericErrors& operator=(const QuietGenericErrors&) = delete;

private:
    static void ignore(void*, const char*, ...) {}
};

} // namespace

TEST_CASE("cf:age counts whole years, the birthday itself included", "[scxml][functions]") {
    Functions f("<youth><birthDate>\n  2006-05-10\n</birthDate></youth>");
    REQUIRE(f.number("cf:age('2006-05-10', '2024-05-09')") == 17);
    REQUIRE(f.number("cf:age('2006-05-10', '2024-05-10')") == 18);
    REQUIRE(f.number("cf:age('2006-05-10', '2006-05-10')") == 0);
    REQUIRE(f.number("cf:age(birthDate, '2029-05-10')") == 23); // node values may be indented
    REQUIRE(f.number("cf:age(birthDate, '2030-05-09')") == 23);
    REQUIRE(f.number("cf:age(birthDate, '2030-05-10')") == 24);

    SECTION("someone born on 29 February is a year older on 1 March in common years") {
        REQUIRE(f.number("cf:age('2008-02-29', '2023-02-28')") == 14);
        REQUIRE(f.number("cf:age('2008-02-29', '2023-03-01')") == 15);
        REQUIRE(f.number("cf:age('2008-02-29', '2024-02-28')") == 15);
        REQUIRE(f.number("cf:age('2008-02-29', '2024-02-29')") == 16);
    }
    SECTION("invalid dates and days before birth give NaN, so comparisons are false") {
        REQUIRE(std::isnan(f.number("cf:age('2023-02-29', '2024-01-01')")));
        REQUIRE(std::isnan(f.number("cf:age('2006-13-01', '2024-01-01')")));
        REQUIRE(std::isnan(f.number("cf:age('10/05/2006', '2024-01-01')")));
        REQUIRE(std::isnan(f.number("cf:age('', '2024-01-01')")));
        REQUIRE(std::isnan(f.number("cf:age(missing, '2024-01-01')")));
        REQUIRE(std::isnan(f.number("cf:age('2024-01-02', '2024-01-01')")));
        REQUIRE_FALSE(f.boolean("cf:age('2023-02-29', '2024-01-01') <= 23"));
    }
    SECTION("a wrong number of arguments is an XPath error") {
        REQUIRE_THROWS_AS(f.number("cf:age('2006-05-10')"), InvalidInput);
    }
}

TEST_CASE("cf:months-between counts whole calendar months, consistent with cf:add-months", "[scxml][functions]") {
    Functions f;
    REQUIRE(f.number("cf:months-between('2024-01-15', '2024-07-14')") == 5);
    REQUIRE(f.number("cf:months-between('2024-01-15', '2024-07-15')") == 6);
    REQUIRE(f.number("cf:months-between('2024-01-15', '2024-01-15')") == 0);
    REQUIRE(f.number("cf:months-between('2023-12-31', '2024-01-01')") == 0);

    SECTION("across month ends, a month is complete on the same day or on the month's last day") {
        REQUIRE(f.number("cf:months-between('2023-01-31', '2023-02-27')") == 0);
        REQUIRE(f.number("cf:months-between('2023-01-31', '2023-02-28')") == 1);
        REQUIRE(f.number("cf:months-between('2024-01-31', '2024-02-28')") == 0);
        REQUIRE(f.number("cf:months-between('2024-01-31', '2024-02-29')") == 1);
        REQUIRE(f.number("cf:months-between('2024-08-31', '2025-02-28')") == 6);
        REQUIRE(f.number("cf:months-between('2024-02-29', '2025-02-28')") == 12);
    }
    SECTION("negative when the second date is earlier") {
        REQUIRE(f.number("cf:months-between('2024-07-15', '2024-01-15')") == -6);
        REQUIRE(f.number("cf:months-between('2024-07-15', '2024-01-16')") == -5);
        REQUIRE(f.number("cf:months-between('2023-02-28', '2023-01-31')") == -1);
    }
    SECTION("invalid dates give NaN") {
        REQUIRE(std::isnan(f.number("cf:months-between('2023-02-29', '2024-01-01')")));
        REQUIRE(std::isnan(f.number("cf:months-between('2024-01-01', 'soon')")));
    }
    SECTION("months-between(d, add-months(d, n)) = n") {
        for (const char* date : {"2024-01-31", "2024-02-29", "2023-03-30", "2023-12-31", "2024-06-15"}) {
            for (int n = -14; n <= 14; ++n) {
                const std::string moved = "cf:add-months('" + std::string(date) + "', " + std::to_string(n) + ")";
                CAPTURE(date, n);
                REQUIRE(f.number("cf:months-between('" + std::string(date) + "', " + moved + ")") == n);
            }
        }
    }
}

TEST_CASE("cf:add-months clamps to the month's end and cf:add-days crosses months and leap days",
          "[scxml][functions]") {
    Functions f;
    REQUIRE(f.string("cf:add-months('2024-01-31', 1)") == "2024-02-29");
    REQUIRE(f.string("cf:add-months('2023-01-31', 1)") == "2023-02-28");
    REQUIRE(f.string("cf:add-months('2024-02-29', 12)") == "2025-02-28");
    REQUIRE(f.string("cf:add-months('2024-03-31', -1)") == "2024-02-29");
    REQUIRE(f.string("cf:add-months('2024-08-31', 6)") == "2025-02-28");
    REQUIRE(f.string("cf:add-months('2024-11-15', 2)") == "2025-01-15");
    REQUIRE(f.string("cf:add-months('2024-01-15', 0)") == "2024-01-15");

    REQUIRE(f.string("cf:add-days('2024-02-28', 1)") == "2024-02-29");
    REQUIRE(f.string("cf:add-days('2024-02-29', 1)") == "2024-03-01");
    REQUIRE(f.string("cf:add-days('2023-02-28', 1)") == "2023-03-01");
    REQUIRE(f.string("cf:add-days('2024-01-01', -1)") == "2023-12-31");
    REQUIRE(f.string("cf:add-days('2024-12-31', 14)") == "2025-01-14");

    SECTION("invalid input gives the empty string, which is not a date") {
        REQUIRE(f.string("cf:add-months('2023-02-29', 1)").empty());
        REQUIRE(f.string("cf:add-months('2024-01-31', 1.5)").empty());
        REQUIRE(f.string("cf:add-months('2024-01-31', 'x')").empty());
        REQUIRE(f.string("cf:add-months('9999-12-01', 1)").empty());
        REQUIRE(f.string("cf:add-days('2024-02-30', 1)").empty());
        REQUIRE(f.string("cf:add-days('2024-01-01', 1 div 0)").empty());
        REQUIRE(f.string("cf:add-days('0001-01-01', -1)").empty());
        REQUIRE_FALSE(f.boolean("cf:date(cf:add-days('nope', 1))"));
    }
}

TEST_CASE("cf:date tells a real ISO date from anything else", "[scxml][functions]") {
    Functions f("<d><when> 2024-02-29 </when></d>");
    REQUIRE(f.boolean("cf:date('2024-02-29')"));
    REQUIRE(f.boolean("cf:date(when)"));
    REQUIRE(f.boolean("cf:date('0001-01-01')"));
    REQUIRE_FALSE(f.boolean("cf:date('2023-02-29')"));
    REQUIRE_FALSE(f.boolean("cf:date('2024-13-01')"));
    REQUIRE_FALSE(f.boolean("cf:date('2024-04-31')"));
    REQUIRE_FALSE(f.boolean("cf:date('2024-1-01')"));
    REQUIRE_FALSE(f.boolean("cf:date('2024-02-29T10:00:00Z')"));
    REQUIRE_FALSE(f.boolean("cf:date('')"));
    REQUIRE_FALSE(f.boolean("cf:date(missing)"));
}

TEST_CASE("cf:today is the Brussels date unless the business clock is fixed", "[scxml][functions]") {
    Functions f;
    SECTION("a fixed business date replaces the clock, for tests and replays") {
        FixedBusinessDate today("2024-02-29");
        REQUIRE(f.string("cf:today()") == "2024-02-29");
        REQUIRE(f.number("cf:age('2006-02-28', cf:today())") == 18);
    }
    SECTION("without one, today's date in Brussels") {
        FixedBusinessDate today(std::nullopt);
        const std::string value = f.string("cf:today()");
        REQUIRE(f.boolean("cf:date(cf:today())"));
        // Brussels is one or two hours ahead of UTC: its date is UTC's, or the next day's.
        const Date utc(
            std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())});
        REQUIRE((value == utc.iso() || value == utc.addDays(1).iso()));
    }
}

TEST_CASE("cf:sum-cents adds integer cents exactly", "[scxml][functions]") {
    Functions f("<request><line>1250</line><line> 300 </line><line>-50</line>"
                "<big>4503599627370496</big><big>4503599627370496</big><big>1</big>"
                "<max>9223372036854775807</max><max>1</max>"
                "<bad>12.50</bad><bad>abc</bad><bad></bad></request>");
    REQUIRE(f.number("cf:sum-cents(line)") == 1500);
    REQUIRE(f.number("cf:sum-cents(nothing)") == 0);
    REQUIRE(f.number("cf:sum-cents(line[1])") == 1250);
    // 2^53 cents is still exact; one cent more could not be represented and gives NaN.
    REQUIRE(f.number("cf:sum-cents(big[position() <= 2])") == 9007199254740992.0);
    REQUIRE(std::isnan(f.number("cf:sum-cents(big)")));
    REQUIRE(std::isnan(f.number("cf:sum-cents(max)")));
    REQUIRE(std::isnan(f.number("cf:sum-cents(bad[1])")));
    REQUIRE(std::isnan(f.number("cf:sum-cents(bad[2])")));
    REQUIRE(std::isnan(f.number("cf:sum-cents(bad[3])")));
    REQUIRE(std::isnan(f.number("cf:sum-cents(line | bad)")));
    REQUIRE_FALSE(f.boolean("cf:sum-cents(bad) <= 1000000"));
    SECTION("a string argument is a type error") {
        REQUIRE_THROWS_AS(f.number("cf:sum-cents('12')"), InvalidInput);
    }
}

TEST_CASE("cf:valid-iban applies the ISO 13616 mod-97 check", "[scxml][functions]") {
    Functions f;
    REQUIRE(f.boolean("cf:valid-iban('BE68539007547034')"));
    REQUIRE(f.boolean("cf:valid-iban('BE68 5390 0754 7034')"));
    REQUIRE(f.boolean("cf:valid-iban('be68 5390 0754 7034')"));
    REQUIRE(f.boolean("cf:valid-iban('GB82 WEST 1234 5698 7654 32')"));
    REQUIRE(f.boolean("cf:valid-iban('NL91ABNA0417164300')"));
    REQUIRE_FALSE(f.boolean("cf:valid-iban('BE69539007547034')"));    // wrong check digits
    REQUIRE_FALSE(f.boolean("cf:valid-iban('BE68539007547043')"));    // swapped digits
    REQUIRE_FALSE(f.boolean("cf:valid-iban('BE68-5390-0754-7034')")); // foreign separator
    REQUIRE_FALSE(f.boolean("cf:valid-iban('68BE539007547034')"));
    REQUIRE_FALSE(f.boolean("cf:valid-iban('BE68')"));
    REQUIRE_FALSE(f.boolean("cf:valid-iban('')"));
    REQUIRE_FALSE(f.boolean("cf:valid-iban('BE68539007547034BE68539007547034BE68')"));
}

TEST_CASE("cf:iban-problem names the ISO 13616 check an IBAN fails, so R15 can say what to fix", "[scxml][functions]") {
    Functions f;
    REQUIRE(f.string("cf:iban-problem('BE68 5390 0754 7034')").empty());
    REQUIRE(f.string("cf:iban-problem('BE68-5390-0754-7034')") == "characters");
    REQUIRE(f.string("cf:iban-problem('XX68 5390 0754 7034')") == "country");
    REQUIRE(f.string("cf:iban-problem('BE68 5390 0754 703')") == "length"); // a digit missing: mod 97 alone may pass
    REQUIRE(f.string("cf:iban-problem('BE69 5390 0754 7034')") == "check-digits");
}

TEST_CASE("The cf prefix is bound by registerNamespaces", "[scxml][functions]") {
    auto document = xml::parseString("<d/>", "d.xml");
    xml::XPath xpath(document.get());
    registerNamespaces(xpath.context());
    // The prefix is known, the functions are not registered: the call fails at evaluation.
    const QuietGenericErrors quiet;
    REQUIRE_THROWS_AS(xpath.boolean("cf:date('2024-01-01')"), InvalidInput);
    registerCaseflowFunctions(xpath.context());
    registerCaseflowFunctions(xpath.context()); // registering twice is harmless
    REQUIRE(xpath.boolean("cf:date('2024-01-01')"));
}

TEST_CASE("Deadline delays are ISO 8601 durations applied with calendar arithmetic", "[scxml][functions]") {
    using namespace std::chrono;
    REQUIRE(IsoDuration::parse("P6M")->months == 6);
    REQUIRE(IsoDuration::parse("P14D")->days == 14);
    REQUIRE(IsoDuration::parse("PT48H")->hours == 48);
    REQUIRE(IsoDuration::parse("P1Y2M3W4DT5H6M7S").has_value());
    for (const char* bad :
         {"", "P", "PT", "6M", "P6", "P1.5M", "PM", "P1M1Y", "P1D T1H", "P1H", "PT1D", "P1MT", "p6m", "P1234567D"}) {
        CAPTURE(bad);
        REQUIRE_FALSE(IsoDuration::parse(bad).has_value());
    }
    const sys_seconds endOfJanuary = sys_days{2024y / January / 31} + 10h;
    REQUIRE(IsoDuration::parse("P1M")->addTo(endOfJanuary) == sys_days{2024y / February / 29} + 10h);
    REQUIRE(IsoDuration::parse("P6M")->addTo(sys_days{2024y / August / 31}) == sys_days{2025y / February / 28});
    REQUIRE(IsoDuration::parse("PT48H")->addTo(endOfJanuary) == sys_days{2024y / February / 2} + 10h);
    REQUIRE(IsoDuration::parse("P2W")->addTo(endOfJanuary) == sys_days{2024y / February / 14} + 10h);
}

TEST_CASE("cf:at values must be ISO 8601 dates or date-times", "[scxml][functions]") {
    for (const char* good : {"2024-02-29", "2024-02-29T10:00", "2024-02-29T10:00:59", "2024-02-29T10:00:00.250Z",
                             "2024-02-29T23:59:00+01:00", "2024-02-29T00:00:00-05:30"}) {
        CAPTURE(good);
        REQUIRE(isIsoDateOrDateTime(good));
    }
    for (const char* bad : {"", "2023-02-29", "2024-02-29T", "2024-02-29T24:00", "2024-02-29T10:60", "2024-02-29 10:00",
                            "2024-02-29T10:00:00+1", "2024-02-29T10:00Zulu", "tomorrow", "2024-02-29T10:00:00."}) {
        CAPTURE(bad);
        REQUIRE_FALSE(isIsoDateOrDateTime(bad));
    }
}
