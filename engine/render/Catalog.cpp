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
    return translate(i18n::kDocumentsDomain, context, msgid, language);
}

std::string translatePlural(const std::string& context, const std::string& singular, const std::string& plural,
                            long count, const std::string& language) {
    return translatePlural(i18n::kDocumentsDomain, context, singular, plural, count, language);
}

std::string translate(const std::string& domain, const std::string& context, const std::string& msgid,
                      const std::string& language) {
    if (msgid.empty()) return msgid;
    const std::locale& locale = i18n::localeFor(language);
    if (context.empty()) return boost::locale::dgettext(domain.c_str(), msgid.c_str(), locale);
    return boost::locale::dpgettext(domain.c_str(), context.c_str(), msgid.c_str(), locale);
}

std::string translatePlural(const std::string& domain, const std::string& context, const std::string& singular,
                            const std::string& plural, long count, const std::string& language) {
    const std::locale& locale = i18n::localeFor(language);
    if (context.empty())
        return boost::locale::dngettext(domain.c_str(), singular.c_str(), plural.c_str(), count, locale);
    return boost::locale::dnpgettext(domain.c_str(), context.c_str(), singular.c_str(), plural.c_str(), count, locale);
}

} // namespace caseflow::render
