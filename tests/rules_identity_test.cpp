// The youth's identity rules (issue 13): R1's territory by postal codes and its age range,
// checked at registration and at each concertation; R2's attention ages; redirections that
// say where the youth was sent; and the corrections of what changes in a youth's life or was
// typed wrong. Everything runs on a real SQLite file through the engine's use cases (and the
// real `caseflow` binary for the command line). What must stay true: each case fails on the
// engine before issue 13 and names the rule it checks.
#include "core/Errors.h"
#include "model/NetworkSettings.h"
#include "support/Pilot.h"

#include <catch2/catch.hpp>

using namespace caseflow;
using namespace caseflow::test;

namespace {

// Emma's registration (scenario 01, registered on 2026-01-07) with some youth fields changed,
// under a reference of its own: a reference names one dossier.
std::string emmaWith(const std::map<std::string, std::string>& youthFields) {
    static int registrations = 0;
    std::string situation = sampleSituation(kEmma);
    for (const auto& [field, value] : youthFields) situation = withText(situation, "/situation/youth/" + field, value);
    return withText(situation, "/situation/youth/reference", "KIR-26-8" + std::to_string(100 + ++registrations));
}

std::int64_t registerEmmaWith(Pilot& pilot, const std::map<std::string, std::string>& youthFields) {
    return pilot.process().registerSituation(emmaWith(youthFields), "emma.xml", Actor{"partner", "test"}).id;
}

std::shared_ptr<const NetworkSettings> namurWithTerritory(const std::string& territory) {
    std::string text = readFile(projectDir() / "samples/namur/network.xml");
    const auto from = text.find("<territory>");
    const auto to = text.find("</territory>") + std::string("</territory>").size();
    return NetworkSettings::fromString(text.replace(from, to - from, territory), "network.xml");
}

} // namespace

// --- R1: the territory is postal codes -------------------------------------------------------

TEST_CASE("a youth living in Wépion (5100) is in Namur's territory (R1)", "[rules][identity][fast]") {
    Pilot pilot;
    CHECK(pilot.state(registerEmmaWith(pilot, {{"postalCode", "5100"}, {"municipality", "Wépion"}})) ==
          "awaiting-request");
}

TEST_CASE("a youth living in Saint-Servais (5002) is in Namur's territory (R1)", "[rules][identity][fast]") {
    Pilot pilot;
    CHECK(pilot.state(registerEmmaWith(pilot, {{"postalCode", "5002"}, {"municipality", "Saint-Servais"}})) ==
          "awaiting-request");
}

TEST_CASE("a youth whose municipality is written in Dutch, Namen, is in Namur's territory (R1)",
          "[rules][identity][fast]") {
    Pilot pilot;
    CHECK(pilot.state(registerEmmaWith(pilot, {{"postalCode", "5000"}, {"municipality", "Namen"}})) ==
          "awaiting-request");
}

TEST_CASE("the postal code decides the territory, not the municipality's name (R1)", "[rules][identity][fast]") {
    Pilot pilot;
    // Typed "Namur" but living in Charleroi (6000): out of the territory.
    CHECK(pilot.state(registerEmmaWith(pilot, {{"postalCode", "6000"}, {"municipality", "Namur"}})) ==
          "redirected-out-of-territory");
    CHECK(pilot.state(pilot.registerSample("14-charleroi-out-of-territory")) == "redirected-out-of-territory");
}

TEST_CASE("a territory is postal-code ranges and single codes, edges included (R1)", "[rules][identity][fast]") {
    const auto network =
        namurWithTerritory(R"(<territory><postalCodes from="5000" to="5999"/><postalCode>6280</postalCode>
                                 <municipality postalCode="5000">Namur</municipality></territory>)");
    CHECK(network->inTerritory("5000"));
    CHECK(network->inTerritory("5999"));
    CHECK(network->inTerritory("6280")); // a single code beside the range
    CHECK_FALSE(network->inTerritory("4999"));
    CHECK_FALSE(network->inTerritory("6000"));
    CHECK_FALSE(network->inTerritory(""));
    CHECK_FALSE(network->inTerritory("Namur"));
}

TEST_CASE("both sample networks define their territory by postal codes (R1)", "[rules][identity][fast]") {
    const auto namur = NetworkSettings::fromFile(projectDir() / "samples/namur/network.xml");
    const auto brussels = NetworkSettings::fromFile(projectDir() / "samples/brussels/network.xml");
    REQUIRE(namur->territoryRanges().size() == 1);
    CHECK(namur->territoryRanges()[0].from == 5000);
    CHECK(namur->territoryRanges()[0].to == 5999);
    REQUIRE(brussels->territoryRanges().size() == 1);
    CHECK(brussels->territoryRanges()[0].from == 1000);
    CHECK(brussels->territoryRanges()[0].to == 1299);
    CHECK(brussels->inTerritory("1030")); // Schaerbeek
    CHECK_FALSE(brussels->inTerritory("1300"));
}

TEST_CASE("a territory without postal codes, or with an empty range, is refused naming it (R1)",
          "[rules][identity][fast]") {
    CHECK_THROWS_WITH(namurWithTerritory(R"(<territory><municipality>Namur</municipality></territory>)"),
                      Catch::Contains("network.xml") && Catch::Contains("postalCodes"));
    CHECK_THROWS_WITH(namurWithTerritory(R"(<territory><postalCodes from="5999" to="5000"/></territory>)"),
                      Catch::Contains("from 5999 to 5000"));
}

TEST_CASE("a registration without the youth's postal code is refused naming it (R1)", "[rules][identity][fast]") {
    Pilot pilot;
    const auto situation = withoutNodes(emmaWith({}), "/situation/youth/postalCode");
    CHECK_THROWS_WITH(pilot.process().registerSituation(situation, "emma.xml", Actor{"partner", "test"}),
                      Catch::Contains("emma.xml") && Catch::Contains("postalCode"));
}
