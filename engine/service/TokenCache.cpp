// The process-wide token cache (see TokenCache.h for what must stay true).
#include "service/TokenCache.h"

namespace caseflow::service {

TokenCache& TokenCache::instance() {
    static TokenCache cache;
    return cache;
}

std::optional<Principal> TokenCache::find(const std::string& key, const std::string& nowUtc,
                                          Clock::duration timeToLive) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = entries_.find(key);
    if (found == entries_.end()) return std::nullopt;
    const Entry& entry = found->second;
    if (Clock::now() - entry.loadedAt >= timeToLive || (entry.expiresAt && *entry.expiresAt <= nowUtc)) {
        entries_.erase(found);
        return std::nullopt;
    }
    return entry.principal;
}

std::uint64_t TokenCache::generation() {
    std::lock_guard<std::mutex> lock(mutex_);
    return generation_;
}

void TokenCache::store(const std::string& key, Entry entry, std::uint64_t readUnder) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (readUnder != generation_) return;
    if (entries_.size() >= kMaxEntries) entries_.clear();
    entries_.insert_or_assign(key, std::move(entry));
}

void TokenCache::invalidate() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++generation_;
    entries_.clear();
}

std::size_t TokenCache::size() {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_.size();
}

} // namespace caseflow::service
