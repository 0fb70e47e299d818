// SQL as the repositories write it (SQLite's `?` and `?N` parameters) made into PostgreSQL's
// `$N`. What must stay true: only parameters are rewritten, never a `?` inside a string literal,
// a quoted identifier, a dollar-quoted body or a comment; numbering follows SQLite's rule (a bare
// `?` is one more than the largest number used before it), so the same bind(index, ...) calls
// fill the same slots on both backends.
#pragma once

#include <string>
#include <string_view>

namespace caseflow::store::postgres {

struct TranslatedSql {
    std::string sql;        // with $1..$n
    int parameterCount = 0; // the largest parameter number used
};

// Throws UsageError for text that cannot be split safely (an unterminated literal or comment).
TranslatedSql toPostgresPlaceholders(std::string_view sqliteSql);

} // namespace caseflow::store::postgres
