// The stored documents of the situations one FundingProcess fired on lately, each parsed once:
// an event reads its situation's document for the guards (the candidate and the document
// before), then again in the projection; all three start from this one parse.
// What must stay true: an entry is found only by the exact text it was parsed from (never by a
// version number alone, so a rebuilt or edited row cannot meet an old tree); what it hands out
// is read-only, and whoever changes a situation changes a copy() of it, so a refused event
// leaves no trace; it belongs to one FundingProcess, and so to one thread at a time, like the
// process's connection.
#pragma once

#include "model/Situation.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>

namespace caseflow {

class ParsedSituations {
public:
    // The parsed form of `document`, the stored text of situation `id`: parsed now unless the
    // last text seen for `id` is the same. Valid until a later call parses `id` again or evicts it.
    const Situation& parsed(std::int64_t id, const std::string& document) {
        const auto found = entries_.find(id);
        if (found != entries_.end() && found->second.text == document) return found->second.situation;
        if (found != entries_.end()) entries_.erase(found);
        std::erase(order_, id);
        if (entries_.size() >= kCapacity) {
            entries_.erase(order_.front());
            order_.pop_front();
        }
        order_.push_back(id);
        return entries_.emplace(id, Entry{document, Situation::fromStored(document)}).first->second.situation;
    }

    static constexpr std::size_t kCapacity = 32;

private:
    struct Entry {
        std::string text;
        Situation situation;
    };
    std::map<std::int64_t, Entry> entries_;
    std::deque<std::int64_t> order_; // oldest first
};

} // namespace caseflow
