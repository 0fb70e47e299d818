// The schema of a caseflow database on PostgreSQL and its migrations (docs/postgresql.md,
// "Migrations numbered alike"). What must stay true:
//  - the numbering is SQLite's (store/Migrations.cpp): one baseline equal to SQLite's schema after
//    migration 12, recorded as version 12; every later migration is written for both backends in
//    the same commit, and tests/store_migration_parity_test.cpp compares the two schemas;
//  - the version lives in the one-row table caseflow_schema (application_id, version), written in
//    the migration's own transaction; two migrators queue on LOCK TABLE caseflow_schema IN
//    EXCLUSIVE MODE and re-read the version under it;
//  - migrations are run by the database's owner; each GRANTs the application role (caseflow_app,
//    or CASEFLOW_PG_APP_ROLE) exactly what the servers need, and nothing that could change the logs;
//  - the application role opening a database whose schema is behind gets a UsageError telling the
//    owner to run `caseflow init`, never a half-migrated database.
#pragma once

#include <string>

namespace caseflow::store {
class Database;
}

namespace caseflow::store::postgres {

// The role the servers connect as: CASEFLOW_PG_APP_ROLE, or caseflow_app. Checked to be a plain
// identifier (it is written into GRANT statements, where it cannot be a parameter).
std::string applicationRole();

// migrate(db) for a PostgreSQL Database (see store/Migrations.h).
void migratePostgres(Database& db);
// The version recorded in caseflow_schema; 0 when the table is not there.
int postgresSchemaVersion(Database& db);

} // namespace caseflow::store::postgres
