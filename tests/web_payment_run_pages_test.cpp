// Specification of payment runs on finance's page (engine/web/PaymentRunPages.cpp) against the
// real server on loopback: finance sees what is due, builds a run of the ticked requests for an
// execution date (a double submission of the form builds one run), finds it among the past runs
// with its total in their language's format, and downloads its pain.001, the bytes
// `caseflow payments export` writes. A run that cannot be built is refused in words and records
// nothing (all or nothing); the coordinator reads the runs and cannot build one.
#include "i18n/MoneyFormat.h"
#include "process/SigningDesk.h"
#include "store/Database.h"
#include "web/WebFixture.h"

#include <catch2/catch.hpp>

using caseflow::test::web::Browser;
using caseflow::test::web::csrfIn;
using caseflow::test::web::signedInAs;
using caseflow::test::web::WebFixture;
using namespace caseflow;
using namespace caseflow::test;
using namespace caseflow::test::http;
using namespace caseflow::test::http::people;

namespace {

constexpr std::int64_t kApproved = kFirstLargeRequest + 1;
const std::string kItem = std::to_string(kApproved) + "/fr1";

// A copy of KIR-26-012 asking 9 000 EUR approved with its countersignature (R14): all of it due.
void approveLargeRequest(WebFixture& fixture) {
    auto process = FundingProcess::open(fixture.database());
    SigningDesk desk(process);
    const std::string decision = desk.countersignDecision(
        kApproved,
        R"(<budgetDecision request="fr1" date="2026-06-20" outcome="approved" amount="900000" by="Marie Coordinator"><reason>Deux validations.</reason></budgetDecision>)",
        "decision", signingKey("coordinator:Sophie Second"));
    desk.signDecision(kApproved, decision, "decision", signingKey("coordinator:Marie Coordinator"),
                      Actor{"coordinator", "Marie Coordinator"});
}

std::int64_t count(WebFixture& fixture, const std::string& sql) {
    auto db = store::Database::open(fixture.database(), store::OpenMode::MustExist);
    auto query = db.prepare(sql);
    query.step();
    return query.columnInt(0);
}

std::string keyIn(const std::string& html) {
    const auto form = html.find("id=\"run-form\"");
    if (form == std::string::npos) return "";
    const auto at = html.find("name=\"key\" value=\"", form);
    return at == std::string::npos ? "" : html.substr(at + 18, 32);
}

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields runForm(const std::string& page, const std::string& scope, const std::vector<std::string>& ticked,
               const std::string& executionDate = Date::today().iso()) {
    Fields fields = {{"csrf", csrfIn(page)}, {"key", keyIn(page)}, {"executionDate", executionDate}};
    for (const auto& item : ticked) fields.emplace_back("pay", item);
    fields.emplace_back("scope", scope);
    return fields;
}

} // namespace

TEST_CASE("finance builds a payment run of the ticked request on the finance page once per rendered form and "
          "downloads its pain.001, the bytes caseflow payments export writes",
          "[service][web][finance]") {
    WebFixture fixture;
    approveLargeRequest(fixture);
    Browser finance = signedInAs(fixture, kFinance);
    const auto page = finance.get("/finance");
    REQUIRE(page.status == 200);
    CHECK(page.body.find("value=\"" + kItem + "\"") != std::string::npos);
    REQUIRE(keyIn(page.body).size() == 32);
    const std::int64_t runsBefore = count(fixture, "SELECT count(*) FROM payment_runs");

    const auto fields = runForm(page.body, "ticked", {kItem});
    const auto built = finance.post("/finance/runs", fields);
    INFO(built.body);
    REQUIRE(built.status == 303);
    const std::string location = built.header("location");
    REQUIRE(location.rfind("/finance?done=run&run=run-", 0) == 0);
    const std::string runId = location.substr(location.find("run=run-") + 4);
    // The double click: the same form again builds nothing and leads to the same run.
    const auto again = finance.post("/finance/runs", fields);
    CHECK(again.status == 303);
    CHECK(again.header("location") == location);
    CHECK(count(fixture, "SELECT count(*) FROM payment_runs") == runsBefore + 1);
    CHECK(count(fixture, "SELECT count(*) FROM payments WHERE situation_id = " + std::to_string(kApproved)) == 1);
    // The same key with another choice is not a repeat: refused, nothing built.
    auto other = fields;
    other.back().second = "all";
    CHECK(finance.post("/finance/runs", other).status == 409);

    const auto shown = finance.get(location);
    CHECK(shown.body.find(runId) != std::string::npos);
    CHECK(shown.body.find(i18n::formatMoney(900000, "fr")) != std::string::npos);
    CHECK(shown.body.find("value=\"" + kItem + "\"") == std::string::npos); // nothing left due on it

    const auto file = finance.get("/finance/runs/" + runId + "/pain.001.xml");
    REQUIRE(file.status == 200);
    CHECK(file.header("content-disposition") == "attachment; filename=\"" + runId + ".pain.001.xml\"");
    CHECK(file.body.find("<InstdAmt Ccy=\"EUR\">9000.00</InstdAmt>") != std::string::npos);
    const auto exported = runCli({"payments", "export", runId, "--db", fixture.database()});
    REQUIRE(exported.exitCode == 0);
    CHECK(exported.out == file.body);
    CHECK(finance.get("/finance/runs/run-9999/pain.001.xml").status == 404);
}

TEST_CASE("a payment run that cannot be built is refused in words on the finance page and records nothing",
          "[service][web][finance]") {
    WebFixture fixture;
    approveLargeRequest(fixture);
    Browser finance = signedInAs(fixture, kFinance);
    const std::int64_t paymentsBefore = count(fixture, "SELECT count(*) FROM payments");
    const std::int64_t runsBefore = count(fixture, "SELECT count(*) FROM payment_runs");

    SECTION("one ticked request with nothing to pay refuses the whole run") {
        const auto page = finance.get("/finance");
        auto fields = runForm(page.body, "ticked", {kItem, std::to_string(kBudgetCheckSituation) + "/fr1"});
        const auto refused = finance.post("/finance/runs", fields);
        CHECK(refused.status == 422);
        CHECK(refused.body.find("id=\"run-errors\"") != std::string::npos);
        // Said in finance's language (French here), naming the request and where it stands.
        CHECK(refused.body.find("il ne reste rien à payer") != std::string::npos);
        CHECK(refused.body.find("nothing is left to pay") == std::string::npos);
        // What was ticked stays ticked.
        CHECK(refused.body.find("value=\"" + kItem + "\" id=\"pay-" + std::to_string(kApproved) +
                                "-fr1\" checked=\"checked\"") != std::string::npos);
    }
    SECTION("an execution date in the past, said next to the date in French") {
        const auto page = finance.get("/finance");
        const auto refused = finance.post("/finance/runs", runForm(page.body, "all", {}, "2020-01-02"));
        CHECK(refused.status == 422);
        CHECK(refused.body.find("dans le passé") != std::string::npos);
    }
    SECTION("nothing ticked") {
        const auto page = finance.get("/finance");
        CHECK(finance.post("/finance/runs", runForm(page.body, "ticked", {})).status == 422);
    }
    SECTION("a form without its key") {
        const auto page = finance.get("/finance");
        auto fields = runForm(page.body, "all", {});
        fields[1].second = "";
        CHECK(finance.post("/finance/runs", fields).status == 400);
    }
    CHECK(count(fixture, "SELECT count(*) FROM payments") == paymentsBefore);
    CHECK(count(fixture, "SELECT count(*) FROM payment_runs") == runsBefore);
}

TEST_CASE("the coordinator reads what is due and the past runs on the finance page but builds no run",
          "[service][web][finance]") {
    WebFixture fixture;
    approveLargeRequest(fixture);
    Browser coordinator = signedInAs(fixture, "Marie Coordinator");
    const auto page = coordinator.get("/finance");
    REQUIRE(page.status == 200);
    CHECK(page.body.find("id=\"payment-runs\"") != std::string::npos);
    CHECK(page.body.find(i18n::formatMoney(900000, "fr")) != std::string::npos);
    CHECK(keyIn(page.body).empty());
    const auto refused = coordinator.post("/finance/runs", {{"csrf", csrfIn(page.body)},
                                                            {"key", std::string(32, 'a')},
                                                            {"executionDate", Date::today().iso()},
                                                            {"scope", "all"}});
    CHECK(refused.status == 403);
    CHECK(count(fixture, "SELECT count(*) FROM payments WHERE situation_id = " + std::to_string(kApproved)) == 0);
    CHECK(signedInAs(fixture, "Élodie Massart").get("/finance").status == 403);
}
