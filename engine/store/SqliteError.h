// How SQLite result codes become caseflow errors. Only the store's own sources include this:
// every failure reported by sqlite3_* must pass through here, so that "busy" is always a
// Conflict (retrying is the right answer) and everything else an Error carrying sqlite's message.
#pragma once

#include <string>

struct sqlite3;

namespace caseflow::store {

// Throws caseflow::Conflict for SQLITE_BUSY / SQLITE_LOCKED (the busy timeout already expired),
// caseflow::Error otherwise. `context` says what we were doing, e.g. the SQL text.
[[noreturn]] void throwSqliteError(sqlite3* db, int resultCode, const std::string& context);

} // namespace caseflow::store
