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

// What libxml2's xmlNodeDump writes for one node.
std::string libxml2NodeDump(const xmlNode* node) {
    xml::BufferPtr buffer(xmlBufferCreate());
    xmlNodeDump(buffer.get(), node->doc, const_cast<xmlNode*>(node), 0, 0);
    return std::string(xml::c(xmlBufferContent(buffer.get())), static_cast<std::size_t>(xmlBufferLength(buffer.get())));
}

// Every element of a tree, written alone by both; returns how many the compact writer took.
int requireSameNodeDumps(const xmlNode* node) {
    int taken = 0;
    for (; node; node = node->next) {
        if (node->type != XML_ELEMENT_NODE) continue;
        const auto compact = xml::serializeNodeCompact(node);
        const std::string expected = libxml2NodeDump(node);
        if (compact) {
            REQUIRE(*compact == expected);
            ++taken;
        }
        REQUIRE(xml::serializeNode(node) == expected);
        taken += requireSameNodeDumps(node->children);
    }
    return taken;
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
        CHECK(requireSameNodeDumps(xml::root(stored.get())) > 10);
        for (const auto& event : pilot.process().history(record.id)) {
            const auto payload = xml::parseString(event.payload, "event " + std::to_string(event.position));
            requireSameBytes(payload.get(), "event " + std::to_string(event.position));
            // The payload's data is written alone into the next payload's text (EventPayload).
            requireSameNodeDumps(xml::root(payload.get()));
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

TEST_CASE("one node is written as libxml2's xmlNodeDump writes it, with or without the document's encoding",
          "[xml][serialize]") {
    const std::string part =
        R"(<consent recordedBy="Hélène Marchal" date="2026-01-14">Données « partagées » &amp; é</consent>)";
    // Declared: libxml2 keeps the attribute's UTF-8; the compact writer takes it.
    const auto declared = xml::parseString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + part, "declared.xml");
    REQUIRE(xml::serializeNodeCompact(xml::root(declared.get())).has_value());
    CHECK(xml::serializeNode(xml::root(declared.get())) == libxml2NodeDump(xml::root(declared.get())));
    // A tree without an encoding (built, not parsed: the parser always records UTF-8): libxml2
    // writes character references in its attributes, and the compact writer declines it.
    xml::Document built(xmlNewDoc(xml::x("1.0")));
    xmlNode* consent = xmlNewDocNode(built.get(), nullptr, xml::x("consent"), xml::x("é"));
    xmlDocSetRootElement(built.get(), consent);
    xmlNewProp(consent, xml::x("recordedBy"), xml::x("Hélène Marchal"));
    REQUIRE(built->encoding == nullptr);
    CHECK_FALSE(xml::serializeNodeCompact(consent).has_value());
    CHECK(xml::serializeNode(consent) == libxml2NodeDump(consent));
    CHECK_THAT(xml::serializeNode(consent), Catch::Contains("H&#xE9;l&#xE8;ne"));
    // ASCII attributes: taken either way, the text's UTF-8 kept as it is.
    const auto plain = xml::parseString(R"(<reason by="Julie">é « x »</reason>)", "plain.xml");
    REQUIRE(xml::serializeNodeCompact(xml::root(plain.get())).has_value());
    CHECK(xml::serializeNode(xml::root(plain.get())) == libxml2NodeDump(xml::root(plain.get())));
}
