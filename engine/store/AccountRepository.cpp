// The SQLite side of AccountRepository (see AccountRepository.h).
#include "store/AccountRepository.h"

#include "store/Database.h"
#include "store/Statement.h"

namespace caseflow::store {

AccountRepository::AccountRepository(Database& db) : db_(db) {}

std::optional<UserRow> AccountRepository::user(const std::string& name) const {
    auto select = db_.prepare("SELECT name, role, created_at FROM users WHERE name = ?1");
    select.bind(1, name);
    if (!select.step()) return std::nullopt;
    return UserRow{select.columnText(0), select.columnText(1), select.columnText(2)};
}

std::vector<UserRow> AccountRepository::users() const {
    auto select = db_.prepare("SELECT name, role, created_at FROM users ORDER BY name");
    std::vector<UserRow> found;
    while (select.step()) found.push_back({select.columnText(0), select.columnText(1), select.columnText(2)});
    return found;
}

void AccountRepository::insertUser(const UserRow& row) {
    db_.prepare("INSERT INTO users(name, role, created_at) VALUES(?1, ?2, ?3)")
        .bind(1, row.name)
        .bind(2, row.role)
        .bind(3, row.createdAt)
        .step();
}

void AccountRepository::assign(const std::string& userName, std::int64_t situationId, const std::string& assignedAt) {
    db_.prepare("INSERT INTO assignments(user_name, situation_id, assigned_at) VALUES(?1, ?2, ?3) "
                "ON CONFLICT DO NOTHING")
        .bind(1, userName)
        .bind(2, situationId)
        .bind(3, assignedAt)
        .step();
}

std::vector<std::int64_t> AccountRepository::assignments(const std::string& userName) const {
    auto select = db_.prepare("SELECT situation_id FROM assignments WHERE user_name = ?1 ORDER BY situation_id");
    select.bind(1, userName);
    std::vector<std::int64_t> ids;
    while (select.step()) ids.push_back(select.columnInt(0));
    return ids;
}

namespace {

LoginRow loginRow(Statement& select) {
    LoginRow row{select.columnText(0), select.columnText(1), std::nullopt, select.columnText(3), std::nullopt};
    if (!select.columnIsNull(2)) row.passwordHash = select.columnText(2);
    if (!select.columnIsNull(4)) row.disabledAt = select.columnText(4);
    return row;
}

constexpr const char* kLoginColumns = "SELECT name, role, password_hash, language, disabled_at FROM users";

} // namespace

std::optional<LoginRow> AccountRepository::login(const std::string& name) const {
    auto select = db_.prepare(std::string(kLoginColumns) + " WHERE name = ?1");
    select.bind(1, name);
    if (!select.step()) return std::nullopt;
    return loginRow(select);
}

std::vector<LoginRow> AccountRepository::logins() const {
    auto select = db_.prepare(std::string(kLoginColumns) + " ORDER BY name");
    std::vector<LoginRow> rows;
    while (select.step()) rows.push_back(loginRow(select));
    return rows;
}

bool AccountRepository::setPasswordHash(const std::string& name, const std::string& hash) {
    auto update = db_.prepare("UPDATE users SET password_hash = ?2 WHERE name = ?1");
    update.bind(1, name).bind(2, hash).step();
    return db_.changes() > 0;
}

bool AccountRepository::setLanguage(const std::string& name, const std::string& language) {
    auto update = db_.prepare("UPDATE users SET language = ?2 WHERE name = ?1");
    update.bind(1, name).bind(2, language).step();
    return db_.changes() > 0;
}

bool AccountRepository::setDisabled(const std::string& name, const std::optional<std::string>& disabledAt) {
    auto update = db_.prepare("UPDATE users SET disabled_at = ?2 WHERE name = ?1");
    update.bind(1, name);
    update.bind(2, disabledAt);
    update.step();
    return db_.changes() > 0;
}

void AccountRepository::insertToken(const TokenRow& row, const std::string& hash) {
    auto insert =
        db_.prepare("INSERT INTO tokens(id, user_name, hash, created_at, expires_at) VALUES(?1, ?2, ?3, ?4, ?5)");
    insert.bind(1, row.id).bind(2, row.userName).bind(3, hash).bind(4, row.createdAt);
    insert.bind(5, row.expiresAt);
    insert.step();
}

int AccountRepository::revokeToken(const std::string& tokenId, const std::string& revokedAt) {
    db_.prepare("UPDATE tokens SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL")
        .bind(1, revokedAt)
        .bind(2, tokenId)
        .step();
    return db_.changes();
}

int AccountRepository::revokeTokensOf(const std::string& userName, const std::string& revokedAt) {
    db_.prepare("UPDATE tokens SET revoked_at = ?1 WHERE user_name = ?2 AND revoked_at IS NULL")
        .bind(1, revokedAt)
        .bind(2, userName)
        .step();
    return db_.changes();
}

std::vector<TokenRow> AccountRepository::tokens(const std::optional<std::string>& userName) const {
    auto select = db_.prepare("SELECT id, user_name, created_at, expires_at, revoked_at FROM tokens" +
                              std::string(userName ? " WHERE user_name = ?1" : "") + " ORDER BY created_at, id");
    if (userName) select.bind(1, *userName);
    std::vector<TokenRow> found;
    while (select.step())
        found.push_back({select.columnText(0), select.columnText(1), select.columnText(2), select.columnOptionalText(3),
                         select.columnOptionalText(4)});
    return found;
}

std::optional<UserRow> AccountRepository::userOfActiveToken(const std::string& hash, const std::string& nowUtc) const {
    auto select =
        db_.prepare("SELECT u.name, u.role, u.created_at FROM tokens t JOIN users u ON u.name = t.user_name "
                    "WHERE t.hash = ?1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?2) "
                    // A disabled account's tokens authenticate nobody, revoked or not.
                    "AND u.disabled_at IS NULL");
    select.bind(1, hash).bind(2, nowUtc);
    if (!select.step()) return std::nullopt;
    return UserRow{select.columnText(0), select.columnText(1), select.columnText(2)};
}

std::optional<std::string> AccountRepository::tokenExpiry(const std::string& hash) const {
    auto select = db_.prepare("SELECT expires_at FROM tokens WHERE hash = ?1");
    select.bind(1, hash);
    if (!select.step()) return std::nullopt;
    return select.columnOptionalText(0);
}

const std::filesystem::path& AccountRepository::databasePath() const {
    return db_.path();
}

} // namespace caseflow::store
