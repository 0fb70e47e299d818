// The documents' translations: locales/documents.pot lists every message the templates and
// the engine can show, and fr_BE and nl_BE translate all of them, with their placeholders and
// the plural forms of their language. A missing translation fails here, not in front of a
// family.
#include "core/Text.h"
#include "render/RenderTestSupport.h"

#include "render/Catalog.h"
#include "render/Environment.h"
#include "render/MessageExtractor.h"

#include <catch2/catch.hpp>

#include <set>

using namespace caseflow;
using namespace caseflow::test;
namespace cr = caseflow::render;

namespace {

struct PoEntry {
    std::string context, msgid, plural;
    std::vector<std::string> translations; // msgstr, or msgstr[0..n]
    bool fuzzy = false;
};

std::string unquote(const std::string& line) {
    const auto open = line.find('"');
    const auto close = line.rfind('"');
    std::string out;
    for (std::size_t i = open + 1; i < close; ++i) {
        if (line[i] == '\\' && i + 1 < close) {
            const char next = line[++i];
            out += next == 'n' ? '\n' : next == 't' ? '\t' : next;
        } else {
            out += line[i];
        }
    }
    return out;
}

// A small .po reader: enough for what msgfmt accepts and our files use (multi-line strings,
// contexts, plurals, flags).
std::vector<PoEntry> readPo(const std::filesystem::path& path) {
    std::vector<PoEntry> entries;
    PoEntry current;
    std::string* last = nullptr;
    bool any = false;
    const auto flush = [&] {
        if (any) entries.push_back(current);
        current = PoEntry();
        last = nullptr;
        any = false;
    };
    std::istringstream lines(readFile(path));
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) {
            flush();
        } else if (line.rfind("#,", 0) == 0) {
            current.fuzzy = line.find("fuzzy") != std::string::npos;
        } else if (line[0] == '#') {
            continue;
        } else if (line.rfind("msgctxt ", 0) == 0) {
            current.context = unquote(line), last = &current.context, any = true;
        } else if (line.rfind("msgid_plural ", 0) == 0) {
            current.plural = unquote(line), last = &current.plural;
        } else if (line.rfind("msgid ", 0) == 0) {
            current.msgid = unquote(line), last = &current.msgid, any = true;
        } else if (line.rfind("msgstr", 0) == 0) {
            current.translations.push_back(unquote(line));
            last = &current.translations.back();
        } else if (line[0] == '"' && last) {
            *last += unquote(line);
        }
    }
    flush();
    return entries;
}

std::filesystem::path locales() {
    return projectDir() / "locales";
}

std::string key(const std::string& context, const std::string& msgid) {
    return context.empty() ? msgid : context + "\x04" + msgid;
}

} // namespace

TEST_CASE("Every msgid of documents.pot is translated in both catalogs", "[render]") {
    const auto pot = readPo(locales() / "documents.pot");
    REQUIRE(pot.size() > 150);
    for (const auto* catalog : {"fr_BE", "nl_BE"}) {
        INFO(catalog);
        std::map<std::string, PoEntry> translated;
        for (const auto& entry : readPo(locales() / catalog / "documents.po"))
            translated[key(entry.context, entry.msgid)] = entry;
        std::vector<std::string> missing;
        for (const auto& entry : pot) {
            if (entry.msgid.empty()) continue; // the header
            auto found = translated.find(key(entry.context, entry.msgid));
            const bool complete = found != translated.end() && !found->second.fuzzy &&
                                  found->second.translations.size() == (entry.plural.empty() ? 1u : 2u) &&
                                  std::all_of(found->second.translations.begin(), found->second.translations.end(),
                                              [](const std::string& text) { return !text.empty(); });
            if (!complete) missing.push_back((entry.context.empty() ? "" : entry.context + "|") + entry.msgid);
        }
        std::string list;
        for (const auto& msgid : missing) list += "\n  " + msgid;
        INFO("missing or fuzzy translations:" << list);
        CHECK(missing.empty());
    }
}

TEST_CASE("documents.pot lists exactly the messages the templates and the engine use", "[render]") {
    std::set<std::string> inPot, extracted;
    for (const auto& entry : readPo(locales() / "documents.pot"))
        if (!entry.msgid.empty()) inPot.insert(key(entry.context, entry.msgid));
    for (const auto& message : cr::extractMessages(cr::Environment::shared()))
        extracted.insert(key(message.context, message.msgid));
    std::string stale;
    for (const auto& msgid : extracted)
        if (!inPot.count(msgid)) stale += "\n  not in the .pot: " + msgid;
    for (const auto& msgid : inPot)
        if (!extracted.count(msgid)) stale += "\n  no longer used: " + msgid;
    INFO("regenerate with `caseflow templates messages -o locales/documents.pot`, then msgmerge (docs/translating.md):"
         << stale);
    CHECK(stale.empty());
    SECTION("and the extraction is deterministic, so an unchanged template never changes the .pot") {
        const auto first = cr::toPot(cr::extractMessages(cr::Environment::shared()));
        CHECK(first == cr::toPot(cr::extractMessages(cr::Environment::shared())));
        CHECK(first.find("POT-Creation-Date") == std::string::npos);
    }
}

TEST_CASE("Translations keep every placeholder of their msgid", "[render]") {
    for (const auto* catalog : {"fr_BE", "nl_BE"}) {
        for (const auto& entry : readPo(locales() / catalog / "documents.po")) {
            if (entry.msgid.empty()) continue;
            auto expected = caseflow::text::placeholders(entry.msgid);
            for (const auto& name : caseflow::text::placeholders(entry.plural))
                if (std::find(expected.begin(), expected.end(), name) == expected.end()) expected.push_back(name);
            std::sort(expected.begin(), expected.end());
            for (const auto& translation : entry.translations) {
                auto actual = caseflow::text::placeholders(translation);
                std::sort(actual.begin(), actual.end());
                INFO(catalog << ": " << entry.msgid << " -> " << translation);
                // A French singular may drop {count} ("un an"), never add or rename one.
                CHECK(std::includes(expected.begin(), expected.end(), actual.begin(), actual.end()));
                if (entry.plural.empty()) CHECK(actual == expected);
            }
        }
    }
}

TEST_CASE("Each catalog declares its language's plural forms and is loaded at run time", "[render]") {
    const auto header = [](const char* catalog) {
        return readPo(locales() / catalog / "documents.po").front().translations.front();
    };
    CHECK(header("fr_BE").find("Plural-Forms: nplurals=2; plural=(n > 1);") != std::string::npos);
    CHECK(header("nl_BE").find("Plural-Forms: nplurals=2; plural=(n != 1);") != std::string::npos);
    CHECK(cr::translate("", "not provided", "fr") == "non renseigné");
    CHECK(cr::translate("", "not provided", "nl") == "niet ingevuld");
    CHECK(cr::translate("sector", "mental health", "nl") == "geestelijke gezondheid");
    CHECK(cr::translatePlural("", "{count} year", "{count} years", 0, "fr") == "{count} an");
    CHECK(cr::translatePlural("", "{count} year", "{count} years", 0, "nl") == "{count} jaar");
    CHECK(cr::translatePlural("", "{count} action in the plan.", "{count} actions in the plan.", 0, "nl") ==
          "{count} acties in het plan.");
}
