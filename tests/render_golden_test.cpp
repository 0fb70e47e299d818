// Golden files: every document in fr, nl and fr+nl rendered from the fixture situation
// (tests/render/situation.xml) with a fixed day, normalised (stylesheet left out, one block
// per line) and compared with tests/golden/DOCUMENT.LANG.html. After an intended change,
// regenerate them with CASEFLOW_UPDATE_GOLDEN=1 and review the diff like code.
#include "render/RenderTestSupport.h"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace caseflow;
using namespace caseflow::test;
using namespace caseflow::test::render;

TEST_CASE("Each document matches its golden file in fr, nl and fr+nl", "[render]") {
    const char* update = std::getenv("CASEFLOW_UPDATE_GOLDEN");
    const bool updating = update && std::string(update) == "1";
    for (const auto& document : caseflow::render::documentNames()) {
        for (const auto* language : {"fr", "nl", "fr+nl"}) {
            const std::string name = document + "." + language + ".html";
            INFO("tests/golden/" << name << " (CASEFLOW_UPDATE_GOLDEN=1 regenerates the golden files)");
            const std::string actual = normaliseHtml(renderFixture(document, language));
            const auto path = testsDir() / "golden" / name;
            if (updating) {
                writeFile(path, actual);
                continue;
            }
            REQUIRE(std::filesystem::exists(path));
            const std::string expected = readFile(path);
            if (actual == expected) continue;
            // Report the first differing line rather than two whole documents.
            std::istringstream actualLines(actual), expectedLines(expected);
            std::string a, e;
            int line = 0;
            while (true) {
                ++line;
                const bool moreActual = static_cast<bool>(std::getline(actualLines, a));
                const bool moreExpected = static_cast<bool>(std::getline(expectedLines, e));
                if (!moreActual && !moreExpected) break;
                if (a != e || moreActual != moreExpected) break;
            }
            INFO("first difference at line " << line << "\n  golden:   " << e << "\n  rendered: " << a);
            CHECK(actual == expected);
        }
    }
}

TEST_CASE("Golden files show the bilingual tagging and the Brussels time of the last update", "[render]") {
    const std::string bilingual = renderFixture("care-plan", "fr+nl");
    CHECK(bilingual.find("<html lang=\"fr\">") != std::string::npos);
    CHECK(bilingual.find("<h1><span lang=\"fr\">Plan de soins</span><span class=\"sep\"> / </span><span lang=\"nl\" "
                         "class=\"l2\">Zorgplan</span></h1>") != std::string::npos);
    // updatedAt 2026-07-03T08:15Z is 10:15 in Brussels (summer time); the plan was signed at
    // 2026-02-13T09:30Z, 10:30 in Brussels (winter time).
    CHECK(bilingual.find("3 juillet 2026 à 10:15") != std::string::npos);
    CHECK(bilingual.find("13 février 2026 à 10:30") != std::string::npos);
    const std::string dutch = renderFixture("care-plan", "nl");
    CHECK(dutch.find("3 juli 2026 om 10:15") != std::string::npos);
    CHECK(dutch.find("<html lang=\"nl\">") != std::string::npos);
}
