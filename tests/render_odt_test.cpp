// ODT output: a real OpenDocument package (mimetype first and stored, a manifest, well-formed
// parts) whose content keeps the document's structure (headings with outline levels, tables
// with header rows, lists), its languages and its running footer. Where LibreOffice is
// installed it must convert the file without error; elsewhere that check says so and stops.
#include "render/RenderTestSupport.h"

#include <catch2/catch.hpp>

#include <libxml/xpathInternals.h>

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
        CHECK(styles.xpath.string("string(" + footer + ")").find("KIR-26-003/minutes/c1") != std::string::npos);
        CHECK(styles.xpath.string("string(" + footer + ")").find("page / pagina") != std::string::npos);
        CHECK(styles.xpath.string("string(//style:page-layout-properties/@fo:page-width)") == "21cm");
    }
}

TEST_CASE("An ODT renders the same bytes for the same situation version", "[render]") {
    CHECK(renderFixture("care-plan", "nl", "odt") == renderFixture("care-plan", "nl", "odt"));
}

TEST_CASE("LibreOffice converts every document's ODT without error (where it is installed)", "[render][libreoffice]") {
    if (!externalToolsPresent({{"soffice", "libreoffice-writer"}}, "the conversion check")) return;
    const auto soffice = findTool("soffice");
    ScratchDir scratch;
    ScopedEnvironment home("HOME", scratch.path().string()); // a private LibreOffice profile
    for (const auto& document : caseflow::render::documentNames()) {
        INFO(document);
        const auto odt = scratch / (document + ".odt");
        writeFile(odt, renderFixture(document, "fr+nl", "odt"));
        const auto result =
            runTool(*soffice, {"--headless", "--convert-to", "pdf", "--outdir", scratch.path().string(), odt.string()});
        INFO(result.out << result.err);
        CHECK(result.exitCode == 0);
        CHECK(std::filesystem::exists(scratch / (document + ".pdf")));
    }
}
