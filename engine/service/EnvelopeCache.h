// The JSON of GET /api/v1/envelopes/{year}, kept for the next caller with the same key:
// (year, business day, language, position of the newest event, envelope amount, warning
// points). What must stay true:
// - every input of the answer is in the key: the stored figures (committed, paid) change only
//   through events (a decision, a payment, a settings change, from this process or another
//   one), and each event moves the newest position, so a body is never served after an event;
//   the day is the forecast's "as of"; the language is that of the money and the warning;
// - the caller reads the newest position before computing a body it stores, so a body is
//   never older than its key (at worst newer, and that key is unreachable once newer events
//   are visible);
// - memory is bounded: a few keys at most (years × languages × days), cleared when full.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace caseflow::service {

class EnvelopeCache {
public:
    using Body = std::shared_ptr<const std::string>;

    Body find(const std::string& key);
    void store(const std::string& key, Body body);

private:
    static constexpr std::size_t kMaxEntries = 64;
    std::mutex mutex_;
    std::unordered_map<std::string, Body> bodies_;
};

} // namespace caseflow::service
