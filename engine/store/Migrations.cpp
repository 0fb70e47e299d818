// The schema of a caseflow database and its migrations (see Migrations.h). What must stay true:
// migration N, once released, is never changed (files in the field already ran it); the SQL of
// tables stays portable (TEXT, INTEGER, PRIMARY KEY, UNIQUE), SQLite-only syntax is limited to the
// triggers that guard the log, and every migration from 13 on is written for PostgreSQL too
// (store/postgres/PgSchema.cpp, whose baseline is this schema after migration 12).
#include "store/Migrations.h"

#include "core/Errors.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "store/ReadLogStore.h"
#include "store/postgres/PgSchema.h"

#include <cassert>

namespace caseflow::store {

namespace {

struct Migration {
    int version;
    const char* sql;
    // What SQL alone cannot do (hashing), run after `sql` in the same transaction.
    void (*afterSql)(Database&) = nullptr;
};

// Migration 1: the event log (the source of truth), settings, and the projections.
constexpr const char* schemaVersion1 = R"sql(
CREATE TABLE events (
    position      INTEGER PRIMARY KEY,
    situation_id  INTEGER NOT NULL,
    sequence      INTEGER NOT NULL,
    type          TEXT NOT NULL,
    actor         TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    payload       TEXT NOT NULL,
    previous_hash TEXT NOT NULL,
    hash          TEXT NOT NULL,
    UNIQUE (situation_id, sequence)
);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE situations (
    id            INTEGER PRIMARY KEY,
    version       INTEGER NOT NULL,
    state         TEXT NOT NULL DEFAULT '',
    category      INTEGER,
    municipality  TEXT,
    registered_at TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    document      TEXT NOT NULL
);
CREATE TABLE funding_requests (
    situation_id    INTEGER NOT NULL,
    request_id      TEXT NOT NULL,
    state           TEXT NOT NULL,
    year            INTEGER NOT NULL,
    requested_cents INTEGER NOT NULL DEFAULT 0,
    approved_cents  INTEGER NOT NULL DEFAULT 0,
    paid_cents      INTEGER NOT NULL DEFAULT 0,
    submitted_at    TEXT,
    decided_at      TEXT,
    PRIMARY KEY (situation_id, request_id)
);
CREATE TABLE payments (
    situation_id INTEGER NOT NULL,
    request_id   TEXT NOT NULL,
    payment_id   TEXT NOT NULL,
    paid_on      TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    PRIMARY KEY (situation_id, payment_id)
);
CREATE TABLE deadlines (
    situation_id INTEGER NOT NULL,
    send_id      TEXT NOT NULL,
    event        TEXT NOT NULL,
    due_at       TEXT NOT NULL,
    fired_at     TEXT,
    PRIMARY KEY (situation_id, send_id)
);
)sql";

// Migration 2 (issue 6): the network's trust store for XML signatures: the certification
// authority's certificate (its key never enters the database) and the signer certificates it
// issued, with their revocation. These rows are configuration, not projections: a rebuild
// leaves them alone, and the triggers keep them append-only (a certificate changes only by
// being revoked, once).
constexpr const char* schemaVersion2 = R"sql(
CREATE TABLE trust_authorities (
    fingerprint     TEXT PRIMARY KEY,
    subject         TEXT NOT NULL,
    certificate_pem TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL
);
CREATE TABLE trust_signers (
    fingerprint       TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    role              TEXT NOT NULL,
    serial            TEXT NOT NULL,
    not_before        TEXT NOT NULL,
    not_after         TEXT NOT NULL,
    certificate_pem   TEXT NOT NULL,
    issued_at         TEXT NOT NULL,
    issued_by         TEXT NOT NULL,
    revoked_at        TEXT,
    revoked_by        TEXT,
    revocation_reason TEXT
);
CREATE INDEX trust_signers_by_name ON trust_signers(name);
CREATE TRIGGER trust_authorities_no_update BEFORE UPDATE ON trust_authorities
BEGIN
    SELECT RAISE(ABORT, 'trust anchors are never changed');
END;
CREATE TRIGGER trust_authorities_no_delete BEFORE DELETE ON trust_authorities
BEGIN
    SELECT RAISE(ABORT, 'trust anchors are never deleted');
END;
CREATE TRIGGER trust_signers_no_delete BEFORE DELETE ON trust_signers
BEGIN
    SELECT RAISE(ABORT, 'signer certificates are revoked, never deleted');
END;
CREATE TRIGGER trust_signers_revoke_only BEFORE UPDATE ON trust_signers
WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.fingerprint IS NOT OLD.fingerprint
  OR NEW.name IS NOT OLD.name OR NEW.role IS NOT OLD.role OR NEW.certificate_pem IS NOT OLD.certificate_pem
BEGIN
    SELECT RAISE(ABORT, 'a signer certificate only changes by being revoked, once');
END;
)sql";

// Migration 3 (issue 5, the HTTP service): users and their role, their assignments to
// situations, bearer tokens (only the SHA-256 of a token, never the token), the record of
// every read of a situation, and the idempotency keys of payments (stored in the payment's
// own transaction). Like the trust store these are not projections: a rebuild leaves them
// alone. The read log and the idempotency keys are append-only. IF NOT EXISTS: development
// databases made before this migration already hold these tables, created by the service.
constexpr const char* schemaVersion3 = R"sql(
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
CREATE TRIGGER IF NOT EXISTS read_log_no_update BEFORE UPDATE ON read_log
BEGIN
    SELECT RAISE(ABORT, 'the read log is append-only');
END;
CREATE TRIGGER IF NOT EXISTS read_log_no_delete BEFORE DELETE ON read_log
BEGIN
    SELECT RAISE(ABORT, 'the read log is append-only');
END;
CREATE TRIGGER IF NOT EXISTS idempotency_keys_no_update BEFORE UPDATE ON idempotency_keys
BEGIN
    SELECT RAISE(ABORT, 'idempotency keys are never changed');
END;
CREATE TRIGGER IF NOT EXISTS idempotency_keys_no_delete BEFORE DELETE ON idempotency_keys
BEGIN
    SELECT RAISE(ABORT, 'idempotency keys are never deleted');
END;
)sql";

// Migration 4 (issue 11): the read log gets its own hash chain (see ReadLogStore.h), and the
// network settings become events. The rows already there are chained in id order; the settings
// a database already holds are recorded as its first network.settings event, appended after
// the events already in the log (those keep being projected under these settings, the only
// ones known for them).
constexpr const char* schemaVersion4 = R"sql(
ALTER TABLE read_log ADD COLUMN previous_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE read_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
)sql";

constexpr const char* readLogNoUpdateTrigger = R"sql(
CREATE TRIGGER read_log_no_update BEFORE UPDATE ON read_log
BEGIN
    SELECT RAISE(ABORT, 'the read log is append-only');
END;
)sql";

void chainReadLogAndRecordSettings(Database& db) {
    db.exec("DROP TRIGGER IF EXISTS read_log_no_update");
    ReadLogStore::chainExistingRows(db);
    db.exec(readLogNoUpdateTrigger);

    Statement settings = db.prepare("SELECT value FROM meta WHERE key = 'network'");
    if (!settings.step()) return; // a new database: `caseflow init` records the first settings event
    const std::string payload = settings.columnText(0);
    Statement recorded = db.prepare("SELECT count(*) FROM events WHERE situation_id = ?1");
    recorded.bind(1, networkStream);
    recorded.step();
    if (recorded.columnInt(0) > 0) return;
    // meta.network already holds these settings: no projection to run.
    EventStore(db).appendNetworkEventInTransaction(
        {networkStream, std::string(networkSettingsEvent), "system:schema-migration-4", payload}, Projector());
}

// Migration 5 (issue 15, the web application; to be renumbered after the migrations of issue 13
// at merge): a user's password (Argon2id, libsodium's self-describing string), preferred
// language and whether the account is disabled; the web application's sessions, by the
// SHA-256 of their identifier only (a stolen database opens no session), with the times that
// end them (idle, absolute) as Unix seconds.
constexpr const char* schemaVersionWeb = R"sql(
CREATE TABLE IF NOT EXISTS sessions (
    hash        TEXT PRIMARY KEY,
    user_name   TEXT NOT NULL REFERENCES users(name),
    csrf_token  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions(user_name);
)sql";

// SQLite has no ADD COLUMN IF NOT EXISTS: a file whose version was set back (as the upgrade
// tests do) may hold the columns already.
void addWebAccountColumns(Database& db) {
    const auto has = [&](const std::string& column) {
        Statement query = db.prepare("SELECT count(*) FROM pragma_table_info('users') WHERE name = ?1");
        query.bind(1, column);
        query.step();
        return query.columnInt(0) > 0;
    };
    if (!has("password_hash")) db.exec("ALTER TABLE users ADD COLUMN password_hash TEXT");
    if (!has("language")) db.exec("ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'fr'");
    if (!has("disabled_at")) db.exec("ALTER TABLE users ADD COLUMN disabled_at TEXT");
}

// Migration 6 (issue 15, the web application's partner directory): the organisations and people
// the network works with, kept by the coordinator; the forms copy an entry into a situation's
// partners (partner.added), so an entry is archived rather than deleted.
constexpr const char* schemaVersionDirectory = R"sql(
CREATE TABLE IF NOT EXISTS directory_entries (
    id               INTEGER PRIMARY KEY,
    organisation     TEXT NOT NULL,
    sector           TEXT NOT NULL,
    profession       TEXT NOT NULL DEFAULT '',
    person           TEXT NOT NULL DEFAULT '',
    language         TEXT NOT NULL DEFAULT 'fr',
    contact          TEXT NOT NULL DEFAULT '',
    pedopsychiatrist INTEGER NOT NULL DEFAULT 0,
    archived         INTEGER NOT NULL DEFAULT 0
);
)sql";

// Migration 7 (issue 17, invoices and proofs of payments): the files a payment.recorded event
// names by their SHA-256, stored once per content. A row is never changed nor deleted: the log
// proves which file a payment carried, and the bytes must stay the ones it names.
constexpr const char* schemaVersionProofs = R"sql(
CREATE TABLE IF NOT EXISTS proofs (
    sha256      TEXT PRIMARY KEY,
    media_type  TEXT NOT NULL,
    bytes       BLOB NOT NULL,
    size        INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS proofs_no_update BEFORE UPDATE ON proofs
BEGIN
    SELECT RAISE(ABORT, 'a stored proof is never changed');
END;
CREATE TRIGGER IF NOT EXISTS proofs_no_delete BEFORE DELETE ON proofs
BEGIN
    SELECT RAISE(ABORT, 'a stored proof is never deleted');
END;
)sql";

// Migration 8 (issue 17, payment runs): the projection of `payment-run.built` events of the network's stream. UNIQUE on
// the payment: a payment is carried by one run at most, whatever a writer tries.
constexpr const char* schemaVersionPaymentRuns = R"sql(
CREATE TABLE IF NOT EXISTS payment_runs (
    run_id          TEXT PRIMARY KEY,
    position        INTEGER NOT NULL UNIQUE,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    debtor_name     TEXT NOT NULL,
    debtor_iban     TEXT NOT NULL,
    debtor_bic      TEXT NOT NULL,
    transfer_count  INTEGER NOT NULL,
    total_cents     INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS payment_run_transfers (
    run_id          TEXT NOT NULL REFERENCES payment_runs(run_id),
    line            INTEGER NOT NULL,
    situation_id    INTEGER NOT NULL,
    request_id      TEXT NOT NULL,
    payment_id      TEXT NOT NULL,
    ordinal         INTEGER NOT NULL,
    execution_date  TEXT NOT NULL,
    amount_cents    INTEGER NOT NULL,
    payee_name      TEXT NOT NULL,
    payee_iban      TEXT NOT NULL,
    communication   TEXT NOT NULL,
    PRIMARY KEY (run_id, line),
    UNIQUE (situation_id, payment_id)
);
)sql";

// Migration 9 (issue 19, 100 000 situations): the list pages by id within a state or a
// municipality without reading the other rows (each row carries its whole document, so a
// scan reads every document); the deadlines due by date; the finance aggregates by year.
constexpr const char* schemaVersionListIndexes = R"sql(
CREATE INDEX IF NOT EXISTS situations_by_state ON situations(state, id);
CREATE INDEX IF NOT EXISTS situations_by_municipality ON situations(municipality, id);
CREATE INDEX IF NOT EXISTS deadlines_pending_by_due ON deadlines(due_at) WHERE fired_at IS NULL;
CREATE INDEX IF NOT EXISTS funding_requests_by_year ON funding_requests(year);
)sql";

// Migration 10 (issue 19, interactive queries at 100 000 situations): a list filtered on a
// municipality and a state, paged by id, reads exactly its page from one index instead of
// walking a municipality's rows to find the state; the envelope's sums (committed, submitted,
// paid in a year) read an index each instead of every request and payment row (at 100 000
// situations, 10-150 ms down to 2-3 ms). The payments' index is on the very expression
// FinanceRepository's kPaymentInYear uses, so SQLite finds it.
constexpr const char* schemaVersionScaleIndexes = R"sql(
CREATE INDEX IF NOT EXISTS situations_by_state_municipality ON situations(state, municipality, id);
CREATE INDEX IF NOT EXISTS funding_requests_by_year_sums
    ON funding_requests(year, submitted_at, requested_cents, approved_cents);
CREATE INDEX IF NOT EXISTS payments_by_year ON payments(substr(paid_on, 1, 4), amount_cents);
)sql";

// Migration 11 (issue 19, `due` and the committee report at 100 000 situations): R2's attention
// ages are found by the youth's birth date, and the situations opened in a year by their
// opening date, without parsing every situation's document. The columns are generated by
// SQLite from the stored document (the youth's <birthDate>, the first one in a situation
// document: <youth> comes first, corrections after it; the root's openedOn, the first
// attribute of that name), so every writer of the document fills them — the projector, a
// rebuild, this migration for the rows already there — and they cannot drift from it.
// VIRTUAL: the values live in the indexes only, which cover the queries. Both are only ever
// used to narrow which documents are read: the figures themselves come from the documents.
// Plain columns the projector writes since migration 14, with the same values.
constexpr const char* generatedDateIndexes = R"sql(
CREATE INDEX IF NOT EXISTS situations_by_birth_date ON situations(birth_date, state, id);
CREATE INDEX IF NOT EXISTS situations_by_opened_on ON situations(opened_on, id);
)sql";

// The columns go in before the indexes (so the SQL is run here, not as the migration's own),
// and only when missing: a file whose version was set back (as the upgrade tests do) still
// has them. pragma_table_xinfo lists generated columns, pragma_table_info does not.
bool situationsHaveColumn(Database& db, const std::string& column) {
    Statement query = db.prepare("SELECT count(*) FROM pragma_table_xinfo('situations') WHERE name = ?1");
    query.bind(1, column);
    query.step();
    return query.columnInt(0) > 0;
}

// What migrations 11 and 12 computed from the document, and migration 14 fills its plain
// columns with (SituationRepository's situationKeys computes the same in the projector).
constexpr const char* birthDateExpression = "CASE WHEN instr(document, '<birthDate>') > 0"
                                            " THEN substr(document, instr(document, '<birthDate>') + 11, 10) END";
constexpr const char* openedOnExpression = "CASE WHEN instr(document, 'openedOn=\"') > 0"
                                           " THEN substr(document, instr(document, 'openedOn=\"') + 10, 10) END";
constexpr const char* youthReferenceExpression =
    "CASE WHEN instr(document, '<reference>') > 0"
    " THEN substr(document, instr(document, '<reference>') + 11,"
    " instr(substr(document, instr(document, '<reference>') + 11), '</reference>') - 1) END";

void addGeneratedDateColumns(Database& db) {
    const auto has = [&](const std::string& column) { return situationsHaveColumn(db, column); };
    if (!has("birth_date"))
        db.exec(std::string("ALTER TABLE situations ADD COLUMN birth_date TEXT GENERATED ALWAYS AS (") +
                birthDateExpression + ") VIRTUAL");
    if (!has("opened_on"))
        db.exec(std::string("ALTER TABLE situations ADD COLUMN opened_on TEXT GENERATED ALWAYS AS (") +
                openedOnExpression + ") VIRTUAL");
    db.exec(generatedDateIndexes);
}

// Migration 12 (issue 19): a registration checks, inside its write transaction, that no
// situation already holds the youth's reference. It used to search every stored document for
// "<reference>R</reference>" (1.1 s at 100 000 situations, with the write lock held); the
// reference is now a generated column (the text of the document's first <reference>, the
// youth's: <youth> comes first) with its index, so the check reads one index entry.
void addYouthReferenceColumn(Database& db) {
    if (!situationsHaveColumn(db, "youth_reference"))
        db.exec(std::string("ALTER TABLE situations ADD COLUMN youth_reference TEXT GENERATED ALWAYS AS (") +
                youthReferenceExpression + ") VIRTUAL");
    db.exec("CREATE INDEX IF NOT EXISTS situations_by_youth_reference ON situations(youth_reference, id)");
}

// Migration 13 (issue 19, the committee report at 100 000 situations in milliseconds): the
// facts the report reads of each situation, each with the business days it held over
// (process/CommitteeFacts.h), and each situation's latest business day so far. The projector
// keeps them in each event's transaction; a database migrated with situations in it gets them
// from its log when the process first opens it (fillCommitteeFactsIfMissing): reading the
// documents is the process layer's. The indexes serve the report's selections: the facts
// holding on a day (valid_until after it) by their own date, or by an approval's request date.
// They cover every column the report reads, so a selection reads only its range of the index:
// with a lookup into the table per row, the report read most of the table's pages (20 000
// situations: 195 ms, mostly page reads; covered, about 10 ms). Each page an event's
// transaction dirties is written to the WAL and synced with it, so the projector's share stays
// few pages: the facts are clustered by their key (WITHOUT ROWID: no separate key index), the
// request-date index holds only the decisions of another year than their request's (the only
// ones the report selects by it; a state change does not touch it), and the clock is written
// only when it moves.
constexpr const char* committeeFactsSql = R"sql(
CREATE TABLE IF NOT EXISTS committee_facts (
    situation_id  INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    fact_key      TEXT NOT NULL,
    valid_from    TEXT NOT NULL,
    valid_until   TEXT NOT NULL,
    day           TEXT NOT NULL,
    day2          TEXT NOT NULL,
    day3          TEXT NOT NULL,
    amount        INTEGER,
    text1         TEXT NOT NULL,
    text2         TEXT NOT NULL,
    PRIMARY KEY (situation_id, kind, fact_key, valid_from)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS committee_facts_by_day
    ON committee_facts(kind, valid_until, day, valid_from, situation_id, day2, day3, amount, text1, text2);
CREATE INDEX IF NOT EXISTS committee_facts_by_day2
    ON committee_facts(kind, valid_until, day2, day, valid_from, situation_id, day3, amount, text1, text2)
    WHERE kind = 'decision' AND substr(day, 1, 4) <> substr(day2, 1, 4);
CREATE TABLE IF NOT EXISTS committee_clock (
    situation_id  INTEGER PRIMARY KEY,
    effective_day TEXT NOT NULL
);
)sql";

// Migration 14 (issue 19, WAL pages per transition): the three columns of migrations 11 and 12
// become plain columns the projector writes (SituationRepository: from the document it stores,
// with the same values). Generated, every UPDATE of the document computed them again and
// rewrote an entry of each of their indexes, one page each to the WAL and its sync, although
// an event almost never changes them; plain, an update sets them only when they change. SQLite
// cannot turn a generated column into a plain one: the indexes go, the VIRTUAL columns are
// dropped (nothing stored: no table rewrite), plain ones added, filled by the very expressions
// they had (one pass rewriting each row), and the indexes built again from the filled values.
// A column already plain (a file whose version was set back) is only filled again.
bool situationsColumnIsGenerated(Database& db, const std::string& column) {
    Statement query =
        db.prepare("SELECT count(*) FROM pragma_table_xinfo('situations') WHERE name = ?1 AND hidden IN (2, 3)");
    query.bind(1, column);
    query.step();
    return query.columnInt(0) > 0;
}

void makeSituationKeysPlain(Database& db) {
    const std::vector<std::pair<std::string, std::string>> columns = {
        {"birth_date", "situations_by_birth_date"},
        {"opened_on", "situations_by_opened_on"},
        {"youth_reference", "situations_by_youth_reference"}};
    for (const auto& [column, index] : columns) db.exec("DROP INDEX IF EXISTS " + index);
    for (const auto& [column, index] : columns) {
        if (situationsColumnIsGenerated(db, column)) db.exec("ALTER TABLE situations DROP COLUMN " + column);
        if (!situationsHaveColumn(db, column)) db.exec("ALTER TABLE situations ADD COLUMN " + column + " TEXT");
    }
    db.exec(std::string("UPDATE situations SET birth_date = ") + birthDateExpression +
            ", opened_on = " + openedOnExpression + ", youth_reference = " + youthReferenceExpression);
    db.exec(generatedDateIndexes);
    db.exec("CREATE INDEX IF NOT EXISTS situations_by_youth_reference ON situations(youth_reference, id)");
}

// Migration 15 (issue 19, the read audit page at scale): the audit pages the read log newest
// first, filtered by situation or by user. Each filter gets an index ending with id, the pages'
// order, so a page and its count read that filter's entries only instead of scanning a log that
// grows by every read. The situation's index ended with read_at, which SQLite could not use for
// that order.
constexpr const char* readLogFilterIndexes = R"sql(
DROP INDEX IF EXISTS read_log_by_situation;
CREATE INDEX IF NOT EXISTS read_log_by_situation ON read_log(situation_id, id);
CREATE INDEX IF NOT EXISTS read_log_by_user ON read_log(user_name, id);
)sql";

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all = {
        {1, schemaVersion1},
        {2, schemaVersion2},
        {3, schemaVersion3},
        {4, schemaVersion4, chainReadLogAndRecordSettings},
        {5, schemaVersionWeb, addWebAccountColumns},
        {6, schemaVersionDirectory},
        {7, schemaVersionProofs},
        {8, schemaVersionPaymentRuns},
        {9, schemaVersionListIndexes},
        {10, schemaVersionScaleIndexes},
        {11, "", addGeneratedDateColumns},
        {12, "", addYouthReferenceColumn},
        {13, committeeFactsSql},
        {14, "", makeSituationKeysPlain},
        {15, readLogFilterIndexes},
    };
    return all;
}

// What the file says about itself, read by one statement so that all three facts come from the
// same snapshot even while another process is migrating the file.
struct FileIdentity {
    int32_t applicationId;
    int schemaVersion;
    bool hasSchemaObjects;
};

FileIdentity readIdentity(Database& db) {
    Statement query = db.prepare("SELECT (SELECT application_id FROM pragma_application_id()),"
                                 " (SELECT user_version FROM pragma_user_version()),"
                                 " (SELECT count(*) FROM sqlite_master)");
    query.step();
    return {static_cast<int32_t>(query.columnInt(0)), static_cast<int>(query.columnInt(1)), query.columnInt(2) > 0};
}

} // namespace

int latestSchemaVersion() {
    return migrations().back().version;
}

int currentSchemaVersion(Database& db) {
    if (db.dialect() == Dialect::Postgres) return postgres::postgresSchemaVersion(db);
    Statement query = db.prepare("PRAGMA user_version");
    query.step();
    return static_cast<int>(query.columnInt(0));
}

const std::vector<std::string>& projectionTables() {
    static const std::vector<std::string> tables = {"situations",      "funding_requests", "payments",
                                                    "deadlines",       "payment_runs",     "payment_run_transfers",
                                                    "committee_facts", "committee_clock"};
    return tables;
}

void migrate(Database& db) {
    if (db.dialect() == Dialect::Postgres) return postgres::migratePostgres(db);
    // An empty file with no application id is a database about to become ours; anything else
    // without our id is someone else's, and writing our tables into it would damage it.
    const FileIdentity identity = readIdentity(db);
    if (identity.applicationId != caseflowApplicationId &&
        (identity.applicationId != 0 || identity.hasSchemaObjects || identity.schemaVersion != 0))
        throw UsageError(db.path().string() + " is not a caseflow database");

    const int latest = latestSchemaVersion();
    const int current = identity.schemaVersion;
    if (current > latest)
        throw UsageError("database schema version " + std::to_string(current) +
                         " is newer than this caseflow (supports up to " + std::to_string(latest) +
                         "); upgrade caseflow");

    for (std::size_t index = 0; index < migrations().size(); ++index) {
        const Migration& migration = migrations()[index];
        assert(migration.version == static_cast<int>(index) + 1 && "migrations are numbered 1, 2, 3... in order");
        if (migration.version <= current) continue;
        Transaction transaction(db);
        // Another process may have migrated while we waited for the write lock: re-read under it.
        if (currentSchemaVersion(db) >= migration.version) continue;
        db.exec(migration.sql);
        if (migration.afterSql) migration.afterSql(db);
        // Both pragmas write the file header inside this transaction, so they commit with the
        // schema or not at all.
        db.exec("PRAGMA application_id = " + std::to_string(caseflowApplicationId));
        db.exec("PRAGMA user_version = " + std::to_string(migration.version));
        transaction.commit();
    }
}

} // namespace caseflow::store
