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

// --- Redirection is never silent ---------------------------------------------------------------

TEST_CASE("a redirection out of the territory records where the youth was sent (R1)", "[rules][identity][fast]") {
    Pilot pilot;
    const auto id = pilot.registerSample("14-charleroi-out-of-territory");
    const std::string document = pilot.process().situation(id).document;
    CHECK_THAT(document, Catch::Contains(R"(<redirection date="2026-02-23" reason="out-of-territory">)") &&
                             Catch::Contains("<redirectedTo>Le réseau de santé mentale enfants-adolescents"));
    // A youth in the process carries none.
    CHECK_THAT(pilot.process().situation(pilot.registerSample(kEmma)).document, !Catch::Contains("<redirection"));
}

TEST_CASE("situation new prints the redirection's rule, reason and destination in the user's language (R1, R3)",
          "[rules][identity][cli]") {
    ScratchDir dir;
    const auto db = (dir / "pilot.db").string();
    REQUIRE(runCli({"init", "--network", (projectDir() / "samples/namur/network.xml").string(), "--db", db}).exitCode ==
            0);
    const auto sample = [](const std::string& stem) {
        return (projectDir() / "samples/namur/situations" / (stem + ".xml")).string();
    };
    const auto outOfTerritory =
        runCli({"situation", "new", sample("14-charleroi-out-of-territory"), "--db", db, "--lang", "fr"});
    CHECK(outOfTerritory.exitCode == 0); // registered, redirected: docs/cli.md
    CHECK_THAT(outOfTerritory.out,
               Catch::StartsWith("1\n") &&
                   Catch::Contains("réorientée (R1) : le code postal 6000 est hors du territoire") &&
                   Catch::Contains("orientée vers : Le réseau de santé mentale"));
    const auto emergency = runCli({"situation", "new", sample("13-namur-emergency"), "--db", db, "--lang", "nl"});
    CHECK_THAT(emergency.out, Catch::Contains("doorverwezen (R3)") && Catch::Contains("doorverwezen naar: Urgences"));
    const auto registered = runCli({"situation", "new", sample(kEmma), "--db", db, "--lang", "en"});
    CHECK(registered.out == "3\nregistered: awaiting-request\n");
    const auto json = runCli({"situation", "show", "1", "--json", "--db", db});
    CHECK_THAT(json.out, Catch::Contains(R"("redirection")") && Catch::Contains(R"("reason": "out-of-territory")"));
}

// --- R1 age, R2 attention ages -----------------------------------------------------------------

TEST_CASE("a birth date after the registration date is refused with R1", "[rules][identity][fast]") {
    Pilot pilot;
    CHECK(refusedRules([&] { registerEmmaWith(pilot, {{"birthDate", "2026-01-08"}}); }) == "R1");
    CHECK(pilot.process().situationCount() == 0);
}

TEST_CASE("a youth who turned 24 before the concertation is refused with R1", "[rules][identity][fast]") {
    Pilot pilot;
    // Registered on 2026-01-07 aged 23 (born 2002-01-08); the concertation of step 4 is held
    // after 2026-01-08, when the youth is 24.
    // An adult consents for themself (R9, from the network's self-consent age): the youth's own
    // agreement, recorded after the parent's, so that only R1 can refuse the concertation.
    const std::string ownConsent = R"(<consent type="information-sharing" given="true" date="2026-01-15" )"
                                   R"(recordedBy="Julie Maes" by="youth">Accord du jeune.</consent>)";
    const auto id = registerEmmaWith(pilot, {{"birthDate", "2002-01-08"}});
    REQUIRE(pilot.state(id) == "awaiting-request");
    pilot.runSteps(id, kEmma, 1, 2);
    pilot.fire(id, "consent.recorded", ownConsent, "case_manager:Julie Maes", "2026-01-15");
    CHECK(refusedRules([&] { pilot.fire(id, emmaStep(4)); }) == "R1");
    // Born a year later, 23 on the day: held.
    const auto younger = registerEmmaWith(pilot, {{"birthDate", "2003-01-08"}});
    pilot.runSteps(younger, kEmma, 1, 2);
    pilot.fire(younger, "consent.recorded", ownConsent, "case_manager:Julie Maes", "2026-01-15");
    CHECK(refusedRules([&] { pilot.fire(younger, emmaStep(4)); }) == "accepted");
}

TEST_CASE("the network's attention ages flag a youth of 11-12 and of 18 (R2)", "[rules][identity][fast]") {
    const auto namur = NetworkSettings::fromFile(projectDir() / "samples/namur/network.xml");
    const Date birth = Date::parseOrThrow("2008-07-14", "birth");
    CHECK(namur->attentionFlags(birth, Date::parseOrThrow("2026-07-13", "d")).empty()); // 17
    CHECK(namur->attentionFlags(birth, Date::parseOrThrow("2026-07-14", "d")) == std::vector<std::string>{"age-18"});
    CHECK(namur->attentionFlags(birth, Date::parseOrThrow("2027-07-14", "d")).empty()); // 19
    const Date yanis = Date::parseOrThrow("2014-09-15", "birth");
    CHECK(namur->attentionFlags(yanis, Date::parseOrThrow("2025-09-15", "d")) == std::vector<std::string>{"age-11-12"});
    CHECK(namur->attentionFlags(yanis, Date::parseOrThrow("2027-09-14", "d")) == std::vector<std::string>{"age-11-12"});
    CHECK(namur->attentionFlags(yanis, Date::parseOrThrow("2027-09-15", "d")).empty());
}

TEST_CASE("due and the situation views flag a youth who reached an attention age (R2)", "[rules][identity][cli]") {
    ScratchDir dir;
    const auto db = (dir / "pilot.db").string();
    REQUIRE(runCli({"init", "--network", (projectDir() / "samples/namur/network.xml").string(), "--db", db}).exitCode ==
            0);
    // Thomas (sample 05) turns 18 on 2026-07-14.
    REQUIRE(runCli({"situation", "new",
                    (projectDir() / "samples/namur/situations/05-gembloux-turning-eighteen.xml").string(), "--db", db})
                .exitCode == 0);
    CHECK_THAT(runCli({"due", "--at", "2026-07-14", "--db", db}).out,
               Catch::Contains("situation 1  attention: age-18"));
    CHECK_THAT(runCli({"due", "--at", "2026-07-13", "--db", db}).out, !Catch::Contains("age-18"));
    const auto shown = runCli({"situation", "list", "--json", "--db", db}, "", {{"CASEFLOW_TODAY", "2026-08-01"}});
    CHECK_THAT(shown.out, Catch::Contains(R"("attention": [)") && Catch::Contains(R"("age-18")"));
}

// --- Corrections -------------------------------------------------------------------------------

namespace {

std::string correction(const std::string& kind, const std::string& fields, const std::string& id = "k1") {
    return R"(<correction id=")" + id + R"(" date="2026-01-20" kind=")" + kind + R"(">)" + fields + "</correction>";
}

} // namespace

TEST_CASE("a move inside the territory is recorded and the situation goes on (R1)", "[rules][identity][fast]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 2);
    pilot.fire(id, "youth.moved",
               correction("moved", "<postalCode>5100</postalCode><municipality>Wépion</municipality>"),
               "case_manager:Julie Maes", "2026-01-20");
    const auto record = pilot.process().situation(id);
    CHECK(record.state == "concertation-requested");
    CHECK(record.municipality == "Wépion"); // what the lists, pages and documents show
    CHECK_THAT(record.document, Catch::Contains("<postalCode>5100</postalCode><municipality>Wépion</municipality>") &&
                                    Catch::Contains(R"(<correction id="k1" date="2026-01-20" kind="moved">)"));
    CHECK(pilot.process().history(id).back().type == "youth.moved"); // audited like any event
}

TEST_CASE("a move out of the territory during preparation redirects the situation, recording where (R1)",
          "[rules][identity][fast]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    pilot.fire(id, "youth.moved",
               correction("moved", "<postalCode>4000</postalCode><municipality>Liège</municipality>"),
               "coordinator:Marc Lambert", "2026-01-20");
    const auto record = pilot.process().situation(id);
    CHECK(record.state == "redirected-out-of-territory");
    CHECK_THAT(record.document, Catch::Contains(R"(<redirection date="2026-01-20" reason="out-of-territory">)"));
}

TEST_CASE("a redirection out of territory made on a wrong postal code is reopened by registration.corrected (R1)",
          "[rules][identity][fast]") {
    Pilot pilot;
    const auto id = registerEmmaWith(pilot, {{"postalCode", "6000"}}); // typed 6000 for 5000
    REQUIRE(pilot.state(id) == "redirected-out-of-territory");
    // Without a reason, or by a partner: refused.
    CHECK(refusedRules([&] {
              pilot.fire(id, "registration.corrected",
                         correction("registration-corrected", "<postalCode>5000</postalCode>"),
                         "coordinator:Marc Lambert", "2026-01-20");
          }) == "R1");
    const auto fixed =
        correction("registration-corrected", "<postalCode>5000</postalCode><reason>Code postal mal recopié.</reason>");
    CHECK(refusedRules([&] { pilot.fire(id, "registration.corrected", fixed, "partner:Julie Maes", "2026-01-20"); }) ==
          "R1");
    pilot.fire(id, "registration.corrected", fixed, "coordinator:Marc Lambert", "2026-01-20");
    const auto record = pilot.process().situation(id);
    CHECK(record.state == "awaiting-request");
    CHECK_THAT(record.document, !Catch::Contains("<redirection"));
    CHECK(pilot.state(id) == "awaiting-request");
    pilot.runSteps(id, kEmma, 1, 2); // and the process goes on
}

TEST_CASE("a redirection out of the age range made on a wrong birth date is reopened by registration.corrected (R1)",
          "[rules][identity][fast]") {
    Pilot pilot;
    const auto id = registerEmmaWith(pilot, {{"birthDate", "2000-03-01"}}); // typed 2000 for 2020
    REQUIRE(pilot.state(id) == "redirected-out-of-age-range");
    pilot.fire(id, "registration.corrected",
               correction("registration-corrected",
                          "<birthDate>2020-03-01</birthDate><reason>Année de naissance mal saisie.</reason>"),
               "coordinator:Marc Lambert", "2026-01-20");
    CHECK(pilot.state(id) == "awaiting-request");
}

TEST_CASE("a registration correction changes one field, with its reason (R1)", "[rules][identity][fast]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    CHECK(refusedRules([&] {
              pilot.fire(id, "registration.corrected",
                         correction("registration-corrected",
                                    "<givenName>Emmy</givenName><familyName>X</familyName><reason>r</reason>"),
                         "coordinator:Marc Lambert", "2026-01-20");
          }) == "R1");
    CHECK(refusedRules([&] {
              pilot.fire(id, "registration.corrected",
                         correction("registration-corrected", "<birthDate>2026-02-01</birthDate><reason>r</reason>"),
                         "coordinator:Marc Lambert", "2026-01-20");
          }) == "R1"); // born after the registration date
    pilot.fire(id, "registration.corrected",
               correction("registration-corrected", "<givenName>Emmy</givenName><reason>Prénom d'usage.</reason>"),
               "coordinator:Marc Lambert", "2026-01-20");
    CHECK_THAT(pilot.process().situation(id).document, Catch::Contains("<givenName>Emmy</givenName>"));
}

TEST_CASE("a placement change keeps the category computed at registration and changes the environment (R2)",
          "[rules][identity][fast]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    const auto category = pilot.process().situation(id).category;
    CHECK(refusedRules([&] {
              pilot.fire(id, "youth.placement-changed",
                         correction("placement-changed", "<environment>family</environment>"),
                         "case_manager:Julie Maes", "2026-01-20");
          }) == "R2"); // already in her family
    pilot.fire(id, "youth.placement-changed", correction("placement-changed", "<environment>institution</environment>"),
               "case_manager:Julie Maes", "2026-01-20");
    const auto record = pilot.process().situation(id);
    CHECK(record.category == category);
    CHECK_THAT(record.document, Catch::Contains("<environment>institution</environment>"));
}

TEST_CASE("the family's language is changed by its own event, by the coordinator or the case manager",
          "[rules][identity][fast]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    CHECK(refusedRules([&] {
              pilot.fire(id, "family.language-changed", correction("language-changed", "<language>nl</language>"),
                         "partner:Julie Maes", "2026-01-20");
          }) == "R1");
    pilot.fire(id, "family.language-changed", correction("language-changed", "<language>nl</language>"),
               "case_manager:Julie Maes", "2026-01-20");
    CHECK_THAT(pilot.process().situation(id).document, Catch::Contains("<language>nl</language>"));
    // A correction of another kind on this event is refused before any rule.
    CHECK_THROWS_AS(pilot.fire(id, "family.language-changed", correction("moved", "<language>fr</language>", "k2"),
                               "case_manager:Julie Maes", "2026-01-20"),
                    DataOutOfScope);
}

TEST_CASE("corrections replay to the same projection, and verify finds nothing to report", "[rules][identity][fast]") {
    Pilot pilot;
    const auto id = registerEmmaWith(pilot, {{"postalCode", "6000"}});
    pilot.fire(id, "youth.moved",
               correction("moved", "<postalCode>5002</postalCode><municipality>Saint-Servais</municipality>"),
               "coordinator:Marc Lambert", "2026-01-20");
    REQUIRE(pilot.state(id) == "awaiting-request");
    const auto report = pilot.process().verify();
    INFO(report.problem);
    CHECK(report.intact);
    CHECK(report.problems.empty());
}
