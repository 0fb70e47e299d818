// The record of every read of a situation over HTTP (stored by store::ReadLogStore, chained):
// who, when, what.
// Reads are recorded before the response leaves, durably, and a read that cannot be recorded
// is not served. To keep that affordable under load, the reads are group-committed by a
// leader: a request that finds no commit in progress commits, in one transaction on the read
// log's own connection, its rows and those of every request queued at that moment (one fsync
// for many reads); the requests that arrive meanwhile wait, each on its own condition
// variable, and the oldest of them is handed the lead when that commit ends and commits all of
// them. No thread is handed the work of another, and a commit wakes only the requests it
// answered and the next leader, so a read costs no thread switch beyond the wait for its commit.
// What must stay true: record() returns only once its rows are committed, and throws if they
// could not be; one commit at a time uses the connection.
#pragma once

#include "service/Principal.h"
#include "store/Database.h"
#include "store/ReadLogStore.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
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
        bool done = false;  // its rows are committed (or failed)
        bool leads = false; // it commits the queue (set under the mutex)
        std::exception_ptr failure;
        // Each request waits on its own: a commit wakes its batch and the next leader only,
        // not every waiting request to find most of them still queued.
        std::condition_variable wake;
    };
    // Commits the batch's rows in one transaction; sets each one's failure if that failed.
    void commit(const std::vector<std::shared_ptr<Pending>>& batch);

    store::Database db_; // used by the leader of the commit in progress only
    std::mutex mutex_;
    std::vector<std::shared_ptr<Pending>> queue_; // waiting for the next commit
    bool leading_ = false;                        // a commit is in progress
    // How long a leader waits for more requests before committing, and for how many: the
    // largest batch of late (a slowly forgetting peak), the clients in flight.
    static constexpr std::chrono::microseconds kGather{400};
    std::size_t recentPeak_ = 1;
    std::size_t gatherTarget_ = 1;
    bool gathering_ = false;
    std::condition_variable gathered_;
    std::atomic<std::uint64_t> commits_{0};
    std::atomic<std::uint64_t> reads_{0};
    std::atomic<std::uint64_t> largestBatch_{0};
};

} // namespace caseflow::service
