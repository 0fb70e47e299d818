// The event log: the append-only, hash-chained record of every change to every situation, and
// the source of truth from which the situation documents and finance tables are projected.
// What must stay true:
//  - an event is stored together with its projection, in one transaction, or not at all;
//  - per situation, sequences run 1, 2, 3... without gaps; a writer states the sequence it last
//    saw and is refused with Conflict if another writer got there first (optimistic concurrency);
//  - globally, events are chained by position: each event's previous_hash is the hash of the
//    event before it (64 zeros for the first), and its hash covers all of its fields, so any
//    edit or removal inside the log is found by verify(). Removing the newest events leaves a
//    shorter but consistent chain: a chain alone cannot see that, only an anchor kept elsewhere
//    (for example the last hash printed in a signed report) can;
//  - situation ids start at 1: situation id 0 is the network's own stream (networkStream), whose
//    events (network.settings) sit in the same global chain, sequenced 1, 2, 3... like a situation.
#pragma once

#include "store/Statement.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow::store {

class Database;

struct NewEvent {
    int64_t situationId = 0; // ignored by appendNewSituation, which allocates one
    std::string type;        // e.g. "budget.approved"
    std::string actor;       // who did it, as authenticated
    std::string payload;     // the event's data, usually XML
};

struct StoredEvent {
    int64_t position = 0; // place in the global log, 1, 2, 3...
    int64_t situationId = 0;
    int64_t sequence = 0; // place in the situation's own history, 1, 2, 3...
    std::string type;
    std::string actor;
    std::string recordedAt; // UTC with milliseconds, "2026-11-26T09:17:12.123Z"
    std::string payload;
    std::string previousHash;
    std::string hash;
};

// Called inside the append (or rebuild) transaction to bring the projections up to date; if it
// throws, the event is not stored (or the rebuild is undone) and the exception propagates. An
// empty Projector appends without projecting (rebuild refuses one).
using Projector = std::function<void(Database&, const StoredEvent&)>;

// The network's own stream in the log: its settings changes, chained with every other event.
inline constexpr int64_t networkStream = 0;
// The event that records the network settings in force from then on; its payload is the
// settings document, verbatim, and its projection is the stored settings (meta.network).
inline constexpr std::string_view networkSettingsEvent = "network.settings";

// One place where a stored projection differs from what replaying the log gives.
struct ProjectionDrift {
    std::string table;  // "situations", ..., or "meta" for the stored network settings
    std::string key;    // the row's primary key, e.g. "id=3" or "situation_id=1, request_id=fr-1"
    std::string column; // empty when the whole row is missing on one side
    // The values, SQL NULL as nullopt; for a whole-row drift, the row as "column=value, ..." on
    // the side that has it and nullopt on the side that lacks it.
    std::optional<std::string> stored;
    std::optional<std::string> replayed;
    // One line for a person: "situations id=3, column state: stored 'x', replayed 'y'"; long
    // values are cut to the neighbourhood of their first difference.
    std::string describe() const;
};

struct VerifyReport {
    bool intact = true;
    int64_t eventsChecked = 0;
    std::optional<int64_t> firstBrokenPosition; // set when the chain itself is broken
    std::string problem; // e.g. "event 17 (situation 3, sequence 4): hash mismatch" or "integrity_check: ..."
    // The newest event when the chain is intact (0 and "" for an empty log). A chain cut after
    // its newest events still verifies on its own; compared with a head noted earlier
    // (`caseflow verify --expect-head`), it does not.
    int64_t headPosition = 0;
    std::string headHash;
    bool chainIntact = true; // the walk reached the newest event with every hash and link right
    // Every finding, in the order found (the first one is also `problem`): the chain, the
    // projections, the read log, and any other check a caller adds.
    std::vector<std::string> problems;
    std::vector<ProjectionDrift> drifts; // each also described in `problems`
    int64_t readsChecked = 0;            // rows of the read log whose chain was checked
    // The read log's newest row when its chain is intact (0 and "" when it holds none): like the
    // events' head, noted elsewhere and given back (`verify --expect-read-head`), it shows the
    // newest reads removed, which leave a chain that still links up.
    int64_t readHeadId = 0;
    std::string readHeadHash;
    bool readChainIntact = true;
    // What was not checked and how to check it (on PostgreSQL: the storage, with pg_amcheck);
    // notes do not make the report broken.
    std::vector<std::string> notes;

    // Records a finding: the report is no longer intact.
    void addProblem(std::string text);
    void addDrift(ProjectionDrift drift);
};

// The network.settings events of the network's stream, in order (the stream holds other
// network events too: payment runs).
std::vector<StoredEvent> networkSettingsEvents(Database& db);

// The previous_hash of the first event in the log.
inline constexpr std::string_view genesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

// The hash an event must carry, from all its other fields (see EventStore.cpp for the encoding).
std::string computeEventHash(const StoredEvent& event);

// Works on one Database, and so on one thread; besides a few prepared statements it keeps no
// state: everything it knows is read from the database inside the transaction that needs it.
// Appends begin their own transaction, so they cannot run inside one the caller opened.
class EventStore {
public:
    explicit EventStore(Database& db);

    // Appends `event` iff the situation's last sequence equals expectedSequence (0 = no events
    // yet), then calls `project` in the same transaction; commit, or nothing at all. Throws
    // Conflict ("situation N changed: expected version E, found F; reload and retry") on a
    // version mismatch, and Conflict as well when another writer holds the lock past the timeout.
    StoredEvent append(const NewEvent& event, int64_t expectedSequence, const Projector& project);
    // Allocates the next situation id (highest in the log + 1, inside the transaction) and
    // appends its first event.
    StoredEvent appendNewSituation(NewEvent event, const Projector& project);
    // Appends to the network's own stream (networkStream) at its next sequence. The InTransaction
    // form is for a caller that already holds the write transaction (a migration).
    StoredEvent appendNetworkEvent(NewEvent event, const Projector& project);
    StoredEvent appendNetworkEventInTransaction(NewEvent event, const Projector& project);
    // append() for a caller that already holds the write transaction (a payment run records
    // several situations' events and its own in one transaction): no commit here.
    StoredEvent appendInOpenTransaction(const NewEvent& event, int64_t expectedSequence, const Projector& project);

    // A bulk load (bench_scale, an import): appends `events` in order inside the caller's open
    // write transaction exactly as appendInOpenTransaction would one after the other — each
    // situation's events continue its sequence in the order given, positions follow, each
    // previous_hash is the hash before it, each hash is computeEventHash — but reads the head of
    // the log once and each situation's last sequence once instead of per event: under the
    // caller's write lock no other writer can move them. `project` is called after each event's
    // insert, in order, as append calls it. `clock` gives each event's recorded_at (the system
    // clock, as append uses, when empty; a replayed clock is for importing a log recorded
    // elsewhere, and for checking that both paths give one chain). Returns the stored events;
    // if anything throws, the caller rolls its transaction back and nothing is stored.
    std::vector<StoredEvent> appendBulkInOpenTransaction(const std::vector<NewEvent>& events, const Projector& project,
                                                         const std::function<std::string()>& clock = {});

    std::vector<StoredEvent> events(int64_t situationId) const; // in sequence order; empty if none
    std::vector<StoredEvent> allEvents() const;                 // in position order
    // Streams the log in position order from one consistent snapshot, without holding it all.
    void forEachEvent(const std::function<void(const StoredEvent&)>& visit) const;
    // The situations' events (not the network's stream) in position order, their text read in
    // place: what a reader that looks at a few words of each payload needs (the committee
    // report at 100 000 situations), without a copy per event. The views live until `visit`
    // returns.
    struct EventGlance {
        int64_t situationId = 0;
        int64_t sequence = 0;
        std::string_view type;
        std::string_view recordedAt;
        std::string_view payload;
    };
    void forEachSituationEventGlance(const std::function<void(const EventGlance&)>& visit) const;
    int64_t lastSequence(int64_t situationId) const; // 0 when the situation has no events
    int64_t lastPosition() const;                    // 0 when the log is empty
    // The hash of the event at `position`, if the log still holds one there.
    std::optional<std::string> hashAt(int64_t position) const;

    // Walks the whole chain (recomputing every hash, checking every previous_hash link, every
    // position and each situation's sequence continuity), then runs PRAGMA integrity_check on
    // SQLite; on PostgreSQL it checks that chain_head names the newest event instead and notes
    // that the storage itself is checked by pg_amcheck (VerifyReport::notes).
    // Reports the first problem found; a broken file is reported, not thrown.
    VerifyReport verify() const;
    // The walk alone, without the integrity check (which reads every page and index of the file):
    // what verify() does first, in one pass over the log, hashing without per-event allocations.
    VerifyReport verifyChain() const;

    // Empties the projection tables and replays every event through `project`, in ONE
    // transaction: readers see either the old projections or the complete new ones.
    void rebuild(const Projector& project);

private:
    // The newest event's position and hash (0 and genesisHash for an empty log), which the next
    // append follows. On SQLite the caller's write transaction already excludes other writers;
    // on PostgreSQL this locks chain_head FOR UPDATE, so every later statement of the
    // transaction (the version check, the idempotency key, R18's sum) sees a settled log and
    // appenders on every server queue here. Re-locking within one transaction is free.
    struct Head {
        int64_t position = 0;
        std::string hash;
    };
    Head lockHead();
    // Inserts `stored` (every field set, hash included) with the reused INSERT statement.
    void insertRow(const StoredEvent& stored);
    StoredEvent appendInTransaction(const Head& head, const NewEvent& event, int64_t situationId, int64_t sequence,
                                    const Projector& project);

    // The statements of the append path, prepared on first use and kept: parsing them again for
    // every event costs more CPU than the rest of an append. Each use resets them before
    // returning, so no statement is left holding a read snapshot.
    Statement& reusable(std::optional<Statement>& slot, const char* sql) const;

    Database& db_;
    mutable std::optional<Statement> lastSequenceQuery_;
    mutable std::optional<Statement> newestQuery_;
    mutable std::optional<Statement> insert_;
};

} // namespace caseflow::store
