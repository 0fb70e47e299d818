// The append-only, hash-chained event log on PostgreSQL: a prototype proving the design of the
// second backend (docs/postgresql.md), which the next round folds into store/EventStore behind
// one Database/Statement. It keeps every promise of store/EventStore.h, across any number of
// connections and servers on one database:
//  - one global chain with a total order: an append locks the one row of chain_head (SELECT ...
//    FOR UPDATE) before reading the newest position and hash, so appenders queue and each gets
//    the next position, gap-free (never from a sequence, which leaves gaps on rollback); a
//    trigger refuses an event whose position or previous_hash does not follow the head, and
//    moves the head, in the same transaction;
//  - per situation, sequences 1, 2, 3...: the expected version is checked under that lock, and
//    UNIQUE (situation_id, sequence) refuses a duplicate whatever a writer does;
//  - an idempotency key is stored in the transaction of its event, UNIQUE, claimed with
//    INSERT ... ON CONFLICT DO NOTHING: a second append with the same key stores nothing and
//    answers the first one's event;
//  - append-only by the database itself: the application role has no UPDATE, DELETE or TRUNCATE
//    privilege on events, and triggers refuse those even to the owner;
//  - an event's hash is store::computeEventHash's, so a log copied between backends verifies alike.
// Projections are not part of the prototype: the projectors take a store::Database today.
#pragma once

#include "store/EventStore.h"

#include <cstdint>
#include <string>
#include <vector>

namespace caseflow::store::postgres {

class PgConnection;

// Creates the log's tables, triggers and grants in the connection's current schema; run by the
// role that owns the schema (caseflow_owner), in one transaction. `appRole` is the role the
// application connects as: it gets SELECT and INSERT on the log, nothing more.
void createEventLogSchema(PgConnection& owner, const std::string& appRole);

// What appendOnce did: stored a new event, or found the key already used and stored nothing.
struct IdempotentAppend {
    StoredEvent event;
    bool replayed = false; // true: `event` is the one the key's first use stored
};

class PgEventLog {
public:
    explicit PgEventLog(PgConnection& connection);

    // Appends iff the situation's last sequence equals expectedSequence, in a transaction of its
    // own. Throws Conflict ("situation N changed: expected version E, found F; reload and retry")
    // when another writer got there first.
    StoredEvent append(const NewEvent& event, int64_t expectedSequence);
    // The same inside a transaction the caller holds (PgTransaction, READ COMMITTED): no commit.
    StoredEvent appendInOpenTransaction(const NewEvent& event, int64_t expectedSequence);
    // Allocates the next situation id under the chain's lock and appends its first event.
    StoredEvent appendNewSituation(NewEvent event);
    // append() under an idempotency key: the first use stores the event and the key together;
    // any later use (from any connection) stores nothing and returns the first use's event.
    // A key used by another user or for another situation is refused (UsageError).
    IdempotentAppend appendOnce(const std::string& key, const NewEvent& event, int64_t expectedSequence);

    std::vector<StoredEvent> events(int64_t situationId);
    std::vector<StoredEvent> allEvents(); // in position order
    int64_t lastSequence(int64_t situationId);

    // Walks the chain as EventStore::verify does (positions, hashes, links, sequences) and checks
    // that chain_head names the newest event.
    VerifyReport verify();

private:
    // Locks the chain head; returns the position and hash of the newest event.
    std::pair<int64_t, std::string> lockHead();
    StoredEvent insertAfter(const std::pair<int64_t, std::string>& head, const NewEvent& event, int64_t sequence);
    void checkExpected(const NewEvent& event, int64_t expectedSequence);

    PgConnection& connection_;
};

} // namespace caseflow::store::postgres
