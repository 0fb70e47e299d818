// How libpq failures become caseflow errors, for the PostgreSQL backend (docs/postgresql.md).
// Only store/postgres/ includes this. What must stay true: every failure a libpq call reports
// passes through here, so that the kinds match what store/SqliteError.h gives on SQLite: a
// writer that lost a race (unique violation, serialization failure, deadlock, lock timeout) is
// a Conflict a caller may retry, a lost connection is PgConnectionLost, anything else an Error
// carrying PostgreSQL's own message, which names the table, constraint or trigger.
#pragma once

#include "core/Errors.h"

#include <string>

struct pg_conn;
struct pg_result;

namespace caseflow::store::postgres {

// The server went away (restart, pg_terminate_backend, network): the connection cannot be
// used again. The message names the server (socket or host), database and user, never a password.
class PgConnectionLost : public Error {
public:
    using Error::Error;
};

// "socket /tmp/x, database caseflow, user caseflow_app" (or "host db.example, port 5432, ..."):
// where a connection points, for messages.
std::string describeConnection(pg_conn* connection);

// Throws the caseflow error for a failed command. `result` may be null (libpq could not even
// build one: out of memory or connection gone); `context` says what we were doing, e.g. the SQL.
[[noreturn]] void throwPgError(pg_conn* connection, const pg_result* result, const std::string& context);

} // namespace caseflow::store::postgres
