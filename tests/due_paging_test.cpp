// Specifications of the paged due list (issue 19): GET /api/v1/due pages the pending
// deadlines in SQL with an opaque keyset cursor and a `next` link; the pages joined are
// exactly the straightforward full list (FundingProcess::due, what `caseflow due` prints),
// for the network and for a scoped caller; a malformed cursor or limit is a 400 naming it.
#include "service/ServiceFixture.h"

#include "process/FundingProcess.h"
#include "store/Database.h"

#include <Poco/JSON/Array.h>

#include <catch2/catch.hpp>

#include <tuple>

using caseflow::test::http::Response;
using caseflow::test::http::ServiceFixture;

namespace {

using Row = std::tuple<std::int64_t, std::string, std::string, std::string, bool>;

// Generated pending deadlines on every situation of the fixture: many on the same dates (so
// the order within a date is the situation and the send id), some fired already (which no
// list shows), more on situation 12, the one the scoped users are assigned to.
void generateDeadlines(const ServiceFixture& service) {
    auto db = caseflow::store::Database::open(service.database(), caseflow::store::OpenMode::MustExist);
    std::vector<std::int64_t> ids;
    for (auto query = db.prepare("SELECT id FROM situations ORDER BY id"); query.step();)
        ids.push_back(query.columnInt(0));
    REQUIRE(ids.size() >= 10);
    auto insert = db.prepare("INSERT INTO deadlines(situation_id, send_id, event, due_at, fired_at) "
                             "VALUES(?1, ?2, ?3, ?4, ?5)");
    int n = 0;
    for (const auto id : ids)
        for (int k = 0; k < (id == 12 ? 60 : 25); ++k, ++n) {
            insert.reset();
            const std::string due = "2026-0" + std::to_string(3 + n % 3) + "-1" + std::to_string(n % 7);
            insert.bind(1, id).bind(2, "gen-" + std::to_string(k)).bind(3, k % 2 ? "review.due" : "followup.due");
            insert.bind(4, due);
            if (n % 9 == 0)
                insert.bind(5, std::string("2026-02-01"));
            else
                insert.bind(5, nullptr);
            insert.step();
        }
}

std::vector<Row> expectedDue(const ServiceFixture& service, const std::string& at, std::optional<std::int64_t> only,
                             bool overdueOnly = false) {
    auto process = caseflow::FundingProcess::open(service.database());
    std::vector<Row> rows;
    for (const auto& deadline : process.due(caseflow::Date::parseOrThrow(at, "at")))
        if ((!only || deadline.situationId == *only) && (!overdueOnly || deadline.overdue))
            rows.emplace_back(deadline.situationId, deadline.sendId, deadline.event, deadline.due, deadline.overdue);
    return rows;
}

struct Walk {
    std::vector<Row> rows;
    int pages = 0;
    std::size_t attentionLists = 0;
};

Walk followDue(const ServiceFixture& service, const std::string& first, const std::string& role) {
    Walk walk;
    for (std::string path = first; !path.empty();) {
        const Response response = service.get(path, role);
        INFO(path << " -> " << response.body.substr(0, 400));
        REQUIRE(response.status == 200);
        const auto json = response.json();
        const auto list = json->getArray("deadlines");
        for (std::size_t i = 0; i < list->size(); ++i) {
            const auto item = list->getObject(static_cast<unsigned>(i));
            walk.rows.emplace_back(item->getValue<std::int64_t>("situationId"), item->getValue<std::string>("deadline"),
                                   item->getValue<std::string>("event"), item->getValue<std::string>("due"),
                                   item->getValue<bool>("overdue"));
        }
        if (json->has("attention")) ++walk.attentionLists;
        ++walk.pages;
        path = json->isNull("next") ? "" : json->getValue<std::string>("next");
        if (!path.empty()) CHECK(response.header("link").find("rel=\"next\"") != std::string::npos);
        REQUIRE(walk.pages < 2000);
    }
    return walk;
}

} // namespace

TEST_CASE("the due list's pages joined are the full list of pending deadlines, for the network and a case manager",
          "[service]") {
    ServiceFixture service;
    generateDeadlines(service);
    const std::string at = "2026-04-13";
    const auto all = expectedDue(service, at, std::nullopt);
    REQUIRE(all.size() > 150);
    for (const int limit : {1, 7, 50, 500}) {
        INFO("limit " << limit);
        const Walk walk = followDue(service, "/api/v1/due?at=" + at + "&limit=" + std::to_string(limit), "coordinator");
        CHECK(walk.rows == all);
        CHECK(walk.pages == static_cast<int>((all.size() + limit - 1) / limit));
        CHECK(walk.attentionLists == 1); // R2's ages come once, with the first page
    }
    // The default page is 50.
    CHECK(service.get("/api/v1/due?at=" + at, "coordinator").json()->getArray("deadlines")->size() == 50);
    // A case manager's pages hold its situation's deadlines only, as full pages.
    const auto own = expectedDue(service, at, 12);
    REQUIRE(own.size() > 20);
    const Walk scoped = followDue(service, "/api/v1/due?at=" + at + "&limit=10", "case_manager");
    CHECK(scoped.rows == own);
    CHECK(scoped.pages == static_cast<int>((own.size() + 9) / 10));
    // The overdue filter is the query's too.
    CHECK(followDue(service, "/api/v1/due?at=" + at + "&limit=9&overdue=true", "coordinator").rows ==
          expectedDue(service, at, std::nullopt, true));
}

TEST_CASE("a deadline that fires between two pages of the due list makes no other one appear twice or go missing",
          "[service]") {
    ServiceFixture service;
    generateDeadlines(service);
    const std::string at = "2026-05-31";
    const auto before = expectedDue(service, at, std::nullopt);
    const Response first = service.get("/api/v1/due?at=" + at + "&limit=20", "coordinator");
    REQUIRE(first.status == 200);
    // The first row shown fires (a projection write, as the projector makes it).
    {
        auto db = caseflow::store::Database::open(service.database(), caseflow::store::OpenMode::MustExist);
        db.prepare("UPDATE deadlines SET fired_at = '2026-05-01' WHERE situation_id = ?1 AND send_id = ?2")
            .bind(1, std::get<0>(before.front()))
            .bind(2, std::get<1>(before.front()))
            .step();
    }
    Walk rest = followDue(service, first.json()->getValue<std::string>("next"), "coordinator");
    CHECK(rest.rows == std::vector<Row>(before.begin() + 20, before.end()));
}

TEST_CASE("a malformed cursor, limit or overdue flag of the due list is a 400 naming it", "[service]") {
    ServiceFixture service;
    for (const std::string cursor :
         {"", "s12", "d2026-13-01~1~review", "d2026-03-10~~review", "d2026-03-10~1~", "d2026-03-10~1~re%20view",
          "d2026-03-10~x~review", "d2026-03-10~1", "d2026-3-10~1~review", "d2026-03-10~12345678901234567890~review"}) {
        INFO("cursor '" << cursor << "'");
        const Response response = service.get("/api/v1/due?cursor=" + cursor, "coordinator");
        CHECK(response.status == 400);
        CHECK(response.json()->getValue<std::string>("field") == "cursor");
    }
    for (const std::string limit : {"0", "501", "abc", "", "-1", "1e2"}) {
        INFO("limit '" << limit << "'");
        const Response response = service.get("/api/v1/due?limit=" + limit, "coordinator");
        CHECK(response.status == 400);
        CHECK(response.json()->getValue<std::string>("field") == "limit");
    }
    const Response overdue = service.get("/api/v1/due?overdue=yes", "coordinator");
    CHECK(overdue.status == 400);
    CHECK(overdue.json()->getValue<std::string>("field") == "overdue");
    // A well-formed cursor of nothing shown is the rest of the list after it, here nothing.
    const Response past = service.get("/api/v1/due?at=2026-01-01&cursor=d2099-01-01~1~review", "coordinator");
    CHECK(past.status == 200);
    CHECK(past.json()->getArray("deadlines")->size() == 0);
    CHECK(past.json()->isNull("next"));
}
