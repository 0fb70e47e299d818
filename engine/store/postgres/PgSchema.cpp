// The PostgreSQL schema and its migrations (see PgSchema.h for what must stay true). The baseline
// is SQLite's schema after migration 12 (store/Migrations.cpp) written in PostgreSQL's dialect
// (docs/postgresql.md, "Dialect differences"): BIGINT for INTEGER, BYTEA for BLOB, one PL/pgSQL
// function raising for every append-only trigger, STORED generated columns for SQLite's VIRTUAL
// ones, and the rows SQLite's single writer made unnecessary: the two chain heads and the
// envelope's year locks.
#include "store/postgres/PgSchema.h"

#include "core/Errors.h"
#include "store/Database.h"
#include "store/Migrations.h"

#include <cctype>
#include <cstdlib>
#include <vector>

namespace caseflow::store::postgres {

namespace {

// The baseline: version 12. The chain heads start at position 0 with the genesis hash
// (store::genesisHash, written out: it is part of the schema, like the trigger that follows it).
constexpr const char* baseline = R"sql(
CREATE FUNCTION caseflow_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TABLE events (
    position      BIGINT PRIMARY KEY,
    situation_id  BIGINT NOT NULL,
    sequence      BIGINT NOT NULL,
    type          TEXT NOT NULL,
    actor         TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    payload       TEXT NOT NULL,
    previous_hash TEXT NOT NULL,
    hash          TEXT NOT NULL,
    UNIQUE (situation_id, sequence)
);
CREATE TABLE chain_head (
    only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    position BIGINT NOT NULL,
    hash     TEXT NOT NULL
);
INSERT INTO chain_head (position, hash) VALUES (0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION caseflow_refuse_change('events are append-only');
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION caseflow_refuse_change('events are append-only');
-- The database links the chain too: an event must follow the head exactly, and moves it.
CREATE FUNCTION caseflow_follow_chain_head() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head chain_head%ROWTYPE;
BEGIN
    SELECT * INTO head FROM chain_head FOR UPDATE;
    IF NEW.position <> head.position + 1 OR NEW.previous_hash <> head.hash THEN
        RAISE EXCEPTION 'event % does not follow the chain head (position %)', NEW.position, head.position
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    UPDATE chain_head SET position = NEW.position, hash = NEW.hash;
    RETURN NEW;
END
$$;
CREATE TRIGGER events_follow_chain_head BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION caseflow_follow_chain_head();
CREATE TRIGGER chain_head_no_delete BEFORE DELETE OR TRUNCATE ON chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION caseflow_refuse_change('the chain head is never removed');

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- SQLite's VIRTUAL generated columns of migrations 11 and 12, STORED here (PostgreSQL 15 has no
-- virtual ones); strpos for instr. GREATEST keeps substr's length from going negative on a
-- document without a closing </reference>, which PostgreSQL would refuse to store at all.
CREATE TABLE situations (
    id            BIGINT PRIMARY KEY,
    version       BIGINT NOT NULL,
    state         TEXT NOT NULL DEFAULT '',
    category      BIGINT,
    municipality  TEXT,
    registered_at TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    document      TEXT NOT NULL,
    birth_date    TEXT GENERATED ALWAYS AS (
        CASE WHEN strpos(document, '<birthDate>') > 0
        THEN substr(document, strpos(document, '<birthDate>') + 11, 10) END) STORED,
    opened_on     TEXT GENERATED ALWAYS AS (
        CASE WHEN strpos(document, 'openedOn="') > 0
        THEN substr(document, strpos(document, 'openedOn="') + 10, 10) END) STORED,
    youth_reference TEXT GENERATED ALWAYS AS (
        CASE WHEN strpos(document, '<reference>') > 0
        THEN substr(document, strpos(document, '<reference>') + 11,
             GREATEST(strpos(substr(document, strpos(document, '<reference>') + 11), '</reference>') - 1, 0)) END) STORED
);
CREATE TABLE funding_requests (
    situation_id    BIGINT NOT NULL,
    request_id      TEXT NOT NULL,
    state           TEXT NOT NULL,
    year            BIGINT NOT NULL,
    requested_cents BIGINT NOT NULL DEFAULT 0,
    approved_cents  BIGINT NOT NULL DEFAULT 0,
    paid_cents      BIGINT NOT NULL DEFAULT 0,
    submitted_at    TEXT,
    decided_at      TEXT,
    PRIMARY KEY (situation_id, request_id)
);
CREATE TABLE payments (
    situation_id BIGINT NOT NULL,
    request_id   TEXT NOT NULL,
    payment_id   TEXT NOT NULL,
    paid_on      TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    PRIMARY KEY (situation_id, payment_id)
);
CREATE TABLE deadlines (
    situation_id BIGINT NOT NULL,
    send_id      TEXT NOT NULL,
    event        TEXT NOT NULL,
    due_at       TEXT NOT NULL,
    fired_at     TEXT,
    PRIMARY KEY (situation_id, send_id)
);

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
    FOR EACH ROW EXECUTE FUNCTION caseflow_refuse_change('trust anchors are never changed');
CREATE TRIGGER trust_authorities_no_delete BEFORE DELETE ON trust_authorities
    FOR EACH ROW EXECUTE FUNCTION caseflow_refuse_change('trust anchors are never deleted');
CREATE TRIGGER trust_authorities_no_truncate BEFORE TRUNCATE ON trust_authorities
    FOR EACH STATEMENT EXECUTE FUNCTION caseflow_refuse_change('trust anchors are never deleted');
CREATE TRIGGER trust_signers_no_delete BEFORE DELETE ON trust_signers
    FOR EACH ROW EXECUTE FUNCTION caseflow_refuse_change('signer certificates are revoked, never deleted');
CREATE TRIGGER trust_signers_no_truncate BEFORE TRUNCATE ON trust_signers
    FOR EACH STATEMENT EXECUTE FUNCTION caseflow_refuse_change('signer certificates are revoked, never deleted');
CREATE TRIGGER trust_signers_revoke_only BEFORE UPDATE ON trust_signers FOR EACH ROW
    WHEN (OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.fingerprint IS DISTINCT FROM OLD.fingerprint
          OR NEW.name IS DISTINCT FROM OLD.name OR NEW.role IS DISTINCT FROM OLD.role
          OR NEW.certificate_pem IS DISTINCT FROM OLD.certificate_pem)
    EXECUTE FUNCTION caseflow_refuse_change('a signer certificate only changes by being revoked, once');

CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    password_hash TEXT,
    language      TEXT NOT NULL DEFAULT 'fr',
    disabled_at   TEXT
);
CREATE TABLE assignments (
    user_name    TEXT NOT NULL REFERENCES users(name),
    situation_id BIGINT NOT NULL,
    assigned_at  TEXT NOT NULL,
    PRIMARY KEY (user_name, situation_id)
);
CREATE TABLE tokens (
    id         TEXT PRIMARY KEY,
    user_name  TEXT NOT NULL REFERENCES users(name),
    hash       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT
);

-- The read log is chained like the events, with its own head (ReadLogStore.h).
CREATE TABLE read_log (
    id            BIGINT PRIMARY KEY,
    read_at       TEXT NOT NULL,
    user_name     TEXT NOT NULL,
    role          TEXT NOT NULL,
    situation_id  BIGINT NOT NULL,
    what          TEXT NOT NULL,
    previous_hash TEXT NOT NULL DEFAULT '',
    hash          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX read_log_by_situation ON read_log(situation_id, read_at);
CREATE TABLE read_log_head (
    only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    id       BIGINT NOT NULL,
    hash     TEXT NOT NULL
);
INSERT INTO read_log_head (id, hash) VALUES (0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TRIGGER read_log_no_update_or_delete BEFORE UPDATE OR DELETE ON read_log
    FOR EACH ROW EXECUTE FUNCTION caseflow_refuse_change('the read log is append-only');
CREATE TRIGGER read_log_no_truncate BEFORE TRUNCATE ON read_log
    FOR EACH STATEMENT EXECUTE FUNCTION caseflow_refuse_change('the read log is append-only');
CREATE FUNCTION caseflow_follow_read_log_head() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head read_log_head%ROWTYPE;
BEGIN
    SELECT * INTO head FROM read_log_head FOR UPDATE;
    IF NEW.id <> head.id + 1 OR NEW.previous_hash <> head.hash THEN
        RAISE EXCEPTION 'read log row % does not follow the read log''s head (row %)', NEW.id, head.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    UPDATE read_log_head SET id = NEW.id, hash = NEW.hash;
    RETURN NEW;
END
$$;
CREATE TRIGGER read_log_follow_head BEFORE INSERT ON read_log
    FOR EACH ROW EXECUTE FUNCTION caseflow_follow_read_log_head();
CREATE TRIGGER read_log_head_no_delete BEFORE DELETE OR TRUNCATE ON read_log_head
    FOR EACH STATEMENT EXECUTE FUNCTION caseflow_refuse_change('the read log''s head is never removed');

CREATE TABLE idempotency_keys (
    idempotency_key TEXT PRIMARY KEY,
    user_name       TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    situation_id    BIGINT NOT NULL,
    event_position  BIGINT NOT NULL,
    status          BIGINT NOT NULL,
    response        TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE TRIGGER idempotency_keys_no_update BEFORE UPDATE ON idempotency_keys
    FOR EACH ROW EXECUTE FUNCTION caseflow_refuse_change('idempotency keys are never changed');
CREATE TRIGGER idempotency_keys_no_delete BEFORE DELETE ON idempotency_keys
    FOR EACH ROW EXECUTE FUNCTION caseflow_refuse_change('idempotency keys are never deleted');
CREATE TRIGGER idempotency_keys_no_truncate BEFORE TRUNCATE ON idempotency_keys
    FOR EACH STATEMENT EXECUTE FUNCTION caseflow_refuse_change('idempotency keys are never deleted');

CREATE TABLE sessions (
    hash        TEXT PRIMARY KEY,
    user_name   TEXT NOT NULL REFERENCES users(name),
    csrf_token  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    last_seen   BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_name);

CREATE TABLE directory_entries (
    id               BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    organisation     TEXT NOT NULL,
    sector           TEXT NOT NULL,
    profession       TEXT NOT NULL DEFAULT '',
    person           TEXT NOT NULL DEFAULT '',
    language         TEXT NOT NULL DEFAULT 'fr',
    contact          TEXT NOT NULL DEFAULT '',
    pedopsychiatrist BIGINT NOT NULL DEFAULT 0,
    archived         BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE proofs (
    sha256      TEXT PRIMARY KEY,
    media_type  TEXT NOT NULL,
    bytes       BYTEA NOT NULL,
    size        BIGINT NOT NULL
);
CREATE TRIGGER proofs_no_update BEFORE UPDATE ON proofs
    FOR EACH ROW EXECUTE FUNCTION caseflow_refuse_change('a stored proof is never changed');
CREATE TRIGGER proofs_no_delete BEFORE DELETE ON proofs
    FOR EACH ROW EXECUTE FUNCTION caseflow_refuse_change('a stored proof is never deleted');
CREATE TRIGGER proofs_no_truncate BEFORE TRUNCATE ON proofs
    FOR EACH STATEMENT EXECUTE FUNCTION caseflow_refuse_change('a stored proof is never deleted');

CREATE TABLE payment_runs (
    run_id          TEXT PRIMARY KEY,
    position        BIGINT NOT NULL UNIQUE,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    debtor_name     TEXT NOT NULL,
    debtor_iban     TEXT NOT NULL,
    debtor_bic      TEXT NOT NULL,
    transfer_count  BIGINT NOT NULL,
    total_cents     BIGINT NOT NULL
);
CREATE TABLE payment_run_transfers (
    run_id          TEXT NOT NULL REFERENCES payment_runs(run_id),
    line            BIGINT NOT NULL,
    situation_id    BIGINT NOT NULL,
    request_id      TEXT NOT NULL,
    payment_id      TEXT NOT NULL,
    ordinal         BIGINT NOT NULL,
    execution_date  TEXT NOT NULL,
    amount_cents    BIGINT NOT NULL,
    payee_name      TEXT NOT NULL,
    payee_iban      TEXT NOT NULL,
    communication   TEXT NOT NULL,
    PRIMARY KEY (run_id, line),
    UNIQUE (situation_id, payment_id)
);

CREATE INDEX situations_by_state ON situations(state, id);
CREATE INDEX situations_by_municipality ON situations(municipality, id);
CREATE INDEX deadlines_pending_by_due ON deadlines(due_at) WHERE fired_at IS NULL;
CREATE INDEX funding_requests_by_year ON funding_requests(year);
CREATE INDEX situations_by_state_municipality ON situations(state, municipality, id);
CREATE INDEX funding_requests_by_year_sums ON funding_requests(year, submitted_at, requested_cents, approved_cents);
CREATE INDEX payments_by_year ON payments(substr(paid_on, 1, 4), amount_cents);
CREATE INDEX situations_by_birth_date ON situations(birth_date, state, id);
CREATE INDEX situations_by_opened_on ON situations(opened_on, id);
CREATE INDEX situations_by_youth_reference ON situations(youth_reference, id);

-- R18 across servers (docs/postgresql.md): one row per year, locked FOR UPDATE before the
-- year's committed sum is read inside an append.
CREATE TABLE envelope_locks (
    year BIGINT PRIMARY KEY
);
)sql";

// What the application role may do, by table: the logs only grow, the heads are only locked
// and moved (by the triggers, which run with the role's rights), the rest is the servers' to keep.
std::string baselineGrants(const std::string& role) {
    return "GRANT SELECT ON caseflow_schema TO " + role +
           ";\n"
           "GRANT SELECT, INSERT ON events, read_log, idempotency_keys, proofs, trust_authorities TO " +
           role +
           ";\n"
           "GRANT SELECT, UPDATE ON chain_head, read_log_head TO " +
           role +
           ";\n"
           "GRANT SELECT, INSERT, UPDATE ON trust_signers, envelope_locks TO " +
           role +
           ";\n"
           "GRANT SELECT, INSERT, UPDATE, DELETE ON meta, situations, funding_requests, payments, deadlines, users,"
           " assignments, tokens, sessions, directory_entries, payment_runs, payment_run_transfers TO " +
           role + ";\n";
}

// Version 13: the committee report's dated facts (store/Migrations.cpp, migration 13). The
// indexes cover what the report selects (INCLUDE) except text2, an approval's request lines:
// unbounded, and a btree entry must stay under a third of a page.
constexpr const char* committeeFacts = R"sql(
CREATE TABLE IF NOT EXISTS committee_facts (
    situation_id  BIGINT NOT NULL,
    kind          TEXT NOT NULL,
    fact_key      TEXT NOT NULL,
    valid_from    TEXT NOT NULL,
    valid_until   TEXT NOT NULL,
    day           TEXT NOT NULL,
    day2          TEXT NOT NULL,
    day3          TEXT NOT NULL,
    amount        BIGINT,
    text1         TEXT NOT NULL,
    text2         TEXT NOT NULL,
    PRIMARY KEY (situation_id, kind, fact_key, valid_from)
);
CREATE INDEX IF NOT EXISTS committee_facts_by_day
    ON committee_facts(kind, valid_until, day) INCLUDE (valid_from, situation_id, day2, day3, amount, text1);
CREATE INDEX IF NOT EXISTS committee_facts_by_day2
    ON committee_facts(kind, valid_until, day2) INCLUDE (day, valid_from, situation_id, day3, amount, text1)
    WHERE kind = 'decision' AND substr(day, 1, 4) <> substr(day2, 1, 4);
CREATE TABLE IF NOT EXISTS committee_clock (
    situation_id  BIGINT PRIMARY KEY,
    effective_day TEXT NOT NULL
);
)sql";

std::string committeeFactsGrants(const std::string& role) {
    return "GRANT SELECT, INSERT, UPDATE, DELETE ON committee_facts, committee_clock TO " + role + ";\n";
}

// Version 14: the columns generated from the document become plain ones the projector writes
// (store/Migrations.cpp, migration 14). PostgreSQL keeps each stored value and the indexes as
// they are: no row is rewritten.
constexpr const char* plainSituationKeys = R"sql(
ALTER TABLE situations ALTER COLUMN birth_date DROP EXPRESSION IF EXISTS,
    ALTER COLUMN opened_on DROP EXPRESSION IF EXISTS,
    ALTER COLUMN youth_reference DROP EXPRESSION IF EXISTS;
)sql";

// Version 15: the read audit's filters get indexes in the pages' order (store/Migrations.cpp,
// migration 15).
constexpr const char* readLogFilterIndexes = R"sql(
DROP INDEX IF EXISTS read_log_by_situation;
CREATE INDEX read_log_by_situation ON read_log(situation_id, id);
CREATE INDEX read_log_by_user ON read_log(user_name, id);
)sql";

struct PgMigration {
    int version;
    const char* sql;
    std::string (*grants)(const std::string& role); // nullptr: nothing new to grant
};

// Versions 1..11 do not exist on PostgreSQL: the baseline is 12 (no PostgreSQL database predates it).
const std::vector<PgMigration>& pgMigrations() {
    static const std::vector<PgMigration> all = {{12, baseline, baselineGrants},
                                                 {13, committeeFacts, committeeFactsGrants},
                                                 {14, plainSituationKeys, nullptr},
                                                 {15, readLogFilterIndexes, nullptr}};
    return all;
}

bool isIdentifier(const std::string& name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())) != 0) return false;
    for (char ch : name)
        if (!(std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '_')) return false;
    return true;
}

bool schemaTableExists(Database& db) {
    Statement query = db.prepare("SELECT CASE WHEN to_regclass('caseflow_schema') IS NULL THEN 0 ELSE 1 END");
    query.step();
    return query.columnInt(0) == 1;
}

// Whether this connection may create tables where the schema lives: the owner may, the
// application role may not (it then may not migrate either).
bool mayMigrate(Database& db) {
    Statement query = db.prepare("SELECT CASE WHEN has_schema_privilege(current_schema(), 'CREATE') THEN 1 ELSE 0 END");
    query.step();
    return query.columnInt(0) == 1;
}

int64_t foreignTables(Database& db) {
    Statement query = db.prepare("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()");
    query.step();
    return query.columnInt(0);
}

struct Recorded {
    int64_t applicationId = 0;
    int version = 0;
};

Recorded readRecorded(Database& db) {
    Statement query = db.prepare("SELECT application_id, version FROM caseflow_schema");
    if (!query.step()) return {};
    return {query.columnInt(0), static_cast<int>(query.columnInt(1))};
}

[[noreturn]] void refuseBehind(Database& db, int version) {
    throw UsageError("the PostgreSQL schema is at version " + std::to_string(version) + ", this caseflow needs " +
                     std::to_string(latestSchemaVersion()) + ": run `caseflow init --db " + db.path().string() +
                     "` as the database's owner");
}

void checkRoleExists(Database& db, const std::string& role) {
    Statement query = db.prepare("SELECT count(*) FROM pg_catalog.pg_roles WHERE rolname = ?1");
    query.bind(1, role);
    query.step();
    if (query.columnInt(0) == 0)
        throw UsageError("the PostgreSQL application role '" + role + "' does not exist: create it (CREATE ROLE " +
                         role + " LOGIN) or name the servers' role in CASEFLOW_PG_APP_ROLE before `caseflow init`");
}

} // namespace

std::string applicationRole() {
    const char* named = std::getenv("CASEFLOW_PG_APP_ROLE");
    const std::string role = named != nullptr && *named != '\0' ? named : "caseflow_app";
    if (!isIdentifier(role))
        throw UsageError("CASEFLOW_PG_APP_ROLE must be a plain role name (letters, digits, _), not '" + role + "'");
    return role;
}

int postgresSchemaVersion(Database& db) {
    if (!schemaTableExists(db)) return 0;
    return readRecorded(db).version;
}

void migratePostgres(Database& db) {
    const int latest = latestSchemaVersion();
    const bool recorded = schemaTableExists(db);
    const Recorded identity = recorded ? readRecorded(db) : Recorded{};
    if (recorded && identity.version != 0 && identity.applicationId != caseflowApplicationId)
        throw UsageError(db.path().string() + " is not a caseflow database");
    if (!recorded && foreignTables(db) > 0)
        throw UsageError(db.path().string() + " is not a caseflow database (it holds tables but no caseflow_schema)");
    if (identity.version > latest)
        throw UsageError("database schema version " + std::to_string(identity.version) +
                         " is newer than this caseflow (supports up to " + std::to_string(latest) +
                         "); upgrade caseflow");
    if (identity.version == latest) return;
    if (!mayMigrate(db)) refuseBehind(db, identity.version);

    const std::string role = applicationRole();
    checkRoleExists(db, role);
    for (const PgMigration& migration : pgMigrations()) {
        Transaction transaction(db);
        // Two owners migrating at once: the first creates the table under a transaction-scoped
        // advisory lock (CREATE TABLE IF NOT EXISTS alone races), then both queue on the table's lock.
        db.exec("SELECT pg_advisory_xact_lock(" + std::to_string(caseflowApplicationId) + ")");
        db.exec("CREATE TABLE IF NOT EXISTS caseflow_schema (application_id BIGINT NOT NULL, version BIGINT NOT NULL)");
        db.exec("LOCK TABLE caseflow_schema IN EXCLUSIVE MODE");
        const int current = readRecorded(db).version;
        if (current >= migration.version) continue;
        if (current != 0 && current < pgMigrations().front().version)
            throw Error("postgresql: schema version " + std::to_string(current) + " has no migration path");
        db.exec(migration.sql);
        if (migration.grants) db.exec(migration.grants(role)); // none: the tables keep theirs
        db.exec("DELETE FROM caseflow_schema");
        db.prepare("INSERT INTO caseflow_schema (application_id, version) VALUES (?1, ?2)")
            .bind(1, static_cast<int64_t>(caseflowApplicationId))
            .bind(2, migration.version)
            .step();
        transaction.commit();
    }
}

} // namespace caseflow::store::postgres
