// The database a specification runs on, on the backend this test run chose: the same test cases
// run on SQLite and on PostgreSQL (issue 18). CASEFLOW_TEST_BACKEND=postgres (set by ctest for
// the `postgres-suite` runs, tests/CMakeLists.txt) gives each TestDatabase a fresh PostgreSQL
// database of its own on the throwaway cluster (CASEFLOW_TEST_POSTGRES_OWNER), dropped when the
// TestDatabase goes; anything else gives a fresh SQLite file in the scratch directory. What must
// stay true: two TestDatabases never share anything, and a test that needs a file (it tampers
// with SQLite's bytes) says so with requireSqlite() instead of passing on PostgreSQL by accident.
#pragma once

#include "store/Database.h"
#include "support/TestSupport.h"

#include <string>

namespace caseflow::test {

enum class Backend { Sqlite, Postgres };

// The backend of this run (CASEFLOW_TEST_BACKEND).
Backend testBackend();
// True on SQLite. On PostgreSQL, a test of SQLite's own behaviour (file bytes, WAL, PRAGMA)
// ends here as skipped with its reason, and says so on the console.
bool requireSqlite(const std::string& why);

class TestDatabase {
public:
    // An empty database (no schema: caseflow's migrations create it on first open). `name` is
    // the SQLite file's name in `dir`.
    explicit TestDatabase(const ScratchDir& dir, const std::string& name = "caseflow.db");
    // On the backend given, whatever the run's (the [.postgres] cases always want PostgreSQL).
    TestDatabase(const ScratchDir& dir, Backend backend, const std::string& name = "caseflow.db");
    // A copy of the database at `original` (an address of this run's backend, nobody connected to
    // it): the file copied on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL (no rebuild).
    TestDatabase(const ScratchDir& dir, const std::string& name, const std::string& original);
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    // What `--db` takes: the file, or the owner's address of the new PostgreSQL database (the
    // owner may run migrations, as `caseflow init` does in production).
    const std::string& address() const { return address_; }
    operator const std::string&() const { return address_; }
    // The application role's address (no DDL, no UPDATE or DELETE on the logs); the file on SQLite.
    const std::string& appAddress() const { return appAddress_; }
    Backend backend() const { return backend_; }
    // Runs `sql` as the database's owner behind caseflow's back, as a person with the sqlite3
    // shell or psql (or an attacker) would: the bare sqlite3 API on SQLite, libpq on PostgreSQL.
    void tamper(const std::string& sql) const;

private:
    void createOnCluster(const std::string& templateName);

    Backend backend_;
    std::string address_;
    std::string appAddress_;
    std::string postgresName_; // the database dropped at the end, on PostgreSQL
};

// The database with the current schema, migrated by its owner (as `caseflow init` does) and
// opened as the application role (the same file on SQLite), as the service runs.
store::Database openMigrated(const TestDatabase& database);

// The test cluster's databases by name, for what outlives one TestDatabase (the service
// template, built once per run): the owner's and the application role's address of `database`,
// the database an address names, a new database (a copy of `templateName` when given) that the
// application role may connect to, and dropping one.
std::string postgresOwnerAddress(const std::string& database);
std::string postgresAppAddress(const std::string& database);
std::string postgresDatabaseName(const std::string& address);
void createPostgresDatabase(const std::string& database, const std::string& templateName = "");
void dropPostgresDatabase(const std::string& database);
// What tells this cluster from an earlier one in the same place (its start time): a template
// recorded by name in the build tree belongs to the cluster it was built on.
std::string postgresClusterIdentity();

} // namespace caseflow::test
