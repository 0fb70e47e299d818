// Moving a network from one database to another (`caseflow migrate --to`, issue 18): the copy
// of a caseflow database onto a new one, SQLite or PostgreSQL either way, and the proof that the
// copy is faithful. What must stay true:
//  - the source is only read, inside one read snapshot (SourceSnapshot), so a server writing
//    meanwhile cannot cut the copy in two, and the proof compares against that same snapshot;
//  - the destination receives everything in ONE transaction: an interrupted copy (error, Ctrl-C,
//    SIGKILL) leaves it without caseflow data, and running the copy again works;
//  - events are inserted one by one in position order with every field unchanged (position,
//    situation, sequence, type, actor, recorded_at, payload, previous_hash, hash): the chain is the
//    proof, and on PostgreSQL the destination's trigger checks each link as it goes in;
//  - projections are never copied: they are rebuilt on the destination from its own events, by
//    the projector the caller gives (the engine's replay), in the same transaction;
//  - every other table is copied row for row (copiedTables()); the web application's sessions are
//    not (tablesNotCopied(): people sign in again on the new database). A migration that adds a
//    table must put it in one of the lists: tests/migrate_command_test.cpp checks the schema.
#pragma once

#include "store/EventStore.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace caseflow::store {

class Database;

// The tables copied row for row, in the order they are inserted (a table after those it refers
// to); the event log is copied between the tables before "events" and those after it.
const std::vector<std::string>& copiedTables();
// The columns copied of one of those tables (every column the current schema gives it).
std::vector<std::string> copiedColumns(const std::string& table);
// The tables of the schema that are deliberately not copied, each with why.
struct SkippedTable {
    std::string name;
    std::string why;
};
const std::vector<SkippedTable>& tablesNotCopied();

// The tables of `db` holding caseflow data (events, projections, copied tables), each as
// "events (12 rows)": empty when `db` may receive a copy.
std::vector<std::string> caseflowDataIn(Database& db);

// A read transaction on the source for the copy and its proof, as a scope: SQLite's snapshot is
// pinned by the first read (done here); PostgreSQL's is REPEATABLE READ READ ONLY. Ended (never
// committing anything: nothing was written) when the scope ends.
class SourceSnapshot {
public:
    explicit SourceSnapshot(Database& source);
    ~SourceSnapshot();
    SourceSnapshot(const SourceSnapshot&) = delete;
    SourceSnapshot& operator=(const SourceSnapshot&) = delete;

private:
    Database& source_;
};

struct CopyProgress {
    int64_t eventsCopied = 0;
    int64_t eventsTotal = 0;
    double seconds = 0; // since the copy began
};

struct CopySummary {
    int64_t events = 0;
    int64_t headPosition = 0;
    std::string headHash;
    int64_t rows = 0; // rows of the copied tables
    double seconds = 0;
};

// Copies `source` (inside a SourceSnapshot the caller holds) into `destination` (migrated to the
// current schema and empty of caseflow data: checked again here, inside the transaction), calling
// `project` after each event's insert, and `progress` about every `progressEvery`. Commits once,
// at the end; on any exception nothing is left in the destination.
CopySummary copyDatabase(Database& source, Database& destination, const Projector& project,
                         const std::function<void(const CopyProgress&)>& progress,
                         std::chrono::milliseconds progressEvery = std::chrono::seconds(2));

// The event log's totals on one side: count, newest position and its hash.
struct LogHead {
    int64_t events = 0;
    int64_t position = 0;
    std::string hash;
};
LogHead logHead(Database& db);

// Each copied table's rows, compared as text in primary-key order on both sides: the first
// difference as one line ("users name=ada, column role: source 'x', destination 'y'"), and the
// number of rows compared.
struct TableComparison {
    int64_t tables = 0;
    int64_t rows = 0;
    std::optional<std::string> firstDifference;
};
TableComparison compareCopiedTables(Database& source, Database& destination);

} // namespace caseflow::store
