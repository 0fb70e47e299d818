// Group-committed read log (see ReadLog.h).
#include "service/ReadLog.h"

#include "model/Date.h"
#include "store/ReadLogStore.h"

#include <algorithm>

namespace caseflow::service {

ReadLog::ReadLog(const std::filesystem::path& database)
    : db_(store::Database::open(database, store::OpenMode::MustExist)) {}

void ReadLog::record(const Principal& principal, const std::vector<std::int64_t>& situationIds,
                     const std::string& what) {
    if (situationIds.empty()) return;
    // Shared with the leader of its commit, which wakes it after letting the mutex go: the
    // waiter may be gone by then, its condition variable may not.
    const auto shared = std::make_shared<Pending>();
    Pending& mine = *shared;
    const std::string now = utcNowIso();
    mine.rows.reserve(situationIds.size());
    for (const auto id : situationIds) mine.rows.push_back({now, principal.name, principal.role, id, what});
    std::unique_lock<std::mutex> lock(mutex_);
    queue_.push_back(shared);
    if (gathering_ && queue_.size() >= gatherTarget_) gathered_.notify_one();
    if (leading_) {
        // Woken only when its rows are committed or when it is handed the lead: never by a
        // commit it had no part in.
        mine.wake.wait(lock, [&] { return mine.done || mine.leads; });
    } else {
        leading_ = true;
        mine.leads = true;
    }
    if (!mine.done) {
        // This request commits everything queued, its own rows included (it is still queued:
        // the lead is handed to the oldest request of the queue, and a batch takes all of it).
        // Under concurrency the requests answered by the last commit are on their way back:
        // waiting a little for them lets one fsync serve them too, instead of the clients
        // splitting into two halves that take turns, each with a commit of its own.
        gatherTarget_ = recentPeak_;
        if (queue_.size() < gatherTarget_ && gatherTarget_ > 1) {
            gathering_ = true;
            gathered_.wait_for(lock, kGather, [&] { return queue_.size() >= gatherTarget_; });
            gathering_ = false;
        }
        std::vector<std::shared_ptr<Pending>> batch;
        batch.swap(queue_);
        // The peak forgets slowly, so that fewer clients soon stop being waited for.
        recentPeak_ = std::max(batch.size(), recentPeak_ > 1 ? recentPeak_ - 1 : 1);
        lock.unlock();
        commit(batch);
        lock.lock();
        for (const auto& pending : batch) pending->done = true;
        // The requests that came during the commit: the oldest leads the next one, at once.
        std::shared_ptr<Pending> next;
        if (queue_.empty())
            leading_ = false;
        else
            (next = queue_.front())->leads = true;
        lock.unlock();
        // Woken with the mutex free, so that they do not wake only to wait for it.
        if (next) next->wake.notify_one();
        for (const auto& pending : batch)
            if (pending.get() != &mine) pending->wake.notify_one();
    } else {
        lock.unlock();
    }
    if (mine.failure) std::rethrow_exception(mine.failure);
}

ReadLog::Stats ReadLog::stats() const {
    return {commits_.load(), reads_.load(), largestBatch_.load()};
}

void ReadLog::commit(const std::vector<std::shared_ptr<Pending>>& batch) {
    try {
        std::vector<store::ReadRecord> rows;
        for (const auto& pending : batch) rows.insert(rows.end(), pending->rows.begin(), pending->rows.end());
        store::ReadLogStore(db_).append(rows);
        commits_ += 1;
        reads_ += batch.size();
        if (batch.size() > largestBatch_) largestBatch_ = batch.size();
    } catch (...) {
        for (const auto& pending : batch) pending->failure = std::current_exception();
    }
}

} // namespace caseflow::service
