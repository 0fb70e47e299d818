// Users, their roles and assignments, and bearer tokens: what `caseflow user ...` and
// `caseflow token ...` manage and what the service authenticates against. What must stay
// true: a token is shown once, when issued, and only its SHA-256 hash is stored; a revoked
// or expired token, or any token of a disabled account, authenticates nobody, from the next
// request on; the six roles of the service are the only roles a user can have (no "system").
// Every method that changes a user, an assignment or a token clears the process-wide token
// cache (service/TokenCache.h) once its change is committed: a method added here that changes
// them must do the same.
#pragma once

#include "service/Principal.h"
#include "store/AccountRepository.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow::service {

struct UserRecord {
    std::string name;
    std::string role;
    std::string createdAt;
    std::vector<std::int64_t> situations;
};

// An account as the web application creates it: the user, their situations, their first
// password (already hashed: libsodium's Argon2id string) and language, all or nothing.
struct NewAccount {
    std::string name;
    std::string role;
    std::vector<std::int64_t> situations;
    std::string passwordHash;
    std::string language; // fr, nl or en
};

struct TokenRecord {
    std::string id; // public, for listing and revoking
    std::string userName;
    std::string createdAt;
    std::optional<std::string> expiresAt;
    std::optional<std::string> revokedAt;
};

struct IssuedToken {
    TokenRecord record;
    std::string secret; // the bearer token itself: shown once, never stored
};

class Accounts {
public:
    // The rows of a migrated caseflow database (FundingProcess::accounts()).
    explicit Accounts(store::AccountRepository rows);

    // Throws UsageError for an unknown role, a bad name, or a name already taken.
    UserRecord addUser(const std::string& name, const std::string& role, const std::vector<std::int64_t>& situations);
    // The user, their assignments, password and language in one transaction: a failure
    // anywhere leaves no account at all (no half account that exists without its password or
    // its situations). Throws as addUser does.
    UserRecord createAccount(const NewAccount& account);
    // Disables (true) or enables (false) an account; throws NotFound for an unknown user.
    // Disabling revokes the account's active tokens through revokeTokensOf (so whatever caches
    // tokens learns it there) and returns how many were revoked; an enabled account gets new
    // tokens, never its old ones back.
    int setDisabled(const std::string& name, bool disabled);
    // Adds assignments (existing ones are kept); throws NotFound for an unknown user.
    UserRecord assign(const std::string& name, const std::vector<std::int64_t>& situations);
    UserRecord user(const std::string& name) const; // throws NotFound
    std::vector<UserRecord> users() const;

    // A fresh random token for `name`, valid `expiresInDays` days (forever when absent).
    IssuedToken issueToken(const std::string& name, std::optional<int> expiresInDays);
    // Revokes one token by id; returns false when no active token has that id.
    bool revokeToken(const std::string& tokenId);
    // Revokes every active token of a user; returns how many.
    int revokeTokensOf(const std::string& name);
    std::vector<TokenRecord> tokens(const std::optional<std::string>& name = std::nullopt) const;

    // The principal a bearer token stands for, or nullopt when the token is unknown,
    // revoked or expired. `nowUtc` is an ISO instant as written by utcNowIso(). With a
    // positive `cacheFor`, a principal read from the table less than that long ago may be
    // answered from the token cache (expiry is still judged against `nowUtc`): the bound on
    // how long a revocation made by another process can go unseen.
    std::optional<Principal> authenticate(std::string_view token, const std::string& nowUtc,
                                          std::chrono::steady_clock::duration cacheFor = {}) const;

private:
    // Forgets every cached token, after a change to users, assignments or tokens.
    static void changed();

    store::AccountRepository rows_;
};

// Parses "1,2,3" as situation ids; throws UsageError on anything else.
std::vector<std::int64_t> parseSituationList(const std::string& text);

} // namespace caseflow::service
