// The rows behind the web application's sessions (table sessions, migration 5): one row per
// signed-in browser, found by the SHA-256 of the session identifier (the identifier itself
// lives only in the browser's cookie), with its CSRF token and the Unix times that end it.
// web::Sessions applies the rules (random identifiers, idle and absolute expiry); no SQL
// and no database type beyond the store's own connection appears outside this store folder.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace caseflow::store {

class Database;

struct SessionRow {
    std::string hash; // SHA-256 of the identifier, hex
    std::string userName;
    std::string csrfToken;
    std::int64_t createdAt = 0; // Unix seconds
    std::int64_t lastSeen = 0;  // Unix seconds
};

class SessionRepository {
public:
    explicit SessionRepository(Database& db) : db_(db) {}

    void insert(const SessionRow& row);
    std::optional<SessionRow> find(const std::string& hash) const;
    void touch(const std::string& hash, std::int64_t lastSeen);
    void remove(const std::string& hash);
    // Ends every session of a user (password reset, account disabled); returns how many.
    int removeAllOf(const std::string& userName);
    // Deletes the sessions idle since before `idleBefore` or created before `createdBefore`.
    int removeExpired(std::int64_t idleBefore, std::int64_t createdBefore);

private:
    Database& db_;
};

} // namespace caseflow::store
