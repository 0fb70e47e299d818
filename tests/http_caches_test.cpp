// Specifications of the HTTP read caches (issue 19, item 2), against the real server on
// loopback: the token cache (a revocation is seen at once when made through this process's
// Accounts, within the configured time to live when made by the CLI in another process), the
// situation view cache (never one role's view for another, never an old version),
// If-None-Match → 304 (still a recorded read), and the read log's guarantee that no situation
// data leaves when its read cannot be recorded, cache or not.
#include "service/ServiceFixture.h"

#include "service/Accounts.h"

#include <chrono>
#include <regex>
#include <thread>

using caseflow::test::cliPath;
using caseflow::test::runCli;
using caseflow::test::http::Response;
using caseflow::test::http::ServiceFixture;

namespace {

constexpr const char* kSituation = "/api/v1/situations/12";

std::string tokenIdOf(const ServiceFixture& service, const std::string& user) {
    auto process = caseflow::FundingProcess::open(service.database());
    const auto tokens = caseflow::service::Accounts(process.accounts()).tokens(user);
    REQUIRE(tokens.size() == 1);
    return tokens.front().id;
}

// One counter of GET /metrics (published to the coordinator), to see the caches at work.
std::int64_t metric(const ServiceFixture& service, const std::string& name) {
    const Response metrics = service.get("/metrics", "coordinator");
    REQUIRE(metrics.status == 200);
    const auto at = metrics.body.find("\n" + name + " ");
    REQUIRE(at != std::string::npos);
    return std::stoll(metrics.body.substr(at + name.size() + 2));
}

std::int64_t readsOf12(const ServiceFixture& service) {
    return service.count("SELECT count(*) FROM read_log WHERE situation_id = 12 AND what = 'situation'");
}

} // namespace

TEST_CASE("a token revoked through Accounts is refused on the very next request, although the token cache held it",
          "[service][security][cache]") {
    ServiceFixture service; // the default time to live: 30 s, far longer than this test
    REQUIRE(service.get(kSituation, "coordinator").status == 200);
    REQUIRE(service.get(kSituation, "coordinator").status == 200); // now answered from the cache

    SECTION("one token by id") {
        auto process = caseflow::FundingProcess::open(service.database());
        REQUIRE(caseflow::service::Accounts(process.accounts()).revokeToken(tokenIdOf(service, "Marie Coordinator")));
    }
    SECTION("every token of the user") {
        auto process = caseflow::FundingProcess::open(service.database());
        REQUIRE(caseflow::service::Accounts(process.accounts()).revokeTokensOf("Marie Coordinator") == 1);
    }
    const Response refused = service.get(kSituation, "coordinator");
    CHECK(refused.status == 401);
    CHECK(refused.body.find("Sarah") == std::string::npos);
}

TEST_CASE("an assignment made through Accounts is seen on the next request of a cached token",
          "[service][security][cache]") {
    ServiceFixture service;
    const auto other = service.tokenOf("Other CaseManager"); // assigned to situation 1 only
    const auto get = [&] { return service.send({"GET", kSituation, other}).status; };
    REQUIRE(service.send({"GET", "/api/v1/situations/1", other}).status == 200); // the token is cached
    REQUIRE(get() == 403);
    {
        auto process = caseflow::FundingProcess::open(service.database());
        caseflow::service::Accounts(process.accounts()).assign("Other CaseManager", {12});
    }
    CHECK(get() == 200);
}

TEST_CASE("a token revoked by the CLI in another process is refused within the token cache's time to live",
          "[service][security][cache]") {
    using Clock = std::chrono::steady_clock;
    SECTION("a time to live of 1 s: refused within it") {
        ServiceFixture service([](caseflow::service::ServiceConfig& config) { config.tokenCacheSeconds = 1; });
        REQUIRE(service.get(kSituation, "coordinator").status == 200);
        const auto revoke =
            runCli({"token", "revoke", tokenIdOf(service, "Marie Coordinator"), "--db", service.database()});
        INFO(revoke.out << revoke.err);
        REQUIRE(revoke.exitCode == 0);
        const auto revokedAt = Clock::now();
        int status = 200;
        // Polled, not slept: refused as soon as the cached entry is older than 1 s; the
        // deadline leaves room for a loaded machine, the check below holds the bound.
        while (status == 200 && Clock::now() - revokedAt < std::chrono::seconds(10)) {
            status = service.get(kSituation, "coordinator").status;
            if (status == 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        CHECK(status == 401);
        CHECK(Clock::now() - revokedAt < std::chrono::milliseconds(1000 + 2000));
    }
    SECTION("a time to live of an hour: the cache answers, so the bound above is the cache's doing") {
        ServiceFixture service([](caseflow::service::ServiceConfig& config) { config.tokenCacheSeconds = 3600; });
        REQUIRE(service.get(kSituation, "coordinator").status == 200);
        REQUIRE(
            runCli({"token", "revoke", tokenIdOf(service, "Marie Coordinator"), "--db", service.database()}).exitCode ==
            0);
        CHECK(service.get(kSituation, "coordinator").status == 200);
    }
    SECTION("a time to live of 0: nothing is cached, the revocation is seen at once") {
        ServiceFixture service([](caseflow::service::ServiceConfig& config) { config.tokenCacheSeconds = 0; });
        REQUIRE(service.get(kSituation, "coordinator").status == 200);
        REQUIRE(
            runCli({"token", "revoke", tokenIdOf(service, "Marie Coordinator"), "--db", service.database()}).exitCode ==
            0);
        CHECK(service.get(kSituation, "coordinator").status == 401);
    }
}

TEST_CASE("a view cached for the coordinator is never served to finance or the committee (R19)",
          "[service][security][cache]") {
    ServiceFixture service;
    const Response full = service.get(kSituation, "coordinator");
    REQUIRE(full.status == 200);
    REQUIRE(full.body.find("Sarah") != std::string::npos); // the youth's given name: clinical identity
    REQUIRE(service.get(kSituation, "coordinator").body == full.body);
    REQUIRE(metric(service, "caseflow_view_cache_total{outcome=\"hit\"}") >= 1); // the second one came from the cache

    for (const char* role : {"finance", "committee"}) {
        INFO(role);
        const Response other = service.get(kSituation, role);
        REQUIRE(other.status == 200);
        CHECK(other.body.find("Sarah") == std::string::npos);
        CHECK_FALSE(other.json()->has("document"));
        CHECK(other.header("etag") != full.header("etag"));
        // And the other way round: what finance or the committee got never reaches the coordinator.
        CHECK(service.get(kSituation, "coordinator").body == full.body);
        CHECK(service.get(kSituation, role).body == other.body);
    }
    CHECK(service.get(kSituation, "committee").json()->has("version") == false);
    CHECK(service.get(kSituation, "finance").json()->getValue<std::int64_t>("version") ==
          full.json()->getValue<std::int64_t>("version"));
}

TEST_CASE("after an event the next GET of a cached situation returns the new version and a new ETag",
          "[service][cache]") {
    ServiceFixture service;
    const Response before = service.get(kSituation, "coordinator");
    const Response financeBefore = service.get(kSituation, "finance");
    const Response committeeBefore = service.get(kSituation, "committee");
    REQUIRE(before.status == 200);
    const auto version = before.json()->getValue<std::int64_t>("version");
    CHECK(before.header("etag") == "\"" + std::to_string(version) + "\"");
    CHECK(financeBefore.header("etag") == "\"" + std::to_string(version) + "-finance\"");
    // The committee's tag changes with the version without telling it: an opaque digest, nothing else.
    // (Looking for the version's digits in it failed whenever the random digest happened to hold them.)
    CHECK(std::regex_match(committeeBefore.header("etag"), std::regex(R"re("c[0-9a-f]{24}")re")));

    const Response approved =
        service.approve(12, "fr1", R"({"outcome": "approved", "amountCents": 125000, "date": "2026-06-20"})");
    INFO(approved.body);
    REQUIRE(approved.status == 200);

    const Response after = service.get(kSituation, "coordinator");
    REQUIRE(after.status == 200);
    CHECK(after.json()->getValue<std::int64_t>("version") > version);
    CHECK(after.json()->getValue<std::string>("state") != before.json()->getValue<std::string>("state"));
    CHECK(after.header("etag") != before.header("etag"));
    CHECK(after.header("etag") == approved.header("etag"));
    const Response financeAfter = service.get(kSituation, "finance");
    CHECK(financeAfter.header("etag") != financeBefore.header("etag"));
    CHECK(financeAfter.body != financeBefore.body);
    CHECK(service.get(kSituation, "committee").header("etag") != committeeBefore.header("etag"));
    // finance's tag names finance's bytes: the coordinator holding it still gets the full view.
    CHECK(service.get(kSituation, "coordinator", {{"If-None-Match", financeAfter.header("etag")}}).status == 200);
}

TEST_CASE("If-None-Match with the current ETag is answered 304 without a body and the read is still recorded",
          "[service][security][cache]") {
    ServiceFixture service;
    const Response first = service.get(kSituation, "coordinator");
    REQUIRE(first.status == 200);
    const std::string etag = first.header("etag");
    const auto reads = readsOf12(service);

    const Response notModified = service.get(kSituation, "coordinator", {{"If-None-Match", etag}});
    CHECK(notModified.status == 304);
    CHECK(notModified.body.empty());
    CHECK(notModified.header("etag") == etag);
    CHECK(notModified.header("content-length").empty());
    CHECK(readsOf12(service) == reads + 1);

    // Weak comparison and lists, as RFC 9110 says for If-None-Match.
    CHECK(service.get(kSituation, "coordinator", {{"If-None-Match", "\"0\", W/" + etag}}).status == 304);
    CHECK(readsOf12(service) == reads + 2);

    // An old tag, or another view's tag, gets the whole body.
    const Response old = service.get(kSituation, "coordinator", {{"If-None-Match", "\"1\""}});
    CHECK(old.status == 200);
    CHECK(old.body == first.body);
    const Response finance = service.get(kSituation, "finance", {{"If-None-Match", etag}});
    CHECK(finance.status == 200);
    CHECK(finance.body.find("Sarah") == std::string::npos);

    // A caller refused the situation learns nothing from a matching tag either.
    const Response other = service.send(
        {"GET", kSituation, service.tokenOf("Other CaseManager"), "", "application/json", {{"If-None-Match", etag}}});
    CHECK(other.status == 403);
    CHECK(readsOf12(service) == reads + 4);
}

TEST_CASE("a read the read log cannot record sends no situation data, from the cache or not, and no 304",
          "[service][security][cache]") {
    ServiceFixture service;
    const Response warm = service.get(kSituation, "coordinator"); // the view is now cached
    REQUIRE(warm.status == 200);
    const auto reads = readsOf12(service);
    // A real failure of the write, as a full disk would make it: the insert itself is refused.
    service.setReadLogFull(true);

    for (const auto& headers :
         std::vector<std::vector<std::pair<std::string, std::string>>>{{}, {{"If-None-Match", warm.header("etag")}}}) {
        for (const char* role : {"coordinator", "finance"}) {
            INFO(role << (headers.empty() ? "" : " with If-None-Match"));
            const Response refused = service.get(kSituation, role, headers);
            CHECK(refused.status == 500);
            CHECK(refused.header("content-type").rfind("application/problem+json", 0) == 0);
            CHECK(refused.body.find("KIR-26-012") == std::string::npos);
            CHECK(refused.body.find("Sarah") == std::string::npos);
            CHECK(refused.header("etag").empty());
        }
    }
    CHECK(readsOf12(service) == reads);

    service.setReadLogFull(false);
    const Response again = service.get(kSituation, "coordinator");
    CHECK(again.status == 200);
    CHECK(again.body == warm.body);
    CHECK(readsOf12(service) == reads + 1);
    auto process = caseflow::FundingProcess::open(service.database());
    CHECK(process.verify().intact);
}
