// The vocabularies of the situation document (sectors, roles, outcomes, consent types...):
// each stored value ("mental-health") has an English label that is a msgid of the
// documents domain, with the vocabulary's name as message context. They live in
// templates/terms.xml, so template authors and translators see them next to the templates,
// and the message extractor finds them like any template text. Immutable once loaded.
#pragma once

#include "render/TemplateError.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace caseflow::render {

struct Term {
    std::string value;
    std::string label; // English msgid
    SourceLocation where;
};

class Terms {
public:
    Terms() = default;
    // Reads terms.xml; throws TemplateError naming file:line for a malformed entry.
    static Terms load(const std::filesystem::path& file, const std::string& displayName);

    bool hasVocabulary(const std::string& vocabulary) const { return vocabularies_.count(vocabulary) > 0; }
    // The English label of a value, nullptr when the vocabulary has no such value.
    const std::string* label(const std::string& vocabulary, const std::string& value) const;
    // Translated label; an unknown value is returned as it is (it is data, and escaped).
    std::string translated(const std::string& vocabulary, const std::string& value, const std::string& language) const;

    const std::map<std::string, std::vector<Term>>& vocabularies() const { return vocabularies_; }

private:
    std::map<std::string, std::vector<Term>> vocabularies_;
};

} // namespace caseflow::render
