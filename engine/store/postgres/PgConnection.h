// The RAII owner of one PostgreSQL connection (libpq), the counterpart of store/Database.h for
// the second backend (docs/postgresql.md). What must stay true:
//  - a connection is opened from a postgresql:// address; a failure names the server (socket or
//    host and port), the database and the user with libpq's reason, and never the password;
//  - like a Database, a PgConnection belongs to one thread at a time, and statements it prepares
//    must not outlive it; it may be moved (statements hold libpq's handle, which does not move);
//  - prepare() takes SQL written for SQLite's parameters (`?`, `?N`) and prepares it on the
//    server once per distinct text: a prepared statement is named by the connection and kept for
//    the connection's life, so preparing the same SQL again costs no round trip;
//  - every session runs in UTC with standard strings, whatever the server's defaults, and waits
//    at most 5 s for a lock (SQLite's busy timeout) before the write is refused as a Conflict.
#pragma once

#include "store/postgres/PgStatement.h"

#include <cassert>
#include <memory>
#include <string>
#include <unordered_map>

struct pg_conn;

namespace caseflow::store::postgres {

class PgConnection {
public:
    // Throws UsageError for an address that is not postgresql:// (or postgres://), Error when
    // the server cannot be reached or refuses the login.
    static PgConnection connect(const std::string& url);

    PgConnection(PgConnection&&) noexcept = default;
    PgConnection& operator=(PgConnection&&) noexcept = default;
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // Runs one or more SQL statements without parameters that return nothing we need (DDL, SET).
    void exec(const std::string& sql);
    // COMMIT, checked: a COMMIT the server turned into a rollback (a statement had failed) throws,
    // and one whose answer never came back says its outcome is unknown.
    void commit();
    // Prepares exactly one statement, with `?`/`?N` parameters (see PgPlaceholders.h).
    PgStatement prepare(const std::string& sql);

    // The server process serving this connection (for pg_terminate_backend in tests).
    int backendPid() const;
    // Whether a transaction is open (or failed and not yet rolled back) on this connection.
    bool inTransaction() const;
    // "socket /tmp/x, database caseflow, user caseflow_app": for messages.
    std::string describe() const;
    pg_conn* handle() const {
        assert(connection_ != nullptr && "a moved-from PgConnection has no connection");
        return connection_.get();
    }

private:
    struct Finisher {
        void operator()(pg_conn* connection) const noexcept;
    };
    explicit PgConnection(pg_conn* connection);

    std::unique_ptr<pg_conn, Finisher> connection_;
    // SQL text (as given) -> its server-side prepared statement.
    std::unordered_map<std::string, PgStatement::Prepared> prepared_;
};

} // namespace caseflow::store::postgres
