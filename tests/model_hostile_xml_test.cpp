// Specifications of the hardened XML parser: whatever a file contains, parsing it never
// expands entities, reads other files, touches the network, or guesses an encoding.
#include "core/Errors.h"
#include "model/Situation.h"
#include "xml/Xml.h"

#include <catch2/catch.hpp>

using namespace caseflow;

TEST_CASE("a billion-laughs document is refused without expanding anything", "[model][security]") {
    const std::string bomb = R"(<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<situation>&lol4;</situation>)";
    try {
        xml::parseString(bomb, "bomb.xml");
        FAIL("parsed a billion-laughs document");
    } catch (const InvalidInput& error) {
        CHECK_THAT(error.what(), Catch::Contains("DOCTYPE"));
    }
}

TEST_CASE("an external entity is never resolved", "[model][security]") {
    const std::string xxe = R"(<?xml version="1.0"?>
<!DOCTYPE s [<!ENTITY secret SYSTEM "file:///etc/passwd">]><situation>&secret;</situation>)";
    CHECK_THROWS_AS(xml::parseString(xxe, "xxe.xml"), InvalidInput);
    const std::string external = R"(<?xml version="1.0"?><!DOCTYPE s SYSTEM "http://127.0.0.1:9/s.dtd"><situation/>)";
    CHECK_THROWS_AS(xml::parseString(external, "dtd.xml"), InvalidInput);
}

TEST_CASE("bytes that are not UTF-8 are refused", "[model][security]") {
    const std::string latin1 = "<situation><youth>Fran\xe7oise</youth></situation>";
    CHECK_THROWS_AS(xml::parseString(latin1, "latin1.xml"), InvalidInput);
    const std::string declared = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><situation/>";
    CHECK_THROWS_AS(xml::parseString(declared, "declared.xml"), InvalidInput);
}

TEST_CASE("malformed XML names the file and the line", "[model]") {
    try {
        xml::parseString("<situation>\n<youth>\n</situation>", "broken.xml");
        FAIL("parsed malformed XML");
    } catch (const InvalidInput& error) {
        CHECK_THAT(error.what(), Catch::Contains("broken.xml:3"));
    }
}

TEST_CASE("a document above the size limit is refused before parsing", "[model][security]") {
    std::string huge = "<situation>";
    huge.append(65 * 1024 * 1024, ' ');
    huge += "</situation>";
    CHECK_THROWS_WITH(xml::parseString(huge, "huge.xml"), Catch::Contains("larger than"));
}
