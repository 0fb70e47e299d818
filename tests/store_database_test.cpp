// Specification of the SQLite connection wrapper: how a database is opened, which pragmas every
// connection carries, how statements and transactions behave, and how errors are reported.
#include "core/Errors.h"
#include "store/Database.h"
#include "support/TestDatabase.h"
#include "support/TestSupport.h"

#include <catch2/catch.hpp>
#include <sqlite3.h>

using caseflow::Conflict;
using caseflow::Error;
using caseflow::NotFound;
using caseflow::store::Database;
using caseflow::store::OpenMode;
using caseflow::store::ReadSnapshot;
using caseflow::store::Statement;
using caseflow::store::Transaction;
using caseflow::test::requireSqlite;
using caseflow::test::ScratchDir;
using caseflow::test::TestDatabase;

namespace {

int64_t pragmaInt(Database& db, const std::string& name) {
    Statement query = db.prepare("PRAGMA " + name);
    REQUIRE(query.step());
    return query.columnInt(0);
}

int64_t countRows(Database& db, const std::string& table) {
    Statement query = db.prepare("SELECT count(*) FROM " + table);
    REQUIRE(query.step());
    return query.columnInt(0);
}

} // namespace

TEST_CASE("Opening a missing file that must exist says to run caseflow init", "[store]") {
    if (!requireSqlite("a missing file")) return;
    ScratchDir dir;
    const auto path = dir / "absent.db";
    try {
        Database::open(path, OpenMode::MustExist);
        FAIL("open did not throw");
    } catch (const NotFound& error) {
        CHECK(std::string(error.what()) == "no database at " + path.string() + "; run `caseflow init` first");
    }
    CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("Every connection uses WAL, full synchronous commits, foreign keys and a busy timeout", "[store]") {
    if (!requireSqlite("SQLite's pragmas")) return;
    ScratchDir dir;
    {
        Database created = Database::open(dir / "c.db", OpenMode::CreateIfMissing);
        Statement mode = created.prepare("PRAGMA journal_mode");
        REQUIRE(mode.step());
        CHECK(mode.columnText(0) == "wal");
    }
    Database db = Database::open(dir / "c.db", OpenMode::MustExist);
    Statement mode = db.prepare("PRAGMA journal_mode");
    REQUIRE(mode.step());
    CHECK(mode.columnText(0) == "wal");
    CHECK(pragmaInt(db, "synchronous") == 2); // FULL
    CHECK(pragmaInt(db, "foreign_keys") == 1);
    CHECK(pragmaInt(db, "busy_timeout") == 5000);
}

TEST_CASE("Statements bind and read integers, text, NULL and text holding NUL bytes", "[store]") {
    if (!requireSqlite("text holding NUL bytes (PostgreSQL refuses them: tests/postgres_foundation_test.cpp)")) return;
    ScratchDir dir;
    Database db = Database::open(dir / "s.db", OpenMode::CreateIfMissing);
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, amount INTEGER, label TEXT)");
    const std::string withNul("before\0after", 12);

    Statement insert = db.prepare("INSERT INTO t (id, amount, label) VALUES (?, ?, ?)");
    insert.bind(1, 1).bind(2, int64_t{9'007'199'254'740'993}).bind(3, withNul);
    CHECK_FALSE(insert.step());
    CHECK(db.changes() == 1);
    insert.reset();
    insert.bind(1, 2).bind(2, nullptr).bind(3, nullptr);
    CHECK_FALSE(insert.step());

    Statement select = db.prepare("SELECT amount, label FROM t ORDER BY id");
    REQUIRE(select.step());
    CHECK(select.columnInt(0) == 9'007'199'254'740'993);
    CHECK(select.columnText(1) == withNul);
    CHECK_FALSE(select.columnIsNull(0));
    REQUIRE(select.step());
    CHECK(select.columnIsNull(0));
    CHECK(select.columnIsNull(1));
    CHECK(select.columnText(1).empty());
    CHECK_FALSE(select.step());
}

TEST_CASE("SQL errors carry sqlite's message", "[store]") {
    if (!requireSqlite("sqlite's own messages")) return;
    ScratchDir dir;
    Database db = Database::open(dir / "e.db", OpenMode::CreateIfMissing);
    CHECK_THROWS_WITH(db.prepare("SELECT * FROM nowhere"), Catch::Contains("no such table: nowhere"));
    CHECK_THROWS_AS(db.exec("CREATE TABLE"), Error);
    CHECK_THROWS_WITH(db.prepare("SELECT 1; SELECT 2"), Catch::Contains("one statement"));
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    db.exec("INSERT INTO t VALUES (1)");
    Statement duplicate = db.prepare("INSERT INTO t VALUES (1)");
    CHECK_THROWS_WITH(duplicate.step(), Catch::Contains("UNIQUE constraint failed: t.id"));
}

TEST_CASE("A transaction is kept only when committed", "[store]") {
    ScratchDir dir;
    const TestDatabase database(dir, "t.db");
    Database db = Database::open(database.address(), OpenMode::CreateIfMissing);
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");

    SECTION("leaving the scope without commit rolls back") {
        {
            Transaction transaction(db);
            db.exec("INSERT INTO t VALUES (1)");
        }
        CHECK(countRows(db, "t") == 0);
    }
    SECTION("an exception rolls back") {
        try {
            Transaction transaction(db);
            db.exec("INSERT INTO t VALUES (1)");
            db.exec("INSERT INTO t VALUES (1)");
            transaction.commit();
        } catch (const Error&) {
        }
        CHECK(countRows(db, "t") == 0);
    }
    SECTION("a commit is seen by another connection") {
        {
            Transaction transaction(db);
            db.exec("INSERT INTO t VALUES (1)");
            transaction.commit();
        }
        Database other = Database::open(database.address(), OpenMode::MustExist);
        CHECK(countRows(other, "t") == 1);
    }
    SECTION("transactions do not nest") {
        Transaction outer(db);
        CHECK_THROWS_AS(Transaction{db}, Error);
    }
}

TEST_CASE("Reads in a read snapshot see one state of the database while another connection commits", "[store]") {
    if (!requireSqlite("SQLite's read transactions (PostgreSQL's snapshot is a no-op here)")) return;
    ScratchDir dir;
    Database reader = Database::open(dir / "s.db", OpenMode::CreateIfMissing);
    reader.exec("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1)");
    Database writer = Database::open(dir / "s.db", OpenMode::MustExist);
    {
        const ReadSnapshot snapshot(reader);
        CHECK(reader.inTransaction());
        CHECK(countRows(reader, "t") == 1);
        // WAL: the writer is not held up by the snapshot, and the snapshot does not see its row.
        Transaction transaction(writer);
        writer.exec("INSERT INTO t VALUES (2)");
        transaction.commit();
        CHECK(countRows(reader, "t") == 1);
    }
    // The snapshot ended with its scope: the connection reads the newest state again, and can write.
    CHECK_FALSE(reader.inTransaction());
    CHECK(countRows(reader, "t") == 2);
    Transaction transaction(reader);
    reader.exec("INSERT INTO t VALUES (3)");
    transaction.commit();
    CHECK(countRows(writer, "t") == 3);
}

TEST_CASE("A read snapshot inside a transaction leaves that transaction to its owner", "[store]") {
    ScratchDir dir;
    const TestDatabase database(dir, "n.db");
    Database db = Database::open(database.address(), OpenMode::CreateIfMissing);
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    {
        Transaction transaction(db);
        db.exec("INSERT INTO t VALUES (1)");
        { const ReadSnapshot snapshot(db); }
        // Still the transaction's: its row is there until it is rolled back.
        CHECK(db.inTransaction());
        CHECK(countRows(db, "t") == 1);
    }
    CHECK(countRows(db, "t") == 0);
}

TEST_CASE("A writer still locked out after the busy timeout gets Conflict", "[store]") {
    if (!requireSqlite("SQLite's busy timeout (PostgreSQL's lock timeout: tests/postgres_foundation_test.cpp)")) return;
    ScratchDir dir;
    Database first = Database::open(dir / "b.db", OpenMode::CreateIfMissing);
    Database second = Database::open(dir / "b.db", OpenMode::MustExist);
    // The real timeout is 5 s; the behaviour after it is the same with a shorter one.
    sqlite3_busy_timeout(second.handle(), 50);
    Transaction holding(first);
    CHECK_THROWS_AS(Transaction{second}, Conflict);
    CHECK_THROWS_WITH(Transaction{second}, Catch::StartsWith("the database is busy, retry"));
}

TEST_CASE("A Database can be moved and still works", "[store]") {
    ScratchDir dir;
    const TestDatabase database(dir, "m.db");
    Database db = Database::open(database.address(), OpenMode::CreateIfMissing);
    Database moved = std::move(db);
    moved.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    CHECK(countRows(moved, "t") == 0);
    CHECK(moved.path() == database.address());
}
