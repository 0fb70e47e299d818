// The CLI's messages in the user's language (see Messages.h for how the language is chosen).
#include "cli/Messages.h"

#include "cli/CommandLine.h"
#include "core/Text.h"
#include "i18n/Translator.h"
#include "model/NetworkSettings.h"
#include "xml/Xml.h"

#include <cstdlib>

namespace caseflow::cli {

namespace {

std::string& currentLanguage() {
    static std::string language = "en";
    return language;
}

std::string filled(std::string text, std::initializer_list<std::pair<const char*, std::string>> values) {
    return text::fillPlaceholders(text, [&](std::string_view name) -> std::optional<std::string> {
        for (const auto& [key, value] : values)
            if (name == key) return value;
        return std::nullopt;
    });
}

// The first language the network's settings name its labels in (document order): the
// language its staff work in first.
std::optional<std::string> firstLanguageOf(const NetworkSettings& network) {
    for (xmlNode* label : xml::children(xml::root(network.document()), "label")) {
        const std::string language = xml::attribute(label, "lang").value_or("");
        for (const auto& supported : i18n::supportedLanguages())
            if (language == supported) return language;
    }
    return std::nullopt;
}

} // namespace

std::optional<std::string> chosenLanguage(const std::optional<std::string>& langOption) {
    // Documents take bilingual values ("fr+nl"); messages follow the first language.
    if (langOption) return i18n::checkLanguage(langOption->substr(0, langOption->find('+')));
    for (const char* variable : {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* value = std::getenv(variable);
        if (!value || !*value) continue;
        // The first variable set decides, as in gettext; "C" or an unsupported language means
        // nobody chose among ours.
        std::string list = value; // $LANGUAGE is a colon-separated list ("fr:en")
        for (auto& ch : list)
            if (ch == ':') ch = ',';
        const std::string negotiated = i18n::negotiateLanguage(list, "");
        if (negotiated.empty()) return std::nullopt;
        return negotiated;
    }
    return std::nullopt;
}

const std::string& messageLanguage() {
    return currentLanguage();
}

void setMessageLanguage(const std::string& language) {
    currentLanguage() = i18n::checkLanguage(language);
}

const std::string& settleMessageLanguage(const Invocation& invocation, const NetworkSettings* network) {
    const auto option = declaresOwnLanguage(invocation.spec()) ? std::nullopt : invocation.option("--lang");
    if (auto chosen = chosenLanguage(option))
        setMessageLanguage(*chosen);
    else if (network)
        setMessageLanguage(firstLanguageOf(*network).value_or("en"));
    return currentLanguage();
}

std::string tr(const char* msgid, std::initializer_list<std::pair<const char*, std::string>> values) {
    return filled(i18n::translate(i18n::kInterfaceDomain, msgid, currentLanguage()), values);
}

std::string trn(const char* singular, const char* plural, long count,
                std::initializer_list<std::pair<const char*, std::string>> values) {
    std::string text = i18n::translatePlural(i18n::kInterfaceDomain, singular, plural, count, currentLanguage());
    text = filled(std::move(text), {{"count", std::to_string(count)}});
    return filled(std::move(text), values);
}

std::string stateWords(const std::string& states) {
    std::string words;
    for (const auto& state : text::words(states)) {
        const std::string label = i18n::translateInContext(i18n::kWorkflowDomain, "state", state, currentLanguage());
        words += (words.empty() ? "" : ", ") + (label == state ? state : label + " (" + state + ")");
    }
    return words;
}

std::string stateLabel(const std::string& states) {
    std::string words;
    for (const auto& state : text::words(states))
        words += (words.empty() ? "" : ", ") +
                 i18n::translateInContext(i18n::kWorkflowDomain, "state", state, currentLanguage());
    return words;
}

std::string eventWords(const std::string& event) {
    const std::string label = i18n::translateInContext(i18n::kWorkflowDomain, "event", event, currentLanguage());
    return label == event ? event : label + " (" + event + ")";
}

std::string padded(const std::string& text, std::size_t width, bool alignRight) {
    std::size_t characters = 0;
    for (unsigned char byte : text)
        if ((byte & 0xC0) != 0x80) ++characters;
    if (characters >= width) return text;
    const std::string fill(width - characters, ' ');
    return alignRight ? fill + text : text + fill;
}

} // namespace caseflow::cli
