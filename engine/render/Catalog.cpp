// Message lookup in the documents domain. What must stay true: lookups never throw for a
// missing translation (Boost.Locale returns the msgid); the test suite is what catches it.
#include "render/Catalog.h"

#include "i18n/Translator.h"

#include <boost/locale.hpp>

namespace caseflow::render {

const std::vector<EngineMessage>& engineMessages() {
    static const std::vector<EngineMessage> messages = {
        {"", kNotProvided, "", "Shown in a document wherever the situation has no value yet"},
        {"", "Category {number}: {minAge} to {maxAge} years, {environment}", "",
         "A youth's category (rule R2); {environment} is 'living in a family' or 'living in an institution'"},
        {"", "Category {number}", "", "A category number outside the network's age bands"},
    };
    return messages;
}

std::string translate(const std::string& context, const std::string& msgid, const std::string& language) {
    if (msgid.empty()) return msgid;
    const std::locale& locale = i18n::localeFor(language);
    if (context.empty()) return boost::locale::dgettext(i18n::kDocumentsDomain, msgid.c_str(), locale);
    return boost::locale::dpgettext(i18n::kDocumentsDomain, context.c_str(), msgid.c_str(), locale);
}

std::string translatePlural(const std::string& context, const std::string& singular, const std::string& plural,
                            long count, const std::string& language) {
    const std::locale& locale = i18n::localeFor(language);
    if (context.empty())
        return boost::locale::dngettext(i18n::kDocumentsDomain, singular.c_str(), plural.c_str(), count, locale);
    return boost::locale::dnpgettext(i18n::kDocumentsDomain, context.c_str(), singular.c_str(), plural.c_str(), count,
                                     locale);
}

namespace {

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

} // namespace caseflow::render
