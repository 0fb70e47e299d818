// The LRU cache of situation views (see ViewCache.h for what must stay true).
#include "service/ViewCache.h"

namespace caseflow::service {

std::string ViewKey::text() const {
    return std::to_string(situationId) + '/' + std::to_string(version) + '/' + std::to_string(static_cast<int>(view)) +
           '/' + day;
}

ViewCache::Body ViewCache::find(const ViewKey& key) {
    const std::string text = key.text();
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = index_.find(text);
    if (found == index_.end()) {
        ++misses_;
        return nullptr;
    }
    ++hits_;
    order_.splice(order_.begin(), order_, found->second);
    return found->second->body;
}

void ViewCache::store(const ViewKey& key, Body body) {
    if (!body || body->size() > maxBytes_ / 4) return; // one body never takes most of the room
    std::string text = key.text();
    std::lock_guard<std::mutex> lock(mutex_);
    if (const auto found = index_.find(text); found != index_.end()) {
        bytes_ -= found->second->body->size();
        order_.erase(found->second);
        index_.erase(found);
    }
    bytes_ += body->size();
    order_.push_front({text, std::move(body)});
    index_.emplace(std::move(text), order_.begin());
    while (bytes_ > maxBytes_ && !order_.empty()) {
        bytes_ -= order_.back().body->size();
        index_.erase(order_.back().key);
        order_.pop_back();
    }
}

ViewCache::Stats ViewCache::stats() {
    std::lock_guard<std::mutex> lock(mutex_);
    return {hits_, misses_, index_.size(), bytes_};
}

} // namespace caseflow::service
