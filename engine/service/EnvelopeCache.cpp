// The envelope's answers by key (see EnvelopeCache.h).
#include "service/EnvelopeCache.h"

namespace caseflow::service {

EnvelopeCache::Body EnvelopeCache::find(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = bodies_.find(key);
    return found == bodies_.end() ? nullptr : found->second;
}

void EnvelopeCache::store(const std::string& key, Body body) {
    std::lock_guard<std::mutex> lock(mutex_);
    // Old keys (an earlier event, yesterday) are never asked for again: start afresh when full.
    if (bodies_.size() >= kMaxEntries) bodies_.clear();
    bodies_[key] = std::move(body);
}

} // namespace caseflow::service
