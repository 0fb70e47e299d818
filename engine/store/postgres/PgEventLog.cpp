// The event log on PostgreSQL (see PgEventLog.h for what must stay true). Every append runs in
// READ COMMITTED and takes the chain head's row lock first: once granted, every statement after
// it sees all that the previous holder committed, so the version check, the key check and the
// newest hash are all read from one settled log. SERIALIZABLE would also be correct but would
// abort and retry most concurrent appends, since they all touch the head.
#include "store/postgres/PgEventLog.h"

#include "core/Errors.h"
#include "model/Date.h"
#include "store/EventRow.h"
#include "store/postgres/PgConnection.h"
#include "store/postgres/PgTransaction.h"

#include <cctype>
#include <map>

namespace caseflow::store::postgres {

namespace {

// Integers are BIGINT: SQLite's INTEGER is 64-bit, PostgreSQL's is 32-bit. The function raising
// for the append-only triggers takes its message as argument, so one function serves every table.
constexpr const char* eventLogSchema = R"sql(
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

CREATE FUNCTION caseflow_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION caseflow_refuse_change('events are append-only');
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION caseflow_refuse_change('events are append-only');

-- The chain is linked by the database too: an event must follow the head exactly, and moves it.
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

-- The event's position is checked at commit, when the event of the same transaction exists.
CREATE TABLE idempotency_keys (
    idempotency_key TEXT PRIMARY KEY,
    user_name       TEXT NOT NULL,
    situation_id    BIGINT NOT NULL,
    event_position  BIGINT NOT NULL REFERENCES events (position) DEFERRABLE INITIALLY DEFERRED,
    created_at      TEXT NOT NULL
);
CREATE TRIGGER idempotency_keys_no_change BEFORE UPDATE OR DELETE ON idempotency_keys
    FOR EACH ROW EXECUTE FUNCTION caseflow_refuse_change('idempotency keys are never changed');
CREATE TRIGGER idempotency_keys_no_truncate BEFORE TRUNCATE ON idempotency_keys
    FOR EACH STATEMENT EXECUTE FUNCTION caseflow_refuse_change('idempotency keys are never changed');
)sql";

void validate(const NewEvent& event) {
    if (event.type.empty()) throw UsageError("an event needs a type");
    if (event.actor.empty()) throw UsageError("an event needs an actor");
}

bool isIdentifier(const std::string& name) {
    if (name.empty()) return false;
    for (char ch : name)
        if (!(std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '_')) return false;
    return true;
}

} // namespace

void createEventLogSchema(PgConnection& owner, const std::string& appRole) {
    // A role name cannot be a parameter in GRANT: it is checked instead of quoted.
    if (!isIdentifier(appRole)) throw UsageError("not a plain role name: '" + appRole + "'");
    PgTransaction transaction(owner, Isolation::ReadCommitted);
    owner.exec(eventLogSchema);
    owner.exec("GRANT SELECT, INSERT ON events, idempotency_keys TO " + appRole +
               "; GRANT SELECT, UPDATE ON chain_head TO " + appRole);
    transaction.commit();
}

PgEventLog::PgEventLog(PgConnection& connection) : connection_(connection) {}

std::pair<int64_t, std::string> PgEventLog::lockHead() {
    PgStatement head = connection_.prepare("SELECT position, hash FROM chain_head FOR UPDATE");
    if (!head.step()) throw Error("postgresql: the event log has no chain head (was its schema created?)");
    return {head.columnInt(0), head.columnText(1)};
}

void PgEventLog::checkExpected(const NewEvent& event, int64_t expectedSequence) {
    const int64_t found = lastSequence(event.situationId);
    if (found != expectedSequence)
        throw Conflict("situation " + std::to_string(event.situationId) + " changed: expected version " +
                       std::to_string(expectedSequence) + ", found " + std::to_string(found) + "; reload and retry");
}

StoredEvent PgEventLog::insertAfter(const std::pair<int64_t, std::string>& head, const NewEvent& event,
                                    int64_t sequence) {
    StoredEvent stored;
    stored.position = head.first + 1;
    stored.previousHash = head.second;
    stored.situationId = event.situationId;
    stored.sequence = sequence;
    stored.type = event.type;
    stored.actor = event.actor;
    stored.payload = event.payload;
    // Read under the lock, so recorded_at never goes backwards along the chain on one clock.
    stored.recordedAt = utcNowIso();
    stored.hash = computeEventHash(stored);
    connection_
        .prepare("INSERT INTO events (position, situation_id, sequence, type, actor, recorded_at, payload,"
                 " previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, stored.position)
        .bind(2, stored.situationId)
        .bind(3, stored.sequence)
        .bind(4, stored.type)
        .bind(5, stored.actor)
        .bind(6, stored.recordedAt)
        .bind(7, stored.payload)
        .bind(8, stored.previousHash)
        .bind(9, stored.hash)
        .step();
    return stored;
}

StoredEvent PgEventLog::append(const NewEvent& event, int64_t expectedSequence) {
    PgTransaction transaction(connection_, Isolation::ReadCommitted);
    StoredEvent stored = appendInOpenTransaction(event, expectedSequence);
    transaction.commit();
    return stored;
}

StoredEvent PgEventLog::appendInOpenTransaction(const NewEvent& event, int64_t expectedSequence) {
    validate(event);
    if (event.situationId <= 0) throw UsageError("situation ids start at 1, not " + std::to_string(event.situationId));
    if (expectedSequence < 0) throw UsageError("an expected version cannot be negative");
    const auto head = lockHead();
    checkExpected(event, expectedSequence);
    return insertAfter(head, event, expectedSequence + 1);
}

StoredEvent PgEventLog::appendNewSituation(NewEvent event) {
    validate(event);
    PgTransaction transaction(connection_, Isolation::ReadCommitted);
    const auto head = lockHead();
    PgStatement highest = connection_.prepare("SELECT COALESCE(MAX(situation_id), 0) FROM events");
    highest.step();
    event.situationId = highest.columnInt(0) + 1;
    StoredEvent stored = insertAfter(head, event, 1);
    transaction.commit();
    return stored;
}

IdempotentAppend PgEventLog::appendOnce(const std::string& key, const NewEvent& event, int64_t expectedSequence) {
    if (key.empty()) throw UsageError("an idempotency key cannot be empty");
    validate(event);
    if (event.situationId <= 0) throw UsageError("situation ids start at 1, not " + std::to_string(event.situationId));
    {
        PgTransaction transaction(connection_, Isolation::ReadCommitted);
        const auto head = lockHead();
        PgStatement claim = connection_.prepare(
            "INSERT INTO idempotency_keys (idempotency_key, user_name, situation_id, event_position, created_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING RETURNING event_position");
        claim.bind(1, key).bind(2, event.actor).bind(3, event.situationId).bind(4, head.first + 1).bind(5, utcNowIso());
        if (claim.step()) {
            checkExpected(event, expectedSequence);
            IdempotentAppend result{insertAfter(head, event, expectedSequence + 1), false};
            transaction.commit();
            return result;
        }
    } // the key was used already: nothing of this attempt is kept
    PgStatement used = connection_.prepare(
        "SELECT k.user_name, k.situation_id, e.position, e.situation_id, e.sequence, e.type, e.actor, e.recorded_at,"
        " e.payload, e.previous_hash, e.hash FROM idempotency_keys k JOIN events e ON e.position = k.event_position"
        " WHERE k.idempotency_key = ?");
    used.bind(1, key);
    if (!used.step()) throw Error("postgresql: idempotency key '" + key + "' is claimed but names no event");
    if (used.columnText(0) != event.actor || used.columnInt(1) != event.situationId)
        throw UsageError("idempotency key '" + key + "' was already used by " + used.columnText(0) + " for situation " +
                         std::to_string(used.columnInt(1)));
    IdempotentAppend replay;
    replay.replayed = true;
    replay.event.position = used.columnInt(2);
    replay.event.situationId = used.columnInt(3);
    replay.event.sequence = used.columnInt(4);
    replay.event.type = used.columnText(5);
    replay.event.actor = used.columnText(6);
    replay.event.recordedAt = used.columnText(7);
    replay.event.payload = used.columnText(8);
    replay.event.previousHash = used.columnText(9);
    replay.event.hash = used.columnText(10);
    return replay;
}

std::vector<StoredEvent> PgEventLog::events(int64_t situationId) {
    PgStatement query = connection_.prepare(std::string(kEventColumns) + " WHERE situation_id = ? ORDER BY sequence");
    query.bind(1, situationId);
    std::vector<StoredEvent> result;
    while (query.step()) result.push_back(readEventRow(query));
    return result;
}

std::vector<StoredEvent> PgEventLog::allEvents() {
    PgStatement query = connection_.prepare(std::string(kEventColumns) + " ORDER BY position");
    std::vector<StoredEvent> result;
    while (query.step()) result.push_back(readEventRow(query));
    return result;
}

int64_t PgEventLog::lastSequence(int64_t situationId) {
    PgStatement query = connection_.prepare("SELECT COALESCE(MAX(sequence), 0) FROM events WHERE situation_id = ?");
    query.bind(1, situationId);
    query.step();
    return query.columnInt(0);
}

VerifyReport PgEventLog::verify() {
    VerifyReport report;
    // One snapshot for the walk and the head, so that appends meanwhile do not show half; it
    // only reads, so it is rolled back when the scope ends.
    PgTransaction snapshot(connection_, Isolation::Snapshot);
    int64_t expectedPosition = 1;
    std::string previousHash(genesisHash);
    std::map<int64_t, int64_t> lastSequences;
    for (const StoredEvent& event : allEvents()) {
        ++report.eventsChecked;
        int64_t& lastSequenceSeen = lastSequences[event.situationId];
        std::string problem;
        if (event.position != expectedPosition)
            problem = "missing event(s) before it: expected position " + std::to_string(expectedPosition);
        else if (computeEventHash(event) != event.hash)
            problem = "hash mismatch";
        else if (event.previousHash != previousHash)
            problem = "previous_hash does not match the hash of event " + std::to_string(expectedPosition - 1);
        else if (event.sequence != lastSequenceSeen + 1)
            problem = "sequence gap: expected sequence " + std::to_string(lastSequenceSeen + 1);
        if (!problem.empty()) {
            report.firstBrokenPosition = event.position;
            report.chainIntact = false;
            report.addProblem("event " + std::to_string(event.position) + " (situation " +
                              std::to_string(event.situationId) + ", sequence " + std::to_string(event.sequence) +
                              "): " + problem);
            return report;
        }
        expectedPosition = event.position + 1;
        previousHash = event.hash;
        lastSequenceSeen = event.sequence;
        report.headPosition = event.position;
        report.headHash = event.hash;
    }
    PgStatement head = connection_.prepare("SELECT position, hash FROM chain_head");
    if (!head.step() || head.columnInt(0) != report.headPosition || head.columnText(1) != previousHash)
        report.addProblem("the chain head does not name the newest event " + std::to_string(report.headPosition));
    return report;
}

} // namespace caseflow::store::postgres
