// The RAII owner of one database connection, and the only door to it. Two backends behind one
// type (docs/postgresql.md, "the seam"): a `postgresql://` (or `postgres://`) address opens
// PostgreSQL through libpq, anything else is an SQLite file path. The repositories use only
// exec/prepare/changes/Transaction and so run on either; dialect() tells the few places whose SQL
// must differ. On SQLite, every connection the store opens gets WAL (readers never block the writer), synchronous=FULL
// (a commit that returned survives power loss), foreign keys on, and a 5 s busy timeout after which a competing writer
// is reported as caseflow::Conflict. A Database belongs to one thread at a time; open one per thread. Statements it
// prepares must not outlive it.
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
enum class Dialect { Sqlite, Postgres };

namespace postgres {
class PgConnection;
}

class Database {
public:
    // MustExist on a missing file throws NotFound; a file that is not SQLite at all throws UsageError.
    // A PostgreSQL address connects (the database must exist on the server; MustExist then means
    // "already migrated", checked by migrate()).
    static Database open(const std::filesystem::path& address, OpenMode mode);
    static bool isPostgresAddress(const std::string& address);
    // A private database no one else sees, gone when closed: for a replay to compare against.
    static Database openScratch();

    ~Database();
    Database(Database&&) noexcept;
    Database& operator=(Database&&) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs one or more SQL statements that return nothing we need.
    void exec(const std::string& sql);
    // Prepares exactly one statement; trailing text other than whitespace is refused. The same
    // SQL prepared again reuses an idle statement of this connection (see StatementCache).
    Statement prepare(const std::string& sql);

    Dialect dialect() const { return pg_ ? Dialect::Postgres : Dialect::Sqlite; }
    // SQLite only (backups, the projection check's raw copies); asserts on PostgreSQL.
    sqlite3* handle();
    // PostgreSQL only; asserts on SQLite.
    postgres::PgConnection& postgres();
    // Rows changed by the last INSERT, UPDATE or DELETE run on this connection.
    int changes();
    // PostgreSQL's checked COMMIT (PgConnection::commit), under the connection's lock: for Transaction.
    void commitPostgres();
    // Whether a transaction is open on this connection.
    bool inTransaction();
    // The file, or the PostgreSQL address as given (for messages: addresses carry no password
    // in our deployments, docs/deployment.md).
    const std::filesystem::path& path() const { return path_; }

private:
    struct Closer {
        void operator()(sqlite3* db) const noexcept;
    };
    Database(sqlite3* db, std::filesystem::path path);
    Database(std::unique_ptr<postgres::PgConnection> connection, std::filesystem::path address);

    std::unique_ptr<sqlite3, Closer> db_;
    std::filesystem::path path_;
    // After db_, so destroyed first: idle statements are finalised before the connection closes.
    std::shared_ptr<StatementCache> statements_ = std::make_shared<StatementCache>();
    std::unique_ptr<postgres::PgConnection> pg_;
    std::shared_ptr<PgConnectionShare> pgShare_;
};

} // namespace caseflow::store
