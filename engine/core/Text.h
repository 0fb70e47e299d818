// Small text helpers every module uses, written once: trimming XML whitespace, splitting a
// whitespace-separated list (state configurations, token lists), joining, and {placeholder}
// messages. What must stay true: "whitespace" is XML's (space, tab, CR, LF) everywhere, so a
// list read from an attribute splits the same way in every module.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow::text {

// `text` without leading and trailing XML whitespace.
std::string_view trimmed(std::string_view text);

// The words of a whitespace-separated list ("a  b\nc" -> {"a", "b", "c"}).
std::vector<std::string> words(std::string_view text);

// The items written one after the other with `separator` between them.
template <typename Items> std::string joined(const Items& items, std::string_view separator) {
    std::string result;
    bool first = true;
    for (const auto& item : items) {
        if (!first) result += separator;
        result += item;
        first = false;
    }
    return result;
}

// The names of the {placeholders} of a message, in order of appearance, without duplicates.
// A name is letters, digits, '_' and '-'; anything else between braces is literal text.
std::vector<std::string> placeholders(std::string_view text);

// Replaces each {name} with value(name); a placeholder without a value is left as written.
std::string fillPlaceholders(std::string_view text,
                             const std::function<std::optional<std::string>(std::string_view)>& value);

} // namespace caseflow::text
