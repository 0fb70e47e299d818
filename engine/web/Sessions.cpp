// Session identifiers, their hashes and their expiry (see Sessions.h).
#include "web/Sessions.h"

#include "store/Sha256.h"
#include "web/Passwords.h"

#include <algorithm>

namespace caseflow::web {

OpenedSession Sessions::open(store::Database& db, const std::string& userName) const {
    const std::int64_t now = settings_.now();
    OpenedSession opened;
    opened.identifier = randomHex(32);
    opened.row = store::SessionRow{store::sha256Hex(opened.identifier), userName, randomHex(32), now, now};
    store::SessionRepository sessions(db);
    // Expired rows of anyone go now: the table only ever holds sessions that could still open.
    sessions.removeExpired(now - settings_.sessionIdleSeconds, now - settings_.sessionAbsoluteSeconds);
    sessions.insert(opened.row);
    return opened;
}

std::optional<store::SessionRow> Sessions::resume(store::Database& db, const std::string& identifier,
                                                  SessionLoss& loss) const {
    loss = SessionLoss::None;
    // Only well-formed identifiers are looked up: anything else was never issued here.
    if (identifier.size() != 64 || identifier.find_first_not_of("0123456789abcdef") != std::string::npos)
        return std::nullopt;
    store::SessionRepository sessions(db);
    const std::string hash = store::sha256Hex(identifier);
    auto row = sessions.find(hash);
    if (!row) return std::nullopt;
    const std::int64_t now = settings_.now();
    if (now - row->lastSeen >= settings_.sessionIdleSeconds ||
        now - row->createdAt >= settings_.sessionAbsoluteSeconds) {
        sessions.remove(hash);
        loss = SessionLoss::Expired;
        return std::nullopt;
    }
    // Written at most once a minute (sooner for short test lifetimes): a page's many requests
    // need not each write.
    if (now - row->lastSeen >= std::min<std::int64_t>(60, settings_.sessionIdleSeconds / 4) || now < row->lastSeen)
        sessions.touch(hash, now);
    row->lastSeen = now;
    return row;
}

void Sessions::close(store::Database& db, const std::string& identifier) const {
    store::SessionRepository(db).remove(store::sha256Hex(identifier));
}

ConnectionPool::Lease::~Lease() {
    std::lock_guard lock(pool_.mutex_);
    pool_.idle_.push_back(std::move(db_));
}

ConnectionPool::Lease ConnectionPool::acquire() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto db = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(db));
        }
    }
    return Lease(*this,
                 std::make_unique<store::Database>(store::Database::open(database_, store::OpenMode::MustExist)));
}

} // namespace caseflow::web
