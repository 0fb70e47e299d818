// The service's tables (see ServiceSchema.h). What must stay true: every statement here is
// idempotent and portable SQL, so running it again, or from a migration later, is harmless.
#include "service/ServiceSchema.h"

#include "store/Database.h"

namespace caseflow::service {
namespace {

constexpr const char* kServiceTables = R"sql(
CREATE TABLE IF NOT EXISTS users (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS assignments (
    user_name    TEXT NOT NULL REFERENCES users(name),
    situation_id INTEGER NOT NULL,
    assigned_at  TEXT NOT NULL,
    PRIMARY KEY (user_name, situation_id)
);
CREATE TABLE IF NOT EXISTS tokens (
    id         TEXT PRIMARY KEY,
    user_name  TEXT NOT NULL REFERENCES users(name),
    hash       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS read_log (
    id           INTEGER PRIMARY KEY,
    read_at      TEXT NOT NULL,
    user_name    TEXT NOT NULL,
    role         TEXT NOT NULL,
    situation_id INTEGER NOT NULL,
    what         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS read_log_by_situation ON read_log(situation_id, read_at);
CREATE TABLE IF NOT EXISTS idempotency_keys (
    idempotency_key TEXT PRIMARY KEY,
    user_name       TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    situation_id    INTEGER NOT NULL,
    event_position  INTEGER NOT NULL,
    status          INTEGER NOT NULL,
    response        TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
)sql";

bool haveServiceTables(store::Database& db) {
    auto query = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                            "('users', 'assignments', 'tokens', 'read_log', 'idempotency_keys')");
    query.step();
    return query.columnInt(0) == 5;
}

} // namespace

void ensureServiceSchema(store::Database& db) {
    // Checked first without the write lock: every worker connection runs this, and once the
    // tables exist it must cost a read, not a write transaction.
    if (haveServiceTables(db)) return;
    store::Transaction transaction(db);
    db.exec(kServiceTables);
    transaction.commit();
}

} // namespace caseflow::service
