// Specifications of the user's language on the command line and over HTTP: state and event
// names as translated labels (ids kept beside them), the "not allowed in state" refusal with
// what is allowed instead, success lines, table headers, envelope labels, the error prefixes,
// and the schema's common findings, in fr, nl and en. The language comes from --lang, else
// from the environment when it names one of ours, else from the network's first language.
#include "service/ServiceFixture.h"
#include "support/TestSupport.h"

#include <catch2/catch.hpp>

#include <regex>

using namespace caseflow::test;
using caseflow::test::http::jsonString;
using caseflow::test::http::Response;
using caseflow::test::http::ServiceFixture;

namespace {

// A Namur database with one situation registered (Andenne, category 2), in awaiting-request.
struct NamurDatabase {
    ScratchDir dir;
    std::string db = (dir / "language.db").string();
    NamurDatabase() {
        REQUIRE(run({"init", "--network", (projectDir() / "samples/namur/network.xml").string()}).exitCode == 0);
        REQUIRE(run({"situation", "new",
                     (projectDir() / "samples/namur/situations/03-andenne-eleven-transition.xml").string()})
                    .exitCode == 0);
    }
    CommandResult run(std::vector<std::string> args, const ChildEnvironment& environment = {}) {
        args.push_back("--db");
        args.push_back(db);
        return runCli(args, "", environment);
    }
    std::string writeData(const std::string& name, const std::string& xml) {
        writeFile(dir / name, xml);
        return (dir / name).string();
    }
};

// No language chosen anywhere: the variables gettext reads are empty or name none of ours.
const ChildEnvironment kNoLanguageChosen = {{"LANGUAGE", ""}, {"LC_ALL", ""}, {"LC_MESSAGES", ""}, {"LANG", "C.UTF-8"}};

} // namespace

TEST_CASE("an event the state does not take is refused in French with the events allowed instead", "[cli][i18n]") {
    NamurDatabase namur;
    const auto data = namur.writeData("need.xml", R"(<financialNeed needed="false" date="2026-03-01"/>)");
    const auto refused = namur.run({"event", "1", "need.none", "--data", data, "--lang", "fr"});
    CHECK(refused.exitCode == 2);
    CHECK_THAT(refused.err, Catch::Contains("pas de besoin financier (need.none) n'est pas possible dans l'état "
                                            "en attente de demande (awaiting-request)"));
    CHECK_THAT(refused.err, Catch::Contains("possibles ici :"));
    CHECK_THAT(refused.err, Catch::Contains("concertation demandée (concertation.requested)"));
    const auto dutch = namur.run({"event", "1", "need.none", "--data", data, "--lang", "nl"});
    CHECK_THAT(dutch.err, Catch::Contains("geen financiële behoefte (need.none) is niet mogelijk in de staat"));
    CHECK_THAT(dutch.err, Catch::Contains("hier mogelijk:"));
}

TEST_CASE("without --lang or a language in the environment the CLI speaks the network's first language",
          "[cli][i18n]") {
    NamurDatabase namur;
    const auto list = namur.run({"situation", "list"}, kNoLanguageChosen);
    REQUIRE(list.exitCode == 0);
    // Namur's settings name their label in French first.
    CHECK_THAT(list.out,
               Catch::Contains("RÉFÉRENCE") && Catch::Contains("COMMUNE") && Catch::Contains("en attente de demande"));
    CHECK_THAT(list.out, !Catch::Contains("awaiting-request"));
}

TEST_CASE("LANG naming Dutch gives Dutch envelope labels, and --lang wins over LANG", "[cli][i18n]") {
    NamurDatabase namur;
    const ChildEnvironment dutch = {{"LANGUAGE", ""}, {"LC_ALL", ""}, {"LC_MESSAGES", ""}, {"LANG", "nl_BE.UTF-8"}};
    const auto envelope = namur.run({"envelope", "--year", "2026"}, dutch);
    REQUIRE(envelope.exitCode == 0);
    CHECK_THAT(envelope.out, Catch::Contains("enveloppe 2026:") && Catch::Contains("60.000,00") &&
                                 Catch::Contains("vastgelegd") && Catch::Contains("betaald") &&
                                 Catch::Contains("beschikbaar"));
    const auto english = namur.run({"envelope", "--year", "2026", "--lang", "en"}, dutch);
    CHECK_THAT(english.out, Catch::Contains("committed") && Catch::Contains("remaining"));
}

TEST_CASE("common options may come before the command, and --version prints the version", "[cli][i18n]") {
    NamurDatabase namur;
    const auto state = runCli({"--lang", "nl", "--db", namur.db, "state", "1"});
    REQUIRE(state.exitCode == 0);
    CHECK_THAT(state.out, Catch::StartsWith("wacht op aanvraag (awaiting-request)") &&
                              Catch::Contains("mogelijke gebeurtenissen:") &&
                              Catch::Contains("overleg aangevraagd (concertation.requested)"));
    const auto version = runCli({"--version"});
    CHECK(version.exitCode == 0);
    CHECK(std::regex_match(version.out, std::regex(R"(caseflow \d+\.\d+\.\d+\n)")));
}

TEST_CASE("schema findings are explained in the user's language, naming the allowed values", "[cli][i18n]") {
    NamurDatabase namur;
    std::string text = readFile(projectDir() / "samples/namur/situations/01-namur-early-childhood.xml");
    text =
        std::regex_replace(text, std::regex("<environment>family</environment>"), "<environment>street</environment>");
    text = std::regex_replace(text, std::regex("<birthDate>[^<]*</birthDate>"), "<birthDate>2022-13-14</birthDate>");
    text =
        std::regex_replace(text, std::regex("<reference>KIR-26-001</reference>"), "<reference>KIR-26-901</reference>");
    const auto file = namur.writeData("street.xml", text);

    const auto french = namur.run({"situation", "new", file, "--lang", "fr"});
    CHECK(french.exitCode == 2);
    CHECK_THAT(french.err, Catch::Contains("caseflow: données invalides :"));
    CHECK_THAT(french.err, Catch::Contains("<environment> : « street » ne fait pas partie des valeurs permises : "
                                           "family, institution"));
    CHECK_THAT(french.err, Catch::Contains("<birthDate> : « 2022-13-14 » n'est pas une date ; écrivez-la AAAA-MM-JJ"));

    const auto dutch = namur.run({"situation", "new", file, "--lang", "nl"});
    CHECK_THAT(dutch.err, Catch::Contains("caseflow: ongeldige gegevens:") &&
                              Catch::Contains("<environment>: 'street' hoort niet bij de toegelaten waarden: "
                                              "family, institution"));
    // Nothing was registered.
    CHECK_THAT(namur.run({"situation", "list", "--lang", "en"}).out, !Catch::Contains("KIR-26-901"));
}

TEST_CASE("a missing attribute and an amount that is not cents are explained in Dutch", "[cli][i18n]") {
    NamurDatabase namur;
    const auto noDate =
        namur.writeData("consent.xml", R"(<consent type="informed" given="true" recordedBy="T">x</consent>)");
    const auto missing = namur.run({"event", "1", "consent.recorded", "--data", noDate, "--lang", "nl"});
    CHECK(missing.exitCode == 2);
    CHECK_THAT(missing.err, Catch::Contains("<consent> moet het attribuut date hebben"));
    const auto comma =
        namur.writeData("payment.xml", R"(<payment id="pay1" request="fr1" amount="12,50" date="2026-02-01"/>)");
    const auto amount = namur.run({"event", "1", "payment.recorded", "--data", comma, "--lang", "nl"});
    CHECK(amount.exitCode == 2);
    CHECK_THAT(amount.err, Catch::Contains("'12,50' is geen bedrag in cent"));
}

TEST_CASE("success lines, refusals and table headers follow the user's language", "[cli][i18n]") {
    NamurDatabase namur;
    // A concertation request by someone who is not a partner: refused by R1, prefix translated.
    const auto outsider = namur.writeData(
        "request.xml", R"(<request date="2026-02-01" requestedBy="nobody"><reason>Refus scolaire</reason>)"
                       R"(<urgencyCheck>Pas d'urgence</urgencyCheck></request>)");
    const auto refused = namur.run({"event", "1", "concertation.requested", "--data", outsider, "--lang", "fr"});
    CHECK(refused.exitCode == 3);
    CHECK_THAT(refused.err, Catch::StartsWith("caseflow: refusé : "));
    CHECK_THAT(refused.err, Catch::Contains("R1: La concertation doit être demandée par un des partenaires"));

    const auto show = namur.run({"situation", "show", "1", "--lang", "nl"});
    CHECK_THAT(show.out, Catch::StartsWith("situatie 1 (KIR-26-003)") && Catch::Contains("gemeente:") &&
                             Catch::Contains("staat:") && Catch::Contains("wacht op aanvraag"));
    const auto history = namur.run({"events", "1", "--lang", "fr"});
    CHECK_THAT(history.out, Catch::Contains("situation enregistrée (situation.registered)"));
}

TEST_CASE("over HTTP an event the state does not take is explained with translated state and event names",
          "[service][i18n]") {
    ServiceFixture service;
    const std::string events = "/api/v1/situations/12/events";
    Response french =
        service.post(events, "case_manager", R"({"event": "payment.recorded"})", {{"Accept-Language", "fr-BE"}});
    REQUIRE(french.status == 409);
    CHECK_THAT(french.json()->getValue<std::string>("detail"),
               Catch::Contains("(budget-check)") && Catch::Contains("vérification budgétaire") &&
                   Catch::Contains("paiement enregistré (payment.recorded)"));
    Response dutch = service.post(events, "case_manager",
                                  "{\"event\": \"consent.recorded\", \"data\": " +
                                      jsonString("<consent type=\"whatever\" given=\"true\" date=\"2026-05-01\" "
                                                 "recordedBy=\"T\">x</consent>") +
                                      "}",
                                  {{"Accept-Language", "nl-BE"}});
    REQUIRE(dutch.status == 422);
    CHECK_THAT(dutch.body, Catch::Contains("hoort niet bij de toegelaten waarden"));
}
