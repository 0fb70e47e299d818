// A prepared SQL statement (see Statement.h). Text is bound with SQLITE_TRANSIENT so that the
// caller's strings may die right after bind(); columns are read by byte length so text holding
// NUL bytes survives the round trip unchanged (the hash chain depends on exact bytes).
#include "store/Statement.h"

#include "store/SqliteError.h"
#include "store/postgres/PgStatement.h"

#include <cassert>
#include <sqlite3.h>

namespace caseflow::store {

StatementCache::~StatementCache() {
    for (auto& [sql, statement] : idle_) sqlite3_finalize(statement);
}

sqlite3_stmt* StatementCache::take(const std::string& sql) {
    const std::lock_guard lock(mutex_);
    const auto found = idle_.find(sql);
    if (found == idle_.end()) return nullptr;
    sqlite3_stmt* statement = found->second;
    idle_.erase(found);
    return statement;
}

void StatementCache::giveBack(const std::string& sql, sqlite3_stmt* statement) noexcept {
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    try {
        const std::lock_guard lock(mutex_);
        if (idle_.size() < kCapacity && idle_.emplace(sql, statement).second) return;
    } catch (...) {
        // No room to keep it: finalised below like any other.
    }
    sqlite3_finalize(statement);
}

void Statement::Finalizer::operator()(sqlite3_stmt* statement) const noexcept {
    if (cache)
        cache->giveBack(sql, statement);
    else
        sqlite3_finalize(statement);
}

Statement::Statement(sqlite3_stmt* statement, std::shared_ptr<StatementCache> cache, std::string sql)
    : statement_(statement, Finalizer{std::move(cache), std::move(sql)}) {
    assert(statement != nullptr);
}

Statement::Statement(postgres::PgStatement statement, std::shared_ptr<PgConnectionShare> share)
    : pg_(std::make_unique<postgres::PgStatement>(std::move(statement))), share_(std::move(share)) {}

Statement::~Statement() = default;
Statement::Statement(Statement&&) noexcept = default;
Statement& Statement::operator=(Statement&&) noexcept = default;

void Statement::check(int resultCode, const char* what) {
    if (resultCode != SQLITE_OK) {
        sqlite3_stmt* statement = statement_.get();
        throwSqliteError(sqlite3_db_handle(statement), resultCode, std::string(what) + ": " + sqlite3_sql(statement));
    }
}

Statement& Statement::bind(int index, int64_t value) {
    if (pg_) {
        pg_->bind(index, value);
        return *this;
    }
    check(sqlite3_bind_int64(statement_.get(), index, value), "bind");
    return *this;
}

Statement& Statement::bind(int index, int value) {
    return bind(index, static_cast<int64_t>(value));
}

Statement& Statement::bind(int index, const std::string& value) {
    if (pg_) {
        pg_->bind(index, value);
        return *this;
    }
    check(sqlite3_bind_text64(statement_.get(), index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
          "bind");
    return *this;
}

Statement& Statement::bind(int index, std::nullptr_t) {
    if (pg_) {
        pg_->bind(index, nullptr);
        return *this;
    }
    check(sqlite3_bind_null(statement_.get(), index), "bind");
    return *this;
}

bool Statement::step() {
    if (pg_) {
        const std::lock_guard lock(share_->roundTrip);
        const bool row = pg_->step();
        share_->lastChanges = pg_->changes();
        return row;
    }
    const int resultCode = sqlite3_step(statement_.get());
    if (resultCode == SQLITE_ROW) return true;
    if (resultCode == SQLITE_DONE) return false;
    sqlite3_stmt* statement = statement_.get();
    throwSqliteError(sqlite3_db_handle(statement), resultCode, sqlite3_sql(statement));
}

void Statement::reset() {
    if (pg_) return pg_->reset();
    // sqlite3_reset repeats the code of a failed step, which step() has already thrown.
    sqlite3_reset(statement_.get());
}

int64_t Statement::columnInt(int column) {
    if (pg_) return pg_->columnInt(column);
    return sqlite3_column_int64(statement_.get(), column);
}

std::string Statement::columnText(int column) {
    if (pg_) return pg_->columnText(column);
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_.get(), column));
    if (text == nullptr) return {};
    return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), column)));
}

std::string_view Statement::columnView(int column) {
    if (pg_) return pg_->columnView(column);
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_.get(), column));
    if (text == nullptr) return {};
    return {text, static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), column))};
}

bool Statement::columnIsNull(int column) {
    if (pg_) return pg_->columnIsNull(column);
    return sqlite3_column_type(statement_.get(), column) == SQLITE_NULL;
}

std::optional<std::string> Statement::columnOptionalText(int column) {
    if (columnIsNull(column)) return std::nullopt;
    return columnText(column);
}

} // namespace caseflow::store
