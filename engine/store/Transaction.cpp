// One write transaction as a scope (see Transaction.h). What must stay true: a Transaction that
// was not committed leaves no trace, and its destructor never throws.
#include "store/Transaction.h"

#include "store/Database.h"

#include <sqlite3.h>

namespace caseflow::store {

Transaction::Transaction(Database& db) : db_(db) {
    db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    // SQLite may already have rolled back on its own (after an I/O error or a failed COMMIT);
    // ROLLBACK is only sent while a transaction is really open, and its failure is not ours to report.
    if (!committed_ && sqlite3_get_autocommit(db_.handle()) == 0)
        sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    db_.exec("COMMIT");
    committed_ = true;
}

} // namespace caseflow::store
