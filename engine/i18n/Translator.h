// Translation of user-facing text through gettext catalogs (locales/<lang>/<domain>.po,
// compiled at build time) loaded by Boost.Locale. Languages are "fr" (fr_BE), "nl" (nl_BE)
// and "en" (the msgids themselves). What must stay true: asking for a language we do not
// ship is a clear error, never a silent fallback; catalogs load once per process.
#pragma once

#include <locale>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow::i18n {

// Catalog domains: one per part of the product, so each can be translated on its own.
inline constexpr const char* kWorkflowDomain = "workflow";   // rule messages, states, events
inline constexpr const char* kDocumentsDomain = "documents"; // document templates
inline constexpr const char* kServiceDomain = "service";     // HTTP API errors
inline constexpr const char* kWebDomain = "web";             // the web application's pages
// What the CLI and the API say besides errors: success lines, table headers, labels, and the
// input problems (schema errors) both front ends explain.
inline constexpr const char* kInterfaceDomain = "interface";

// "fr", "nl" or "en"; throws UsageError naming the valid ones.
std::string checkLanguage(std::string_view language);
const std::vector<std::string>& supportedLanguages();

// The first supported language of an Accept-Language header or a POSIX LANG value
// ("nl-BE,nl;q=0.9", "fr_BE.UTF-8"); `fallback` when none matches.
std::string negotiateLanguage(std::string_view header, const std::string& fallback = "en");

// The Boost.Locale locale for a language: ICU formatting for fr_BE / nl_BE, and the catalogs.
const std::locale& localeFor(const std::string& language);

std::string translate(const char* domain, const std::string& msgid, const std::string& language);
// A message with a gettext context: ("state", "budget-check"), ("event", "plan.signed").
std::string translateInContext(const char* domain, const char* context, const std::string& msgid,
                               const std::string& language);
// The text with its first letter upper-cased as `language` does it ("évaluation" -> "Évaluation").
std::string capitalised(const std::string& text, const std::string& language);

std::string translatePlural(const char* domain, const std::string& singular, const std::string& plural, long count,
                            const std::string& language);

// Where the compiled catalogs are: $CASEFLOW_LOCALE_DIR, else the build tree's locales/.
std::string catalogDirectory();

} // namespace caseflow::i18n
