// Specifications of the compact XML writer (xml::serializeCompact): what it writes is, byte for
// byte, what libxml2 writes for the same tree. The stored situations, the event payloads and
// their hashes are made of these bytes, and `verify` compares a rebuild's bytes with the stored
// ones: a database written by libxml2's writer must read back as unchanged under this one.
#include "support/Pilot.h"
#include "support/TestSupport.h"
#include "xml/Xml.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace caseflow;

namespace {

// Both writers on one tree: the compact one must take it (not hand it to libxml2) and agree.
void requireSameBytes(const xmlDoc* doc, const std::string& what) {
    INFO(what);
    const auto compact = xml::serializeCompact(doc);
    REQUIRE(compact.has_value());
    REQUIRE(*compact == xml::serializeWithLibxml2(doc));
    REQUIRE(xml::serialize(doc) == *compact);
}

std::string fileText(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("every situation and event of the whole pilot is written as libxml2 writes it", "[xml][serialize]") {
    test::Pilot pilot;
    for (const auto& stem : test::sampleStems()) pilot.runScenario(pilot.registerSample(stem), stem);
    int situations = 0, payloads = 0;
    for (const auto& record : pilot.process().situations()) {
        const auto stored = xml::parseString(record.document, "situation " + std::to_string(record.id));
        requireSameBytes(stored.get(), "situation " + std::to_string(record.id));
        // The stored text itself is libxml2's: written again, it is the same text.
        CHECK(xml::serialize(stored.get()) == record.document);
        ++situations;
        for (const auto& event : pilot.process().history(record.id)) {
            const auto payload = xml::parseString(event.payload, "event " + std::to_string(event.position));
            requireSameBytes(payload.get(), "event " + std::to_string(event.position));
            ++payloads;
        }
    }
    CHECK(situations >= 14);
    CHECK(payloads > 150);
}

TEST_CASE("every XML file the project ships is written as libxml2 writes it", "[xml][serialize]") {
    int written = 0, declined = 0;
    for (const auto& directory : {"samples", "workflows", "schemas", "tests/fixtures", "tests/data"}) {
        const auto root = test::projectDir() / directory;
        if (!std::filesystem::exists(root)) continue;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
            const auto extension = entry.path().extension().string();
            if (!entry.is_regular_file() || (extension != ".xml" && extension != ".xsd" && extension != ".scxml"))
                continue;
            xml::Document doc;
            try {
                doc = xml::parseString(fileText(entry.path()), entry.path().string());
            } catch (const std::exception&) {
                continue; // the hostile and malformed fixtures
            }
            INFO(entry.path().string());
            const auto compact = xml::serializeCompact(doc.get());
            if (!compact) {
                ++declined; // a processing instruction, CDATA...: libxml2 writes it
                CHECK(xml::serialize(doc.get()) == xml::serializeWithLibxml2(doc.get()));
                continue;
            }
            CHECK(*compact == xml::serializeWithLibxml2(doc.get()));
            ++written;
        }
    }
    CHECK(written > 30);
    CHECK(declined < written);
}

TEST_CASE("characters that need escaping are escaped exactly as libxml2 escapes them", "[xml][serialize]") {
    // Through the tree API, so that what a parser would normalise (a carriage return, a tab in
    // an attribute) reaches the writer as it is.
    xml::Document doc(xmlNewDoc(xml::x("1.0")));
    xmlNode* root = xmlNewDocNode(doc.get(), nullptr, xml::x("situation"), nullptr);
    xmlDocSetRootElement(doc.get(), root);
    const std::string awkward = "a<b>c&d\"e'f\tg\nh\ri é – 😀 ]]> --";
    xmlNewProp(root, xml::x("note"), xml::x(awkward.c_str()));
    xmlNode* text = xmlNewDocNode(doc.get(), nullptr, xml::x("text"), nullptr);
    xmlAddChild(root, text);
    xmlAddChild(text, xmlNewDocText(doc.get(), xml::x(awkward.c_str())));
    xmlAddChild(root, xmlNewDocNode(doc.get(), nullptr, xml::x("empty"), nullptr));
    xmlAddChild(root, xmlNewDocComment(doc.get(), xml::x(" a comment é ")));
    xmlNode* attributes = xmlNewDocNode(doc.get(), nullptr, xml::x("many"), nullptr);
    xmlAddChild(root, attributes);
    xmlNewProp(attributes, xml::x("empty"), xml::x(""));
    xmlNewProp(attributes, xml::x("second"), xml::x("&amp;"));
    requireSameBytes(doc.get(), "built tree");

    const std::string parsed = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n") +
                               "<!-- before the root -->\n<r a=\"x&#10;y&#9;z&#13;\" b='\"'>t&#13;&lt;&amp;&gt;" +
                               "<e/><f></f>  <g>\n  </g></r>\n<!-- after -->";
    requireSameBytes(xml::parseString(parsed, "parsed.xml").get(), "parsed text");
}

TEST_CASE("namespaces are declared and prefixed exactly as libxml2 writes them", "[xml][serialize]") {
    const std::string signedPlan =
        R"(<carePlan xmlns:cf="urn:caseflow:workflow:1" cf:version="3"><goal>x</goal>)"
        R"(<Signature xmlns="http://www.w3.org/2000/09/xmldsig#" Id="s1"><SignedInfo><Reference URI=""/>)"
        R"(</SignedInfo><SignatureValue>AAAA
BBBB</SignatureValue></Signature>)"
        R"(<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:KeyInfo xml:lang="fr"/></ds:Signature>)"
        R"(</carePlan>)";
    requireSameBytes(xml::parseString(signedPlan, "signed.xml").get(), "namespaces");
}

TEST_CASE("a document the compact writer does not know is left to libxml2, with the same result", "[xml][serialize]") {
    const auto withInstruction = xml::parseString("<?xml version=\"1.0\"?><?render fast?><r><![CDATA[<x>]]></r>", "pi");
    CHECK_FALSE(xml::serializeCompact(withInstruction.get()).has_value());
    CHECK(xml::serialize(withInstruction.get()) == xml::serializeWithLibxml2(withInstruction.get()));
    // Pretty printing is libxml2's.
    const auto plain = xml::parseString("<r><a>1</a></r>", "plain");
    CHECK(xml::serialize(plain.get(), true) == xml::serializeWithLibxml2(plain.get(), true));
}
