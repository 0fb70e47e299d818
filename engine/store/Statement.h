// A prepared SQL statement on either backend: the RAII owner of one sqlite3_stmt, or one
// PostgreSQL prepared statement's use (store/postgres/PgStatement.h, same surface). It must not
// outlive the Database that prepared it, and like its Database it belongs to one thread at a time.
// Invariant: every sqlite3_stmt is finalised exactly once, whatever path leaves the scope;
// one its Database's StatementCache lends is reset, unbound and handed back instead, and the
// cache finalises it later (SQLite's close_v2 keeps the connection until then).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3_stmt;

namespace caseflow::store {

namespace postgres {
class PgStatement;
}

// What the statements of one PostgreSQL connection share with it: libpq's connection is not
// thread-safe, so each round trip holds the connection's lock (SQLite serialises its own), and
// the rows the last statement changed, for Database::changes().
struct PgConnectionShare {
    std::mutex roundTrip;
    int64_t lastChanges = 0;
};

// The idle prepared statements of one connection, by SQL text: preparing the same few
// statements again on every event was a tenth of a transition's time. A statement comes back
// reset and without bindings, so it keeps no read snapshot open and leaks no earlier value.
class StatementCache {
public:
    StatementCache() = default;
    ~StatementCache();
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    // An idle statement for `sql`, now the caller's, or nullptr.
    sqlite3_stmt* take(const std::string& sql);
    // Keeps `statement` for the next take() of `sql`, or finalises it.
    void giveBack(const std::string& sql, sqlite3_stmt* statement) noexcept;

    static constexpr std::size_t kCapacity = 128;

private:
    // A connection may be shared by threads (SQLite serialises the connection itself; the
    // renderer and the server use one process from several threads), so the idle list is too.
    std::mutex mutex_;
    std::unordered_map<std::string, sqlite3_stmt*> idle_;
};

class Statement {
public:
    // Takes ownership of a statement prepared by Database::prepare; with a cache, the
    // statement goes back to it instead of being finalised.
    explicit Statement(sqlite3_stmt* statement, std::shared_ptr<StatementCache> cache = nullptr, std::string sql = {});
    Statement(postgres::PgStatement statement, std::shared_ptr<PgConnectionShare> share);
    ~Statement();
    Statement(Statement&&) noexcept;
    Statement& operator=(Statement&&) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameters are 1-based, as in SQL; each call returns *this so bindings chain.
    Statement& bind(int index, int64_t value);
    // Without this overload a literal 0 would be ambiguous between int64_t and nullptr_t.
    Statement& bind(int index, int value);
    Statement& bind(int index, const std::string& value);
    Statement& bind(int index, std::nullptr_t);
    // NULL for an empty optional, its value otherwise.
    template <typename Value> Statement& bind(int index, const std::optional<Value>& value) {
        return value ? bind(index, *value) : bind(index, nullptr);
    }

    // Runs to the next row: true while a row is available, false once the statement is done.
    bool step();
    // Makes the statement runnable again; bindings are kept until rebound.
    void reset();

    // Columns are 0-based, as in sqlite3_column_*; a NULL reads as 0 or "".
    int64_t columnInt(int column);
    std::string columnText(int column);
    // The column's bytes in place, without a copy: valid until the next step(), reset() or
    // column read of the same column as another type.
    std::string_view columnView(int column);
    bool columnIsNull(int column);
    // A nullable text column: nullopt for NULL.
    std::optional<std::string> columnOptionalText(int column);

private:
    struct Finalizer {
        std::shared_ptr<StatementCache> cache;
        std::string sql; // the text it was prepared from: the cache's key
        void operator()(sqlite3_stmt* statement) const noexcept;
    };
    void check(int resultCode, const char* what);

    std::unique_ptr<sqlite3_stmt, Finalizer> statement_;
    // On PostgreSQL instead of statement_.
    std::unique_ptr<postgres::PgStatement> pg_;
    std::shared_ptr<PgConnectionShare> share_;
};

} // namespace caseflow::store
