// The RAII owner of one SQLite connection (see Database.h). What must stay true: no connection
// leaves open() without the durability pragmas applied and checked, and a failed open leaks
// nothing (sqlite3_open_v2 hands out a handle even when it fails, so it is owned at once).
#include "store/Database.h"

#include "core/Errors.h"
#include "store/SqliteError.h"
#include "store/postgres/PgConnection.h"

#include <cassert>
#include <cctype>
#include <chrono>
#include <sqlite3.h>
#include <thread>

namespace caseflow::store {

namespace {

constexpr int busyTimeoutMilliseconds = 5000;

struct SqliteFree {
    void operator()(char* text) const noexcept { sqlite3_free(text); }
};

bool onlyWhitespace(const char* text) {
    for (; *text != '\0'; ++text)
        if (std::isspace(static_cast<unsigned char>(*text)) == 0) return false;
    return true;
}

// sqlite3_exec row callback that keeps the first column of the first row.
int keepFirstColumn(void* target, int columns, char** values, char** /*names*/) {
    auto* text = static_cast<std::string*>(target);
    if (columns > 0 && values[0] != nullptr && text->empty()) *text = values[0];
    return 0;
}

} // namespace

void Database::Closer::operator()(sqlite3* db) const noexcept {
    // close_v2 defers the close until stray statements are finalised instead of failing.
    sqlite3_close_v2(db);
}

Database::Database(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}

Database::Database(std::unique_ptr<postgres::PgConnection> connection, std::filesystem::path address)
    : path_(std::move(address)), pg_(std::move(connection)), pgShare_(std::make_shared<PgConnectionShare>()) {}

Database::~Database() = default;
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;

bool Database::isPostgresAddress(const std::string& address) {
    return address.rfind("postgresql://", 0) == 0 || address.rfind("postgres://", 0) == 0;
}

Database Database::openScratch() {
    return open(":memory:", OpenMode::CreateIfMissing);
}

Database Database::open(const std::filesystem::path& path, OpenMode mode) {
    if (isPostgresAddress(path.string()))
        return Database(std::make_unique<postgres::PgConnection>(postgres::PgConnection::connect(path.string())), path);
    const bool inMemory = path == ":memory:";
    if (mode == OpenMode::MustExist && !inMemory && !std::filesystem::exists(path))
        throw NotFound("no database at " + path.string() + "; run `caseflow init` first");

    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE;
    if (mode == OpenMode::CreateIfMissing) flags |= SQLITE_OPEN_CREATE;
    sqlite3* raw = nullptr;
    const int opened = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    Database db(raw, path);
    if (raw == nullptr) throw Error("sqlite: out of memory opening " + path.string());
    if (opened != SQLITE_OK) {
        if ((opened & 0xff) == SQLITE_CANTOPEN && mode == OpenMode::MustExist)
            throw NotFound("no database at " + path.string() + "; run `caseflow init` first");
        throwSqliteError(raw, opened, "open " + path.string());
    }
    sqlite3_extended_result_codes(raw, 1);
    // The timeout comes first: switching to WAL needs a lock another opener may hold right now.
    sqlite3_busy_timeout(raw, busyTimeoutMilliseconds);

    // The first statement is the first read of the file, so this is where a file that is not
    // SQLite at all shows itself. Switching a new file to WAL needs its exclusive lock, and when
    // two connections make the switch at once SQLite refuses one of them at once, without the
    // busy handler (waiting could deadlock inside SQLite); out here it is safe to wait and retry.
    std::string journalMode;
    int switched = SQLITE_OK;
    const auto giveUpAt = std::chrono::steady_clock::now() + std::chrono::milliseconds(busyTimeoutMilliseconds);
    do {
        journalMode.clear();
        char* rawMessage = nullptr;
        switched = sqlite3_exec(raw, "PRAGMA journal_mode = WAL", keepFirstColumn, &journalMode, &rawMessage);
        std::unique_ptr<char, SqliteFree> message(rawMessage);
        if ((switched & 0xff) != SQLITE_BUSY) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    } while (std::chrono::steady_clock::now() < giveUpAt);
    if ((switched & 0xff) == SQLITE_NOTADB)
        throw UsageError(path.string() + " is not a caseflow database (not an SQLite file)");
    if (switched != SQLITE_OK) throwSqliteError(raw, switched, "PRAGMA journal_mode = WAL on " + path.string());
    if (journalMode != "wal" && !(inMemory && journalMode == "memory"))
        throw Error("cannot use WAL journaling for " + path.string() + " (sqlite kept '" + journalMode + "')");
    db.exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
    return db;
}

void Database::exec(const std::string& sql) {
    if (pg_) {
        const std::lock_guard lock(pgShare_->roundTrip);
        return pg_->exec(sql);
    }
    char* rawMessage = nullptr;
    const int resultCode = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &rawMessage);
    std::unique_ptr<char, SqliteFree> message(rawMessage);
    if (resultCode != SQLITE_OK) throwSqliteError(db_.get(), resultCode, sql);
}

Statement Database::prepare(const std::string& sql) {
    if (pg_) {
        const std::lock_guard lock(pgShare_->roundTrip);
        return Statement(pg_->prepare(sql), pgShare_);
    }
    if (sqlite3_stmt* idle = statements_->take(sql)) return Statement(idle, statements_, sql);
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int resultCode = sqlite3_prepare_v2(db_.get(), sql.c_str(), static_cast<int>(sql.size() + 1), &raw, &tail);
    if (resultCode != SQLITE_OK) {
        sqlite3_finalize(raw);
        throwSqliteError(db_.get(), resultCode, sql);
    }
    if (raw == nullptr) throw Error("sqlite: no SQL statement in [" + sql + "]");
    // A second statement would be silently ignored by sqlite3_step; refusing it catches the bug early.
    if (tail != nullptr && !onlyWhitespace(tail)) {
        sqlite3_finalize(raw);
        throw Error("sqlite: prepare expects one statement [" + sql + "]");
    }
    Statement statement(raw, statements_, sql);
    return statement;
}

sqlite3* Database::handle() {
    assert(db_ != nullptr && "a moved-from or PostgreSQL Database has no SQLite connection");
    return db_.get();
}

postgres::PgConnection& Database::postgres() {
    assert(pg_ != nullptr && "an SQLite Database has no PostgreSQL connection");
    return *pg_;
}

int Database::changes() {
    if (pg_) return static_cast<int>(pgShare_->lastChanges);
    return sqlite3_changes(db_.get());
}

void Database::commitPostgres() {
    const std::lock_guard lock(pgShare_->roundTrip);
    postgres().commit();
}

bool Database::inTransaction() {
    if (pg_) {
        const std::lock_guard lock(pgShare_->roundTrip);
        return pg_->inTransaction();
    }
    return sqlite3_get_autocommit(db_.get()) == 0;
}

} // namespace caseflow::store
