// The one implementation of the text helpers (see Text.h).
#include "core/Text.h"

namespace caseflow::text {
namespace {

constexpr std::string_view kXmlWhitespace = " \t\r\n";

bool placeholderChar(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

// Calls found(name, start, end) for each well-formed {name} in text.
template <typename Found> void eachPlaceholder(std::string_view text, Found found) {
    for (std::size_t open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
        std::size_t close = open + 1;
        while (close < text.size() && placeholderChar(text[close])) ++close;
        if (close < text.size() && text[close] == '}' && close > open + 1)
            found(text.substr(open + 1, close - open - 1), open, close + 1);
    }
}

} // namespace

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(kXmlWhitespace);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(kXmlWhitespace) - first + 1);
}

std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> result;
    for (auto start = text.find_first_not_of(kXmlWhitespace); start != std::string_view::npos;) {
        const auto end = text.find_first_of(kXmlWhitespace, start);
        result.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) break;
        start = text.find_first_not_of(kXmlWhitespace, end);
    }
    return result;
}

std::vector<std::string> placeholders(std::string_view text) {
    std::vector<std::string> names;
    eachPlaceholder(text, [&](std::string_view name, std::size_t, std::size_t) {
        for (const auto& seen : names)
            if (seen == name) return;
        names.emplace_back(name);
    });
    return names;
}

std::string fillPlaceholders(std::string_view text,
                             const std::function<std::optional<std::string>(std::string_view)>& value) {
    std::string result;
    std::size_t copied = 0;
    eachPlaceholder(text, [&](std::string_view name, std::size_t start, std::size_t end) {
        if (start < copied) return;
        auto replacement = value(name);
        if (!replacement) return;
        result.append(text.substr(copied, start - copied));
        result += *replacement;
        copied = end;
    });
    result.append(text.substr(copied));
    return result;
}

} // namespace caseflow::text
