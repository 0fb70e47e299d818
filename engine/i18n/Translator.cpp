// Boost.Locale setup. Generating a locale parses catalogs and builds ICU formatters, which
// is slow, so each language's locale is generated once and shared (std::locale is
// immutable and safe to use from many threads).
#include "i18n/Translator.h"

#include "core/Errors.h"

#include <boost/locale.hpp>

#include <cstdlib>
#include <map>
#include <mutex>

namespace caseflow::i18n {
namespace {

const char* posixName(const std::string& language) {
    if (language == "fr") return "fr_BE.UTF-8";
    if (language == "nl") return "nl_BE.UTF-8";
    return "en_BE.UTF-8";
}

} // namespace

const std::vector<std::string>& supportedLanguages() {
    static const std::vector<std::string> languages = {"fr", "nl", "en"};
    return languages;
}

std::string checkLanguage(std::string_view language) {
    for (const auto& supported : supportedLanguages())
        if (supported == language) return supported;
    throw UsageError("unknown language '" + std::string(language) + "'; languages are: fr, nl, en");
}

std::string negotiateLanguage(std::string_view header, const std::string& fallback) {
    // Preference order as written; q-values other than 0 are treated as "acceptable".
    std::size_t start = 0;
    while (start < header.size()) {
        std::size_t end = header.find(',', start);
        if (end == std::string_view::npos) end = header.size();
        std::string_view item = header.substr(start, end - start);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        const bool refused =
            item.find(";q=0") != std::string_view::npos && item.find(";q=0.") == std::string_view::npos;
        const std::string primary(item.substr(0, std::min(item.find_first_of("-_;."), item.size())));
        if (!refused) {
            std::string lower = primary;
            for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            for (const auto& supported : supportedLanguages())
                if (lower == supported) return supported;
        }
        start = end + 1;
    }
    return fallback;
}

std::string catalogDirectory() {
    if (const char* dir = std::getenv("CASEFLOW_LOCALE_DIR"); dir && *dir) return dir;
    return std::string(CASEFLOW_BUILD_DIR) + "/locales";
}

const std::locale& localeFor(const std::string& language) {
    static std::mutex mutex;
    static std::map<std::string, std::locale> locales;
    const std::string checked = checkLanguage(language);
    std::lock_guard<std::mutex> lock(mutex);
    auto found = locales.find(checked);
    if (found != locales.end()) return found->second;
    boost::locale::generator generator;
    generator.add_messages_path(catalogDirectory());
    for (const char* domain : {kWorkflowDomain, kDocumentsDomain, kServiceDomain, kInterfaceDomain, kWebDomain})
        generator.add_messages_domain(domain);
    return locales.emplace(checked, generator(posixName(checked))).first->second;
}

std::string translate(const char* domain, const std::string& msgid, const std::string& language) {
    if (msgid.empty()) return msgid;
    return boost::locale::dgettext(domain, msgid.c_str(), localeFor(language));
}

std::string translateInContext(const char* domain, const char* context, const std::string& msgid,
                               const std::string& language) {
    if (msgid.empty()) return msgid;
    return boost::locale::dpgettext(domain, context, msgid.c_str(), localeFor(language));
}

std::string capitalised(const std::string& text, const std::string& language) {
    if (text.empty()) return text;
    // The first code point, whatever its length in UTF-8.
    std::size_t length = 1;
    while (length < text.size() && (static_cast<unsigned char>(text[length]) & 0xC0) == 0x80) ++length;
    return boost::locale::to_upper(text.substr(0, length), localeFor(language)) + text.substr(length);
}

std::string translatePlural(const char* domain, const std::string& singular, const std::string& plural, long count,
                            const std::string& language) {
    return boost::locale::dngettext(domain, singular.c_str(), plural.c_str(), count, localeFor(language));
}

} // namespace caseflow::i18n
