// A prepared SQL statement: the RAII owner of one sqlite3_stmt. It must not outlive the Database
// that prepared it, and like its Database it belongs to one thread at a time.
// Invariant: every sqlite3_stmt is finalised exactly once, whatever path leaves the scope.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

struct sqlite3_stmt;

namespace caseflow::store {

class Statement {
public:
    // Takes ownership of a statement prepared by Database::prepare.
    explicit Statement(sqlite3_stmt* statement);
    Statement(Statement&&) noexcept = default;
    Statement& operator=(Statement&&) noexcept = default;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameters are 1-based, as in SQL; each call returns *this so bindings chain.
    Statement& bind(int index, int64_t value);
    // Without this overload a literal 0 would be ambiguous between int64_t and nullptr_t.
    Statement& bind(int index, int value);
    Statement& bind(int index, const std::string& value);
    Statement& bind(int index, std::nullptr_t);

    // Runs to the next row: true while a row is available, false once the statement is done.
    bool step();
    // Makes the statement runnable again; bindings are kept until rebound.
    void reset();

    // Columns are 0-based, as in sqlite3_column_*; a NULL reads as 0 or "".
    int64_t columnInt(int column);
    std::string columnText(int column);
    bool columnIsNull(int column);
    // A nullable text column: nullopt for NULL.
    std::optional<std::string> columnOptionalText(int column);

private:
    struct Finalizer {
        void operator()(sqlite3_stmt* statement) const noexcept;
    };
    void check(int resultCode, const char* what);

    std::unique_ptr<sqlite3_stmt, Finalizer> statement_;
};

} // namespace caseflow::store
