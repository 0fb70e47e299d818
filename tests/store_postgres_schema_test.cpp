// Specification of caseflow's schema on PostgreSQL (issue 18, docs/postgresql.md): the baseline
// equals SQLite's schema after its migrations (tables, columns and their kind, primary keys), so
// the two lists of migrations cannot drift; the logs only grow, whoever asks; the application role
// never migrates and is told who must; two owners migrating at once both end on one schema. Each
// case needs the throwaway cluster ([.postgres]) and a PostgreSQL database of its own.
#include "core/Errors.h"
#include "store/Database.h"
#include "store/Migrations.h"
#include "store/ReadLogStore.h"
#include "support/TestDatabase.h"

#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <thread>

using caseflow::UsageError;
using caseflow::store::Database;
using caseflow::store::OpenMode;
using caseflow::test::Backend;
using caseflow::test::ScratchDir;
using caseflow::test::TestDatabase;
using Catch::Matchers::Contains;

namespace {

// A column as both backends can say it: its name, and whether it holds integers, text or bytes.
struct Column {
    std::string name;
    std::string kind;
    bool operator==(const Column&) const = default;
};
struct Table {
    std::vector<Column> columns;         // in declaration order
    std::vector<std::string> primaryKey; // in key order
    bool operator==(const Table&) const = default;
};
using Schema = std::map<std::string, Table>;

std::string kindOf(std::string type) {
    for (char& ch : type) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (type == "integer" || type == "bigint") return "integer";
    if (type == "text") return "text";
    if (type == "blob" || type == "bytea") return "bytes";
    return "other: " + type;
}

Schema sqliteSchema(Database& db) {
    Schema schema;
    std::vector<std::string> names;
    {
        auto tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
        while (tables.step()) names.push_back(tables.columnText(0));
    }
    for (const auto& name : names) {
        Table& table = schema[name];
        std::map<int64_t, std::string> key;
        // table_xinfo: generated columns too.
        auto columns = db.prepare("SELECT name, type, pk FROM pragma_table_xinfo(?1) ORDER BY cid");
        columns.bind(1, name);
        while (columns.step()) {
            table.columns.push_back({columns.columnText(0), kindOf(columns.columnText(1))});
            if (columns.columnInt(2) > 0) key[columns.columnInt(2)] = columns.columnText(0);
        }
        for (const auto& [order, column] : key) table.primaryKey.push_back(column);
    }
    return schema;
}

Schema postgresSchema(Database& db) {
    Schema schema;
    auto columns = db.prepare("SELECT table_name, column_name, data_type FROM information_schema.columns"
                              " WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position");
    while (columns.step())
        schema[columns.columnText(0)].columns.push_back({columns.columnText(1), kindOf(columns.columnText(2))});
    auto keys = db.prepare("SELECT k.table_name, k.column_name FROM information_schema.table_constraints c"
                           " JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name"
                           " AND k.table_schema = c.table_schema AND k.table_name = c.table_name"
                           " WHERE c.table_schema = current_schema() AND c.constraint_type = 'PRIMARY KEY'"
                           " ORDER BY k.table_name, k.ordinal_position");
    while (keys.step()) schema[keys.columnText(0)].primaryKey.push_back(keys.columnText(1));
    return schema;
}

std::string describe(const Table& table) {
    std::string text;
    for (const auto& column : table.columns) text += column.name + " " + column.kind + ", ";
    text += "key (";
    for (const auto& column : table.primaryKey) text += column + " ";
    return text + ")";
}

// What PostgreSQL needs that SQLite's single writer made unnecessary: the version row, the two
// chains' heads and the envelope's year locks (docs/postgresql.md).
const std::set<std::string> postgresOnlyTables = {"caseflow_schema", "chain_head", "read_log_head", "envelope_locks"};

} // namespace

TEST_CASE("a database migrated on PostgreSQL has SQLite's tables, columns, column kinds and primary keys",
          "[.postgres]") {
    Database sqlite = Database::openScratch();
    caseflow::store::migrate(sqlite);
    ScratchDir dir;
    TestDatabase pg(dir, Backend::Postgres);
    Database postgres = Database::open(pg.address(), OpenMode::CreateIfMissing);
    caseflow::store::migrate(postgres);
    CHECK(caseflow::store::currentSchemaVersion(postgres) == caseflow::store::latestSchemaVersion());
    CHECK(caseflow::store::currentSchemaVersion(sqlite) == caseflow::store::latestSchemaVersion());

    const Schema onSqlite = sqliteSchema(sqlite);
    Schema onPostgres = postgresSchema(postgres);
    for (const auto& name : postgresOnlyTables) {
        CHECK(onPostgres.count(name) == 1);
        onPostgres.erase(name);
    }
    REQUIRE(onSqlite.size() > 15);
    std::set<std::string> sqliteNames, postgresNames;
    for (const auto& [name, table] : onSqlite) sqliteNames.insert(name);
    for (const auto& [name, table] : onPostgres) postgresNames.insert(name);
    CHECK(sqliteNames == postgresNames);
    for (const auto& [name, table] : onSqlite) {
        const auto found = onPostgres.find(name);
        if (found == onPostgres.end()) continue;
        INFO("table " << name << "\n  SQLite:     " << describe(table)
                      << "\n  PostgreSQL: " << describe(found->second));
        CHECK(table == found->second);
    }
}

TEST_CASE("the application role cannot update, delete or truncate the read log, and the triggers refuse it to the "
          "owner",
          "[.postgres]") {
    ScratchDir dir;
    TestDatabase pg(dir, Backend::Postgres);
    Database owner = Database::open(pg.address(), OpenMode::CreateIfMissing);
    caseflow::store::migrate(owner);
    Database app = Database::open(pg.appAddress(), OpenMode::MustExist);
    caseflow::store::migrate(app); // up to date: nothing to do, nothing refused
    caseflow::store::ReadLogStore(app).append({{"2026-11-29T10:00:00Z", "elodie", "coordinator", 1, "situation"},
                                               {"2026-11-29T10:00:01Z", "elodie", "coordinator", 1, "document"}});

    for (const char* sql :
         {"UPDATE read_log SET what = 'nothing' WHERE id = 1", "DELETE FROM read_log", "TRUNCATE read_log"})
        CHECK_THROWS_WITH(app.exec(sql), Contains("permission denied for table read_log"));
    for (const char* sql : {"UPDATE read_log SET what = 'nothing' WHERE id = 1", "DELETE FROM read_log WHERE id = 2",
                            "TRUNCATE read_log"})
        CHECK_THROWS_WITH(owner.exec(sql), Contains("the read log is append-only"));
    CHECK_THROWS_WITH(owner.exec("DELETE FROM read_log_head"), Contains("the read log's head is never removed"));
    // A row that does not follow the head is refused even to the owner.
    CHECK_THROWS_WITH(owner.exec("INSERT INTO read_log VALUES (9, 'now', 'x', 'y', 1, 'z', 'forged', 'forged')"),
                      Contains("read log row 9 does not follow the read log's head (row 2)"));
    // Nor can the application role change the schema or the chain head by hand.
    CHECK_THROWS_WITH(app.exec("DROP TRIGGER read_log_no_truncate ON read_log"), Contains("must be owner"));
    CHECK_THROWS_WITH(app.exec("DELETE FROM chain_head"), Contains("permission denied for table chain_head"));

    const auto check = caseflow::store::ReadLogStore(app).verify();
    CHECK(check.intact);
    CHECK(check.rowsChecked == 2);
}

TEST_CASE("the application role opening a database whose schema is behind is told to run caseflow init as the owner",
          "[.postgres]") {
    ScratchDir dir;
    TestDatabase pg(dir, Backend::Postgres);
    const std::string latest = std::to_string(caseflow::store::latestSchemaVersion());
    {
        Database app = Database::open(pg.appAddress(), OpenMode::MustExist);
        CHECK_THROWS_MATCHES(caseflow::store::migrate(app), UsageError,
                             Catch::Matchers::Message("the PostgreSQL schema is at version 0, this caseflow needs " +
                                                      latest + ": run `caseflow init --db " + pg.appAddress() +
                                                      "` as the database's owner"));
    }
    Database owner = Database::open(pg.address(), OpenMode::CreateIfMissing);
    caseflow::store::migrate(owner);
    // A later caseflow's migration not run yet looks like this to the servers.
    owner.exec("UPDATE caseflow_schema SET version = 11");
    Database app = Database::open(pg.appAddress(), OpenMode::MustExist);
    CHECK_THROWS_WITH(caseflow::store::migrate(app),
                      Contains("the PostgreSQL schema is at version 11, this caseflow needs " + latest));
    // A schema newer than this caseflow is refused as on SQLite.
    owner.exec("UPDATE caseflow_schema SET version = 99");
    CHECK_THROWS_WITH(caseflow::store::migrate(app), Contains("is newer than this caseflow"));
}

TEST_CASE("two owners migrating one new PostgreSQL database at once both end on the latest schema", "[.postgres]") {
    ScratchDir dir;
    TestDatabase pg(dir, Backend::Postgres);
    std::vector<std::string> failures(2);
    std::vector<std::thread> migrators;
    for (std::size_t index = 0; index < 2; ++index)
        migrators.emplace_back([&, index] {
            try {
                Database owner = Database::open(pg.address(), OpenMode::CreateIfMissing);
                caseflow::store::migrate(owner);
            } catch (const std::exception& error) {
                failures[index] = error.what();
            }
        });
    for (auto& migrator : migrators) migrator.join();
    for (const auto& failure : failures) CHECK(failure.empty());
    Database app = Database::open(pg.appAddress(), OpenMode::MustExist);
    CHECK(caseflow::store::currentSchemaVersion(app) == caseflow::store::latestSchemaVersion());
    auto rows = app.prepare("SELECT count(*) FROM caseflow_schema");
    rows.step();
    CHECK(rows.columnInt(0) == 1);
}

TEST_CASE("a PostgreSQL database holding another application's tables is not migrated", "[.postgres]") {
    ScratchDir dir;
    TestDatabase pg(dir, Backend::Postgres);
    Database owner = Database::open(pg.address(), OpenMode::CreateIfMissing);
    owner.exec("CREATE TABLE invoices (id BIGINT PRIMARY KEY)");
    CHECK_THROWS_WITH(caseflow::store::migrate(owner), Contains("is not a caseflow database"));
}
