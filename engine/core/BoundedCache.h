// A process-wide memo of values computed from a text key: bounded (the least recently used
// entry goes first), safe to share between threads (one mutex around every access), and
// handing out copies, never references into the cache, so no caller ever sees a value
// another thread is replacing. What must stay true: a key names everything the value was
// computed from (the cache cannot tell a stale value from a fresh one); values must be
// cheap to copy (share immutable parts) because every hit returns a copy.
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace caseflow {

template <class Value> class BoundedCache {
public:
    explicit BoundedCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}
    BoundedCache(const BoundedCache&) = delete;
    BoundedCache& operator=(const BoundedCache&) = delete;

    std::optional<Value> find(const std::string& key) {
        const std::lock_guard<std::mutex> lock(mutex_);
        const auto found = index_.find(key);
        if (found == index_.end()) return std::nullopt;
        entries_.splice(entries_.begin(), entries_, found->second);
        return found->second->second;
    }

    void put(const std::string& key, Value value) {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (const auto found = index_.find(key); found != index_.end()) {
            found->second->second = std::move(value);
            entries_.splice(entries_.begin(), entries_, found->second);
            return;
        }
        entries_.emplace_front(key, std::move(value));
        index_.emplace(key, entries_.begin());
        while (entries_.size() > capacity_) {
            index_.erase(entries_.back().first);
            entries_.pop_back();
        }
    }

    std::size_t size() const {
        const std::lock_guard<std::mutex> lock(mutex_);
        return entries_.size();
    }

    void clear() {
        const std::lock_guard<std::mutex> lock(mutex_);
        index_.clear();
        entries_.clear();
    }

private:
    using Entry = std::pair<std::string, Value>;
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::list<Entry> entries_; // most recently used first
    std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
};

} // namespace caseflow
