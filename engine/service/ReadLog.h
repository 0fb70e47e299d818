// The record of every read of a situation over HTTP (stored by store::ReadLogStore, chained):
// who, when, what.
// Reads are recorded before the response leaves, durably, and a read that cannot be recorded
// is not served. To keep that affordable under load, the reads are group-committed by a
// leader: a request that finds no commit in progress commits, in one transaction on the read
// log's own connection, its rows and those of every request queued at that moment (one fsync
// for many reads); the requests that arrive meanwhile wait on a condition variable and the
// first of them to wake after that commit leads the next one with all of them. No thread is
// handed the work of another, so a read costs no thread switch beyond the wait for its commit.
// What must stay true: record() returns only once its rows are committed, and throws if they
// could not be; one commit at a time uses the connection.
#pragma once

#include "service/Principal.h"
#include "store/Database.h"
#include "store/ReadLogStore.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace caseflow::service {

class ReadLog {
public:
    // Opens its own connection to `database` (which must exist).
    explicit ReadLog(const std::filesystem::path& database);
    ReadLog(const ReadLog&) = delete;
    ReadLog& operator=(const ReadLog&) = delete;

    // Records that `principal` read `situationIds` (what: "situation", "list", "history",
    // "document:NAME", ...). Blocks until committed; throws what the commit threw.
    void record(const Principal& principal, const std::vector<std::int64_t>& situationIds, const std::string& what);

    // How well the group commit batches: commits made, reads they held, the largest batch.
    struct Stats {
        std::uint64_t commits = 0;
        std::uint64_t reads = 0;
        std::uint64_t largestBatch = 0;
    };
    Stats stats() const;

private:
    struct Pending {
        std::vector<store::ReadRecord> rows;
        bool done = false;
        std::exception_ptr failure;
    };
    // Commits the batch's rows in one transaction; sets each one's failure if that failed.
    void commit(const std::vector<Pending*>& batch);

    store::Database db_; // used by the leader of the commit in progress only
    std::mutex mutex_;
    std::condition_variable committed_;
    std::vector<Pending*> queue_; // waiting for the next commit
    bool leading_ = false;        // a commit is in progress
    std::atomic<std::uint64_t> commits_{0};
    std::atomic<std::uint64_t> reads_{0};
    std::atomic<std::uint64_t> largestBatch_{0};
};

} // namespace caseflow::service
