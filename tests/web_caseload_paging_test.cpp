// Specification of the web caseload's paging on the server (issue 19): the page reads one page
// of situations in SQL by keyset (`after`, the last id shown), its next and previous links are
// plain links (reachable by the keyboard like any link), and a case manager's pages hold their
// own situations only, however many pages there are. The due page pages its deadlines the
// same way (a keyset cursor of process/DueList).
#include "model/Date.h"
#include "process/FundingProcess.h"
#include "service/Accounts.h"
#include "store/Database.h"
#include "web/WebFixture.h"

#include <catch2/catch.hpp>

#include <vector>

using caseflow::test::web::Browser;
using caseflow::test::web::passwordOf;
using caseflow::test::web::WebFixture;
using namespace caseflow::test::http::people;

namespace {

// The situation ids linked from a caseload page's rows, in order.
std::vector<int> rowsOf(const std::string& body) {
    std::vector<int> ids;
    const std::string row = "<td><a href=\"/situations/";
    for (auto at = body.find(row); at != std::string::npos; at = body.find(row, at + 1))
        ids.push_back(std::stoi(body.substr(at + row.size())));
    return ids;
}

// The target of the link labelled `label` ("Page suivante"), unescaped; "" when absent.
std::string linkLabelled(const std::string& body, const std::string& label) {
    const auto at = body.find(">" + label + "</a>");
    if (at == std::string::npos) return "";
    const auto href = body.rfind("href=\"", at) + 6;
    std::string target = body.substr(href, body.find('"', href) - href);
    for (auto amp = target.find("&amp;"); amp != std::string::npos; amp = target.find("&amp;", amp + 1))
        target.replace(amp, 5, "&");
    return target;
}

} // namespace

TEST_CASE("the caseload shows page 1 and a next link that works, and a case manager pages through their own only",
          "[service][web]") {
    WebFixture web([](caseflow::web::WebSettings& settings) { settings.caseloadPageSize = 2; });
    {
        auto process = caseflow::FundingProcess::open(web.database());
        caseflow::service::Accounts accounts(process.accounts());
        accounts.assign(kCaseManager, {3, 5, 7, 15});
        accounts.assign(kPedopsychiatrist, {2, 4});
    }

    Browser coordinator(web.port());
    REQUIRE(coordinator.signIn(kCoordinator, passwordOf(kCoordinator)).status == 303);
    const auto first = coordinator.get("/caseload");
    REQUIRE(first.status == 200);
    CHECK(rowsOf(first.body) == std::vector<int>{1, 2});
    const std::string next = linkLabelled(first.body, "Page suivante");
    CHECK(next == "/caseload?state=&overdue=&attention=&after=2");
    const auto second = coordinator.get(next);
    CHECK(rowsOf(second.body) == std::vector<int>{3, 4});
    CHECK(linkLabelled(second.body, "Page précédente") == "/caseload?state=&overdue=&attention=&after=0");

    Browser caseManager(web.port());
    REQUIRE(caseManager.signIn(kCaseManager, passwordOf(kCaseManager)).status == 303);
    std::vector<std::vector<int>> pages;
    for (std::string path = "/caseload"; !path.empty();) {
        const auto page = caseManager.get(path);
        REQUIRE(page.status == 200);
        pages.push_back(rowsOf(page.body));
        CHECK(page.body.find("5 situations") != std::string::npos);
        path = linkLabelled(page.body, "Page suivante");
        REQUIRE(pages.size() < 5);
    }
    CHECK(pages == std::vector<std::vector<int>>{{3, 5}, {7, 12}, {15}});

    // In Dutch, the links read in Dutch.
    Browser dutch(web.port());
    REQUIRE(dutch.signIn(kPedopsychiatrist, passwordOf(kPedopsychiatrist)).status == 303);
    const auto dutchPage = dutch.get("/caseload");
    CHECK(rowsOf(dutchPage.body) == std::vector<int>{2, 4});
    CHECK(linkLabelled(dutchPage.body, "Volgende pagina") == "/caseload?state=&overdue=&attention=&after=4");
}

TEST_CASE("the web's due page pages its deadlines in SQL and its pages joined are every deadline of the next two weeks",
          "[service][web]") {
    WebFixture web([](caseflow::web::WebSettings& settings) { settings.caseloadPageSize = 3; });
    // Generated deadlines within the page's horizon, several on the same days.
    const caseflow::Date today = caseflow::Date::today();
    {
        auto db = caseflow::store::Database::open(web.database(), caseflow::store::OpenMode::MustExist);
        auto insert = db.prepare("INSERT INTO deadlines(situation_id, send_id, event, due_at, fired_at) "
                                 "VALUES(?1, ?2, 'review.due', ?3, NULL)");
        for (int n = 0; n < 40; ++n) {
            insert.reset();
            insert.bind(1, static_cast<std::int64_t>(1 + n % 9)).bind(2, "web-" + std::to_string(n));
            insert.bind(3, today.addDays(n % 5 - 2).iso());
            insert.step();
        }
    }
    std::vector<int> expected;
    for (const auto& deadline : caseflow::FundingProcess::open(web.database()).due(today.addDays(14)))
        expected.push_back(static_cast<int>(deadline.situationId));
    REQUIRE(expected.size() >= 40);

    Browser coordinator(web.port());
    REQUIRE(coordinator.signIn(kCoordinator, passwordOf(kCoordinator)).status == 303);
    std::vector<int> shown;
    int pages = 0;
    for (std::string path = "/due"; !path.empty(); ++pages) {
        const auto page = coordinator.get(path);
        REQUIRE(page.status == 200);
        const auto rows = rowsOf(page.body);
        CHECK(rows.size() <= 3);
        shown.insert(shown.end(), rows.begin(), rows.end());
        if (path != "/due") CHECK(linkLabelled(page.body, "Première page") == "/due");
        path = linkLabelled(page.body, "Page suivante");
        REQUIRE(pages < 100);
    }
    CHECK(shown == expected);
    CHECK(pages == static_cast<int>((expected.size() + 2) / 3));
    CHECK(coordinator.get("/due?after=not-a-cursor").status == 400);
}
