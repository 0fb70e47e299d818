// The shared vocabulary of the template language. What must stay true: a function listed
// as translating really returns translated text, or bilingual documents would repeat data.
#include "render/TemplateSyntax.h"

#include <algorithm>
#include <array>

namespace caseflow::render {

const std::vector<std::string>& globalVariables() {
    static const std::vector<std::string> names = {"situation", "network", "record",   "envelope", "signatures",
                                                   "subject",   "today",   "document", "item",     "lang"};
    return names;
}

const std::vector<std::string>& loopVariables() {
    static const std::vector<std::string> names = {"index", "first", "last", "count"};
    return names;
}

const std::vector<std::string>& translatingFunctions() {
    static const std::vector<std::string> names = {
        "cf:t",           "cf:tc", "cf:plural", "cf:term", "cf:category-name", "cf:state-name", "cf:expense-category",
        "cf:network-name"};
    return names;
}

const std::vector<std::string>& formattingFunctions() {
    static const std::vector<std::string> names = {"cf:format-date", "cf:format-datetime", "cf:format-money",
                                                   "cf:format-number"};
    return names;
}

bool isVoidElement(const std::string& name) {
    static const std::array<const char*, 14> names = {"area",  "base", "br",   "col",   "embed",  "hr",    "img",
                                                      "input", "link", "meta", "param", "source", "track", "wbr"};
    return std::any_of(names.begin(), names.end(), [&](const char* voidName) { return name == voidName; });
}

} // namespace caseflow::render
