// Users, assignments, tokens and the read log (see Accounts.h). What must stay true: the
// token secret leaves issueToken() and is forgotten; lookups compare hashes, so the table
// never holds anything that would let a reader of the database call the service.
#include "service/Accounts.h"

#include "core/Errors.h"
#include "model/Date.h"
#include "store/Database.h"
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

// UTC instant `days` from now, in the same format as utcNowIso() so that instants compare as text.
std::string utcInDays(int days) {
    const auto then = std::chrono::system_clock::now() + std::chrono::hours(24) * days;
    const auto seconds = std::chrono::floor<std::chrono::seconds>(then);
    const auto day = std::chrono::floor<std::chrono::days>(seconds);
    const std::chrono::year_month_day date{day};
    const std::chrono::hh_mm_ss time{seconds - day};
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02ld:%02ld:%02ld.000Z", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<long>(time.hours().count()), static_cast<long>(time.minutes().count()),
                  static_cast<long>(time.seconds().count()));
    return text;
}

std::optional<std::string> optionalText(store::Statement& row, int column) {
    if (row.columnIsNull(column)) return std::nullopt;
    return row.columnText(column);
}

} // namespace

const std::vector<std::string>& serviceRoles() {
    static const std::vector<std::string> roles = {"coordinator", "case_manager", "pedopsychiatrist",
                                                   "finance",     "partner",      "committee"};
    return roles;
}

bool isServiceRole(std::string_view role) {
    return std::find(serviceRoles().begin(), serviceRoles().end(), role) != serviceRoles().end();
}

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

Accounts::Accounts(store::Database& db) : db_(db) {}

UserRecord Accounts::addUser(const std::string& name, const std::string& role,
                             const std::vector<std::int64_t>& situations) {
    checkUserName(name);
    if (!isServiceRole(role))
        throw UsageError("unknown role '" + role +
                         "'; roles are: coordinator, case_manager, pedopsychiatrist, finance, partner, committee");
    {
        store::Transaction transaction(db_);
        auto exists = db_.prepare("SELECT 1 FROM users WHERE name = ?1");
        exists.bind(1, name);
        if (exists.step()) throw UsageError("user '" + name + "' already exists; use `caseflow user assign`");
        const std::string now = utcNowIso();
        db_.prepare("INSERT INTO users(name, role, created_at) VALUES(?1, ?2, ?3)")
            .bind(1, name)
            .bind(2, role)
            .bind(3, now)
            .step();
        for (const auto id : situations) {
            db_.prepare("INSERT INTO assignments(user_name, situation_id, assigned_at) VALUES(?1, ?2, ?3) "
                        "ON CONFLICT DO NOTHING")
                .bind(1, name)
                .bind(2, id)
                .bind(3, now)
                .step();
        }
        transaction.commit();
    }
    return user(name);
}

UserRecord Accounts::assign(const std::string& name, const std::vector<std::int64_t>& situations) {
    {
        store::Transaction transaction(db_);
        auto exists = db_.prepare("SELECT 1 FROM users WHERE name = ?1");
        exists.bind(1, name);
        if (!exists.step()) throw NotFound("no user '" + name + "'");
        const std::string now = utcNowIso();
        for (const auto id : situations) {
            db_.prepare("INSERT INTO assignments(user_name, situation_id, assigned_at) VALUES(?1, ?2, ?3) "
                        "ON CONFLICT DO NOTHING")
                .bind(1, name)
                .bind(2, id)
                .bind(3, now)
                .step();
        }
        transaction.commit();
    }
    return user(name);
}

std::vector<std::int64_t> Accounts::assignmentsOf(const std::string& name) const {
    auto select = db_.prepare("SELECT situation_id FROM assignments WHERE user_name = ?1 ORDER BY situation_id");
    select.bind(1, name);
    std::vector<std::int64_t> ids;
    while (select.step()) ids.push_back(select.columnInt(0));
    return ids;
}

UserRecord Accounts::user(const std::string& name) const {
    auto select = db_.prepare("SELECT name, role, created_at FROM users WHERE name = ?1");
    select.bind(1, name);
    if (!select.step()) throw NotFound("no user '" + name + "'");
    return {select.columnText(0), select.columnText(1), select.columnText(2), assignmentsOf(name)};
}

std::vector<UserRecord> Accounts::users() const {
    auto select = db_.prepare("SELECT name, role, created_at FROM users ORDER BY name");
    std::vector<UserRecord> found;
    while (select.step()) found.push_back({select.columnText(0), select.columnText(1), select.columnText(2), {}});
    for (auto& record : found) record.situations = assignmentsOf(record.name);
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
    auto insert =
        db_.prepare("INSERT INTO tokens(id, user_name, hash, created_at, expires_at) VALUES(?1, ?2, ?3, ?4, ?5)");
    insert.bind(1, issued.record.id)
        .bind(2, name)
        .bind(3, store::sha256Hex(issued.secret))
        .bind(4, issued.record.createdAt);
    if (issued.record.expiresAt)
        insert.bind(5, *issued.record.expiresAt);
    else
        insert.bind(5, nullptr);
    insert.step();
    return issued;
}

bool Accounts::revokeToken(const std::string& tokenId) {
    db_.prepare("UPDATE tokens SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL")
        .bind(1, utcNowIso())
        .bind(2, tokenId)
        .step();
    return db_.changes() > 0;
}

int Accounts::revokeTokensOf(const std::string& name) {
    user(name);
    db_.prepare("UPDATE tokens SET revoked_at = ?1 WHERE user_name = ?2 AND revoked_at IS NULL")
        .bind(1, utcNowIso())
        .bind(2, name)
        .step();
    return db_.changes();
}

std::vector<TokenRecord> Accounts::tokens(const std::optional<std::string>& name) const {
    auto select = db_.prepare("SELECT id, user_name, created_at, expires_at, revoked_at FROM tokens" +
                              std::string(name ? " WHERE user_name = ?1" : "") + " ORDER BY created_at, id");
    if (name) select.bind(1, *name);
    std::vector<TokenRecord> found;
    while (select.step())
        found.push_back({select.columnText(0), select.columnText(1), select.columnText(2), optionalText(select, 3),
                         optionalText(select, 4)});
    return found;
}

std::optional<Principal> Accounts::authenticate(std::string_view token, const std::string& nowUtc) const {
    // Anything that does not look like one of our tokens is refused before touching the database.
    if (token.size() != 4 + 12 + 1 + 64 || token.substr(0, 4) != kTokenPrefix) return std::nullopt;
    auto select =
        db_.prepare("SELECT u.name, u.role FROM tokens t JOIN users u ON u.name = t.user_name "
                    "WHERE t.hash = ?1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?2)");
    select.bind(1, store::sha256Hex(token)).bind(2, nowUtc);
    if (!select.step()) return std::nullopt;
    Principal principal{select.columnText(0), select.columnText(1), {}};
    for (const auto id : assignmentsOf(principal.name)) principal.situations.insert(id);
    return principal;
}

} // namespace caseflow::service
