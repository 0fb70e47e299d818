// The event log (see EventStore.h for what must stay true).
//
// Hash encoding, version 1. The hash of an event is the lowercase hex SHA-256 of the
// concatenation of these netstrings (https://cr.yp.to/proto/netstrings.txt), in this order:
//
//     "caseflow-event-v1", position, situation_id, sequence, type, actor, recorded_at, payload,
//     previous_hash
//
// where a netstring is  <decimal byte length> ":" <bytes> ","  and integers are written in
// decimal without sign or leading zeros. Every field is prefixed by its length, so no two
// different events share an encoding whatever bytes their text holds; the leading tag names the
// encoding so that a future version can be told apart. Example for an empty payload: "0:,".
// Anyone can re-check a log with a few lines of script: this comment is the specification.
#include "store/EventStore.h"

#include "core/Errors.h"
#include "store/Database.h"
#include "store/EventRow.h"
#include "store/Migrations.h"
#include "store/Netstring.h"
#include "store/Sha256.h"

#include <sqlite3.h>

#include <array>
#include <cassert>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <unordered_map>

namespace caseflow::store {

namespace {

// The system clock in UTC, to the millisecond: "2026-11-26T09:17:12.123Z".
std::string utcNow() {
    using namespace std::chrono;
    const int64_t milliseconds =
        duration_cast<std::chrono::milliseconds>(system_clock::now().time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(milliseconds / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(milliseconds % 1000));
    return text;
}

std::string describe(const StoredEvent& event) {
    return "event " + std::to_string(event.position) + " (situation " + std::to_string(event.situationId) +
           ", sequence " + std::to_string(event.sequence) + ")";
}

// Statements are reused, and one left mid-result keeps the connection reading an old snapshot
// (a later BEGIN IMMEDIATE would then fail with SQLITE_BUSY_SNAPSHOT): reset them on every exit.
class ResetOnExit {
public:
    explicit ResetOnExit(Statement& statement) : statement_(statement) {}
    ~ResetOnExit() { statement_.reset(); }
    ResetOnExit(const ResetOnExit&) = delete;
    ResetOnExit& operator=(const ResetOnExit&) = delete;

private:
    Statement& statement_;
};

// The hash encoding above streamed into SHA-256 (OpenSSL, which uses the CPU's SHA instructions
// where there are some): the fields are copied into one reusable buffer and hashed in one call,
// so hashing an event allocates nothing. verify() hashes every event of the log with one of
// these; computeEventHash() uses it too, so there is one encoding, written once.
class EventHasher {
public:
    // The 64 lowercase hex digits of the event's hash, valid until the next call.
    std::string_view hash(int64_t position, int64_t situationId, int64_t sequence, std::string_view type,
                          std::string_view actor, std::string_view recordedAt, std::string_view payload,
                          std::string_view previousHash) {
        buffer_.clear();
        netstring("caseflow-event-v1");
        number(position);
        number(situationId);
        number(sequence);
        netstring(type);
        netstring(actor);
        netstring(recordedAt);
        netstring(payload);
        netstring(previousHash);
        sha256HexInto(buffer_, hex_);
        return {hex_.data(), hex_.size()};
    }

private:
    // The encoding of Netstring.h, appended to a buffer that keeps its capacity between events.
    void netstring(std::string_view field) {
        char length[24];
        const auto written = std::to_chars(std::begin(length), std::end(length), field.size()).ptr;
        buffer_.append(length, written);
        buffer_ += ':';
        buffer_.append(field);
        buffer_ += ',';
    }
    void number(int64_t value) {
        char text[24];
        const auto written = std::to_chars(std::begin(text), std::end(text), value).ptr;
        netstring(std::string_view(text, static_cast<std::size_t>(written - text)));
    }

    std::string buffer_;
    std::array<char, 64> hex_{};
};

// A statement of verify's own, read without copying its text columns (Statement copies each
// into a std::string): the views it hands out are valid until the next step.
class RawRows {
public:
    RawRows(Database& db, const std::string& sql) {
        sqlite3_stmt* raw = nullptr;
        const int prepared = sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &raw, nullptr);
        statement_.reset(raw);
        if (prepared != SQLITE_OK)
            throw Error(std::string("sqlite: preparing the log's walk: ") + sqlite3_errmsg(db.handle()));
    }
    bool step() {
        const int stepped = sqlite3_step(statement_.get());
        if (stepped == SQLITE_ROW) return true;
        if (stepped == SQLITE_DONE) return false;
        if (stepped == SQLITE_BUSY || (stepped & 0xff) == SQLITE_LOCKED)
            throw Conflict(std::string("sqlite: the log is locked: ") + sqlite3_errstr(stepped));
        throw Error(std::string("sqlite: reading the log: ") + sqlite3_errstr(stepped));
    }
    int64_t integer(int column) { return sqlite3_column_int64(statement_.get(), column); }
    std::string_view text(int column) {
        const auto* bytes = sqlite3_column_text(statement_.get(), column);
        const int size = sqlite3_column_bytes(statement_.get(), column);
        return bytes ? std::string_view(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size))
                     : std::string_view();
    }

private:
    struct Finalize {
        void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
    };
    std::unique_ptr<sqlite3_stmt, Finalize> statement_;
};

// verify's walk on PostgreSQL, with RawRows' surface, over a statement the caller keeps to run it
// page after page; each page's text is read in place.
class StatementPage {
public:
    explicit StatementPage(Statement& statement) : statement_(statement) {}
    bool step() { return statement_.step(); }
    int64_t integer(int column) { return statement_.columnInt(column); }
    std::string_view text(int column) { return statement_.columnView(column); }

private:
    Statement& statement_;
};

// On PostgreSQL libpq holds a statement's whole result in memory, and the whole log of a large
// network is gigabytes: a walk of it reads pages of positions, all in one snapshot — the caller's
// transaction, or a read-only REPEATABLE READ one opened here (appends meanwhile are not seen
// half-way). Nothing to do on SQLite, where one statement is one snapshot and rows stream.
constexpr int64_t kLogPage = 5000;

class PostgresSnapshot {
public:
    explicit PostgresSnapshot(Database& db) : db_(db), own_(db.dialect() == Dialect::Postgres && !db.inTransaction()) {
        if (own_) db_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    }
    ~PostgresSnapshot() {
        if (!own_) return;
        try {
            db_.exec("ROLLBACK");
        } catch (...) { // NOLINT(bugprone-empty-catch): a lost connection ends it anyway
        }
    }
    PostgresSnapshot(const PostgresSnapshot&) = delete;
    PostgresSnapshot& operator=(const PostgresSnapshot&) = delete;

private:
    Database& db_;
    bool own_;
};

// Runs `selectAfter` ("SELECT … WHERE position > ? … ORDER BY position") page after page (one
// statement on SQLite); `row` sees each row and returns false to stop. `positionColumn` is where
// the row's position is.
template <typename Row> void walkLog(Database& db, const std::string& selectAfter, int positionColumn, Row&& row) {
    if (db.dialect() != Dialect::Postgres) {
        Statement all = db.prepare(selectAfter);
        all.bind(1, int64_t{0});
        while (all.step())
            if (!row(all)) return;
        return;
    }
    const PostgresSnapshot snapshot(db);
    Statement page = db.prepare(selectAfter + " LIMIT " + std::to_string(kLogPage));
    for (int64_t after = 0;;) {
        page.reset();
        page.bind(1, after);
        int64_t rows = 0;
        while (page.step()) {
            ++rows;
            after = page.columnInt(positionColumn);
            if (!row(page)) return;
        }
        if (rows < kLogPage) return;
    }
}

// Each situation's last sequence seen by the walk: situation ids are dense from 0, so a vector
// indexed by id, with a map for an id too large to index (a forged row, say).
class LastSequences {
public:
    int64_t& of(int64_t situationId) {
        if (situationId >= 0 && situationId < kDenseLimit) {
            const auto index = static_cast<std::size_t>(situationId);
            if (index >= dense_.size()) dense_.resize(std::max(index + 1, dense_.size() * 2), 0);
            return dense_[index];
        }
        return sparse_[situationId];
    }

private:
    static constexpr int64_t kDenseLimit = int64_t{1} << 24;
    std::vector<int64_t> dense_;
    std::unordered_map<int64_t, int64_t> sparse_;
};

void validate(const NewEvent& event) {
    if (event.type.empty()) throw UsageError("an event needs a type");
    if (event.actor.empty()) throw UsageError("an event needs an actor");
}

// Long values (a situation document) are shown around their first difference, so the line
// says where the edit is without printing the whole document.
std::string excerpt(const std::optional<std::string>& value, std::size_t from) {
    if (!value) return "NULL";
    constexpr std::size_t before = 30, width = 80;
    if (value->size() <= width) return "'" + *value + "'";
    std::size_t start = from > before ? from - before : 0;
    while (start > 0 && (static_cast<unsigned char>((*value)[start]) & 0xC0) == 0x80) --start;
    std::string cut = value->substr(start, width);
    // Never end inside a UTF-8 sequence.
    while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0x80) != 0) cut.pop_back();
    // One line per drift: line breaks inside the value are shown, not printed.
    std::string shown;
    for (char ch : cut) shown += ch == '\n' ? std::string("\\n") : std::string(1, ch);
    return std::string(start > 0 ? "'…" : "'") + shown + (start + width < value->size() ? "…'" : "'");
}

} // namespace

std::string ProjectionDrift::describe() const {
    if (column.empty()) {
        if (!replayed) return table + " " + key + ": stored, but the log does not produce it";
        return table + " " + key + ": produced by the log, but missing from the stored table";
    }
    std::size_t firstDifference = 0;
    if (stored && replayed)
        while (firstDifference < stored->size() && firstDifference < replayed->size() &&
               (*stored)[firstDifference] == (*replayed)[firstDifference])
            ++firstDifference;
    return table + " " + key + ", column " + column + ": stored " + excerpt(stored, firstDifference) + ", replayed " +
           excerpt(replayed, firstDifference);
}

void VerifyReport::addProblem(std::string text) {
    intact = false;
    if (problem.empty()) problem = text;
    problems.push_back(std::move(text));
}

void VerifyReport::addDrift(ProjectionDrift drift) {
    addProblem(drift.describe());
    drifts.push_back(std::move(drift));
}

std::string computeEventHash(const StoredEvent& event) {
    EventHasher hasher;
    return std::string(hasher.hash(event.position, event.situationId, event.sequence, event.type, event.actor,
                                   event.recordedAt, event.payload, event.previousHash));
}

EventStore::EventStore(Database& db) : db_(db) {}

Statement& EventStore::reusable(std::optional<Statement>& slot, const char* sql) const {
    if (!slot) slot.emplace(db_.prepare(sql));
    return *slot;
}

StoredEvent EventStore::append(const NewEvent& event, int64_t expectedSequence, const Projector& project) {
    validate(event);
    if (event.situationId <= 0) throw UsageError("situation ids start at 1, not " + std::to_string(event.situationId));
    if (expectedSequence < 0) throw UsageError("an expected version cannot be negative");

    // The write lock is taken before reading the last sequence, so the check and the insert
    // see the same log: no other writer can slip in between.
    Transaction transaction(db_);
    StoredEvent stored = appendInOpenTransaction(event, expectedSequence, project);
    transaction.commit();
    return stored;
}

StoredEvent EventStore::appendInOpenTransaction(const NewEvent& event, int64_t expectedSequence,
                                                const Projector& project) {
    validate(event);
    if (event.situationId <= 0) throw UsageError("situation ids start at 1, not " + std::to_string(event.situationId));
    // The head first: on PostgreSQL the version read after it is the settled one.
    const Head head = lockHead();
    const int64_t found = lastSequence(event.situationId);
    if (found != expectedSequence)
        throw Conflict("situation " + std::to_string(event.situationId) + " changed: expected version " +
                       std::to_string(expectedSequence) + ", found " + std::to_string(found) + "; reload and retry");
    return appendInTransaction(head, event, event.situationId, found + 1, project);
}

EventStore::Head EventStore::lockHead() {
    const bool postgres = db_.dialect() == Dialect::Postgres;
    Statement& newest =
        postgres ? reusable(newestQuery_, "SELECT position, hash FROM chain_head FOR UPDATE")
                 : reusable(newestQuery_, "SELECT position, hash FROM events ORDER BY position DESC LIMIT 1");
    ResetOnExit done(newest);
    if (newest.step()) return {newest.columnInt(0), newest.columnText(1)};
    if (postgres) throw Error("postgresql: the event log has no chain head (was the schema migrated?)");
    return {0, std::string(genesisHash)};
}

std::vector<StoredEvent> networkSettingsEvents(Database& db) {
    std::vector<StoredEvent> settings;
    for (auto& event : EventStore(db).events(networkStream))
        if (event.type == networkSettingsEvent) settings.push_back(std::move(event));
    return settings;
}

StoredEvent EventStore::appendNewSituation(NewEvent event, const Projector& project) {
    validate(event);
    Transaction transaction(db_);
    const Head head = lockHead();
    Statement highest = db_.prepare("SELECT COALESCE(MAX(situation_id), 0) FROM events");
    highest.step();
    const int64_t situationId = highest.columnInt(0) + 1;
    event.situationId = situationId;
    StoredEvent stored = appendInTransaction(head, event, situationId, 1, project);
    transaction.commit();
    return stored;
}

StoredEvent EventStore::appendNetworkEvent(NewEvent event, const Projector& project) {
    Transaction transaction(db_);
    StoredEvent stored = appendNetworkEventInTransaction(std::move(event), project);
    transaction.commit();
    return stored;
}

StoredEvent EventStore::appendNetworkEventInTransaction(NewEvent event, const Projector& project) {
    validate(event);
    event.situationId = networkStream;
    const Head head = lockHead();
    return appendInTransaction(head, event, networkStream, lastSequence(networkStream) + 1, project);
}

StoredEvent EventStore::appendInTransaction(const Head& head, const NewEvent& event, int64_t situationId,
                                            int64_t sequence, const Projector& project) {
    StoredEvent stored;
    stored.situationId = situationId;
    stored.sequence = sequence;
    stored.type = event.type;
    stored.actor = event.actor;
    stored.payload = event.payload;
    // Read under the head's lock, so recorded_at never goes backwards along the chain on one clock.
    stored.recordedAt = utcNow();
    stored.position = head.position + 1;
    stored.previousHash = head.hash;
    stored.hash = computeEventHash(stored);

    insertRow(stored);
    if (project) project(db_, stored);
    return stored;
}

void EventStore::insertRow(const StoredEvent& stored) {
    Statement& insert =
        reusable(insert_, "INSERT INTO events (position, situation_id, sequence, type, actor, recorded_at, payload,"
                          " previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ResetOnExit done(insert);
    insert.bind(1, stored.position)
        .bind(2, stored.situationId)
        .bind(3, stored.sequence)
        .bind(4, stored.type)
        .bind(5, stored.actor)
        .bind(6, stored.recordedAt)
        .bind(7, stored.payload)
        .bind(8, stored.previousHash)
        .bind(9, stored.hash)
        .step();
}

std::vector<StoredEvent> EventStore::appendBulkInOpenTransaction(const std::vector<NewEvent>& events,
                                                                 const Projector& project,
                                                                 const std::function<std::string()>& clock) {
    for (const auto& event : events) {
        validate(event);
        if (event.situationId <= 0)
            throw UsageError("situation ids start at 1, not " + std::to_string(event.situationId));
    }
    Head head = lockHead();
    int64_t position = head.position;
    std::string previousHash = std::move(head.hash);
    // Under the caller's write lock nobody else appends, so what the log said once stays true
    // for the whole batch: the last sequences are read once per situation and then counted here.
    std::map<int64_t, int64_t> sequences;
    std::vector<StoredEvent> stored;
    stored.reserve(events.size());
    for (const auto& event : events) {
        auto found = sequences.find(event.situationId);
        if (found == sequences.end())
            found = sequences.emplace(event.situationId, lastSequence(event.situationId)).first;
        StoredEvent& row = stored.emplace_back();
        row.position = ++position;
        row.situationId = event.situationId;
        row.sequence = ++found->second;
        row.type = event.type;
        row.actor = event.actor;
        row.recordedAt = clock ? clock() : utcNow();
        row.payload = event.payload;
        row.previousHash = std::move(previousHash);
        row.hash = computeEventHash(row);
        previousHash = row.hash;
        insertRow(row);
        if (project) project(db_, row);
    }
    return stored;
}

std::vector<StoredEvent> EventStore::events(int64_t situationId) const {
    Statement query = db_.prepare(std::string(kEventColumns) + " WHERE situation_id = ? ORDER BY sequence");
    query.bind(1, situationId);
    std::vector<StoredEvent> result;
    while (query.step()) result.push_back(readEventRow(query));
    return result;
}

std::vector<StoredEvent> EventStore::allEvents() const {
    std::vector<StoredEvent> result;
    forEachEvent([&result](const StoredEvent& event) { result.push_back(event); });
    return result;
}

void EventStore::forEachEvent(const std::function<void(const StoredEvent&)>& visit) const {
    // One snapshot: appends committed meanwhile by other connections are not seen half-way through.
    walkLog(db_, std::string(kEventColumns) + " WHERE position > ? ORDER BY position", 0, [&](Statement& row) {
        visit(readEventRow(row));
        return true;
    });
}

void EventStore::forEachSituationEventGlance(const std::function<void(const EventGlance&)>& visit) const {
    walkLog(db_,
            "SELECT situation_id, sequence, type, recorded_at, payload, position FROM events"
            " WHERE position > ? AND situation_id > 0 ORDER BY position",
            5, [&](Statement& row) {
                visit({row.columnInt(0), row.columnInt(1), row.columnView(2), row.columnView(3), row.columnView(4)});
                return true;
            });
}

int64_t EventStore::lastPosition() const {
    Statement query = db_.prepare("SELECT COALESCE(MAX(position), 0) FROM events");
    return query.step() ? query.columnInt(0) : 0;
}

int64_t EventStore::lastSequence(int64_t situationId) const {
    Statement& query =
        reusable(lastSequenceQuery_, "SELECT COALESCE(MAX(sequence), 0) FROM events WHERE situation_id = ?");
    ResetOnExit done(query);
    query.bind(1, situationId);
    query.step();
    return query.columnInt(0);
}

std::optional<std::string> EventStore::hashAt(int64_t position) const {
    Statement query = db_.prepare("SELECT hash FROM events WHERE position = ?1");
    query.bind(1, position);
    if (!query.step()) return std::nullopt;
    return query.columnText(0);
}

VerifyReport EventStore::verifyChain() const {
    VerifyReport report;
    int64_t expectedPosition = 1;
    // The previous event's hash, kept in place: assigning a 64-character view reuses its buffer.
    std::string previousHash(genesisHash);
    LastSequences lastSequences;
    EventHasher hasher;
    auto broken = [&report](int64_t position, int64_t situationId, int64_t sequence, const std::string& problem) {
        StoredEvent event;
        event.position = position;
        event.situationId = situationId;
        event.sequence = sequence;
        report.firstBrokenPosition = position;
        report.chainIntact = false;
        report.addProblem(describe(event) + ": " + problem);
    };

    constexpr const char* walkSql = "SELECT position, situation_id, sequence, type, actor, recorded_at, payload, "
                                    "previous_hash, hash FROM events";
    // One pass in position order; the columns are read in place, not copied. Returns false at
    // the first broken event.
    auto walk = [&](auto& rows) {
        while (rows.step()) {
            const int64_t position = rows.integer(0), situationId = rows.integer(1), sequence = rows.integer(2);
            const std::string_view storedPrevious = rows.text(7), storedHash = rows.text(8);
            ++report.eventsChecked;
            int64_t& lastSequenceSeen = lastSequences.of(situationId);
            // Checked in this order so that the message names the most direct cause: a gap in
            // positions means removal; a wrong hash means this very row was edited; a wrong link
            // with a right hash means the row before was replaced, hash and all.
            if (position != expectedPosition)
                broken(position, situationId, sequence,
                       "missing event(s) before it: expected position " + std::to_string(expectedPosition));
            else if (hasher.hash(position, situationId, sequence, rows.text(3), rows.text(4), rows.text(5),
                                 rows.text(6), storedPrevious) != storedHash)
                broken(position, situationId, sequence, "hash mismatch");
            else if (storedPrevious != previousHash)
                broken(position, situationId, sequence,
                       "previous_hash does not match the hash of event " + std::to_string(expectedPosition - 1));
            else if (sequence != lastSequenceSeen + 1)
                broken(position, situationId, sequence,
                       "sequence gap: expected sequence " + std::to_string(lastSequenceSeen + 1));
            if (!report.intact) return false;
            expectedPosition = position + 1;
            previousHash.assign(storedHash);
            lastSequenceSeen = sequence;
            report.headPosition = position;
        }
        return true;
    };

    try {
        if (db_.dialect() == Dialect::Postgres) {
            // One snapshot for the walk and the head, so that appends meanwhile do not show half;
            // the walk in pages (see walkLog).
            const PostgresSnapshot snapshot(db_);
            Statement page = db_.prepare(std::string(walkSql) + " WHERE position > ? ORDER BY position LIMIT " +
                                         std::to_string(kLogPage));
            for (int64_t after = 0;;) {
                page.reset();
                page.bind(1, after);
                const int64_t checkedBefore = report.eventsChecked;
                StatementPage rows(page);
                if (!walk(rows)) return report;
                if (report.eventsChecked - checkedBefore < kLogPage) break;
                after = report.headPosition;
            }
            Statement head = db_.prepare("SELECT position, hash FROM chain_head");
            if (!head.step() || head.columnInt(0) != report.headPosition ||
                (report.headPosition > 0 && head.columnText(1) != previousHash))
                report.addProblem("the chain head does not name the newest event " +
                                  std::to_string(report.headPosition) + ": events were removed or the head was moved");
        } else {
            RawRows rows(db_, std::string(walkSql) + " ORDER BY position");
            if (!walk(rows)) return report;
        }
        if (report.headPosition > 0) report.headHash = previousHash;
    } catch (const Conflict&) {
        throw;
    } catch (const Error& error) {
        // A damaged file may fail to read at all; that is a finding, not a crash.
        report.chainIntact = false;
        report.addProblem(std::string("reading the log failed: ") + error.what());
        return report;
    }
    return report;
}

VerifyReport EventStore::verify() const {
    VerifyReport report = verifyChain();
    if (!report.chainIntact) return report;

    if (db_.dialect() == Dialect::Postgres) {
        // No SQL check of the storage is open to the application role; the operator's tool is.
        report.notes.push_back("the storage's own integrity is not checked on PostgreSQL: run pg_amcheck "
                               "(docs/deployment.md)");
        return report;
    }
    std::vector<std::string> findings;
    try {
        Statement check = db_.prepare("PRAGMA integrity_check");
        while (check.step()) findings.push_back(check.columnText(0));
    } catch (const Conflict&) {
        throw;
    } catch (const Error& error) {
        findings = {error.what()};
    }
    if (!(findings.size() == 1 && findings.front() == "ok")) {
        std::string problem = "integrity_check:";
        for (std::size_t index = 0; index < findings.size(); ++index)
            problem += (index == 0 ? " " : "; ") + findings[index];
        report.addProblem(std::move(problem));
    }
    return report;
}

void EventStore::rebuild(const Projector& project) {
    if (!project) throw UsageError("rebuilding the projections needs a projector");
    Transaction transaction(db_);
    // Emptied in reverse dependency order so that a foreign key added later cannot block it.
    const std::vector<std::string>& tables = projectionTables();
    for (auto table = tables.rbegin(); table != tables.rend(); ++table) db_.exec("DELETE FROM " + *table);
    forEachEvent([this, &project](const StoredEvent& event) { project(db_, event); });
    transaction.commit();
}

} // namespace caseflow::store
