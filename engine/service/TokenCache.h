// The process-wide cache of bearer tokens: (database, token hash) → the principal it stood
// for when it was last read from the tokens table, so that a request does not pay two SQL
// queries to learn who is calling. What must stay true:
// - an entry is never served older than the caller's time to live (the bound on a revocation
//   made by another process, e.g. `caseflow token revoke`, which cannot reach this memory);
// - a change made in this process through service::Accounts clears the cache before the
//   change's caller gets control back (immediate), and a lookup that raced with that change
//   is not stored (the generation it read under is stale);
// - expiry is judged at every request, against the expiry stored with the entry;
// - an unknown, revoked or expired token is never cached (a refusal always goes to the table).
#pragma once

#include "service/Principal.h"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace caseflow::service {

class TokenCache {
public:
    using Clock = std::chrono::steady_clock;

    struct Entry {
        Principal principal;
        std::optional<std::string> expiresAt; // ISO instant as utcNowIso() writes it
        Clock::time_point loadedAt;
    };

    static TokenCache& instance();

    // The principal cached for `key`, if loaded less than `timeToLive` ago and not expired at
    // `nowUtc` (an expired or too old entry is dropped).
    std::optional<Principal> find(const std::string& key, const std::string& nowUtc, Clock::duration timeToLive);
    // The generation to read under before a lookup in the table; store() keeps the result
    // only if nothing was invalidated since.
    std::uint64_t generation();
    void store(const std::string& key, Entry entry, std::uint64_t readUnder);
    // Forgets every entry: a token was revoked or an account changed in this process.
    void invalidate();
    std::size_t size();

private:
    // Beyond this many entries the cache starts again from empty: tokens are few (one or a
    // few per user), so reaching it means a flood of distinct valid tokens, not normal use.
    static constexpr std::size_t kMaxEntries = 10000;

    std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
    std::uint64_t generation_ = 0;
};

} // namespace caseflow::service
