// The SQLite side of SessionRepository (see SessionRepository.h).
#include "store/SessionRepository.h"

#include "store/Database.h"
#include "store/Statement.h"

namespace caseflow::store {

void SessionRepository::insert(const SessionRow& row) {
    db_.prepare("INSERT INTO sessions(hash, user_name, csrf_token, created_at, last_seen) VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind(1, row.hash)
        .bind(2, row.userName)
        .bind(3, row.csrfToken)
        .bind(4, row.createdAt)
        .bind(5, row.lastSeen)
        .step();
}

std::optional<SessionRow> SessionRepository::find(const std::string& hash) const {
    auto select =
        db_.prepare("SELECT hash, user_name, csrf_token, created_at, last_seen FROM sessions WHERE hash = ?1");
    select.bind(1, hash);
    if (!select.step()) return std::nullopt;
    return SessionRow{select.columnText(0), select.columnText(1), select.columnText(2), select.columnInt(3),
                      select.columnInt(4)};
}

void SessionRepository::touch(const std::string& hash, std::int64_t lastSeen) {
    db_.prepare("UPDATE sessions SET last_seen = ?2 WHERE hash = ?1").bind(1, hash).bind(2, lastSeen).step();
}

void SessionRepository::remove(const std::string& hash) {
    db_.prepare("DELETE FROM sessions WHERE hash = ?1").bind(1, hash).step();
}

int SessionRepository::removeAllOf(const std::string& userName) {
    db_.prepare("DELETE FROM sessions WHERE user_name = ?1").bind(1, userName).step();
    return db_.changes();
}

int SessionRepository::removeExpired(std::int64_t idleBefore, std::int64_t createdBefore) {
    db_.prepare("DELETE FROM sessions WHERE last_seen < ?1 OR created_at < ?2")
        .bind(1, idleBefore)
        .bind(2, createdBefore)
        .step();
    return db_.changes();
}

} // namespace caseflow::store
