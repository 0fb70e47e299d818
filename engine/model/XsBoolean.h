// The one reading of a boolean in caseflow's data (situations, network settings, event data):
// XML Schema's xs:boolean, whose lexical forms are "true" and "1" (true) and "false" and "0"
// (false), surrounding white space collapsed. What must stay true: the workflow's guards
// (cf:is-true, cf:is-false), the templates (same functions) and C++ all read a flag through
// this, so `declared="1"` can never pass in one place and fail in another.
#pragma once

#include <optional>
#include <string_view>

namespace caseflow {

// The value of an xs:boolean, or nullopt when `text` is none of its lexical forms.
inline std::optional<bool> parseXsBoolean(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return std::nullopt;
    text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
    if (text == "true" || text == "1") return true;
    if (text == "false" || text == "0") return false;
    return std::nullopt;
}

// True only for "true" and "1": an absent or malformed flag is not a yes.
inline bool isXsTrue(std::string_view text) {
    return parseXsBoolean(text).value_or(false);
}

// True only for "false" and "0": an absent or malformed flag is not a no either.
inline bool isXsFalse(std::string_view text) {
    return !parseXsBoolean(text).value_or(true);
}

} // namespace caseflow
