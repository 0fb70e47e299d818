// Specification of the money pages (engine/web/FinancePages.h, issue 16 items 2-4) against the
// real server on loopback, on a copy of the service tests' pilot database: the coordinator's
// budget check (the workflow's own checks with their rule ids, the envelope and its chart with
// its table, returns and rejections recorded as events with their reasons), finance's payments
// (one payment per form however often it is posted, amounts typed the Belgian way), the
// committee's report, each page under the API's authorisation matrix, and R19 on the pages
// finance and the committee read.
#include "process/SigningDesk.h"
#include "service/EventData.h"
#include "web/WebFixture.h"

#include <catch2/catch.hpp>

using caseflow::test::web::Browser;
using caseflow::test::web::csrfIn;
using caseflow::test::web::passwordOf;
using caseflow::test::web::signedInAs;
using caseflow::test::web::WebFixture;
using namespace caseflow;
using namespace caseflow::test;
using namespace caseflow::test::http;

namespace {

std::string csrfOf(Browser& browser, const std::string& page) {
    const Response response = browser.get(page);
    REQUIRE(response.status == 200);
    return csrfIn(response.body);
}

// Approves request fr1 of situation 12 as the coordinator does: the decision prepared by the
// server and signed with Marie Coordinator's key (the template's), through the signing desk.
void approveSituation12(WebFixture& fixture, Cents amount) {
    auto process = FundingProcess::open(fixture.database());
    service::BudgetDecisionInput decision;
    decision.requestId = "fr1";
    decision.outcome = "approved";
    decision.amount = amount;
    decision.date = Date::today().iso();
    decision.by = "Marie Coordinator";
    SigningDesk(process).signDecision(kBudgetCheckSituation, service::budgetDecisionXml(decision), "decision",
                                      signingKey("coordinator:Marie Coordinator"),
                                      Actor{"coordinator", "Marie Coordinator"});
}

// The payment form of `situation`'s request on the finance page, as the fields a browser posts.
std::vector<std::pair<std::string, std::string>> paymentForm(const std::string& page, std::int64_t situation) {
    const std::string marker = "name=\"situation\" value=\"" + std::to_string(situation) + "\"";
    const auto at = page.find(marker);
    REQUIRE(at != std::string::npos);
    const auto start = page.rfind("<form", at);
    const std::string form = page.substr(start, at - start);
    std::smatch key;
    REQUIRE(std::regex_search(form, key, std::regex(R"re(name="key" value="([0-9a-f]{32})")re")));
    return {
        {"csrf", csrfIn(page)}, {"key", key[1].str()}, {"situation", std::to_string(situation)}, {"request", "fr1"}};
}

std::int64_t count(WebFixture& fixture, const std::string& sql) {
    auto db = store::Database::open(fixture.database(), store::OpenMode::MustExist);
    auto query = db.prepare(sql);
    REQUIRE(query.step());
    return query.columnInt(0);
}

std::string lastEvent(WebFixture& fixture, std::int64_t situation, std::string& payload) {
    const auto history = FundingProcess::open(fixture.database()).history(situation);
    payload = history.back().payload;
    return history.back().type;
}

// Clinical or identifying content of situation 12 (samples/namur/situations/12-..., its scenario):
// names, birth date, municipality, the request's reason, the plan's actions, the expense lines.
// ("thérapie" alone is not one: it is an expense category's name, which the committee reads.)
const std::vector<std::string> kSecrets = {
    "Sarah",   "Lemaire",     "2009-11-23",     "Beauraing",     "Houyet", "automutilations", "séances",
    "Cabinet", "Taxi social", "Sans transport", "Laurent Colin", "Élodie", "<situation",      "Thérapie familiale"};

} // namespace

TEST_CASE("each money page and the deadlines open for the roles the API's matrix allows, the header links only those",
          "[service][web][finance]") {
    WebFixture fixture;
    // coordinator, case manager, pedopsychiatrist, finance, partner, committee
    const std::map<std::string, std::vector<int>> expected = {
        {"/budget-check", {200, 403, 403, 403, 403, 403}},
        {"/finance", {200, 403, 403, 200, 403, 403}},
        {"/finance/payments.csv?year=2026", {200, 403, 403, 200, 403, 403}},
        {"/committee", {200, 403, 403, 403, 403, 200}},
        {"/due", {200, 200, 200, 403, 200, 403}},
    };
    const std::vector<std::string> people = {"Marie Coordinator", "Élodie Massart",  "Dr Claire Dubois",
                                             "Finn Finance",      "Laurent Partner", "Comité Member"};
    for (std::size_t i = 0; i < people.size(); ++i) {
        Browser browser = signedInAs(fixture, people[i]);
        for (const auto& [path, statuses] : expected) {
            INFO(people[i] << " GET " << path);
            CHECK(browser.get(path).status == statuses[i]);
        }
        // The header offers exactly the pages the role opens.
        const std::string caseload = browser.get("/caseload").body;
        for (const std::string page : {"/budget-check", "/finance", "/committee", "/due"}) {
            INFO(people[i] << " sees a link to " << page);
            CHECK((caseload.find("href=\"" + page + "\"") != std::string::npos) == (expected.at(page)[i] == 200));
        }
    }
}

TEST_CASE("the budget check shows the workflow's own checks with their rule ids, the expense lines and the envelope "
          "with its chart and table",
          "[service][web][finance]") {
    WebFixture fixture;
    Browser coordinator = signedInAs(fixture, "Marie Coordinator");
    const Response page = coordinator.get("/budget-check");
    REQUIRE(page.status == 200);
    const std::string& html = page.body;
    // The dossier waiting and the large requests, each with the checks of a dry run of the approval.
    CHECK(html.find("KIR-26-012") != std::string::npos);
    CHECK(html.find("KIR-26-110") != std::string::npos);
    for (const std::string rule : {">R14<", ">R15<", ">R18<", ">R13<", ">R11<"}) {
        INFO(rule);
        CHECK(html.find(rule) != std::string::npos);
    }
    // Results are words (and a mark), never a colour alone: the large requests (9 000 EUR) are above
    // the stronger-validation threshold, so their second validation needs attention and says why
    // with its rule's message, in French.
    CHECK(html.find("class=\"status pass\">réussi<") != std::string::npos);
    CHECK(html.find("class=\"status attention\">à examiner<") != std::string::npos);
    CHECK(html.find("<li><span class=\"rule\">R14</span> ") != std::string::npos);
    // The expense lines with the plan action each supports, amounts in fr_BE.
    CHECK(html.find("Thérapie familiale systémique") != std::string::npos);
    CHECK(html.find("700,00") != std::string::npos);
    // Approval goes to the decision signing page with that request chosen; return and reject are here.
    CHECK(html.find("href=\"/situations/12/sign/decision?request=fr1\"") != std::string::npos);
    const Response signing = coordinator.get("/situations/12/sign/decision?request=fr1");
    REQUIRE(signing.status == 200);
    CHECK(signing.body.find("<option value=\"fr1\" selected=\"selected\">") != std::string::npos);
    CHECK(html.find("value=\"returned\"") != std::string::npos);
    CHECK(html.find("value=\"rejected\"") != std::string::npos);
    // The envelope of the year, its chart drawn on the server, and the same figures as a table.
    CHECK(html.find("<svg") != std::string::npos);
    CHECK(html.find("aria-describedby=\"envelope-chart-table\"") != std::string::npos);
    CHECK(std::regex_search(html, std::regex(R"re(<table[^>]*id="envelope-chart-table")re")));
    std::size_t months = 0;
    for (auto at = html.find("<th scope=\"row\">"); at != std::string::npos;
         at = html.find("<th scope=\"row\">", at + 1))
        ++months;
    CHECK(months >= 12);
}

TEST_CASE("a dossier returned for completion is recorded as budget.returned with the reasons typed",
          "[service][web][finance]") {
    WebFixture fixture;
    Browser coordinator = signedInAs(fixture, "Marie Coordinator");
    const std::string csrf = csrfOf(coordinator, "/budget-check");
    const Response answer =
        coordinator.post("/budget-check", {{"csrf", csrf},
                                           {"situation", "12"},
                                           {"request", "fr1"},
                                           {"reasons", "Joindre le devis du taxi\r\nPréciser les dates"},
                                           {"outcome", "returned"}});
    INFO(answer.body);
    REQUIRE(answer.status == 303);
    CHECK(answer.header("location") == "/budget-check?done=returned");
    std::string payload;
    CHECK(lastEvent(fixture, 12, payload) == "budget.returned");
    CHECK(payload.find("Joindre le devis du taxi") != std::string::npos);
    CHECK(payload.find("Préciser les dates") != std::string::npos);
    CHECK(payload.find("by=\"Marie Coordinator\"") != std::string::npos);
    CHECK(FundingProcess::open(fixture.database()).situation(12).state.find("dossier-in-preparation") !=
          std::string::npos);
    // The dossier has left the queue.
    CHECK(coordinator.get("/budget-check").body.find("KIR-26-012") == std::string::npos);
}

TEST_CASE("a return without reasons is refused by R16 next to the decision, and nothing is stored",
          "[service][web][finance]") {
    WebFixture fixture;
    Browser coordinator = signedInAs(fixture, "Marie Coordinator");
    const std::string csrf = csrfOf(coordinator, "/budget-check");
    const auto before = count(fixture, "SELECT count(*) FROM events");
    const Response answer = coordinator.post(
        "/budget-check",
        {{"csrf", csrf}, {"situation", "12"}, {"request", "fr1"}, {"reasons", "  \r\n "}, {"outcome", "returned"}});
    CHECK(answer.status == 422);
    CHECK(answer.body.find(">R16<") != std::string::npos);
    CHECK(count(fixture, "SELECT count(*) FROM events") == before);
    // A decision posted without the form's token changes nothing either.
    CHECK(
        coordinator
            .post("/budget-check", {{"situation", "12"}, {"request", "fr1"}, {"reasons", "x"}, {"outcome", "rejected"}})
            .status == 403);
    CHECK(count(fixture, "SELECT count(*) FROM events") == before);
}

TEST_CASE("a rejection with reasons is recorded as budget.rejected", "[service][web][finance]") {
    WebFixture fixture;
    Browser coordinator = signedInAs(fixture, "Marie Coordinator");
    const std::string csrf = csrfOf(coordinator, "/budget-check");
    const std::string id = std::to_string(kFirstLargeRequest);
    const Response answer = coordinator.post("/budget-check", {{"csrf", csrf},
                                                               {"situation", id},
                                                               {"request", "fr1"},
                                                               {"reasons", "Au-delà du plafond"},
                                                               {"outcome", "rejected"}});
    INFO(answer.body);
    REQUIRE(answer.status == 303);
    std::string payload;
    CHECK(lastEvent(fixture, kFirstLargeRequest, payload) == "budget.rejected");
    CHECK(payload.find("Au-delà du plafond") != std::string::npos);
}

TEST_CASE("a payment form posted twice records one payment", "[service][web][finance]") {
    WebFixture fixture;
    approveSituation12(fixture, 125000);
    Browser finance = signedInAs(fixture, "Finn Finance");
    const Response page = finance.get("/finance");
    REQUIRE(page.status == 200);
    CHECK(page.body.find("KIR-26-012") != std::string::npos);
    auto fields = paymentForm(page.body, 12);
    fields.push_back({"date", Date::today().iso()}); // not before the decision, not after today
    fields.push_back({"amount", "1.234,56"});
    fields.push_back({"reference", "VIR-2026-0042"});
    const auto before = count(fixture, "SELECT count(*) FROM payments");
    const Response first = finance.post("/finance", fields);
    INFO(first.body);
    REQUIRE(first.status == 303);
    const Response second = finance.post("/finance", fields); // the double click
    CHECK(second.status == 303);
    CHECK(count(fixture, "SELECT count(*) FROM payments") == before + 1);
    CHECK(count(fixture, "SELECT paid_cents FROM funding_requests WHERE situation_id = 12 AND request_id = 'fr1'") ==
          123456);
    // The same key with other values is not a repeat: refused, nothing paid.
    fields.back().second = "VIR-OTHER";
    CHECK(finance.post("/finance", fields).status == 409);
    CHECK(count(fixture, "SELECT count(*) FROM payments") == before + 1);
    // A new rendering of the form is a new payment: what is left to pay is shown and payable.
    const Response after = finance.get("/finance?done=paid");
    CHECK(after.body.find("15,44") != std::string::npos);
    // The export carries it, as the API's CSV does.
    const Response csv = finance.get("/finance/payments.csv?year=" + std::to_string(Date::today().year()));
    REQUIRE(csv.status == 200);
    CHECK(csv.header("content-type").rfind("text/csv", 0) == 0);
    CHECK(csv.body.find("123456,1234.56,VIR-2026-0042") != std::string::npos);
}

TEST_CASE("an amount typed the English way is refused next to its field and nothing is paid",
          "[service][web][finance]") {
    WebFixture fixture;
    approveSituation12(fixture, 125000);
    Browser finance = signedInAs(fixture, "Finn Finance");
    auto fields = paymentForm(finance.get("/finance").body, 12);
    fields.push_back({"date", Date::today().iso()}); // not before the decision, not after today
    fields.push_back({"amount", "1,234.56"});
    fields.push_back({"reference", "VIR-1"});
    const auto before = count(fixture, "SELECT count(*) FROM payments");
    const Response answer = finance.post("/finance", fields);
    CHECK(answer.status == 422);
    CHECK(answer.body.find("value=\"1,234.56\"") != std::string::npos);
    CHECK(answer.body.find("class=\"field-error\"") != std::string::npos);
    CHECK(count(fixture, "SELECT count(*) FROM payments") == before);
}

TEST_CASE("the finance and committee pages carry no clinical text (R19)", "[service][web][finance]") {
    WebFixture fixture;
    approveSituation12(fixture, 125000);
    Browser finance = signedInAs(fixture, "Finn Finance");
    Browser committee = signedInAs(fixture, "Comité Member");
    const std::vector<std::pair<Browser*, std::string>> pages = {
        {&finance, "/finance"},
        {&finance, "/finance/payments.csv"},
        {&committee, "/committee"},
        {&committee, "/committee/report?year=2026&lang=fr&format=html"},
        {&committee, "/committee/report?year=2026&lang=nl&format=html"}};
    for (const auto& [browser, path] : pages) {
        const Response response = browser->get(path);
        INFO(path);
        REQUIRE(response.status == 200);
        for (const auto& secret : kSecrets) {
            INFO(path << " leaks '" << secret << "'");
            CHECK(response.body.find(secret) == std::string::npos);
        }
    }
}

TEST_CASE("the committee report opens in Dutch for the chosen year and date", "[service][web][finance]") {
    WebFixture fixture;
    Browser committee = signedInAs(fixture, "Comité Member");
    // The pilot's situations were registered today (their scenarios' later steps carry 2026 dates).
    const std::string today = Date::today().iso(), year = today.substr(0, 4);
    const Response page = committee.get("/committee?year=" + year + "&asOf=" + today + "&lang=nl");
    REQUIRE(page.status == 200);
    CHECK(page.body.find("/committee/report?year=" + year + "&amp;asOf=" + today + "&amp;lang=nl&amp;format=html") !=
          std::string::npos);
    const Response report = committee.get("/committee/report?year=" + year + "&asOf=" + today + "&lang=nl&format=html");
    REQUIRE(report.status == 200);
    CHECK(report.body.find("Rapport aan het begeleidingscomité") != std::string::npos);
    CHECK(report.body.find("<svg") != std::string::npos);
    CHECK(report.header("content-security-policy").find("default-src 'none'") != std::string::npos);
    CHECK(committee.get("/committee/report?year=26&format=html").status == 400);
    CHECK(committee.get("/committee/report?year=1999&format=html").status == 404);
}

TEST_CASE("a payment above what the decision leaves to pay is refused by R18 next to the amount",
          "[service][web][finance]") {
    WebFixture fixture;
    approveSituation12(fixture, 125000);
    Browser finance = signedInAs(fixture, "Finn Finance");
    auto fields = paymentForm(finance.get("/finance").body, 12);
    fields.push_back({"date", Date::today().iso()});
    fields.push_back({"amount", "1 250,01"});
    fields.push_back({"reference", "VIR-TOO-MUCH"});
    const auto before = count(fixture, "SELECT count(*) FROM payments");
    const Response answer = finance.post("/finance", fields);
    CHECK(answer.status == 422);
    CHECK(std::regex_search(answer.body, std::regex(R"re(class="field-error"><span class="rule">R18</span>)re")));
    CHECK(count(fixture, "SELECT count(*) FROM payments") == before);
    CHECK(count(fixture, "SELECT count(*) FROM idempotency_keys WHERE idempotency_key LIKE 'web-form:%'") == 0);
}
