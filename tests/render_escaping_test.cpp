// Hostile data in every format: markup, quotes and right-to-left controls typed into a
// situation must come out as the same characters, never as markup, script or reordered text
// around amounts. The data is valid against the schema: it is what a form could send.
#include "render/RenderTestSupport.h"

#include <catch2/catch.hpp>

using namespace caseflow;
using namespace caseflow::test;
using namespace caseflow::test::render;

namespace {

const std::string kScript = "<script>alert(\"pwned\")</script> & 'quoted'";
const std::string kBreakout = "\"><img src=x onerror=alert(1)></td></tr></table><h1>Forged</h1>";
const std::string kRightToLeft = "ACME \u202Egnp.exe\u202C Services"; // RLO ... PDF
const std::string kArabic = "مركز الصحة النفسية";

std::string xmlEscaped(const std::string& text) {
    std::string out;
    for (const char ch : text) {
        switch (ch) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += ch;
        }
    }
    return out;
}

void replaceOnce(std::string& text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
}

SituationRecord hostileRecord() {
    std::string xml = fixtureXml();
    replaceOnce(xml, "<organisation>Service de santé mentale d'Andenne</organisation>",
                "<organisation>" + xmlEscaped(kRightToLeft) + "</organisation>");
    replaceOnce(xml, "<organisation>AMO Passages (Andenne)</organisation>",
                "<organisation>" + kArabic + "</organisation>");
    replaceOnce(xml, "supplier=\"Cabinet de neuropsychologie du Condroz (Ciney)\"",
                "supplier=\"" + xmlEscaped(kBreakout) + "\"");
    replaceOnce(xml, "<what>Organiser et restituer le bilan neuropsychologique</what>",
                "<what>" + xmlEscaped(kScript) + "</what>");
    replaceOnce(xml, "Bilan neuropsychologique complet avec restitution écrite.", xmlEscaped(kScript));
    const SituationRecord record = fixtureRecord(xml);
    Situation::parse(record.document, "hostile fixture"); // still a valid situation
    return record;
}

} // namespace

TEST_CASE("Hostile data stays text in HTML", "[render]") {
    const SituationRecord record = hostileRecord();
    for (const auto* document : {"minutes", "funding-request"}) {
        INFO(document);
        const std::string html = renderFixture(document, "fr+nl", "html", record);
        CHECK(html.find("<script") == std::string::npos);
        CHECK(html.find("<img") == std::string::npos);
        CHECK(html.find("<h1>Forged") == std::string::npos);
        CHECK(html.find("onerror=alert(1)>") == std::string::npos);
        // Well-formed, and the text reads exactly as typed.
        const auto parsed = xml::parseString(html.substr(html.find('\n') + 1), "rendered");
        const std::string text = xml::text(xml::root(parsed.get()));
        CHECK(text.find(std::string(document) == "minutes" ? kScript : kBreakout) != std::string::npos);
    }
    SECTION("text that could reorder its neighbours is isolated") {
        const std::string html = renderFixture("minutes", "fr", "html", record);
        CHECK(html.find("<bdi>" + kRightToLeft + "</bdi>") != std::string::npos);
        CHECK(html.find("<bdi>" + kArabic + "</bdi>") != std::string::npos);
        CHECK(html.find("<bdi>Nicolas") == std::string::npos);
    }
}

TEST_CASE("Hostile data stays text in ODT", "[render]") {
    const auto entries = zipEntries(renderFixture("funding-request", "fr", "odt", hostileRecord()));
    const std::string& content = entries.at("content.xml");
    const auto parsed = xml::parseString(content, "content.xml");
    const std::string text = xml::text(xml::root(parsed.get()));
    CHECK(text.find(kScript) != std::string::npos);
    CHECK(text.find(kBreakout) != std::string::npos);
    CHECK(content.find("<script") == std::string::npos);
    CHECK(content.find("<img") == std::string::npos);
    SECTION("isolated right-to-left text (FSI ... PDI) in the minutes") {
        const auto minutes = zipEntries(renderFixture("minutes", "fr", "odt", hostileRecord()));
        CHECK(minutes.at("content.xml").find("\u2068" + kRightToLeft + "\u2069") != std::string::npos);
    }
}

TEST_CASE("Hostile data stays text in PDF", "[render][pdf]") {
    if (!externalToolsPresent({{"weasyprint", "weasyprint"}, {"pdftotext", "poppler-utils"}}, "the PDF check")) return;
    ScratchDir scratch;
    writeFile(scratch / "hostile.pdf", renderFixture("funding-request", "fr", "pdf", hostileRecord()));
    const auto result = runTool(*findTool("pdftotext"), {"-enc", "UTF-8", (scratch / "hostile.pdf").string(), "-"});
    REQUIRE(result.exitCode == 0);
    std::string text = result.out;
    // pdftotext breaks long cells into lines, anywhere: compare without any whitespace.
    const auto squeezed = [](const std::string& value) { return std::regex_replace(value, std::regex("\\s+"), ""); };
    text = squeezed(text);
    INFO(text);
    CHECK(text.find(squeezed(kScript)) != std::string::npos);
    CHECK(text.find(squeezed(kBreakout)) != std::string::npos);
}
