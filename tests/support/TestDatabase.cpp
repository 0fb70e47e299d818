// Databases for the specifications on either backend (see TestDatabase.h). A PostgreSQL database
// per TestDatabase (not a schema) so that caseflow sees exactly what a deployment sees: its own
// database, `public` schema, the owner migrating and the application role writing.
#include "support/TestDatabase.h"

#include "core/Errors.h"
#include "store/Migrations.h"
#include "store/postgres/PgConnection.h"
#include "support/RawSqlite.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace caseflow::test {

namespace {

std::string requiredEnvironment(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || value[0] == '\0')
        FAIL(name << " is not set: the PostgreSQL runs go through ctest (ctest -L postgres), whose fixture starts"
                     " the throwaway cluster (scripts/pg-cluster.sh start DIR)");
    return value;
}

// The same address with another database: postgresql:///caseflow?host=... -> postgresql:///NAME?host=...
std::string withDatabase(const std::string& address, const std::string& database) {
    const auto query = address.find('?');
    const auto path = address.rfind('/', query);
    if (path == std::string::npos || path < address.find("://") + 2)
        throw Error("cannot find the database name in the test cluster's address " + address);
    return address.substr(0, path + 1) + database + (query == std::string::npos ? "" : address.substr(query));
}

std::string roleOf(const std::string& address) {
    const auto at = address.find("user=");
    if (at == std::string::npos) throw Error("the test cluster's address names no user: " + address);
    const auto end = address.find('&', at);
    return address.substr(at + 5, end == std::string::npos ? std::string::npos : end - at - 5);
}

} // namespace

Backend testBackend() {
    const char* chosen = std::getenv("CASEFLOW_TEST_BACKEND");
    return chosen != nullptr && std::string(chosen) == "postgres" ? Backend::Postgres : Backend::Sqlite;
}

bool requireSqlite(const std::string& why) {
    if (testBackend() == Backend::Sqlite) return true;
    WARN("SQLite only, not run on PostgreSQL: " << why);
    return false;
}

std::string postgresOwnerAddress(const std::string& database) {
    return withDatabase(requiredEnvironment("CASEFLOW_TEST_POSTGRES_OWNER"), database);
}

std::string postgresAppAddress(const std::string& database) {
    return withDatabase(requiredEnvironment("CASEFLOW_TEST_POSTGRES"), database);
}

std::string postgresDatabaseName(const std::string& address) {
    const auto query = address.find('?');
    const auto path = address.rfind('/', query);
    if (path == std::string::npos) throw Error("cannot find the database name in " + address);
    return address.substr(path + 1, query == std::string::npos ? std::string::npos : query - path - 1);
}

void createPostgresDatabase(const std::string& database, const std::string& templateName) {
    const std::string app = requiredEnvironment("CASEFLOW_TEST_POSTGRES");
    auto cluster = store::postgres::PgConnection::connect(requiredEnvironment("CASEFLOW_TEST_POSTGRES_OWNER"));
    cluster.exec("CREATE DATABASE " + database + " TEMPLATE " + (templateName.empty() ? "template0" : templateName) +
                 " ENCODING 'UTF8'");
    // A database's own privileges are not copied from its template (its schema's are).
    cluster.exec("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC; GRANT CONNECT ON DATABASE " + database + " TO " +
                 roleOf(app));
    if (!templateName.empty()) return;
    auto fresh = store::postgres::PgConnection::connect(postgresOwnerAddress(database));
    fresh.exec("REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT USAGE ON SCHEMA public TO " + roleOf(app));
}

void dropPostgresDatabase(const std::string& database) {
    auto cluster = store::postgres::PgConnection::connect(requiredEnvironment("CASEFLOW_TEST_POSTGRES_OWNER"));
    // WITH (FORCE): a server a test started may still hold a connection for a moment.
    cluster.exec("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
}

std::string postgresClusterIdentity() {
    auto cluster = store::postgres::PgConnection::connect(requiredEnvironment("CASEFLOW_TEST_POSTGRES_OWNER"));
    auto started = cluster.prepare("SELECT pg_postmaster_start_time()::text");
    if (!started.step()) throw Error("the test cluster does not say when it started");
    return started.columnText(0);
}

namespace {

std::string freshDatabaseName() {
    static std::atomic<int> counter{0};
    return "cf_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
}

} // namespace

TestDatabase::TestDatabase(const ScratchDir& dir, const std::string& name) : TestDatabase(dir, testBackend(), name) {}

TestDatabase::TestDatabase(const ScratchDir& dir, Backend backend, const std::string& name) : backend_(backend) {
    if (backend_ == Backend::Sqlite) {
        address_ = appAddress_ = (dir / name).string();
        return;
    }
    createOnCluster("");
}

TestDatabase::TestDatabase(const ScratchDir& dir, const std::string& name, const std::string& original)
    : backend_(testBackend()) {
    if (backend_ == Backend::Sqlite) {
        address_ = appAddress_ = (dir / name).string();
        std::filesystem::copy_file(original, address_);
        return;
    }
    createOnCluster(postgresDatabaseName(original));
}

void TestDatabase::createOnCluster(const std::string& templateName) {
    const auto name = freshDatabaseName();
    createPostgresDatabase(name, templateName);
    postgresName_ = name;
    address_ = postgresOwnerAddress(name);
    appAddress_ = postgresAppAddress(name);
}

void TestDatabase::tamper(const std::string& sql) const {
    if (backend_ == Backend::Sqlite) {
        rawExec(address_, sql);
        return;
    }
    store::postgres::PgConnection::connect(address_).exec(sql);
}

TestDatabase::~TestDatabase() {
    if (postgresName_.empty()) return;
    try {
        dropPostgresDatabase(postgresName_);
    } catch (const std::exception&) {
        // The cluster is thrown away at the end of the run anyway.
    }
}

store::Database openMigrated(const TestDatabase& database) {
    {
        store::Database owner = store::Database::open(database.address(), store::OpenMode::CreateIfMissing);
        store::migrate(owner);
    }
    return store::Database::open(database.appAddress(), store::OpenMode::MustExist);
}

} // namespace caseflow::test
