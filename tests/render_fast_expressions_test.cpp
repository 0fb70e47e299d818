// The fast evaluation of simple template expressions (render/FastExpression.h, issue 19) must give
// exactly what libxml2's XPath gives: every document of every sample situation, at every step of its
// scenario's end state, is rendered in every language both ways and the bytes compared; then the
// edge cases where the fast path must decline or differ from a naive reading are checked one by one.
#include "render/RenderTestSupport.h"

#include "render/CompiledTemplate.h"
#include "render/Environment.h"
#include "render/FastExpression.h"
#include "support/Pilot.h"
#include "xml/Xml.h"

#include <catch2/catch.hpp>
#include <libxml/xpathInternals.h>

using namespace caseflow;
using namespace caseflow::test;
using namespace caseflow::test::render;
using caseflow::render::FastExpression;
using caseflow::render::RenderRequest;

namespace {

// Turns the fast path off for one scope, whatever happens.
class LibxmlOnly {
public:
    LibxmlOnly() { caseflow::render::useFastExpressions(false); }
    ~LibxmlOnly() { caseflow::render::useFastExpressions(true); }
    LibxmlOnly(const LibxmlOnly&) = delete;
    LibxmlOnly& operator=(const LibxmlOnly&) = delete;
};

struct Variables final : caseflow::render::VariableSource {
    std::vector<std::pair<std::string, xml::XPathObjectPtr>> values;
    const xmlDoc* root = nullptr;
    const xmlXPathObject* find(std::string_view name) const override {
        for (const auto& [given, value] : values)
            if (given == name) return value.get();
        return nullptr;
    }
    const xmlDoc* rootDocument() const override { return root; }
};

} // namespace

TEST_CASE("every sample document renders to the same bytes with and without the fast expression path", "[render]") {
    Pilot pilot;
    for (const auto& stem : sampleStems()) pilot.runScenario(pilot.registerSample(stem), stem);
    auto& process = pilot.process();
    const auto records = process.situations();
    const caseflow::render::RenderContext context{caseflow::render::EnvelopeLedger::build(records, process.network()),
                                                  caseflow::render::SignatureLedger::build(process, records)};
    const caseflow::render::DocumentRenderer renderer;
    std::size_t compared = 0;
    for (const auto& record : records)
        for (const auto& document : caseflow::render::documentNames())
            for (const auto& item : caseflow::render::documentItems(record, document)) {
                if (!renderer.applies(record, process.network(), document, item)) continue;
                for (const auto* language : {"fr", "nl", "fr+nl"}) {
                    const RenderRequest request{document, language, "html", item};
                    INFO("situation " << record.id << " " << document << " " << item << " " << language);
                    const std::string fast = renderer.render(record, process.network(), request, context);
                    std::string slow;
                    {
                        LibxmlOnly off;
                        slow = renderer.render(record, process.network(), request, context);
                    }
                    REQUIRE(fast == slow);
                    ++compared;
                }
            }
    CHECK(compared > 100);
}

TEST_CASE("most expressions of the care plan take the fast path", "[render]") {
    const auto compiled = caseflow::render::Environment::shared().get("care-plan");
    std::size_t fast = 0;
    for (const auto& expression : compiled->fastExpressions())
        if (expression.kind != FastExpression::Kind::None) ++fast;
    CHECK(fast * 2 >= compiled->fastExpressions().size());
}

TEST_CASE("the fast path declines what it cannot evaluate exactly as XPath does", "[render]") {
    for (const char* text :
         {"$lang", "..", "a[1]", "@*", "ds:Signature", "count(a)", "a | b", "@id = 'x'", "concat(@a, count(b))",
          "cf:format-date(@d, $style)", "cf:format-date(@d, 'weekly')", "/", "a/", "1", "a/text()", "child::a"}) {
        INFO(text);
        CHECK(FastExpression::parse(text).kind == FastExpression::Kind::None);
    }
    CHECK(FastExpression::parse(" @start ").kind == FastExpression::Kind::Path);
    CHECK(FastExpression::parse("concat('(', @id, ')')").kind == FastExpression::Kind::Concat);
    CHECK(FastExpression::parse("string($subject/@signedAt)").kind == FastExpression::Kind::StringOf);
    CHECK(FastExpression::parse("cf:format-date(@end, 'numeric')").kind == FastExpression::Kind::FormatDate);
}

TEST_CASE("fast paths read the first node in document order, no-namespace names only, and '/' of the situation",
          "[render]") {
    const auto situation =
        xml::parseString("<situation xmlns:x=\"urn:x\"><a id=\"1\" x:id=\"ns\"><b>first</b></a><a><b>second</b></a>"
                         "<x:a><b>namespaced</b></x:a><c x:id=\"only-ns\"/><d></d></situation>",
                         "situation");
    const auto other = xml::parseString("<network><a><b>network</b></a></network>", "network");
    xmlNode* root = xml::root(situation.get());
    Variables variables;
    variables.root = situation.get();
    xml::XPath xpath(situation.get());
    const auto bind = [&](const std::string& name, const std::string& path) {
        variables.values.emplace_back(name, xpath.evaluate(path));
    };
    bind("as", "/situation/a");
    bind("none", "/situation/nothing");
    variables.values.emplace_back("text", xml::XPathObjectPtr(xmlXPathNewString(xml::x(" kept "))));
    variables.values.emplace_back("yes", xml::XPathObjectPtr(xmlXPathNewBoolean(1)));
    variables.values.emplace_back("number", xml::XPathObjectPtr(xmlXPathNewFloat(2)));
    const auto string = [&](const char* text, xmlNode* context) {
        return FastExpression::parse(text).string(context, variables, "fr");
    };
    const auto boolean = [&](const char* text, xmlNode* context) {
        return FastExpression::parse(text).boolean(context, variables, "fr");
    };

    CHECK(string("a/b", root) == "first");
    CHECK(string("a/@id", root) == "1"); // the first a has it; the namespaced x:id is another attribute
    CHECK(string("c/@id", root) == "");  // only x:id: @id selects nothing
    CHECK(boolean("c/@id", root) == false);
    CHECK(boolean("d", root) == true); // an empty element exists
    CHECK(string("d", root) == "");
    CHECK(string("$as/@id", root) == "1");
    CHECK(!string("$as/b", root)); // several start nodes with child steps: libxml2 sorts them
    CHECK(boolean("$none", root) == false);
    CHECK(string("$text", root) == " kept "); // trimming is the caller's, like for libxml2's result
    CHECK(boolean("$yes", root) == true);
    CHECK(string("$yes", root) == "true");
    CHECK(!string("$number", root));  // a number's string form is libxml2's
    CHECK(!string("$unknown", root)); // libxml2 reports the unknown variable
    // "/" is the situation even when the context node is in another document, as libxml2 reads it.
    CHECK(string("/situation/a/b", xml::root(other.get())) == "first");
    CHECK(string("a/b", xml::root(other.get())) == "network");
    CHECK(string("concat('(', a/@id, ')')", root) == "(1)");
    CHECK(boolean("string(c/@id)", root) == false);
}
