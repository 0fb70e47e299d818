// ODT output: a real OpenDocument package (mimetype first and stored, a manifest, well-formed
// parts) whose content keeps the document's structure (headings with outline levels, tables
// with header rows, lists), its languages and its running footer. LibreOffice (installed by
// scripts/setup.sh) must turn each document's ODT into a PDF that shows its headings; where
// it is missing that check fails under CASEFLOW_REQUIRE_TOOLS=1, else says so and stops.
#include "render/RenderTestSupport.h"

#include <catch2/catch.hpp>

#include <libxml/xpathInternals.h>

#include <cctype>
#include <map>
#include <string>
#include <vector>

using namespace caseflow;
using namespace caseflow::test;
using namespace caseflow::test::render;

namespace {

// XPath over an ODF part with its namespaces bound.
struct OdfPart {
    explicit OdfPart(const std::string& text, const std::string& name)
        : document(xml::parseString(text, name)), xpath(document.get()) {
        for (const auto& [prefix, uri] : std::vector<std::pair<const char*, const char*>>{
                 {"office", "urn:oasis:names:tc:opendocument:xmlns:office:1.0"},
                 {"style", "urn:oasis:names:tc:opendocument:xmlns:style:1.0"},
                 {"text", "urn:oasis:names:tc:opendocument:xmlns:text:1.0"},
                 {"table", "urn:oasis:names:tc:opendocument:xmlns:table:1.0"},
                 {"fo", "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"},
                 {"manifest", "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"},
                 {"dc", "http://purl.org/dc/elements/1.1/"}})
            xmlXPathRegisterNs(xpath.context(), xml::x(prefix), xml::x(uri));
    }
    double count(const std::string& expression) { return xpath.number("count(" + expression + ")"); }
    xml::Document document;
    xml::XPath xpath;
};

std::uint16_t le16(const std::string& bytes, std::size_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[at]) | static_cast<unsigned char>(bytes[at + 1])
                                                                                  << 8);
}

// Text as a reader compares it: every run of white space (no-break spaces included) one space.
std::string shownWords(const std::string& text) {
    std::string words;
    bool space = true;
    for (std::size_t at = 0; at < text.size(); ++at) {
        std::size_t blank = std::isspace(static_cast<unsigned char>(text[at])) ? 1 : 0;
        if (text.compare(at, 2, "\u00a0") == 0) blank = 2;
        if (text.compare(at, 3, "\u202f") == 0) blank = 3;
        if (blank) {
            if (!space) words += ' ';
            space = true;
            at += blank - 1;
            continue;
        }
        words += text[at];
        space = false;
    }
    if (!words.empty() && words.back() == ' ') words.pop_back();
    return words;
}

} // namespace

TEST_CASE("An ODT is an OpenDocument package: mimetype first and stored, a manifest, well-formed parts", "[render]") {
    const std::string odt = renderFixture("funding-request", "fr", "odt");
    // The first local file header: signature, method 0 (stored), no extra field, "mimetype".
    REQUIRE(odt.size() > 100);
    CHECK(odt.substr(0, 4) == std::string("PK\x03\x04", 4));
    CHECK(le16(odt, 8) == 0);  // compression method: stored
    CHECK(le16(odt, 26) == 8); // file name length
    CHECK(le16(odt, 28) == 0); // extra field length, so the type is at offset 38
    CHECK(odt.substr(30, 8) == "mimetype");
    CHECK(odt.substr(38, 39) == "application/vnd.oasis.opendocument.text");

    const auto entries = zipEntries(odt);
    for (const auto* part : {"mimetype", "META-INF/manifest.xml", "content.xml", "styles.xml", "meta.xml"}) {
        INFO(part);
        CHECK(entries.count(part) == 1);
    }
    CHECK(entries.at("mimetype") == "application/vnd.oasis.opendocument.text");
    OdfPart manifest(entries.at("META-INF/manifest.xml"), "manifest.xml");
    CHECK(manifest.xpath.string("string(//manifest:file-entry[@manifest:full-path = '/']/@manifest:media-type)") ==
          "application/vnd.oasis.opendocument.text");
    for (const auto* part : {"content.xml", "styles.xml", "meta.xml"}) {
        INFO(part);
        CHECK(manifest.count(std::string("//manifest:file-entry[@manifest:full-path = '") + part + "']") == 1);
        CHECK_NOTHROW(xml::parseString(entries.at(part), part));
    }
    OdfPart meta(entries.at("meta.xml"), "meta.xml");
    CHECK(meta.xpath.string("string(//dc:title)") == "Demande d'intervention financière KIR-26-003");
    CHECK(meta.xpath.string("string(//dc:language)") == "fr-BE");
}

TEST_CASE("ODT keeps headings, tables with header rows and lists as real structure", "[render]") {
    const auto entries = zipEntries(renderFixture("minutes", "fr+nl", "odt"));
    OdfPart content(entries.at("content.xml"), "content.xml");
    CHECK(content.count("//text:h[@text:outline-level = '1']") == 1);
    CHECK(content.count("//text:h[@text:outline-level = '2']") >= 6);
    CHECK(content.xpath.string("string(//text:h[@text:outline-level = '1'])") ==
          "Compte rendu de concertation / Verslag van het overleg");
    SECTION("the roadmap is a table with a header row and one row per action") {
        const std::string roadmap = "//table:table[.//table:table-header-rows//text:p[contains(., 'Quoi')]]";
        REQUIRE(content.count(roadmap) == 1);
        CHECK(content.count(roadmap + "/table:table-header-rows/table:table-row") == 1);
        CHECK(content.count(roadmap + "/table:table-row") == 4);
        CHECK(content.xpath.string("string(" + roadmap + "/table:table-column/@table:number-columns-repeated)") == "6");
        CHECK(content.count(roadmap + "/table:table-row[count(table:table-cell) != 6]") == 0);
    }
    SECTION("decisions are a numbered list, next meetings a bulleted one") {
        CHECK(content.count("//text:list[@text:style-name = 'Numbering']/text:list-item") == 4);
        CHECK(content.count("//text:list[@text:style-name = 'Bullets']/text:list-item") == 2);
    }
    SECTION("rows are kept together across pages, like the print stylesheet's") {
        CHECK(content.count(
                  "//style:style[@style:name = 'TableRow']/style:table-row-properties[@fo:keep-together = 'always']") ==
              1);
    }
    SECTION("Dutch texts are marked as Dutch") {
        CHECK(content.count("//style:style[@style:name = 'Language_nl']/style:text-properties[@fo:language = 'nl']") ==
              1);
        CHECK(content.count("//text:span[@text:style-name = 'Language_nl'][. = 'Verslag van het overleg']") == 1);
    }
    SECTION("missing values keep their 'not provided' style") {
        CHECK(content.count("//text:span[@text:style-name = 'Not_20_provided']") >= 1);
    }
    SECTION("the footer carries the reference, the version and page N / M") {
        OdfPart styles(entries.at("styles.xml"), "styles.xml");
        const std::string footer = "//style:master-page/style:footer/text:p";
        CHECK(styles.count(footer + "/text:page-number") == 1);
        CHECK(styles.count(footer + "/text:page-count") == 1);
        CHECK(styles.xpath.string("string(" + footer + ")").find("KIR-26-003/c1") != std::string::npos);
        CHECK(styles.xpath.string("string(" + footer + ")").find("page / pagina") != std::string::npos);
        CHECK(styles.xpath.string("string(//style:page-layout-properties/@fo:page-width)") == "21cm");
    }
}

TEST_CASE("An ODT renders the same bytes for the same situation version", "[render]") {
    CHECK(renderFixture("care-plan", "nl", "odt") == renderFixture("care-plan", "nl", "odt"));
}

TEST_CASE("LibreOffice converts every document's ODT into a PDF that shows the document's headings and reference",
          "[render][libreoffice]") {
    if (!externalToolsPresent({{"soffice", "libreoffice-writer-nogui"}, {"pdftotext", "poppler-utils"}},
                              "the LibreOffice conversion check"))
        return;
    ScratchDir scratch;
    std::map<std::string, std::vector<std::string>> headings;
    std::vector<std::string> arguments = {"--headless", "--convert-to", "pdf", "--outdir", scratch.path().string()};
    for (const auto& document : caseflow::render::documentNames()) {
        const std::string odt = renderFixture(document, "fr+nl", "odt");
        writeFile(scratch / (document + ".odt"), odt);
        arguments.push_back((scratch / (document + ".odt")).string());
        OdfPart content(zipEntries(odt).at("content.xml"), "content.xml");
        const int count = static_cast<int>(content.count("//text:h"));
        for (int n = 1; n <= count; ++n)
            headings[document].push_back(
                shownWords(content.xpath.string("string((//text:h)[" + std::to_string(n) + "])")));
    }
    // One LibreOffice for every file, since starting it is most of the time; HOME gives it a
    // private profile.
    const auto converted = runProgram(*findTool("soffice"), arguments, "", {{"HOME", scratch.path().string()}});
    INFO(converted.out << converted.err);
    REQUIRE(converted.exitCode == 0);
    for (const auto& document : caseflow::render::documentNames()) {
        INFO(document);
        const auto pdf = scratch / (document + ".pdf");
        REQUIRE(std::filesystem::exists(pdf));
        CHECK(readFile(pdf).rfind("%PDF-", 0) == 0);
        const auto text = runTool(*findTool("pdftotext"), {"-enc", "UTF-8", pdf.string(), "-"});
        REQUIRE(text.exitCode == 0);
        const std::string shown = shownWords(text.out);
        CHECK(shown.find("KIR-26-003") != std::string::npos);
        REQUIRE_FALSE(headings[document].empty());
        for (const auto& heading : headings[document]) {
            INFO("heading: " << heading);
            CHECK(shown.find(heading) != std::string::npos);
        }
    }
}
