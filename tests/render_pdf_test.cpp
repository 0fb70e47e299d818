// PDF output: WeasyPrint's PDF/A-3b, checked with poppler's tools the way an archivist
// would: the text reads in both languages, the XMP metadata identifies PDF/A-3 level B, and
// the document's own data travels inside as an attachment (never the situation, R19). Few PDFs on purpose: each takes
// WeasyPrint a second or two. Without WeasyPrint these tests say so and stop.
#include "render/RenderTestSupport.h"

#include "render/PdfWriter.h"
#include "render/TemplateError.h"

#include <catch2/catch.hpp>
#include <libxml/xpathInternals.h>

using namespace caseflow;
using namespace caseflow::test;
using namespace caseflow::test::render;

namespace {

bool pdfToolsAvailable() {
    return externalToolsPresent({{"weasyprint", "weasyprint"},
                                 {"pdftotext", "poppler-utils"},
                                 {"pdfinfo", "poppler-utils"},
                                 {"pdfdetach", "poppler-utils"}},
                                "the PDF checks");
}

std::string pdfText(const std::filesystem::path& pdf) {
    const auto result = runTool(*findTool("pdftotext"), {"-enc", "UTF-8", pdf.string(), "-"});
    REQUIRE(result.exitCode == 0);
    return result.out;
}

} // namespace

TEST_CASE("A PDF is PDF/A-3b, carries its document's data and reads in both languages", "[render][pdf]") {
    if (!pdfToolsAvailable()) return;
    ScratchDir scratch;
    const auto pdf = scratch / "care-plan.pdf";
    writeFile(pdf, renderFixture("care-plan", "fr+nl", "pdf"));
    REQUIRE(readFile(pdf).rfind("%PDF-", 0) == 0);

    const std::string text = pdfText(pdf);
    CHECK(text.find("Plan de soins") != std::string::npos);
    CHECK(text.find("Zorgplan") != std::string::npos);
    CHECK(text.find("Validation clinique") != std::string::npos);
    CHECK(text.find("Klinische validatie") != std::string::npos);
    CHECK(text.find("Réseau Santé Kirikou (Namur)") != std::string::npos);
    SECTION("every page says 'page N / M' in both languages and carries the reference and version") {
        const auto info = runTool(*findTool("pdfinfo"), {pdf.string()});
        const auto pagesAt = info.out.find("Pages:");
        REQUIRE(pagesAt != std::string::npos);
        const int pages = std::atoi(info.out.c_str() + pagesAt + 6);
        REQUIRE(pages >= 2);
        for (int page = 1; page <= pages; ++page) {
            INFO("page " << page);
            CHECK(text.find("page / pagina " + std::to_string(page) + " / " + std::to_string(pages)) !=
                  std::string::npos);
        }
        CHECK(text.find("KIR-26-003/r2 · version / versie 16") != std::string::npos);
    }
    SECTION("the XMP metadata identifies PDF/A-3, conformance B") {
        const auto meta = runTool(*findTool("pdfinfo"), {"-meta", pdf.string()});
        REQUIRE(meta.exitCode == 0);
        CHECK(meta.out.find("pdfaid:part=\"3\"") != std::string::npos);
        CHECK(meta.out.find("pdfaid:conformance=\"B\"") != std::string::npos);
    }
    SECTION("the care plan's own data is attached, valid against its schema, and not the situation") {
        const auto list = runTool(*findTool("pdfdetach"), {"-list", pdf.string()});
        REQUIRE(list.exitCode == 0);
        CHECK(list.out.find("KIR-26-003_care-plan.xml") != std::string::npos);
        CHECK(list.out.find("situation-KIR-26-003.xml") == std::string::npos);
        const auto saved = scratch / "attached.xml";
        const auto save = runTool(*findTool("pdfdetach"), {"-save", "1", "-o", saved.string(), pdf.string()});
        REQUIRE(save.exitCode == 0);
        const auto data = xml::parseFile(saved);
        xml::Schema::load(projectDir() / "schemas" / "documents" / "care-plan.xsd")->validate(data.get(), "attachment");
        xml::XPath xpath(data.get());
        xmlXPathRegisterNs(xpath.context(), xml::x("d"), xml::x("urn:caseflow:document:1"));
        CHECK(xpath.boolean("/d:carePlanDocument/d:carePlan/d:objective[@id = 'o3']"));
        CHECK(xpath.string("/d:carePlanDocument/d:carePlan/d:youth/d:reference") == "KIR-26-003");
        const std::string attachedText = readFile(saved);
        for (const auto* undisclosed : {"Mertens", "BE35", "si on ne raconte pas tout", "<situation"}) {
            INFO(undisclosed);
            CHECK(attachedText.find(undisclosed) == std::string::npos);
        }
    }
}

TEST_CASE("Without WeasyPrint a PDF fails saying how to install it, and HTML and ODT still work", "[render][pdf]") {
    ScopedEnvironment missing("CASEFLOW_WEASYPRINT", "/nonexistent/weasyprint");
    CHECK_THROWS_AS(renderFixture("minutes", "fr", "pdf"), caseflow::render::MissingTool);
    CHECK_THROWS_WITH(renderFixture("minutes", "fr", "pdf"), Catch::Contains("apt-get install weasyprint"));
    CHECK(renderFixture("minutes", "fr", "html").find("Compte rendu de concertation") != std::string::npos);
    CHECK(renderFixture("minutes", "fr", "odt").substr(30, 8) == "mimetype");
}
