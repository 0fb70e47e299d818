// The record of every read of a situation over HTTP (stored by store::ReadLogStore, chained):
// who, when, what.
// Reads are recorded before the response leaves, durably, and a read that cannot be recorded
// is not served. To keep that affordable under load, one writer thread owns a connection and
// commits the records of all the requests waiting at that moment in one transaction (group
// commit: one fsync for many reads, and no request thread ever waits on SQLite's write lock
// for a log line). What must stay true: record() returns only once its rows are committed,
// and throws if they could not be; the writer drains what is queued before it stops.
#pragma once

#include "service/Principal.h"
#include "store/Database.h"
#include "store/ReadLogStore.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace caseflow::service {

class ReadLog {
public:
    // Opens its own connection to `database` (which must exist) and starts the writer.
    explicit ReadLog(const std::filesystem::path& database);
    ~ReadLog();
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
        std::promise<void> committed;
    };
    void run();
    void commit(std::vector<std::shared_ptr<Pending>>& batch);

    store::Database db_; // used by the writer thread only, once it has started
    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<std::shared_ptr<Pending>> queue_;
    bool stopping_ = false;
    std::atomic<std::uint64_t> commits_{0};
    std::atomic<std::uint64_t> reads_{0};
    std::atomic<std::uint64_t> largestBatch_{0};
    std::thread writer_;
};

} // namespace caseflow::service
