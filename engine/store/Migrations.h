// The schema of a caseflow database and how a file gets there. A file is ours when its
// PRAGMA application_id is 'CFLW'; its schema version is PRAGMA user_version. Migrations are
// numbered SQL scripts applied in order, each in its own transaction, and never edited once
// released: a change to the schema is always a new migration appended to the list. On PostgreSQL
// the same numbers are kept in the table caseflow_schema, from a baseline equal to SQLite's schema
// after migration 12 (store/postgres/PgSchema.h); only the database's owner migrates there.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace caseflow::store {

class Database;

// 'CFLW' in ASCII: what `file` and PRAGMA application_id report for our databases.
inline constexpr int32_t caseflowApplicationId = 0x43464C57;

// Brings the database up to latestSchemaVersion(). Throws UsageError when the file belongs to
// another application or was written by a newer caseflow. Safe to run from several processes
// at once: a migration another process has already applied is skipped. On PostgreSQL, a role
// that may not create tables (the servers' application role) finding the schema behind gets a
// UsageError telling it to run `caseflow init` as the database's owner.
void migrate(Database& db);
int currentSchemaVersion(Database& db);
int latestSchemaVersion();

// The tables that are projections of the event log, in dependency order (a table only refers
// to tables before it); rebuilding empties them and replays the log.
const std::vector<std::string>& projectionTables();

} // namespace caseflow::store
