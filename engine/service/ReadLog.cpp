// Group-committed read log (see ReadLog.h).
#include "service/ReadLog.h"

#include "model/Date.h"
#include "store/ReadLogStore.h"

namespace caseflow::service {

ReadLog::ReadLog(const std::filesystem::path& database)
    : db_(store::Database::open(database, store::OpenMode::MustExist)), writer_([this] { run(); }) {}

ReadLog::~ReadLog() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    writer_.join();
}

void ReadLog::record(const Principal& principal, const std::vector<std::int64_t>& situationIds,
                     const std::string& what) {
    if (situationIds.empty()) return;
    auto pending = std::make_shared<Pending>();
    const std::string now = utcNowIso();
    for (const auto id : situationIds) pending->rows.push_back({now, principal.name, principal.role, id, what});
    auto committed = pending->committed.get_future();
    {
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.push_back(pending);
    }
    wake_.notify_one();
    committed.get(); // rethrows the writer's failure
}

ReadLog::Stats ReadLog::stats() const {
    return {commits_.load(), reads_.load(), largestBatch_.load()};
}

void ReadLog::run() {
    for (;;) {
        std::vector<std::shared_ptr<Pending>> batch;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return; // stopping, and nothing left to write
            batch.swap(queue_);
        }
        commit(batch);
    }
}

void ReadLog::commit(std::vector<std::shared_ptr<Pending>>& batch) {
    try {
        std::vector<store::ReadRecord> rows;
        for (const auto& pending : batch) rows.insert(rows.end(), pending->rows.begin(), pending->rows.end());
        store::ReadLogStore(db_).append(rows);
        commits_ += 1;
        reads_ += batch.size();
        if (batch.size() > largestBatch_) largestBatch_ = batch.size();
    } catch (...) {
        for (auto& pending : batch) pending->committed.set_exception(std::current_exception());
        return;
    }
    for (auto& pending : batch) pending->committed.set_value();
}

} // namespace caseflow::service
