// The SQLite side of IdempotencyKeys (see IdempotencyKeys.h).
#include "store/IdempotencyKeys.h"

#include "store/Database.h"

namespace caseflow::store {

IdempotencyKeys::IdempotencyKeys(Database& db) : db_(db) {}

std::optional<IdempotencyRecord> IdempotencyKeys::find(const std::string& key) const {
    auto select = db_.prepare("SELECT user_name, fingerprint, situation_id, event_position, status, response, "
                              "created_at FROM idempotency_keys WHERE idempotency_key = ?1");
    select.bind(1, key);
    if (!select.step()) return std::nullopt;
    return IdempotencyRecord{key,
                             select.columnText(0),
                             select.columnText(1),
                             select.columnInt(2),
                             select.columnInt(3),
                             static_cast<int>(select.columnInt(4)),
                             select.columnText(5),
                             select.columnText(6)};
}

bool IdempotencyKeys::storeOnce(const IdempotencyRecord& record) {
    db_.prepare("INSERT INTO idempotency_keys(idempotency_key, user_name, fingerprint, situation_id, "
                "event_position, status, response, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                "ON CONFLICT(idempotency_key) DO NOTHING")
        .bind(1, record.key)
        .bind(2, record.userName)
        .bind(3, record.fingerprint)
        .bind(4, record.situationId)
        .bind(5, record.eventPosition)
        .bind(6, record.status)
        .bind(7, record.response)
        .bind(8, record.createdAt)
        .step();
    return db_.changes() > 0;
}

} // namespace caseflow::store
