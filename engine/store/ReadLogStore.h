// The read log's storage (table read_log, migrations 3 and 4): one row per situation read, who
// read it (user and role), when, and what ("situation", "history", "document:care-plan", ...).
// What must stay true: rows are only ever appended, and chained like the event log: each row's
// previous_hash is the hash of the row before it (by id; 64 zeros for the first) and its hash
// covers all its fields, so editing or deleting a row, once the append-only triggers are
// dropped, is found by verify(). As with events, removing the newest rows leaves a shorter
// chain that still links up.
//
// Hash encoding, version 1: lowercase hex SHA-256 of the netstrings (see EventStore.cpp)
//     "caseflow-read-v1", id, read_at, user_name, role, situation_id, what, previous_hash
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace caseflow::store {

class Database;

struct ReadRecord {
    std::string readAt; // UTC ISO 8601
    std::string userName;
    std::string role;
    int64_t situationId = 0;
    std::string what;
};

struct StoredRead {
    int64_t id = 0;
    ReadRecord record;
    std::string previousHash;
    std::string hash;
};

std::string computeReadHash(const StoredRead& read);

// A row up to which the chain was found intact: the walk may go on from it, since rows are
// only ever appended after it. The empty checkpoint (id 0) is the chain's start.
struct ReadLogCheckpoint {
    int64_t id = 0;
    std::string hash; // the row's hash (the genesis hash at the start)
    int64_t rows = 0; // rows checked up to it, this one included
};

struct ReadLogCheck {
    bool intact = true;
    int64_t rowsChecked = 0; // from the chain's start, those the checkpoint vouched for included
    std::optional<int64_t> firstBrokenId;
    std::string problem;       // "read log row 7: hash mismatch"
    ReadLogCheckpoint reached; // the newest row found intact (when intact: the newest row)
};

// Which reads the coordinator's audit page asks for (issue 16); empty fields do not filter.
struct ReadFilter {
    std::optional<int64_t> situationId;
    std::string userName;
};

class ReadLogStore {
public:
    explicit ReadLogStore(Database& db);

    // Appends the rows, chained, inside the write transaction the caller holds (the service
    // commits the reads of many requests in one transaction).
    void appendInTransaction(const std::vector<ReadRecord>& rows);
    // Appends the rows in a transaction of its own: committed when it returns.
    void append(const std::vector<ReadRecord>& rows);

    std::vector<StoredRead> reads(int64_t situationId) const; // oldest first

    // The rows `filter` keeps, newest first (by id, the order they were written), `limit` of
    // them after skipping `offset`; and how many there are in all. Read-only.
    std::vector<StoredRead> newestReads(const ReadFilter& filter, int64_t limit, int64_t offset) const;
    int64_t countReads(const ReadFilter& filter) const;

    // Walks the chain and names the first row whose hash or link is wrong.
    ReadLogCheck verify() const;
    // The hash row `id` holds, if the log still holds that row (`verify --expect-read-head`).
    std::optional<std::string> hashOf(int64_t id) const;
    // The same walk from `from`, a checkpoint an earlier walk reached: the rows before it are
    // not read again, only its own row is (still there, with the same hash), so the cost is the
    // rows appended since. What a row before the checkpoint changed since is left to verify().
    ReadLogCheck verifyFrom(const ReadLogCheckpoint& from) const;

    // Gives every row its chain fields, in id order (migration 4, for rows written before the
    // read log was chained); the caller holds the transaction and has lifted the update trigger.
    static void chainExistingRows(Database& db);

private:
    Database& db_;
};

} // namespace caseflow::store
