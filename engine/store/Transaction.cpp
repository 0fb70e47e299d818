// One write transaction as a scope (see Transaction.h). What must stay true: a Transaction that
// was not committed leaves no trace, and its destructor never throws.
#include "store/Transaction.h"

#include "core/Errors.h"
#include "store/Database.h"

namespace caseflow::store {

Transaction::Transaction(Database& db) : db_(db) {
    // PostgreSQL has no database-wide write lock: READ COMMITTED, and the decisions that read
    // before they write take row locks (the chain head, the envelope's year, the funding request).
    // PostgreSQL only warns about a BEGIN inside a transaction; SQLite refuses it, and so do we.
    if (db_.dialect() == Dialect::Postgres && db_.inTransaction())
        throw Error("postgresql: a transaction is already open on this connection (transactions do not nest)");
    if (db_.dialect() == Dialect::Postgres)
        db_.exec("BEGIN ISOLATION LEVEL READ COMMITTED");
    else
        // Prepared once per connection (the statement cache): sqlite3_exec parsed it at every event.
        db_.prepare("BEGIN IMMEDIATE").step();
}

Transaction::~Transaction() {
    // SQLite may already have rolled back on its own (after an I/O error or a failed COMMIT);
    // ROLLBACK is only sent while a transaction is really open, and its failure is not ours to report.
    if (committed_) return;
    try {
        if (db_.inTransaction()) db_.exec("ROLLBACK");
    } catch (...) {
        // A lost connection has no transaction left to undo.
    }
}

void Transaction::commit() {
    if (db_.dialect() == Dialect::Postgres)
        db_.commitPostgres();
    else
        db_.prepare("COMMIT").step();
    committed_ = true;
}

ReadSnapshot::ReadSnapshot(Database& db) : db_(db) {
    if (db_.dialect() == Dialect::Postgres || db_.inTransaction()) return;
    db_.prepare("BEGIN").step();
    own_ = true;
}

ReadSnapshot::~ReadSnapshot() {
    // Ending a read transaction releases its read lock; it has nothing to make durable.
    if (!own_) return;
    try {
        if (db_.inTransaction()) db_.prepare("COMMIT").step();
    } catch (...) {
        // Ending a read loses nothing either way: should COMMIT fail, ROLLBACK ends it, so that
        // the next write transaction does not find one still open.
        try {
            if (db_.inTransaction()) db_.exec("ROLLBACK");
        } catch (...) {
            // A lost connection has no transaction left to end.
        }
    }
}

} // namespace caseflow::store
