// Users, assignments and tokens (see Accounts.h); their rows are store::AccountRepository's. What must stay true: the
// token secret leaves issueToken() and is forgotten; lookups compare hashes, so the table
// never holds anything that would let a reader of the database call the service.
#include "service/Accounts.h"

#include "core/Text.h"
#include "process/Authorisation.h"
#include "service/TokenCache.h"

#include "core/Errors.h"
#include "model/Date.h"
#include "store/Sha256.h"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace caseflow::service {
namespace {

constexpr const char* kTokenPrefix = "cfk_";

std::string randomHex(std::size_t bytes) {
    std::vector<unsigned char> buffer(bytes);
    std::size_t filled = 0;
    while (filled < bytes) {
        const ssize_t got = getrandom(buffer.data() + filled, bytes - filled, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw Error(std::string("cannot read random bytes for a token: ") + std::strerror(errno));
        }
        filled += static_cast<std::size_t>(got);
    }
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes * 2);
    for (unsigned char byte : buffer) {
        hex.push_back(kDigits[byte >> 4]);
        hex.push_back(kDigits[byte & 0x0f]);
    }
    return hex;
}

void checkUserName(const std::string& name) {
    if (name.empty() || name.size() > 100) throw UsageError("a user name has 1 to 100 characters");
    for (unsigned char ch : name)
        if (ch < 0x20 || ch == 0x7f) throw UsageError("a user name cannot contain control characters");
    if (name.front() == ' ' || name.back() == ' ') throw UsageError("a user name cannot start or end with a space");
}

// UTC instant `days` from now, to the second, in the same format as utcNowIso() so that instants
// compare as text.
std::string utcInDays(int days) {
    return utcIso(
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now() + std::chrono::hours(24) * days));
}

} // namespace

std::vector<std::int64_t> parseSituationList(const std::string& text) {
    std::vector<std::int64_t> ids;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        const std::string item = text.substr(start, end - start);
        if (item.empty() || item.size() > 18 || item.find_first_not_of("0123456789") != std::string::npos ||
            item.find_first_not_of('0') == std::string::npos)
            throw UsageError("'" + text + "' is not a list of situation ids like 1,2,3");
        ids.push_back(std::stoll(item));
        start = end + 1;
    }
    return ids;
}

Accounts::Accounts(store::AccountRepository rows) : rows_(rows) {}

UserRecord Accounts::addUser(const std::string& name, const std::string& role,
                             const std::vector<std::int64_t>& situations) {
    return createAccount({name, role, situations, "", ""});
}

UserRecord Accounts::createAccount(const NewAccount& account) {
    checkUserName(account.name);
    if (std::find(kUserRoles.begin(), kUserRoles.end(), account.role) == kUserRoles.end())
        throw UsageError("unknown role '" + account.role + "'; roles are: " + text::joined(kUserRoles, ", "));
    if (!account.language.empty() && account.language != "fr" && account.language != "nl" && account.language != "en")
        throw UsageError("unknown language '" + account.language + "'; languages are: fr, nl, en");
    {
        auto transaction = rows_.writeTransaction();
        if (rows_.user(account.name))
            throw UsageError("user '" + account.name + "' already exists; use `caseflow user assign`");
        const std::string now = utcNowIso();
        rows_.insertUser({account.name, account.role, now});
        for (const auto id : account.situations) rows_.assign(account.name, id, now);
        if (!account.passwordHash.empty()) rows_.setPasswordHash(account.name, account.passwordHash);
        if (!account.language.empty()) rows_.setLanguage(account.name, account.language);
        transaction.commit();
    }
    changed();
    return user(account.name);
}

int Accounts::setDisabled(const std::string& name, bool disabled) {
    {
        auto transaction = rows_.writeTransaction();
        if (!rows_.setDisabled(name, disabled ? std::optional<std::string>(utcNowIso()) : std::nullopt))
            throw NotFound("no user '" + name + "'");
        transaction.commit();
    }
    changed();
    return disabled ? revokeTokensOf(name) : 0;
}

UserRecord Accounts::assign(const std::string& name, const std::vector<std::int64_t>& situations) {
    {
        auto transaction = rows_.writeTransaction();
        if (!rows_.user(name)) throw NotFound("no user '" + name + "'");
        const std::string now = utcNowIso();
        for (const auto id : situations) rows_.assign(name, id, now);
        transaction.commit();
    }
    changed();
    return user(name);
}

UserRecord Accounts::user(const std::string& name) const {
    auto row = rows_.user(name);
    if (!row) throw NotFound("no user '" + name + "'");
    return {row->name, row->role, row->createdAt, rows_.assignments(name)};
}

std::vector<UserRecord> Accounts::users() const {
    std::vector<UserRecord> found;
    for (auto& row : rows_.users())
        found.push_back({row.name, std::move(row.role), std::move(row.createdAt), rows_.assignments(row.name)});
    return found;
}

IssuedToken Accounts::issueToken(const std::string& name, std::optional<int> expiresInDays) {
    if (expiresInDays && (*expiresInDays < 1 || *expiresInDays > 3650))
        throw UsageError("--expires takes a number of days from 1 to 3650");
    user(name); // NotFound for an unknown user
    IssuedToken issued;
    issued.record.id = randomHex(6);
    issued.record.userName = name;
    issued.record.createdAt = utcNowIso();
    if (expiresInDays) issued.record.expiresAt = utcInDays(*expiresInDays);
    // 32 random bytes: guessing is hopeless, and one unsalted SHA-256 is enough to store a
    // secret of that entropy (salts protect low-entropy passwords, not random keys).
    issued.secret = kTokenPrefix + issued.record.id + "_" + randomHex(32);
    rows_.insertToken({issued.record.id, name, issued.record.createdAt, issued.record.expiresAt, std::nullopt},
                      store::sha256Hex(issued.secret));
    return issued;
}

bool Accounts::revokeToken(const std::string& tokenId) {
    const bool revoked = rows_.revokeToken(tokenId, utcNowIso()) > 0;
    changed();
    return revoked;
}

int Accounts::revokeTokensOf(const std::string& name) {
    user(name);
    const int revoked = rows_.revokeTokensOf(name, utcNowIso());
    changed();
    return revoked;
}

void Accounts::changed() {
    TokenCache::instance().invalidate();
}

std::vector<TokenRecord> Accounts::tokens(const std::optional<std::string>& name) const {
    std::vector<TokenRecord> found;
    for (auto& row : rows_.tokens(name))
        found.push_back({std::move(row.id), std::move(row.userName), std::move(row.createdAt), std::move(row.expiresAt),
                         std::move(row.revokedAt)});
    return found;
}

std::optional<Principal> Accounts::authenticate(std::string_view token, const std::string& nowUtc,
                                                std::chrono::steady_clock::duration cacheFor) const {
    // Anything that does not look like one of our tokens is refused before touching the database.
    if (token.size() != 4 + 12 + 1 + 64 || token.substr(0, 4) != kTokenPrefix) return std::nullopt;
    const std::string hash = store::sha256Hex(token);
    TokenCache& cache = TokenCache::instance();
    const bool cached = cacheFor > std::chrono::steady_clock::duration::zero();
    // The database is part of the key: a copy of a database holds the same token hashes.
    const std::string key = cached ? rows_.databasePath().native() + '\n' + hash : std::string();
    if (cached)
        if (auto principal = cache.find(key, nowUtc, cacheFor)) return principal;
    const std::uint64_t generation = cache.generation();
    const auto user = rows_.userOfActiveToken(hash, nowUtc);
    if (!user) return std::nullopt;
    Principal principal{user->name, user->role, {}};
    for (const auto id : rows_.assignments(principal.name)) principal.situations.insert(id);
    if (cached) cache.store(key, {principal, rows_.tokenExpiry(hash), std::chrono::steady_clock::now()}, generation);
    return principal;
}

} // namespace caseflow::service
