// Specifications of the translations: a missing translation fails here, not in front of
// a user. Every catalog of every language is complete, and every rule message of every
// workflow is in the workflow catalogs.
#include "support/TestSupport.h"
#include "xml/Xml.h"

#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <set>

using namespace caseflow;
using namespace caseflow::test;

namespace {

struct Entry {
    std::string context, id, translation;
    bool fuzzy = false;
};

std::string unquote(const std::string& line) {
    const auto first = line.find('"'), last = line.rfind('"');
    std::string text = line.substr(first + 1, last - first - 1), out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
            ++i;
            out += text[i] == 'n' ? '\n' : text[i];
        } else {
            out += text[i];
        }
    }
    return out;
}

// A small .po reader: enough for msgctxt / msgid / msgstr / msgstr[n] and continuation lines.
std::vector<Entry> readCatalog(const std::filesystem::path& file) {
    std::vector<Entry> entries;
    Entry current;
    std::string* field = nullptr;
    bool pluralTranslationEmpty = false;
    auto flush = [&] {
        if (!current.id.empty()) {
            if (pluralTranslationEmpty) current.translation.clear();
            entries.push_back(current);
        }
        current = Entry{};
        field = nullptr;
        pluralTranslationEmpty = false;
    };
    std::istringstream in(readFile(file));
    for (std::string line; std::getline(in, line);) {
        if (line.empty())
            flush();
        else if (line.rfind("#,", 0) == 0 && line.find("fuzzy") != std::string::npos)
            current.fuzzy = true;
        else if (line.rfind("msgctxt ", 0) == 0)
            field = &(current.context = unquote(line));
        else if (line.rfind("msgid ", 0) == 0)
            field = &(current.id = unquote(line));
        else if (line.rfind("msgid_plural ", 0) == 0)
            field = nullptr;
        else if (line.rfind("msgstr[", 0) == 0) {
            const std::string value = unquote(line);
            if (value.empty()) pluralTranslationEmpty = true;
            current.translation += value;
            field = &current.translation;
        } else if (line.rfind("msgstr ", 0) == 0)
            field = &(current.translation = unquote(line));
        else if (line.rfind("\"", 0) == 0 && field)
            *field += unquote(line);
    }
    flush();
    return entries;
}

} // namespace

TEST_CASE("every message of every catalog is translated in fr_BE and nl_BE", "[i18n]") {
    std::map<std::string, std::set<std::string>> domainsByLanguage;
    for (const auto& language : std::filesystem::directory_iterator(projectDir() / "locales")) {
        if (!language.is_directory()) continue;
        for (const auto& catalog : std::filesystem::directory_iterator(language.path())) {
            if (catalog.path().extension() != ".po") continue;
            domainsByLanguage[language.path().filename().string()].insert(catalog.path().stem().string());
            for (const auto& entry : readCatalog(catalog.path())) {
                INFO(catalog.path().string() << ": " << entry.id);
                CHECK_FALSE(entry.fuzzy);
                CHECK_FALSE(entry.translation.empty());
            }
        }
    }
    REQUIRE(domainsByLanguage.count("fr_BE"));
    CHECK(domainsByLanguage["fr_BE"] == domainsByLanguage["nl_BE"]);
    CHECK(domainsByLanguage["fr_BE"].count("workflow"));
}

TEST_CASE("every rule message, state and event of every workflow is in the workflow catalogs", "[i18n][workflow]") {
    for (const char* language : {"fr_BE", "nl_BE"}) {
        std::set<std::pair<std::string, std::string>> known;
        for (const auto& entry : readCatalog(projectDir() / "locales" / language / "workflow.po"))
            known.insert({entry.context, entry.id});
        for (const auto& file : std::filesystem::directory_iterator(projectDir() / "workflows")) {
            auto doc = xml::parseFile(file.path());
            xml::XPath xpath(doc.get());
            for (xmlNode* rule : xpath.nodes("//*[local-name() = 'rule']")) {
                const std::string message = xml::attribute(rule, "message").value_or("");
                INFO(language << " " << file.path().filename().string() << ":" << xml::line(rule) << " " << message);
                CHECK(known.count({"", message}));
            }
            for (xmlNode* transition : xpath.nodes("//*[local-name() = 'transition'][@event]")) {
                std::istringstream names(xml::attribute(transition, "event").value_or(""));
                for (std::string event; names >> event;) {
                    INFO(language << " event " << event << " (run scripts/extract-workflow-messages.sh and msgmerge)");
                    CHECK(known.count({"event", event}));
                }
            }
            for (xmlNode* state : xpath.nodes("//*[local-name() = 'state' or local-name() = 'final']")) {
                const std::string id = xml::attribute(state, "id").value_or("");
                INFO(language << " state " << id << " (run scripts/extract-workflow-messages.sh and msgmerge)");
                CHECK(known.count({"state", id}));
            }
        }
    }
}

namespace {

// The C++ string literals at the start of `text` ("a" "b" -> ab), escapes resolved.
std::string concatenatedLiterals(const std::string& text) {
    std::string joined;
    static const std::regex literal(R"re("((?:[^"\\]|\\.)*)")re");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), literal); it != std::sregex_iterator(); ++it)
        joined += unquote(it->str());
    return joined;
}

// Every message the HTTP service may put in a problem's title or detail, read from its
// sources: the titles of engine/service/Problem.cpp's table and the literal details of every
// Problem(ProblemKind::..., "...") in engine/service.
std::set<std::string> serviceMessages() {
    std::set<std::string> messages;
    static const std::regex detail(R"re(Problem\(\s*ProblemKind::\w+,\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\))re");
    static const std::regex title(R"re(\{ProblemKind::\w+,\s*\d{3},\s*"[a-z-]+",\s*("(?:[^"\\]|\\.)*")\})re");
    for (const auto& source : std::filesystem::directory_iterator(projectDir() / "engine/service")) {
        if (source.path().extension() != ".cpp") continue;
        const std::string code = readFile(source.path());
        for (const auto* pattern : {&detail, &title})
            for (auto it = std::sregex_iterator(code.begin(), code.end(), *pattern); it != std::sregex_iterator(); ++it)
                if (auto message = concatenatedLiterals((*it)[1].str()); !message.empty()) messages.insert(message);
    }
    return messages;
}

} // namespace

TEST_CASE("every problem the HTTP service can answer is translated in fr_BE and nl_BE", "[i18n][service]") {
    const auto messages = serviceMessages();
    REQUIRE(messages.size() > 60);
    CHECK(messages.count("No situation was registered in {year}: there is nothing to report."));
    CHECK(messages.count("Refused by the network's rules"));
    for (const char* language : {"fr_BE", "nl_BE"}) {
        std::map<std::string, std::string> translations;
        for (const auto& entry : readCatalog(projectDir() / "locales" / language / "service.po"))
            translations[entry.id] = entry.translation;
        for (const auto& message : messages) {
            INFO(language << ": " << message);
            CHECK_FALSE(translations[message].empty());
        }
    }
}

TEST_CASE("every message the CLI says to a person is translated in fr_BE and nl_BE", "[i18n][cli]") {
    // tr("..."), trn("...", "...") in engine/cli and say("...") in the input explanations, as
    // scripts/extract-interface-messages.sh reads them.
    std::set<std::string> messages;
    static const std::regex call(R"re(\b(?:tr|trn|say)\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+))re");
    std::vector<std::filesystem::path> sources{projectDir() / "engine/i18n/InputExplanation.cpp"};
    for (const auto& source : std::filesystem::directory_iterator(projectDir() / "engine/cli"))
        if (source.path().extension() == ".cpp") sources.push_back(source.path());
    for (const auto& source : sources) {
        const std::string code = readFile(source);
        for (auto it = std::sregex_iterator(code.begin(), code.end(), call); it != std::sregex_iterator(); ++it)
            messages.insert(concatenatedLiterals((*it)[1].str()));
    }
    REQUIRE(messages.size() > 60);
    CHECK(messages.count("refused:"));
    for (const char* language : {"fr_BE", "nl_BE"}) {
        std::map<std::string, std::string> translations;
        for (const auto& entry : readCatalog(projectDir() / "locales" / language / "interface.po"))
            translations[entry.id] = entry.translation;
        for (const auto& message : messages) {
            INFO(language << ": " << message << " (run scripts/extract-interface-messages.sh and msgmerge)");
            CHECK_FALSE(translations[message].empty());
        }
    }
}
