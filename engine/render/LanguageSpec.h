// The language of a document, a rendering parameter: "fr", "nl", or bilingual "fr+nl" /
// "nl+fr". What must stay true: in a bilingual document every translated text appears in
// both languages, first language first, and every formatted value (dates, amounts) in both
// too, each language formatting its own block.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace caseflow::render {

// The languages templates are translated into, in catalog order; a language's index is its
// position here (pre-translated messages are stored by that index). Documents are written in
// French and Dutch only; English (the msgids) serves the web application's pages.
const std::vector<std::string>& documentLanguages();
int languageIndex(const std::string& language); // -1 when not a document language

class LanguageSpec {
public:
    LanguageSpec() : LanguageSpec({"fr"}) {}
    // Accepts "fr", "nl", "fr+nl", "nl+fr"; throws UsageError listing the valid values.
    static LanguageSpec parse(std::string_view text);
    // One language of the web application's pages: fr, nl or en; throws UsageError otherwise.
    static LanguageSpec page(const std::string& language);

    const std::vector<std::string>& languages() const { return languages_; }
    const std::string& first() const { return languages_.front(); }
    bool bilingual() const { return languages_.size() > 1; }
    std::string name() const; // "fr+nl"

private:
    explicit LanguageSpec(std::vector<std::string> languages) : languages_(std::move(languages)) {}
    std::vector<std::string> languages_;
};

// The valid values of the language parameter, for messages and the CLI's help.
const std::vector<std::string>& languageParameters();

} // namespace caseflow::render
