// Specification of the template language (docs/templates.md): what each directive does, how
// data is escaped and translated, what a bilingual document looks like, how errors point at
// file:line and the directive, and that one compiled template renders from many threads.
#include "render/RenderTestSupport.h"

#include "core/Errors.h"
#include "render/CompiledTemplate.h"
#include "render/Environment.h"
#include "render/TemplateError.h"

#include <catch2/catch.hpp>

#include <thread>

using namespace caseflow;
using namespace caseflow::render;
using caseflow::test::render::TemplateDirectory;
using caseflow::test::render::templateText;

namespace {

const char* const kData = R"~(<situation id="7">
  <youth><reference>KIR-26-099</reference><birthDate>2014-09-15</birthDate><environment>family</environment><postalCode>5000</postalCode><municipality>Namur</municipality></youth>
  <emergency>false</emergency>
  <items>
    <item code="a" amount="125000" when="2026-02-11">First</item>
    <item code="b" amount="99" when="2026-07-03">Second</item>
    <item code="c" amount="" when="">   </item>
  </items>
  <hostile attr="&quot;&gt;&lt;script&gt;x&lt;/script&gt;">&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;</hostile>
</situation>)~";

struct Rendering {
    xml::Document situation = xml::parseString(kData, "data");

    std::string render(const Environment& environment, const std::string& name, const std::string& language = "fr") {
        RenderInputs inputs;
        inputs.situation = situation.get();
        inputs.language = LanguageSpec::parse(language);
        inputs.strings = {{"today", "2026-11-26"}};
        return environment.get(name)->render(inputs);
    }
};

std::string renderBody(const std::string& body, const std::string& language = "fr") {
    TemplateDirectory directory;
    directory.write("doc.xhtml", templateText(body));
    Environment environment(directory.path(), "tpl");
    Rendering rendering;
    return caseflow::test::render::bodyOf(rendering.render(environment, "doc", language));
}

// The TemplateError a broken template raises when it is compiled.
std::string compileError(const std::string& text, const std::map<std::string, std::string>& fragments = {}) {
    TemplateDirectory directory;
    directory.write("doc.xhtml", text);
    for (const auto& [name, content] : fragments) directory.write("fragments/" + name + ".xhtml", content);
    Environment environment(directory.path(), "tpl");
    try {
        environment.get("doc");
    } catch (const TemplateError& error) {
        return error.what();
    }
    return "no error";
}

} // namespace

TEST_CASE("t:if and t:else choose a branch, t:each repeats with $index, $first, $last and $count", "[render]") {
    const std::string body = renderBody(
        R"~(<ul><li t:each="items/item" t:as="it" t:attr-data-code="@code" t:attr-class="concat('n', $index)"><span t:if="$first">first </span><span t:else="" t:if="$last">last </span><span t:else="">middle </span><t:block t:text="concat($index, '/', $count, ' ', $it/@code)">x</t:block></li></ul>)~");
    CHECK(body == "<ul><li data-code=\"a\" class=\"n1\"><span>first </span>1/3 a</li>"
                  "<li data-code=\"b\" class=\"n2\"><span>middle </span>2/3 b</li>"
                  "<li data-code=\"c\" class=\"n3\"><span>last </span>3/3 c</li></ul>");
}

TEST_CASE("t:let binds a value for the element's content and t:include brings a fragment in scope", "[render]") {
    TemplateDirectory directory;
    directory.write("doc.xhtml",
                    templateText(R"~(<div t:include="card" t:let-who="string(youth/reference)">preview only</div>)~"));
    directory.write("fragments/card.xhtml",
                    templateText(R"~(<p class="card" t:fragment="card">Card of <b t:text="$who">X</b></p>)~"));
    Environment environment(directory.path(), "tpl");
    Rendering rendering;
    CHECK(caseflow::test::render::bodyOf(rendering.render(environment, "doc")) ==
          "<p class=\"card\">Card of <b>KIR-26-099</b></p>");
}

TEST_CASE("Data is escaped in text and attributes and never becomes markup", "[render]") {
    const std::string body = renderBody(R"~(<p t:text="hostile" t:attr-title="hostile/@attr">x</p>)~");
    CHECK(body == "<p title=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\">&lt;b&gt;bold&lt;/b&gt; &amp; "
                  "&lt;script&gt;alert(1)&lt;/script&gt;</p>");
}

TEST_CASE("a form's text area shows the value as typed, its line breaks as line breaks, and nothing when empty",
          "[render]") {
    // A page shown again after a refusal gives back what the user typed: a <br /> inside a
    // textarea is text, and "not provided" would be posted back as if they had typed it.
    TemplateDirectory directory;
    directory.write(
        "doc.xhtml",
        templateText(R"~(<textarea t:text="reasons">x</textarea><textarea t:text="none">y</textarea>)~"
                     R"~(<textarea><t:block t:if="reasons != ''" t:text="reasons">z</t:block></textarea>)~"));
    Environment environment(directory.path(), "tpl");
    const xml::Document situation = xml::parseString("<situation><reasons>The payee is missing.\nJoin the quote &amp; "
                                                     "the &lt;b&gt;invoice&lt;/b&gt;.</reasons></situation>",
                                                     "data");
    RenderInputs inputs;
    inputs.situation = situation.get();
    inputs.language = LanguageSpec::parse("fr");
    CHECK(caseflow::test::render::bodyOf(environment.get("doc")->render(inputs)) ==
          "<textarea>The payee is missing.\nJoin the quote &amp; the &lt;b&gt;invoice&lt;/b&gt;.</textarea>"
          "<textarea></textarea>"
          "<textarea>The payee is missing.\nJoin the quote &amp; the &lt;b&gt;invoice&lt;/b&gt;.</textarea>");
}

TEST_CASE("Missing data renders as 'not provided' in the document's language", "[render]") {
    SECTION("an absent node, an empty attribute and blank text all count as missing") {
        const std::string body = renderBody(
            R"~(<td t:text="nothing/here">a</td><td t:text="items/item[3]/@amount">b</td><td class="x" t:text="items/item[3]">c</td>)~");
        CHECK(body == "<td class=\"not-provided\">non renseigné</td><td class=\"not-provided\">non renseigné</td>"
                      "<td class=\"x not-provided\">non renseigné</td>");
    }
    SECTION("in Dutch") {
        CHECK(renderBody(R"~(<td t:text="nothing">a</td>)~", "nl") == "<td class=\"not-provided\">niet ingevuld</td>");
    }
    SECTION("in a bilingual document, in both languages") {
        CHECK(renderBody(R"~(<td t:text="nothing">a</td>)~", "nl+fr") ==
              "<td class=\"not-provided\"><span lang=\"nl\">niet ingevuld</span><span class=\"sep\"> / </span>"
              "<span lang=\"fr\" class=\"l2\">non renseigné</span></td>");
    }
    SECTION("a formatting function given nothing gives nothing, so the cell says so") {
        CHECK(renderBody(R"~(<td t:text="cf:format-money(items/item[3]/@amount)">a</td>)~") ==
              "<td class=\"not-provided\">non renseigné</td>");
    }
}

TEST_CASE("Literal texts are translated from the documents catalogs, with placeholders and plurals", "[render]") {
    const std::string body =
        R"~(<h1 t:i18n="">Care plan</h1><p t:i18n="" t:arg-reference="youth/reference">Care plan {reference}</p><p t:i18n="" t:plural="{count} years" t:count="$n">{count} year</p>)~";
    const auto withCount = [&](int count, const std::string& language) {
        const std::string text =
            renderBody("<div t:let-n=\"" + std::to_string(count) + "\">" + body + "</div>", language);
        return text;
    };
    CHECK(withCount(1, "fr") == "<div><h1>Plan de soins</h1><p>Plan de soins KIR-26-099</p><p>1 an</p></div>");
    CHECK(withCount(2, "fr") == "<div><h1>Plan de soins</h1><p>Plan de soins KIR-26-099</p><p>2 ans</p></div>");
    CHECK(withCount(1, "nl") == "<div><h1>Zorgplan</h1><p>Zorgplan KIR-26-099</p><p>1 jaar</p></div>");
    CHECK(withCount(2, "nl") == "<div><h1>Zorgplan</h1><p>Zorgplan KIR-26-099</p><p>2 jaar</p></div>");

    SECTION("plural rules differ: French uses the singular for 0, Dutch the plural") {
        const std::string plural =
            R"~(<p t:i18n="" t:plural="{count} actions in the plan." t:count="0">{count} action in the plan.</p>)~";
        CHECK(renderBody(plural, "fr") == "<p>0 action dans le plan.</p>");
        CHECK(renderBody(plural, "nl") == "<p>0 acties in het plan.</p>");
    }
    SECTION("a vocabulary term and a translated expression") {
        CHECK(renderBody(R"~(<i t:text="cf:term('sector', 'mental-health')">x</i><i t:text="cf:t('Care plan')">y</i>)~",
                         "nl") == "<i>geestelijke gezondheid</i><i>Zorgplan</i>");
    }
}

TEST_CASE("A bilingual document writes each translated text in both languages, first first, each tagged with lang",
          "[render]") {
    const std::string body = R"~(<h2 t:i18n="">Care plan</h2><td t:text="cf:format-date(items/item[1]/@when)">d</td>)~";
    CHECK(renderBody(body, "fr+nl") ==
          "<h2><span lang=\"fr\">Plan de soins</span><span class=\"sep\"> / </span><span lang=\"nl\" class=\"l2\">"
          "Zorgplan</span></h2><td><span lang=\"fr\">11 février 2026</span><span class=\"sep\"> / </span>"
          "<span lang=\"nl\" class=\"l2\">11 februari 2026</span></td>");
    SECTION("each language formats its own dates, first language first (issue 14)") {
        CHECK(renderBody(body, "nl+fr") ==
              "<h2><span lang=\"nl\">Zorgplan</span><span class=\"sep\"> / </span><span lang=\"fr\" class=\"l2\">"
              "Plan de soins</span></h2><td><span lang=\"nl\">11 februari 2026</span><span class=\"sep\"> / </span>"
              "<span lang=\"fr\" class=\"l2\">11 février 2026</span></td>");
    }
    SECTION("the root element carries the first language, a title joins both as text") {
        TemplateDirectory directory;
        directory.write("doc.xhtml", "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:t=\"urn:caseflow:template:1\" "
                                     "lang=\"en\"><head><title t:i18n=\"\">Care plan</title></head><body/></html>");
        Environment environment(directory.path(), "tpl");
        Rendering rendering;
        const std::string html = rendering.render(environment, "doc", "nl+fr");
        CHECK(html.rfind("<!DOCTYPE html>\n<html lang=\"nl\">", 0) == 0);
        CHECK(html.find("<title>Zorgplan / Plan de soins</title>") != std::string::npos);
    }
    SECTION("translated attribute values are joined") {
        CHECK(renderBody(R"~(<abbr t:attr-title="cf:t('Care plan')">x</abbr>)~", "fr+nl") ==
              "<abbr title=\"Plan de soins / Zorgplan\">x</abbr>");
    }
}

TEST_CASE("Template errors name the file, the line and the directive", "[render]") {
    struct Case {
        const char* what;
        std::string body;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {"unknown directive", "<p t:txet=\"1\">x</p>", "tpl/doc.xhtml:4: t:txet: unknown directive"},
        {"XPath syntax", "<p>\n<b t:text=\"items/item[\">x</b></p>",
         "tpl/doc.xhtml:5: t:text: invalid XPath expression 'items/item['"},
        {"unknown variable", "<p t:if=\"$nope\">x</p>", "tpl/doc.xhtml:4: t:if: unknown variable $nope"},
        {"unknown function", "<p t:text=\"cf:format-dat(.)\">x</p>",
         "tpl/doc.xhtml:4: t:text: unknown function cf:format-dat()"},
        {"t:else alone", "<p>a</p><p t:else=\"\">b</p>",
         "tpl/doc.xhtml:4: t:else: t:else must directly follow an element with t:if"},
        {"missing fragment", "<div t:include=\"nowhere\"/>",
         "tpl/doc.xhtml:4: t:include: cannot read tpl/fragments/nowhere.xhtml"},
        {"script from data", "<a t:attr-onclick=\"'x'\">x</a>",
         "tpl/doc.xhtml:4: t:attr-onclick: data may not set 'onclick'"},
        {"URL from data", "<a t:attr-href=\"'x'\">x</a>", "tpl/doc.xhtml:4: t:attr-href: data may not set 'href'"},
        {"msgid not literal", "<p t:text=\"cf:t(youth/reference)\">x</p>",
         "tpl/doc.xhtml:4: t:text: cf:t() needs the msgid as a string literal"},
        {"unknown vocabulary", "<p t:text=\"cf:term('colours', 'red')\">x</p>",
         "tpl/doc.xhtml:4: t:text: no vocabulary 'colours'"},
        {"placeholder without argument", "<p t:i18n=\"\">Care plan {reference}</p>",
         "tpl/doc.xhtml:4: t:i18n: placeholder {reference} has no t:arg-reference"},
        {"markup inside a message", "<p t:i18n=\"\">Care <b>plan</b></p>",
         "tpl/doc.xhtml:4: t:i18n: the text to translate must be plain text"},
        {"t:as without t:each", "<p t:as=\"x\">x</p>", "tpl/doc.xhtml:4: t:as: t:as names the item of a t:each"},
        {"redefining a global", "<p t:let-lang=\"'fr'\">x</p>",
         "tpl/doc.xhtml:4: t:let-lang: $lang is a global variable"},
        {"loop variable out of its loop", "<p t:each=\"items/item\">a</p><p t:text=\"$index\">b</p>",
         "tpl/doc.xhtml:4: t:text: unknown variable $index"},
        {"not XHTML", "<p xmlns=\"urn:other\">x</p>", "tpl/doc.xhtml:4: <p> is not in the XHTML namespace"},
        {"malformed XML", "<p>x</b>", "tpl/doc.xhtml:4: "},
    };
    for (const auto& [what, body, expected] : cases) {
        INFO(what);
        const std::string message = compileError(templateText(body));
        INFO(message);
        CHECK(message.rfind(expected, 0) == 0);
    }
    SECTION("an error inside a fragment names the fragment's file") {
        const std::string message =
            compileError(templateText("<div t:include=\"card\"/>"),
                         {{"card", templateText("<p t:fragment=\"card\">\n<b t:text=\"$missing\">x</b></p>")}});
        CHECK(message.rfind("tpl/fragments/card.xhtml:5: t:text: unknown variable $missing", 0) == 0);
    }
    SECTION("a fragment that includes itself") {
        const std::string message =
            compileError(templateText("<div t:include=\"loop\"/>"),
                         {{"loop", templateText("<div t:fragment=\"loop\"><p t:include=\"loop\"/></div>")}});
        CHECK(message.find("t:include: fragment 'loop' includes itself: loop -> loop") != std::string::npos);
    }
}

TEST_CASE("An expression that fails on the data names file:line and the directive while rendering", "[render]") {
    TemplateDirectory directory;
    directory.write(
        "doc.xhtml",
        templateText("<p t:each=\"string(youth/reference)\">x</p>\n<p t:text=\"cf:format-date(items/item[1]/@when, "
                     "$style)\" t:let-style=\"'tiny'\">y</p>"));
    directory.write(
        "style.xhtml",
        templateText("<p t:let-style=\"'tiny'\" t:text=\"cf:format-date(items/item[1]/@when, $style)\">y</p>"));
    Environment environment(directory.path(), "tpl");
    Rendering rendering;
    CHECK_THROWS_WITH(
        rendering.render(environment, "doc"),
        Catch::StartsWith("tpl/doc.xhtml:4: t:each: cannot evaluate 'string(youth/reference)': t:each needs a "
                          "node-set, this gives a string"));
    CHECK_THROWS_WITH(rendering.render(environment, "style"),
                      Catch::StartsWith("tpl/style.xhtml:4: t:text: cannot evaluate") &&
                          Catch::Contains("unknown date style 'tiny'"));
}

TEST_CASE("Templates are compiled once by the environment and shared", "[render]") {
    TemplateDirectory directory;
    directory.write("doc.xhtml", templateText("<p>static</p>"));
    Environment environment(directory.path(), "tpl");
    const auto first = environment.get("doc");
    CHECK(environment.get("doc") == first);
    CHECK(first->expressions().empty());
    SECTION("markup without directives is serialised once, at compile time") {
        // DOCTYPE, the root (dynamic only for its lang attribute), a final newline.
        REQUIRE(first->nodes().size() == 3);
        REQUIRE(first->nodes()[1].children.size() == 1);
        CHECK(first->nodes()[1].children[0].markup ==
              "\n<head><title>test</title></head>\n<body>\n<p>static</p>\n</body>\n");
    }
}

TEST_CASE("One compiled template renders identical documents from many threads at once", "[render]") {
    using namespace caseflow::test::render;
    FixedBusinessDate today(kToday);
    const SituationRecord record = fixtureRecord();
    const DocumentRenderer renderer;
    const auto context = fixtureContext(record);
    std::map<std::string, std::string> expected;
    for (const auto* language : {"fr", "nl", "fr+nl"})
        expected[language] = renderer.render(record, namurNetwork(), {"minutes", language, "html", ""}, context);
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            const std::string language = t % 3 == 0 ? "fr" : t % 3 == 1 ? "nl" : "fr+nl";
            for (int i = 0; i < 25; ++i)
                if (renderer.render(record, namurNetwork(), {"minutes", language, "html", ""}, context) !=
                    expected[language])
                    ++mismatches;
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(mismatches == 0);
}

TEST_CASE("The shipped templates compile and declare their subject", "[render]") {
    const Environment& environment = Environment::shared();
    for (const auto& name : documentNames()) {
        INFO(name);
        const auto compiled = environment.get(name);
        CHECK(compiled->subject() >= 0);
        CHECK_FALSE(compiled->subjectName().empty());
    }
}
