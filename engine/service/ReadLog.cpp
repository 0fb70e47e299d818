// Group-committed read log (see ReadLog.h).
#include "service/ReadLog.h"

#include "model/Date.h"
#include "store/ReadLogStore.h"

namespace caseflow::service {

ReadLog::ReadLog(const std::filesystem::path& database)
    : db_(store::Database::open(database, store::OpenMode::MustExist)) {}

void ReadLog::record(const Principal& principal, const std::vector<std::int64_t>& situationIds,
                     const std::string& what) {
    if (situationIds.empty()) return;
    Pending mine;
    const std::string now = utcNowIso();
    mine.rows.reserve(situationIds.size());
    for (const auto id : situationIds) mine.rows.push_back({now, principal.name, principal.role, id, what});
    std::unique_lock<std::mutex> lock(mutex_);
    queue_.push_back(&mine);
    while (!mine.done) {
        if (leading_) {
            committed_.wait(lock);
            continue;
        }
        // No commit in progress: this request commits everything queued, its own rows included.
        leading_ = true;
        std::vector<Pending*> batch;
        batch.swap(queue_);
        lock.unlock();
        commit(batch);
        lock.lock();
        for (Pending* pending : batch) pending->done = true;
        leading_ = false;
        committed_.notify_all(); // the batch's requests return; one of the others leads next
    }
    if (mine.failure) std::rethrow_exception(mine.failure);
}

ReadLog::Stats ReadLog::stats() const {
    return {commits_.load(), reads_.load(), largestBatch_.load()};
}

void ReadLog::commit(const std::vector<Pending*>& batch) {
    try {
        std::vector<store::ReadRecord> rows;
        for (const Pending* pending : batch) rows.insert(rows.end(), pending->rows.begin(), pending->rows.end());
        store::ReadLogStore(db_).append(rows);
        commits_ += 1;
        reads_ += batch.size();
        if (batch.size() > largestBatch_) largestBatch_ = batch.size();
    } catch (...) {
        for (Pending* pending : batch) pending->failure = std::current_exception();
    }
}

} // namespace caseflow::service
