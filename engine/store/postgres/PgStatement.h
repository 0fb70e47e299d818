// A prepared statement on a PostgreSQL connection, with exactly the surface of store::Statement
// so that the next round can put both backends behind one type (docs/postgresql.md, "the
// seam"). What must stay true, as on SQLite:
//  - parameters are 1-based and columns 0-based; bindings are kept across reset() until rebound;
//  - step() runs the statement on its first call and returns true while a row is available,
//    false once done; a step() after that runs it again (as sqlite3_step does after DONE);
//  - text goes to the server with its exact length (binary-safe), and comes back byte for byte;
//    PostgreSQL text cannot hold a NUL byte, so binding one is refused with a clear error
//    instead of being cut short;
//  - a NULL reads as 0 or "", columnIsNull tells it apart.
// Unlike SQLite, columnInt on a value that is not an integer throws instead of reading 0: a
// column read as the wrong type is a bug to be told about, and PostgreSQL's types are strict.
// The whole result is fetched when the statement runs (one round trip), so several statements
// may be stepped in turn on one connection, as the repositories do.
#pragma once

#include "store/postgres/PgResult.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;

namespace caseflow::store::postgres {

class PgStatement {
public:
    // A statement the server has prepared: its name on the connection, and its parameter count.
    struct Prepared {
        std::string name;
        std::string sql; // as given, for messages
        int parameterCount = 0;
    };

    PgStatement(pg_conn* connection, Prepared prepared);
    PgStatement(PgStatement&&) noexcept = default;
    PgStatement& operator=(PgStatement&&) noexcept = default;
    PgStatement(const PgStatement&) = delete;
    PgStatement& operator=(const PgStatement&) = delete;

    PgStatement& bind(int index, int64_t value);
    // Without this overload a literal 0 would be ambiguous between int64_t and nullptr_t.
    PgStatement& bind(int index, int value);
    PgStatement& bind(int index, const std::string& value);
    PgStatement& bind(int index, std::nullptr_t);

    bool step();
    void reset();

    int64_t columnInt(int column);
    std::string columnText(int column);
    // The column's bytes in the fetched result, without a copy: valid until the next step() or reset().
    std::string_view columnView(int column);
    bool columnIsNull(int column);
    std::optional<std::string> columnOptionalText(int column);

    // Rows changed by the last run of an INSERT, UPDATE or DELETE (sqlite3_changes).
    int64_t changes() const;

private:
    std::optional<std::string>& slot(int index);
    void checkRow(int column) const;

    pg_conn* connection_;
    Prepared prepared_;
    std::vector<std::optional<std::string>> parameters_;
    PgResult result_;
    int row_ = -1;      // the row the columns read; -1 before the first step
    bool done_ = false; // the last step() returned false: the next one runs the statement again
};

} // namespace caseflow::store::postgres
