// How SQLite result codes become caseflow errors (see SqliteError.h). The primary code decides
// the kind; the message is sqlite's own, because it names the table, constraint or trigger.
#include "store/SqliteError.h"

#include "core/Errors.h"

#include <sqlite3.h>

namespace caseflow::store {

void throwSqliteError(sqlite3* db, int resultCode, const std::string& context) {
    const int primary = resultCode & 0xff;
    // sqlite3_errmsg describes the most recent failure on this connection, which is the one we
    // are reporting as long as nothing ran in between; without a connection only the code is known.
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(resultCode);
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        throw Conflict("the database is busy, retry (" + message + ")");
    // As on PostgreSQL (23505): another writer stored the same key first.
    if (resultCode == SQLITE_CONSTRAINT_UNIQUE || resultCode == SQLITE_CONSTRAINT_PRIMARYKEY)
        throw Conflict("sqlite: " + message + (context.empty() ? "" : " [" + context + "]"));
    if (!context.empty()) message += " [" + context + "]";
    throw Error("sqlite: " + message);
}

} // namespace caseflow::store
