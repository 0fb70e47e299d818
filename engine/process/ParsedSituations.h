// The stored documents of the situations one FundingProcess fired on lately, each parsed once:
// an event reads its situation's document for the guards (the candidate and the document
// before), then again in the projection; all three start from this one parse. The projection
// hands back the tree it has just stored (remember), so the next event starts from it without
// parsing the text it was serialised to.
// What must stay true: an entry is found only by the exact text it stands for (never by a
// version number alone, so a rebuilt or edited row cannot meet an old tree), and its tree is
// the one a parse of that text gives, node for node, but for the line numbers libxml2 records
// (which only schema messages cite: the firing path re-validates a fresh parse to word them);
// what it hands out is read-only, and whoever changes a situation changes a copy() of it or a
// tree it took (no longer kept), so a refused event leaves no trace; it belongs to one
// FundingProcess, and so to one thread at a time, like the process's connection.
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

    // The parsed form of `document` for a caller that will change it: the kept tree itself when
    // it stands for that text (no copy), which is then kept no longer, or a parse now. Whatever
    // the caller does to it, the next call for `id` parses the stored text again, unless the
    // projection remembers the tree it stored.
    Situation take(std::int64_t id, const std::string& document) {
        const auto found = entries_.find(id);
        if (found == entries_.end()) return Situation::fromStored(document);
        std::erase(order_, id);
        if (found->second.text != document) {
            entries_.erase(found);
            return Situation::fromStored(document);
        }
        Situation situation = std::move(found->second.situation);
        entries_.erase(found);
        return situation;
    }

    // Keeps `situation`, whose serialisation is `document`, as the parsed form of that text
    // for situation `id`. A tree a parse could not give (two text nodes side by side, an empty
    // one, blanks beside an element, a CDATA section: what editing a tree can leave and a parse
    // merges or drops) is not kept: the next event parses the text instead.
    void remember(std::int64_t id, std::string document, Situation situation) {
        const auto found = entries_.find(id);
        if (found != entries_.end()) entries_.erase(found);
        std::erase(order_, id);
        if (!asParsed(xml::root(situation.document()))) return;
        if (entries_.size() >= kCapacity) {
            entries_.erase(order_.front());
            order_.pop_front();
        }
        order_.push_back(id);
        entries_.emplace(id, Entry{std::move(document), std::move(situation)});
    }

    // True when the subtree of `node` holds only what libxml2's parser builds from the text it
    // serialises to: no text node empty or next to another text node, no CDATA, no entity, and
    // no blank text but as an element's only child (xml::parseString drops blanks, keeping
    // them only where its heuristic sees text content: stricter than needed, never looser).
    static bool asParsed(const xmlNode* node) {
        bool previousText = false;
        for (const xmlNode* child = node ? node->children : nullptr; child; child = child->next) {
            switch (child->type) {
            case XML_TEXT_NODE:
                if (previousText || !child->content || !*child->content) return false;
                if (xmlIsBlankNode(child) && (child->prev || child->next)) return false;
                previousText = true;
                continue;
            case XML_ELEMENT_NODE:
                if (!asParsed(child)) return false;
                break;
            case XML_COMMENT_NODE:
            case XML_PI_NODE:
                break;
            default:
                return false;
            }
            previousText = false;
        }
        return true;
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
