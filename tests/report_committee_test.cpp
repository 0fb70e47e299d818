// Specifications of the steering committee's report: figures checked against values
// computed by hand from the bundled samples, anonymity in every format, small-count
// suppression, and who may ask for it.
#include "support/Pilot.h"
#include "support/TestSupport.h"

#include <catch2/catch.hpp>

#include <regex>
#include <set>

using namespace caseflow;
using namespace caseflow::test;

namespace {

// The whole pilot once per test binary run: registering and driving 14 situations is the
// slow part, and every test here only reads.
const std::string& pilotDatabase() {
    static Pilot* pilot = [] {
        static Pilot instance;
        for (const auto& stem : sampleStems()) instance.runScenario(instance.registerSample(stem), stem);
        return &instance;
    }();
    static const std::string path = pilot->databasePath().string();
    return path;
}

CommandResult report(std::vector<std::string> extra) {
    std::vector<std::string> args = {"report", "committee", "--db",       pilotDatabase(), "--year",
                                     "2026",   "--as-of",   "2026-11-26", "--as",          "committee:Comité"};
    args.insert(args.end(), extra.begin(), extra.end());
    return runCli(args);
}

std::map<std::string, std::string> csvValues(const std::string& csv) {
    std::map<std::string, std::string> values;
    std::istringstream in(csv);
    for (std::string line; std::getline(in, line);) {
        const auto first = line.find(','), second = line.find(',', first + 1);
        if (first == std::string::npos || second == std::string::npos) continue;
        values[line.substr(0, second)] = line.substr(second + 1);
    }
    return values;
}

// Everything in the samples that could identify a young person: names, references, birth
// dates, and every free text (reasons, decisions, plans, consents...).
std::set<std::string> identifyingStrings() {
    std::set<std::string> found;
    std::vector<std::filesystem::path> files;
    for (const char* folder : {"situations", "scenarios"})
        for (const auto& entry : std::filesystem::directory_iterator(projectDir() / "samples/namur" / folder))
            files.push_back(entry.path());
    for (const auto& file : files) {
        auto doc = xml::parseFile(file);
        xml::XPath xpath(doc.get());
        for (xmlNode* node :
             xpath.nodes("//youth/givenName | //youth/familyName | //youth/reference | //youth/birthDate"))
            found.insert(xml::text(node));
        for (xmlNode* node : xpath.nodes("//text()[string-length(normalize-space(.)) > 25]"))
            found.insert(xml::text(node).substr(0, 40));
    }
    return found;
}

} // namespace

TEST_CASE("the committee report's figures match the samples counted by hand", "[report]") {
    auto csv = report({"--format", "csv", "--internal"});
    REQUIRE(csv.exitCode == 0);
    auto values = csvValues(csv.out);
    CHECK(values["situations,registered"] == "14");
    CHECK(values["coverage_r4,met"] == "yes");
    for (int category = 1; category <= 6; ++category) CHECK(values["category," + std::to_string(category)] == "2");
    CHECK(values["redirected,emergency"] == "1");
    CHECK(values["redirected,out-of-territory"] == "1");
    CHECK(values["requests,submitted"] == "13"); // 12 first requests and one renewal, 06's rejected one included
    CHECK(values["requests,approved"] == "11");
    CHECK(values["requests,returned"] == "1");            // 04, completed and approved afterwards
    CHECK(values["requests,rejected"] == "1");            // 06
    CHECK(values["amounts_cents,approved"] == "1916000"); // 19 160 EUR
    CHECK(values["amounts_cents,paid"] == "1865000");     // all but 510 EUR of 08's second instalment
    CHECK(values["envelope_cents,amount"] == "6000000");
    // R18: 19 160 EUR committed in the 330 days up to 26 November, at that pace over 365 days
    // (rounded down); the same forecast as GET /api/v1/envelopes/2026 on that day.
    CHECK(values["envelope_cents,forecast"] == "2119212");
    CHECK(values["envelope_committed_cents,12"] == "1916000");
    // First concertation to first validated plan (the business date of plan.signed): 2 days
    // for nine situations, 4 (10), 9 (12) and 16 (11, whose plan waited for a second meeting).
    CHECK(values["delay_samples,concertation_to_plan-validated"] == "12");
    CHECK(values["delay_median_days,concertation_to_plan-validated"] == "2");
    CHECK(values["delay_p90_days,concertation_to_plan-validated"] == "9");
    CHECK(values["phase,closed"] == "2");
    CHECK(values["phase,budget-check"] == "1");
    CHECK(values["phase,payment"] == "1");
}

TEST_CASE("small counts are shown as '< 3' when published, and as they are internally", "[report]") {
    auto published = csvValues(report({"--format", "csv"}).out);
    CHECK(published["category,1"] == "< 3");
    CHECK(published["situations,registered"] == "14");
    auto lower = csvValues(report({"--format", "csv", "--threshold", "2"}).out);
    CHECK(lower["category,1"] == "2");
    auto xmlFigures = report({"--format", "xml"});
    REQUIRE(xmlFigures.exitCode == 0);
    // A suppressed count is absent from the data, not merely hidden.
    CHECK(
        std::regex_search(xmlFigures.out, std::regex(R"(<category number="1" display="&lt; 3" suppressed="true"/>)")));
}

TEST_CASE("no report format reveals a name, a reference, a birth date or any free text", "[report][security][pdf]") {
    ScratchDir dir;
    std::vector<std::pair<std::string, std::string>> outputs;
    for (const char* format : {"csv", "xml", "html"}) outputs.push_back({format, report({"--format", format}).out});
    for (const char* language : {"fr", "nl", "fr+nl"})
        outputs.push_back({std::string("html ") + language, report({"--format", "html", "--lang", language}).out});
    const auto odt = (dir / "report.odt").string();
    REQUIRE(report({"--format", "odt", "--output", odt}).exitCode == 0);
    REQUIRE(std::system(("cd '" + dir.path().string() + "' && unzip -o -q report.odt content.xml").c_str()) == 0);
    outputs.push_back({"odt", readFile(dir / "content.xml")});
    if (externalToolsPresent({{"weasyprint", "weasyprint"}, {"pdftotext", "poppler-utils"}},
                             "the PDF format's check")) {
        const auto pdf = (dir / "report.pdf").string();
        REQUIRE(report({"--format", "pdf", "--output", pdf}).exitCode == 0);
        REQUIRE(std::system(("pdftotext '" + pdf + "' '" + (dir / "report.txt").string() + "'").c_str()) == 0);
        outputs.push_back({"pdf", readFile(dir / "report.txt")});
    }
    const auto secrets = identifyingStrings();
    REQUIRE(secrets.size() > 100);
    for (const auto& [format, content] : outputs) {
        REQUIRE(content.size() > 500);
        for (const auto& secret : secrets) {
            INFO(format << " contains '" << secret << "'");
            CHECK(content.find(secret) == std::string::npos);
        }
    }
}

TEST_CASE("the committee report draws its charts and speaks both languages", "[report]") {
    // Internal figures: published ones suppress every category (2 < 3), so no bar is drawn.
    auto html = report({"--format", "html", "--lang", "fr+nl", "--internal"});
    REQUIRE(html.exitCode == 0);
    CHECK_THAT(html.out, Catch::Contains("<svg") && Catch::Contains("<rect") && Catch::Contains("<line"));
    CHECK_THAT(html.out, Catch::Contains("lang=\"fr\"") && Catch::Contains("lang=\"nl\""));
    CHECK_THAT(html.out, Catch::Contains("19\u202f160,00")); // ICU 72's fr_BE group separator
}

TEST_CASE("only the coordinator and the committee may ask for the report", "[report][security]") {
    auto finance =
        runCli({"report", "committee", "--db", pilotDatabase(), "--year", "2026", "--as", "finance:Nathalie"});
    CHECK(finance.exitCode == 2);
    CHECK_THAT(finance.err, Catch::Contains("coordinator and the committee"));
    CHECK(runCli({"report", "committee", "--db", pilotDatabase(), "--year", "2026", "--as", "coordinator:Marc"})
              .exitCode == 0);
}

TEST_CASE("a report for a year without data says so", "[report]") {
    auto empty = runCli({"report", "committee", "--db", pilotDatabase(), "--year", "2031", "--as", "committee:x"});
    CHECK(empty.exitCode == 4);
    CHECK_THAT(empty.err, Catch::Contains("nothing to report"));
}
