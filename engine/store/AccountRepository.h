// The rows behind the service's accounts (tables users, assignments, tokens, migration 3):
// users with their role, the situations assigned to them, and bearer tokens by hash only;
// service::Accounts applies the rules (names, roles, token secrets). No SQL and no database
// type beyond the store's own connection appears here.
#pragma once

#include "store/Transaction.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace caseflow::store {

class Database;

struct UserRow {
    std::string name;
    std::string role;
    std::string createdAt;
};

// What signing in to the web application reads about a user (migration 5).
struct LoginRow {
    std::string name;
    std::string role;
    std::optional<std::string> passwordHash; // libsodium's Argon2id string; none: cannot sign in
    std::string language;                    // fr, nl or en
    std::optional<std::string> disabledAt;   // set: the account signs in no more
};

struct TokenRow {
    std::string id;
    std::string userName;
    std::string createdAt;
    std::optional<std::string> expiresAt;
    std::optional<std::string> revokedAt;
};

class AccountRepository {
public:
    explicit AccountRepository(Database& db);

    std::optional<UserRow> user(const std::string& name) const;
    std::vector<UserRow> users() const; // by name
    void insertUser(const UserRow& row);
    // Adds an assignment; one that exists already is kept as it is.
    void assign(const std::string& userName, std::int64_t situationId, const std::string& assignedAt);
    std::vector<std::int64_t> assignments(const std::string& userName) const; // ascending

    // The web application's columns of a user (nullopt for an unknown name).
    std::optional<LoginRow> login(const std::string& name) const;
    std::vector<LoginRow> logins() const; // by name
    // Each returns whether a user of that name exists (and so was changed).
    bool setPasswordHash(const std::string& name, const std::string& hash);
    bool setLanguage(const std::string& name, const std::string& language);
    bool setDisabled(const std::string& name, const std::optional<std::string>& disabledAt);

    void insertToken(const TokenRow& row, const std::string& hash);
    // Returns how many active tokens were revoked.
    int revokeToken(const std::string& tokenId, const std::string& revokedAt);
    int revokeTokensOf(const std::string& userName, const std::string& revokedAt);
    std::vector<TokenRow> tokens(const std::optional<std::string>& userName = std::nullopt) const;
    // The user whose token has this hash, if that token is neither revoked nor expired at `nowUtc`
    // and the account is not disabled.
    std::optional<UserRow> userOfActiveToken(const std::string& hash, const std::string& nowUtc) const;
    // When the token with this hash expires (none: never, or no such token); for the token cache.
    std::optional<std::string> tokenExpiry(const std::string& hash) const;
    const std::filesystem::path& databasePath() const;

    // A write transaction over these rows, for checks and writes that must not interleave
    // with another writer's (see store/Transaction.h).
    Transaction writeTransaction() const { return Transaction(db_); }

private:
    Database& db_;
};

} // namespace caseflow::store
