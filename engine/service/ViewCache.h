// The JSON a caller receives for one situation, kept for the next caller with the same key:
// (situation id, version, role view, business day). What must stay true:
// - a body is only ever served for the key it was built for: the view is in the key, so the
//   coordinator's full view (clinical text) can never answer finance or the committee (R19);
// - the version is in the key, so an event (which makes a new version) makes the old bodies
//   unreachable: they are never served again and age out of the LRU;
// - the business day is in the key, because the full view's attention flags are ages on
//   that day; nothing else a view shows depends on the caller (not even the language:
//   situation views carry no translated text), nor on anything but the stored situation;
// - memory is bounded: the bodies' bytes stay under the cap (least recently used first out).
// The caller still checks the caller's right to the situation and records the read: the cache
// only saves building the body.
#pragma once

#include "process/Authorisation.h"

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace caseflow::service {

struct ViewKey {
    std::int64_t situationId = 0;
    std::int64_t version = 0;
    View view = View::Committee;
    std::string day; // YYYY-MM-DD, the business day the body was built on

    std::string text() const;
};

class ViewCache {
public:
    explicit ViewCache(std::size_t maxBytes) : maxBytes_(maxBytes) {}

    using Body = std::shared_ptr<const std::string>;
    Body find(const ViewKey& key);
    void store(const ViewKey& key, Body body);

    struct Stats {
        std::uint64_t hits = 0;
        std::uint64_t misses = 0;
        std::size_t entries = 0;
        std::size_t bytes = 0;
    };
    Stats stats();

private:
    struct Entry {
        std::string key;
        Body body;
    };
    const std::size_t maxBytes_;
    std::mutex mutex_;
    std::list<Entry> order_; // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
    std::size_t bytes_ = 0;
    std::uint64_t hits_ = 0;
    std::uint64_t misses_ = 0;
};

} // namespace caseflow::service
