// Parsing of the language parameter. What must stay true: an unknown value is refused with
// the list of valid ones; a language never appears twice in one document.
#include "render/LanguageSpec.h"

#include "core/Errors.h"

namespace caseflow::render {

const std::vector<std::string>& documentLanguages() {
    static const std::vector<std::string> languages = {"fr", "nl", "en"};
    return languages;
}

int languageIndex(const std::string& language) {
    const auto& languages = documentLanguages();
    for (std::size_t i = 0; i < languages.size(); ++i)
        if (languages[i] == language) return static_cast<int>(i);
    return -1;
}

const std::vector<std::string>& languageParameters() {
    static const std::vector<std::string> parameters = {"fr", "nl", "fr+nl", "nl+fr"};
    return parameters;
}

LanguageSpec LanguageSpec::parse(std::string_view text) {
    std::vector<std::string> languages;
    std::size_t start = 0;
    bool valid = !text.empty();
    while (valid && start <= text.size()) {
        const std::size_t plus = std::min(text.find('+', start), text.size());
        const std::string part(text.substr(start, plus - start));
        valid = part != "en" && languageIndex(part) >= 0; // documents: fr and nl only
        for (const auto& seen : languages) valid = valid && seen != part;
        languages.push_back(part);
        start = plus + 1;
    }
    if (!valid) {
        std::string list;
        for (const auto& parameter : languageParameters()) list += (list.empty() ? "" : ", ") + parameter;
        throw UsageError("unknown document language '" + std::string(text) + "'; languages are: " + list);
    }
    return LanguageSpec(std::move(languages));
}

LanguageSpec LanguageSpec::page(const std::string& language) {
    if (languageIndex(language) < 0)
        throw UsageError("unknown page language '" + language + "'; languages are: fr, nl, en");
    return LanguageSpec({language});
}

std::string LanguageSpec::name() const {
    std::string joined;
    for (const auto& language : languages_) joined += (joined.empty() ? "" : "+") + language;
    return joined;
}

} // namespace caseflow::render
