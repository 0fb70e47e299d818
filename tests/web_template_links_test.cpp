// Specification of the one exception to "URLs never come from data" that the web pages need
// (docs/templates.md): a link built as concat('/literal', data) compiles, so data can add to a
// local path; any other data-driven href, src or action, and every other dangerous attribute,
// is still refused at compile time. And what renders stays escaped.
#include "render/Environment.h"
#include "render/TemplateError.h"
#include "support/TestSupport.h"
#include "xml/Xml.h"

#include <catch2/catch.hpp>

using caseflow::test::ScratchDir;
using caseflow::test::writeFile;

namespace {

void writePage(const ScratchDir& dir, const std::string& attribute, const std::string& expression) {
    writeFile(dir / "page.xhtml", "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:t=\"urn:caseflow:template:1\">"
                                  "<head><title>t</title></head><body><a t:attr-" +
                                      attribute + "=\"" + expression + "\">link</a></body></html>");
}

bool compiles(const std::string& attribute, const std::string& expression) {
    ScratchDir dir;
    writePage(dir, attribute, expression);
    caseflow::render::Environment environment(dir.path(), "test", "web");
    try {
        environment.get("page");
        return true;
    } catch (const caseflow::render::TemplateError&) {
        return false;
    }
}

} // namespace

TEST_CASE("a page may link to a local path built as concat('/literal', data), and to nothing else from data",
          "[render][web]") {
    CHECK(compiles("href", "concat('/situations/', /page/@id)"));
    CHECK(compiles("src", " concat ( '/situations/', /page/@id, '/workflow.svg')"));
    CHECK(compiles("action", "concat('/accounts/', /page/@action)"));
    CHECK_FALSE(compiles("href", "/page/@url"));
    CHECK_FALSE(compiles("href", "concat(/page/@url, '/x')"));
    CHECK_FALSE(compiles("href", "concat('/', /page/@url)")); // data could make it //other.site
    CHECK_FALSE(compiles("href", "concat('//evil.example/', /page/@id)"));
    CHECK_FALSE(compiles("href", "concat('javascript:', /page/@id)"));
    CHECK_FALSE(compiles("href", "concat('/\\\\evil', /page/@id)"));
    CHECK_FALSE(compiles("style", "concat('/x', /page/@id)"));
    CHECK_FALSE(compiles("onclick", "concat('/x', /page/@id)"));
    CHECK_FALSE(compiles("formaction", "concat('/x', /page/@id)"));
}

TEST_CASE("a local link's data is escaped where it lands", "[render][web]") {
    ScratchDir dir;
    writePage(dir, "href", "concat('/situations/', /page/@id)");
    caseflow::render::Environment environment(dir.path(), "test", "web");
    const auto page = caseflow::xml::parseString(R"xml(<page id="1&quot; onclick=&quot;alert(1)"/>)xml", "model");
    caseflow::render::RenderInputs inputs;
    inputs.situation = page.get();
    inputs.language = caseflow::render::LanguageSpec::page("en");
    const std::string html = environment.get("page")->render(inputs);
    CHECK(html.find("href=\"/situations/1&quot; onclick=&quot;alert(1)\"") != std::string::npos);
}
