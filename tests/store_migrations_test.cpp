// Specification of the schema and its migrations: which files are ours, which schema versions
// this build accepts, and what migration 1 creates.
#include "core/Errors.h"
#include "store/Database.h"
#include "store/Migrations.h"
#include "support/TestDatabase.h"
#include "support/TestSupport.h"

#include "support/RawSqlite.h"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <memory>
#include <thread>

using caseflow::Error;
using caseflow::UsageError;
using caseflow::store::caseflowApplicationId;
using caseflow::store::currentSchemaVersion;
using caseflow::store::Database;
using caseflow::store::latestSchemaVersion;
using caseflow::store::migrate;
using caseflow::store::OpenMode;
using caseflow::store::projectionTables;
using caseflow::store::Statement;
using caseflow::test::requireSqlite;
using caseflow::test::ScratchDir;
using caseflow::test::TestDatabase;

using caseflow::test::rawExec;

namespace {

int64_t queryInt(Database& db, const std::string& sql) {
    Statement query = db.prepare(sql);
    REQUIRE(query.step());
    return query.columnInt(0);
}

bool tableExists(Database& db, const std::string& name) {
    Statement query = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
    query.bind(1, name);
    REQUIRE(query.step());
    return query.columnInt(0) == 1;
}

} // namespace

TEST_CASE("A new database gets WAL mode and the current schema version", "[store]") {
    if (!requireSqlite("SQLite's pragmas (PostgreSQL's schema: tests/store_postgres_schema_test.cpp)")) return;
    ScratchDir dir;
    Database db = Database::open(dir / "new.db", OpenMode::CreateIfMissing);
    CHECK(currentSchemaVersion(db) == 0);
    migrate(db);

    CHECK(currentSchemaVersion(db) == latestSchemaVersion());
    CHECK(latestSchemaVersion() >= 1);
    CHECK(queryInt(db, "PRAGMA application_id") == caseflowApplicationId);
    Statement mode = db.prepare("PRAGMA journal_mode");
    REQUIRE(mode.step());
    CHECK(mode.columnText(0) == "wal");
    for (const char* table : {"events", "meta", "situations", "funding_requests", "payments", "deadlines"}) {
        INFO(table);
        CHECK(tableExists(db, table));
    }
}

TEST_CASE("The schema is recognised by its application id 'CFLW'", "[store]") {
    CHECK(caseflowApplicationId == ('C' << 24 | 'F' << 16 | 'L' << 8 | 'W'));
}

TEST_CASE("Migrating an up-to-date database again changes nothing", "[store]") {
    ScratchDir dir;
    const TestDatabase database(dir, "again.db");
    {
        Database db = Database::open(database.address(), OpenMode::CreateIfMissing);
        migrate(db);
        db.exec("INSERT INTO meta (key, value) VALUES ('network', '<network/>')");
    }
    Database db = Database::open(database.appAddress(), OpenMode::MustExist);
    migrate(db);
    migrate(db);
    CHECK(currentSchemaVersion(db) == latestSchemaVersion());
    CHECK(queryInt(db, "SELECT count(*) FROM meta") == 1);
}

TEST_CASE("A file that is not a caseflow database is refused", "[store]") {
    if (!requireSqlite("an SQLite file's header (PostgreSQL: tests/store_postgres_schema_test.cpp)")) return;
    ScratchDir dir;
    const auto path = dir / "other.db";

    SECTION("an SQLite file with another program's tables") {
        rawExec(path, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
        Database db = Database::open(path, OpenMode::MustExist);
        CHECK_THROWS_AS(migrate(db), UsageError);
        CHECK_THROWS_WITH(migrate(db), path.string() + " is not a caseflow database");
        CHECK_FALSE(tableExists(db, "events"));
    }
    SECTION("an empty SQLite file that another program has claimed") {
        rawExec(path, "PRAGMA application_id = 1234");
        Database db = Database::open(path, OpenMode::MustExist);
        CHECK_THROWS_WITH(migrate(db), path.string() + " is not a caseflow database");
    }
    SECTION("a file that is not SQLite at all") {
        caseflow::test::writeFile(path, std::string(8192, 'x'));
        CHECK_THROWS_AS(Database::open(path, OpenMode::MustExist), UsageError);
        CHECK_THROWS_WITH(Database::open(path, OpenMode::MustExist),
                          Catch::StartsWith(path.string() + " is not a caseflow database"));
        CHECK(caseflow::test::readFile(path) == std::string(8192, 'x'));
    }
}

TEST_CASE("A newer schema version is refused", "[store]") {
    if (!requireSqlite("PRAGMA user_version (PostgreSQL: tests/store_postgres_schema_test.cpp)")) return;
    ScratchDir dir;
    const auto path = dir / "future.db";
    {
        Database db = Database::open(path, OpenMode::CreateIfMissing);
        migrate(db);
    }
    const int future = latestSchemaVersion() + 1;
    rawExec(path, "PRAGMA user_version = " + std::to_string(future));

    Database db = Database::open(path, OpenMode::MustExist);
    CHECK_THROWS_AS(migrate(db), UsageError);
    CHECK_THROWS_WITH(migrate(db), "database schema version " + std::to_string(future) +
                                       " is newer than this caseflow (supports up to " +
                                       std::to_string(latestSchemaVersion()) + "); upgrade caseflow");
    CHECK(currentSchemaVersion(db) == future);
}

TEST_CASE("Two connections migrating a fresh file at the same time both succeed", "[store]") {
    if (!requireSqlite("a fresh file 50 times (PostgreSQL: tests/store_postgres_schema_test.cpp)")) return;
    ScratchDir dir;
    const auto path = dir / "race.db";
    for (int round = 0; round < 50; ++round) {
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
        std::string failures[2];
        auto migrateOnce = [&path, &failures](int who) {
            try {
                Database db = Database::open(path, OpenMode::CreateIfMissing);
                migrate(db);
            } catch (const std::exception& error) {
                failures[who] = error.what();
            }
        };
        std::thread first(migrateOnce, 0);
        std::thread second(migrateOnce, 1);
        first.join();
        second.join();
        CHECK(failures[0] == std::string());
        CHECK(failures[1] == std::string());
        Database db = Database::open(path, OpenMode::MustExist);
        CHECK(currentSchemaVersion(db) == latestSchemaVersion());
    }
}

TEST_CASE("The projection tables are the eight tables rebuilt from the log", "[store]") {
    // Payment runs (migration 7) after the payments they carry, as a rebuild empties them in reverse;
    // the committee report's dated facts (migration 13) last.
    CHECK(projectionTables() == std::vector<std::string>{"situations", "funding_requests", "payments", "deadlines",
                                                         "payment_runs", "payment_run_transfers", "committee_facts",
                                                         "committee_clock"});
}
