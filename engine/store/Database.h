// The RAII owner of one SQLite connection, and the only door to it: every connection the
// store opens gets WAL (readers never block the writer), synchronous=FULL (a commit that
// returned survives power loss), foreign keys on, and a 5 s busy timeout after which a
// competing writer is reported as caseflow::Conflict. A Database belongs to one thread at a
// time; open one per thread. Statements it prepares must not outlive it.
#pragma once

#include "store/Statement.h"
#include "store/Transaction.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

struct sqlite3;

namespace caseflow::store {

enum class OpenMode { CreateIfMissing, MustExist };

class Database {
public:
    // MustExist on a missing file throws NotFound; a file that is not SQLite at all throws UsageError.
    static Database open(const std::filesystem::path& path, OpenMode mode);
    // A private database no one else sees, gone when closed: for a replay to compare against.
    static Database openScratch();

    Database(Database&&) noexcept = default;
    Database& operator=(Database&&) noexcept = default;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs one or more SQL statements that return nothing we need.
    void exec(const std::string& sql);
    // Prepares exactly one statement; trailing text other than whitespace is refused. The same
    // SQL prepared again reuses an idle statement of this connection (see StatementCache).
    Statement prepare(const std::string& sql);

    sqlite3* handle();
    int64_t lastInsertRowId();
    int changes();
    const std::filesystem::path& path() const { return path_; }

private:
    struct Closer {
        void operator()(sqlite3* db) const noexcept;
    };
    Database(sqlite3* db, std::filesystem::path path);

    std::unique_ptr<sqlite3, Closer> db_;
    std::filesystem::path path_;
    // After db_, so destroyed first: idle statements are finalised before the connection closes.
    std::shared_ptr<StatementCache> statements_ = std::make_shared<StatementCache>();
};

} // namespace caseflow::store
