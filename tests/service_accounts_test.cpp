// Specification of users and bearer tokens: `caseflow user ...` and `caseflow token ...`
// create, assign, issue and revoke; only a token's hash is stored; a revoked or expired
// token opens nothing; a user's role and assignments are what the service enforces.
#include "model/Date.h"
#include "service/ServiceFixture.h"
#include "store/Database.h"
#include "store/Sha256.h"

#include <Poco/JSON/Array.h>

using caseflow::test::CommandResult;
using caseflow::test::runCli;
using caseflow::test::http::Response;
using caseflow::test::http::ServiceFixture;

TEST_CASE("Only a token's hash is stored, and revoked or expired tokens open nothing", "[service]") {
    ServiceFixture service;
    const std::string token = service.token("finance");
    REQUIRE(service.get("/api/v1/envelopes/2026", "finance").status == 200);

    // The secret is nowhere in the database file (on PostgreSQL: in no row of the tables that
    // hold tokens or their history, read whole as text), its SHA-256 is.
    if (caseflow::test::testBackend() == caseflow::test::Backend::Sqlite) {
        const std::string file = caseflow::test::readFile(service.database());
        CHECK(file.find(token) == std::string::npos);
    } else {
        CHECK(service.count("SELECT (SELECT count(*) FROM tokens t WHERE t::text LIKE '%" + token +
                            "%') + (SELECT count(*) FROM events e WHERE e::text LIKE '%" + token + "%')") == 0);
    }
    CHECK(service.count("SELECT count(*) FROM tokens WHERE hash = '" + caseflow::store::sha256Hex(token) + "'") == 1);

    auto process = caseflow::FundingProcess::open(service.database());
    caseflow::service::Accounts accounts(process.accounts());
    SECTION("revoked") {
        CHECK(accounts.revokeTokensOf("Finn Finance") == 1);
        Response refused = service.get("/api/v1/envelopes/2026", "finance");
        CHECK(refused.status == 401);
        CHECK(refused.header("www-authenticate").find("invalid_token") != std::string::npos);
        // A new token works again; the old one stays dead.
        const auto fresh = accounts.issueToken("Finn Finance", 30);
        CHECK(caseflow::test::http::send(service.port(), {"GET", "/api/v1/envelopes/2026", fresh.secret}).status ==
              200);
        CHECK(service.get("/api/v1/envelopes/2026", "finance").status == 401);
    }
    SECTION("expired") {
        // A token never used yet, so that the server has not cached it: a table edited behind
        // the server's back (as here) is seen within server.tokenCacheSeconds only, a bound
        // tests/http_caches_test.cpp holds; expiry itself is judged at every request.
        const auto fresh = accounts.issueToken("Finn Finance", 30);
        caseflow::store::Database::open(service.database(), caseflow::store::OpenMode::MustExist)
            .exec("UPDATE tokens SET expires_at = '2020-01-01T00:00:00.000Z' WHERE id = '" + fresh.record.id + "'");
        CHECK(caseflow::test::http::send(service.port(), {"GET", "/api/v1/envelopes/2026", fresh.secret}).status ==
              401);
    }
    SECTION("a user's new assignment takes effect at once") {
        CHECK(service.get("/api/v1/situations/3", "case_manager").status == 403);
        accounts.assign("Élodie Massart", {3});
        CHECK(service.get("/api/v1/situations/3", "case_manager").status == 200);
    }
    SECTION("bad users are refused") {
        CHECK_THROWS_AS(accounts.addUser("Someone", "system", {}), caseflow::UsageError);
        CHECK_THROWS_AS(accounts.addUser("Someone", "admin", {}), caseflow::UsageError);
        CHECK_THROWS_AS(accounts.addUser("Finn Finance", "finance", {}), caseflow::UsageError);
        CHECK_THROWS_AS(accounts.addUser("", "finance", {}), caseflow::UsageError);
        CHECK_THROWS_AS(accounts.addUser("line\nbreak", "finance", {}), caseflow::UsageError);
        CHECK_THROWS_AS(accounts.issueToken("Nobody", std::nullopt), caseflow::NotFound);
        CHECK_THROWS_AS(accounts.issueToken("Finn Finance", 0), caseflow::UsageError);
        CHECK_THROWS_AS(caseflow::service::parseSituationList("1,,2"), caseflow::UsageError);
        CHECK_THROWS_AS(caseflow::service::parseSituationList("1;DROP TABLE users"), caseflow::UsageError);
    }
}

TEST_CASE("The CLI manages users and tokens", "[service]") {
    caseflow::test::ScratchDir dir;
    const caseflow::test::TestDatabase database(dir, "cli.db", caseflow::test::http::templateDatabase());
    const std::string& db = database.address();

    CommandResult added = runCli({"user", "add", "Anne Coordinator", "--role", "coordinator", "--db", db});
    CHECK(added.exitCode == 0);
    CommandResult manager =
        runCli({"user", "add", "Carl", "--role", "case_manager", "--situations", "12,3", "--db", db});
    CHECK(manager.exitCode == 0);
    CHECK(manager.out.find("situations 3,12") != std::string::npos);
    CHECK(runCli({"user", "add", "Bad", "--role", "superuser", "--db", db}).exitCode == 2);
    CHECK(runCli({"user", "add", "Ghost", "--role", "partner", "--situations", "4000", "--db", db}).exitCode == 4);
    CHECK(runCli({"user", "assign", "Carl", "--situations", "5", "--db", db}).exitCode == 0);

    CommandResult issued = runCli({"token", "issue", "Carl", "--expires", "7", "--db", db});
    REQUIRE(issued.exitCode == 0);
    const std::string token = issued.out.substr(0, issued.out.find('\n'));
    CHECK(token.rfind("cfk_", 0) == 0);
    CHECK(issued.err.find("shown only this once") != std::string::npos);
    {
        // The expiry is seven days ahead, to the second, written as every instant is so that they compare as text.
        auto store = caseflow::store::Database::open(db, caseflow::store::OpenMode::MustExist);
        auto expiry = store.prepare("SELECT expires_at FROM tokens WHERE expires_at IS NOT NULL");
        REQUIRE(expiry.step());
        const std::string expiresAt = expiry.columnText(0);
        using namespace std::chrono;
        const auto week = system_clock::now() + hours(24 * 7);
        CHECK(expiresAt.size() == 24);
        CHECK(expiresAt.substr(19) == ".000Z");
        CHECK(expiresAt <= caseflow::utcIso(week));
        CHECK(expiresAt >= caseflow::utcIso(week - minutes(1)));
    }

    CommandResult listed = runCli({"token", "list", "--json", "--db", db});
    REQUIRE(listed.exitCode == 0);
    CHECK(listed.out.find(token) == std::string::npos); // never the secret
    CHECK(listed.out.find("\"user\": \"Carl\"") != std::string::npos);

    CommandResult users = runCli({"user", "list", "--db", db});
    CHECK(users.out.find("Carl  case_manager  situations 3,5,12") != std::string::npos);

    const std::string id = token.substr(4, 12);
    CHECK(runCli({"token", "revoke", id, "--db", db}).exitCode == 0);
    CHECK(runCli({"token", "revoke", id, "--db", db}).exitCode == 4); // already revoked
    CHECK(runCli({"token", "revoke", "--user", "Carl", "--db", db}).exitCode == 0);

    auto process = caseflow::FundingProcess::open(db);
    CHECK_FALSE(caseflow::service::Accounts(process.accounts()).authenticate(token, caseflow::utcNowIso()));
}
