// Specifications of the paged situation list (issue 19): GET /api/v1/situations pages by
// default with a keyset cursor, filters on the server, refuses a bad cursor or limit by name,
// and keeps every guarantee of the unpaged list (a scoped caller sees its assignments only,
// finance no clinical text, every shown situation is in the read log).
#include "service/ServiceFixture.h"

#include <Poco/JSON/Array.h>

#include <catch2/catch.hpp>

#include <map>
#include <set>

using caseflow::test::http::Response;
using caseflow::test::http::ServiceFixture;

namespace {

struct Listed {
    std::vector<std::int64_t> ids;
    std::map<std::int64_t, std::string> states, municipalities;
    int pages = 0;
};

// Follows the `next` links from `first`, calling `betweenPages` after each page.
Listed followPages(const ServiceFixture& service, const std::string& first, const std::string& role,
                   const std::function<void()>& betweenPages = {}) {
    Listed listed;
    std::string path = first;
    while (!path.empty()) {
        const Response response = service.get(path, role);
        INFO(path << " -> " << response.body);
        REQUIRE(response.status == 200);
        const auto json = response.json();
        const auto list = json->getArray("situations");
        for (std::size_t n = 0; n < list->size(); ++n) {
            const auto item = list->getObject(static_cast<unsigned>(n));
            const auto id = item->getValue<std::int64_t>("id");
            listed.ids.push_back(id);
            listed.states[id] = item->getValue<std::string>("state");
            if (item->has("municipality")) listed.municipalities[id] = item->getValue<std::string>("municipality");
        }
        ++listed.pages;
        path = json->isNull("next") ? "" : json->getValue<std::string>("next");
        if (!path.empty()) CHECK(response.header("link").find("rel=\"next\"") != std::string::npos);
        REQUIRE(listed.pages < 1000);
        if (betweenPages) betweenPages();
    }
    return listed;
}

std::string registration(const std::string& reference) {
    std::string document =
        caseflow::test::readFile(caseflow::test::namurSamples() / "situations" / "01-namur-early-childhood.xml");
    const auto begin = document.find("KIR-26-001");
    document.replace(begin, 10, reference);
    return document;
}

} // namespace

TEST_CASE("paging returns every situation exactly once across pages while new ones are registered between pages",
          "[service]") {
    ServiceFixture service;
    const Listed before = followPages(service, "/api/v1/situations?limit=500", "coordinator");
    REQUIRE(before.ids.size() >= 10);
    int registered = 0;
    const Listed paged = followPages(service, "/api/v1/situations?limit=3", "coordinator", [&] {
        const Response created =
            service.send({"POST", "/api/v1/situations", service.token("coordinator"),
                          registration("PAGING-" + std::to_string(++registered)), "application/xml"});
        REQUIRE(created.status == 201);
    });
    CHECK(paged.pages > 3);
    const std::set<std::int64_t> unique(paged.ids.begin(), paged.ids.end());
    CHECK(unique.size() == paged.ids.size());                      // nothing twice
    for (const auto id : before.ids) CHECK(unique.count(id) == 1); // nothing lost
    CHECK(std::is_sorted(paged.ids.begin(), paged.ids.end()));
    // What was registered while paging comes at the end, where the cursor had not been yet.
    CHECK(paged.ids.size() > before.ids.size());
    // Every situation shown is in the read log, page by page.
    CHECK(service.count("SELECT count(DISTINCT situation_id) FROM read_log WHERE what = 'list' AND user_name = "
                        "'Marie Coordinator'") >= static_cast<std::int64_t>(unique.size()));
}

TEST_CASE("the list is paged by default, 50 at most, and counts only when asked", "[service]") {
    ServiceFixture service;
    for (int n = 0; n < 40; ++n)
        REQUIRE(service
                    .send({"POST", "/api/v1/situations", service.token("coordinator"),
                           registration("DEFAULT-" + std::to_string(n)), "application/xml"})
                    .status == 201);
    const auto first = service.get("/api/v1/situations", "coordinator").json();
    CHECK(first->getArray("situations")->size() == 50);
    CHECK_FALSE(first->isNull("next"));
    CHECK_FALSE(first->has("total"));
    const auto counted = service.get("/api/v1/situations?count=true&limit=1", "coordinator").json();
    CHECK(counted->getValue<std::int64_t>("total") == service.count("SELECT count(*) FROM situations"));
}

TEST_CASE("the list's filters combine: state, municipality and case manager", "[service]") {
    ServiceFixture service;
    const Listed all = followPages(service, "/api/v1/situations?limit=500", "coordinator");
    const std::string state = all.states.at(12);
    const std::string municipality = all.municipalities.at(12);
    std::vector<std::int64_t> expected;
    for (const auto id : all.ids)
        if (all.states.at(id) == state && all.municipalities.at(id) == municipality) expected.push_back(id);
    REQUIRE(!expected.empty());
    CHECK(followPages(service, "/api/v1/situations?limit=2&state=" + state + "&municipality=" + municipality,
                      "coordinator")
              .ids == expected);
    // Élodie Massart (a case manager) is assigned to situation 12 only.
    CHECK(followPages(service, "/api/v1/situations?caseManager=%C3%89lodie%20Massart&state=" + state, "coordinator")
              .ids == std::vector<std::int64_t>{12});
    const std::string otherState = state == "closed" ? "follow-up" : "closed";
    CHECK(
        followPages(service, "/api/v1/situations?caseManager=%C3%89lodie%20Massart&state=" + otherState, "coordinator")
            .ids.empty());
    CHECK(followPages(service, "/api/v1/situations?municipality=Nowhere", "coordinator").ids.empty());
}

TEST_CASE("a scoped caller's pages hold its own situations only, whatever the filters", "[service]") {
    ServiceFixture service;
    CHECK(followPages(service, "/api/v1/situations?limit=1", "case_manager").ids == std::vector<std::int64_t>{12});
    // Asking about another case manager's caseload does not widen one's own.
    CHECK(followPages(service, "/api/v1/situations?caseManager=Other%20CaseManager", "case_manager").ids.empty());
    CHECK(followPages(service, "/api/v1/situations?cursor=s0", "case_manager").ids == std::vector<std::int64_t>{12});
}

TEST_CASE("a bad cursor or limit gives a 400 naming the parameter", "[service]") {
    ServiceFixture service;
    for (const std::string limit : {"0", "501", "abc", "-1", "", "1e3"}) {
        const Response response = service.get("/api/v1/situations?limit=" + limit, "coordinator");
        INFO(limit << " -> " << response.body);
        CHECK(response.status == 400);
        CHECK(response.body.find("limit") != std::string::npos);
    }
    for (const std::string cursor : {"xyz", "s", "s-1", "12", "s12x", "s99999999999999999999"}) {
        const Response response = service.get("/api/v1/situations?cursor=" + cursor, "coordinator");
        INFO(cursor << " -> " << response.body);
        CHECK(response.status == 400);
        CHECK(response.body.find("cursor") != std::string::npos);
    }
    const Response count = service.get("/api/v1/situations?count=yes", "coordinator");
    CHECK(count.status == 400);
    CHECK(count.body.find("count") != std::string::npos);
}

TEST_CASE("the paged list shows finance no clinical text (R19)", "[service]") {
    ServiceFixture service;
    const std::vector<std::string> secrets = {"Sarah",      "Lemaire",  "2009-11-23",  "Beauraing",
                                              "<situation", "carePlan", "municipality"};
    std::string path = "/api/v1/situations?limit=2";
    int pages = 0;
    while (!path.empty() && pages++ < 100) {
        const Response response = service.get(path, "finance");
        REQUIRE(response.status == 200);
        for (const auto& secret : secrets) {
            INFO(path << " leaks '" << secret << "'");
            CHECK(response.body.find(secret) == std::string::npos);
        }
        const auto json = response.json();
        path = json->isNull("next") ? "" : json->getValue<std::string>("next");
    }
    CHECK(pages > 2);
}
