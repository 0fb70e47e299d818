// Specifications of the steering committee's report: figures checked against values
// computed by hand from the bundled samples, anonymity in every format, small-count
// suppression, and who may ask for it.
#include "process/CommitteeReport.h"
#include "process/FundingProcess.h"
#include "render/CommitteeReportDocument.h"
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
    CHECK(values["amounts_cents,approved"] == "1865000"); // 19 160 EUR granted, 08's closed at the 950 EUR paid
    CHECK(values["amounts_cents,paid"] == "1865000");     // everything committed: 08's grant was closed
    CHECK(values["envelope_cents,amount"] == "6000000");
    // R18: 18 650 EUR committed in the 330 days up to 26 November, at that pace over 365 days
    // (rounded down); the same forecast as GET /api/v1/envelopes/2026 on that day.
    CHECK(values["envelope_cents,forecast"] == "2062803");
    CHECK(values["envelope_committed_cents,12"] == "1865000");
    // First concertation to first validated plan (the business date of plan.signed): 2 days
    // for nine situations, 4 (10), 9 (12) and 16 (11, whose plan waited for a second meeting).
    CHECK(values["delay_samples,concertation_to_plan-validated"] == "12");
    CHECK(values["delay_median_days,concertation_to_plan-validated"] == "2");
    CHECK(values["delay_p90_days,concertation_to_plan-validated"] == "9");
    CHECK(values["phase,closed"] == "2");
    CHECK(values["phase,budget-check"] == "1");
    CHECK(values["phase,payment"] == ""); // 08 left paying when its grant was closed
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
    CHECK_THAT(html.out, Catch::Contains("18\u202f650,00")); // ICU 72's fr_BE group separator
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

namespace {

// The published XML's cells of one table: key -> shown value, absent when suppressed.
struct PublishedCell {
    std::string key;
    std::optional<long long> shown;
};

std::vector<PublishedCell> publishedCells(xml::XPath& xpath, const std::string& path, const std::string& keyAttribute,
                                          const std::string& valueAttribute) {
    std::vector<PublishedCell> cells;
    for (xmlNode* node : xpath.nodes(path)) {
        PublishedCell cell{xml::attribute(node, keyAttribute.c_str()).value_or(""), std::nullopt};
        if (auto value = xml::attribute(node, valueAttribute.c_str())) cell.shown = std::stoll(*value);
        cells.push_back(cell);
    }
    return cells;
}

// Every subtraction a reader can do on one table: its total minus the visible cells must not
// give back any hidden cell's true value.
void checkNoSubtractionReveals(const std::vector<PublishedCell>& cells, long long total,
                               const std::map<std::string, long long>& truth, const std::string& table) {
    long long remainder = total;
    int hidden = 0;
    for (const auto& cell : cells) {
        if (cell.shown)
            remainder -= *cell.shown;
        else
            ++hidden;
    }
    INFO(table << ": total " << total << ", remainder " << remainder << ", hidden cells " << hidden);
    CHECK(hidden != 1);
    for (const auto& cell : cells) {
        if (cell.shown || hidden < 2) continue;
        // With two or more hidden, the remainder is their sum: never one cell alone unless the
        // others are zero, which complementary suppression avoids by hiding non-zero cells.
        INFO(table << ": cell " << cell.key << " would be recomputed");
        CHECK(remainder != truth.at(cell.key));
    }
}

CommitteeFigures figuresOf(const std::string& database, const std::string& asOf) {
    auto process = FundingProcess::open(database);
    return computeCommitteeFigures(process, 2026, *Date::parse(asOf));
}

} // namespace

TEST_CASE("an amount drawn from fewer situations than the threshold is suppressed like a count", "[report]") {
    // A year with three situations, one per category: every category counts one situation, and
    // each expense category's amount comes from one or two of them.
    Pilot pilot;
    for (const std::string stem :
         {"01-namur-early-childhood", "03-andenne-eleven-transition", "07-couvin-institution-ceiling"})
        pilot.runScenario(pilot.registerSample(stem), stem);
    const auto figures = computeCommitteeFigures(pilot.process(), 2026, *Date::parse("2026-11-26"));
    REQUIRE(figures.situations == 3);
    REQUIRE(!figures.approvedByExpenseCategory.empty());
    const auto xmlText = committeeFiguresXml(figures, 3, true);
    auto doc = xml::parseString(xmlText, "figures");
    xml::XPath xpath(doc.get());
    int hiddenAmounts = 0;
    for (const auto& [category, cents] : figures.approvedByExpenseCategory) {
        INFO("expense category " << category << " drawn from " << figures.expenseCategoryFrom.at(category));
        const std::string path = "/committeeReport/expenseCategories/category[@id = '" + category + "']";
        const bool hidden = xpath.string("string(" + path + "/@suppressed)") == "true";
        if (figures.expenseCategoryFrom.at(category) < 3) CHECK(hidden);
        if (hidden) {
            ++hiddenAmounts;
            CHECK(xpath.string("string(" + path + "/@approvedCents)").empty());
            // The raw amount appears nowhere in the published data.
            CHECK(xmlText.find("\"" + std::to_string(cents) + "\"") == std::string::npos);
        }
    }
    CHECK(hiddenAmounts > 0);
    for (int category : {1, 2, 3, 4, 5, 6}) CHECK(figures.perCategory.at(category) <= 1);
    // The per-category chart says why it is empty instead of drawing nothing.
    const auto html = render::committeeReportFile(figures, 3, true, "html", "fr", pilot.process().network()).content;
    CHECK_THAT(html, Catch::Contains("Aucune catégorie n'atteint 3 situations"));
    CHECK_THAT(html, Catch::Contains("non publié : moins de 3 situations"));
    CHECK_THAT(html, !Catch::Contains("<rect"));
    auto csv = csvValues(committeeFiguresCsv(figures, 3, true));
    for (const auto& [category, from] : figures.expenseCategoryFrom)
        if (from < 3) CHECK(csv["expense_category_cents," + category] == "suppressed");
}

TEST_CASE("no suppressed cell can be recomputed from a row or column total", "[report][security]") {
    for (int threshold : {2, 3, 4, 5}) {
        INFO("threshold " << threshold);
        const auto figures = figuresOf(pilotDatabase(), "2026-11-26");
        auto doc = xml::parseString(committeeFiguresXml(figures, threshold, true), "figures");
        xml::XPath xpath(doc.get());
        std::map<std::string, long long> truth;
        long long pilotSituations = 0;
        for (const auto& [category, count] : figures.perCategory) {
            truth[std::to_string(category)] = count;
            pilotSituations += count;
        }
        checkNoSubtractionReveals(publishedCells(xpath, "/committeeReport/coverage/category", "number", "count"),
                                  pilotSituations, truth, "categories");
        truth.clear();
        for (const auto& [phase, count] : figures.perPhase) truth[phase] = count;
        for (const auto& [reason, count] : figures.redirected) truth[reason] = count;
        auto phases = publishedCells(xpath, "/committeeReport/phases/phase", "id", "count");
        for (auto& cell : publishedCells(xpath, "/committeeReport/redirected/reason", "id", "count"))
            phases.push_back(cell);
        for (const auto& cell : phases) truth.try_emplace(cell.key, 0);
        checkNoSubtractionReveals(phases, figures.situations, truth, "phases");
        truth.clear();
        for (const auto& [category, cents] : figures.approvedByExpenseCategory) truth[category] = cents;
        long long linesTotal = 0;
        for (const auto& [category, cents] : figures.approvedByExpenseCategory) linesTotal += cents;
        checkNoSubtractionReveals(
            publishedCells(xpath, "/committeeReport/expenseCategories/category", "id", "approvedCents"), linesTotal,
            truth, "expense categories");
    }
}

TEST_CASE("a report as of a date before an approval does not count it", "[report]") {
    // The renewal approved on 9 October 2026 is the year's last approval; every other one is
    // from May or earlier.
    const auto before = figuresOf(pilotDatabase(), "2026-10-08");
    const auto on = figuresOf(pilotDatabase(), "2026-10-09");
    CHECK(before.approvals == 10);
    CHECK(on.approvals == 11);
    CHECK(before.approved < on.approved);
    CHECK(before.months.back().committedCumulative < on.months.back().committedCumulative);
    // Before the first approval of the year (16 February), nothing is committed or paid, and
    // no situation is yet in the payment, follow-up or closed phases.
    const auto february = figuresOf(pilotDatabase(), "2026-02-15");
    CHECK(february.approvals == 0);
    CHECK(february.approved == 0);
    CHECK(february.paid == 0);
    CHECK(february.months.back().committedCumulative == 0);
    for (const char* phase : {"payment", "follow-up", "closed"}) {
        INFO(phase);
        CHECK(february.perPhase.count(phase) == 0);
    }
    const auto today = figuresOf(pilotDatabase(), "2026-11-26");
    CHECK(today.perPhase.at("closed") == 2);
    CHECK(february.situations <= today.situations);
}

TEST_CASE("the report compares the share of the year elapsed with the shares committed and paid", "[report]") {
    auto values = csvValues(report({"--format", "csv"}).out);
    // 330 of 365 days by 26 November; 18 650 of 60 000 EUR committed (08's grant closed), 18 650 paid.
    CHECK(values["under_spending_permille,year_elapsed"] == "904");
    CHECK(values["under_spending_permille,committed"] == "310");
    CHECK(values["under_spending_permille,paid"] == "310");
    CHECK(values["under_spending,warning_points"] == "15"); // samples/namur/network.xml
    CHECK(values["under_spending,warning"] == "yes");
    // Early in the year, commitments had kept pace: no warning.
    const auto march = figuresOf(pilotDatabase(), "2026-03-01");
    CHECK(march.underSpending.elapsedPermille == 164); // 60 of 365 days, 1 March included
    CHECK_FALSE(march.underSpending.warning);
    auto french = report({"--format", "html", "--lang", "fr"});
    CHECK_THAT(french.out, Catch::Contains("Sous-utilisation : l'année est en avance de plus de 15 points") &&
                               Catch::Contains("Part de l'année écoulée"));
    auto dutch = report({"--format", "html", "--lang", "nl"});
    CHECK_THAT(dutch.out, Catch::Contains("Onderbesteding: het jaar loopt meer dan 15 procentpunten voor"));
}

TEST_CASE("a network without an under-spending threshold warns past 15 percentage points", "[report]") {
    std::string settings = readFile(projectDir() / "samples/namur/network.xml");
    const std::string attribute = " underSpendingWarningPoints=\"15\"";
    REQUIRE(settings.find(attribute) != std::string::npos);
    settings.replace(settings.find(attribute), attribute.size(), "");
    CHECK(NetworkSettings::fromString(settings, "network without the threshold")->underSpendingWarningPoints() == 15);
    settings.replace(settings.find("smallCountThreshold=\"3\""), 23,
                     "smallCountThreshold=\"3\" underSpendingWarningPoints=\"40\"");
    CHECK(NetworkSettings::fromString(settings, "network with 40")->underSpendingWarningPoints() == 40);
}

TEST_CASE("a single small category hides the next-smallest category with it, never a zero", "[report][security]") {
    CommitteeFigures figures;
    figures.year = 2026;
    figures.perCategory = {{1, 5}, {2, 1}, {3, 4}, {4, 6}, {5, 0}, {6, 7}};
    figures.situations = 23;
    figures.approvedByExpenseCategory = {{"transport", 90000}, {"therapy", 400000}, {"school", 250000}};
    figures.expenseCategoryFrom = {{"transport", 1}, {"therapy", 6}, {"school", 4}};
    figures.approvedFrom = 8;
    const auto hidden = suppressedCells(figures, 3, true);
    CHECK(hidden.contains("category:2"));
    CHECK(hidden.contains("category:3")); // 4, the smallest non-zero left
    CHECK_FALSE(hidden.contains("category:5"));
    CHECK(hidden.contains("expense:transport"));
    CHECK(hidden.contains("expense:school")); // 2 500 EUR, smaller than therapy's 4 000
    CHECK_FALSE(hidden.contains("expense:therapy"));
    CHECK(suppressedCells(figures, 3, false).empty());
    const auto csv = csvValues(committeeFiguresCsv(figures, 3, true));
    CHECK(csv.at("category,3") == "< 3");
    CHECK(csv.at("expense_category_cents,school") == "suppressed");
    CHECK(csv.at("expense_category_cents,therapy") == "400000");
}
