// Translation for documents: the `documents` gettext domain (locales/<ll_BE>/documents.po)
// through Boost.Locale, with message contexts, plurals and {placeholders}. What must stay
// true: every msgid a document can show is either written in a template (and so found by
// the extractor) or listed in engineMessages(), so a missing translation fails the tests.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow::render {

// A message the engine itself shows in documents (not written in any template).
struct EngineMessage {
    const char* context; // "" for none
    const char* msgid;
    const char* plural;  // "" for none
    const char* comment; // for translators
};
const std::vector<EngineMessage>& engineMessages();

// What a missing value renders as, in the document's language ("non renseigné").
inline constexpr const char* kNotProvided = "not provided";

std::string translate(const std::string& context, const std::string& msgid, const std::string& language);
std::string translatePlural(const std::string& context, const std::string& singular, const std::string& plural,
                            long count, const std::string& language);
// The same in another domain: a template family's own catalog (the web pages' `web`).
std::string translate(const std::string& domain, const std::string& context, const std::string& msgid,
                      const std::string& language);
std::string translatePlural(const std::string& domain, const std::string& context, const std::string& singular,
                            const std::string& plural, long count, const std::string& language);

} // namespace caseflow::render
