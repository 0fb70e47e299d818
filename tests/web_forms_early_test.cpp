// Specification of the early phases' forms against the real server on loopback (issue 15):
// the partner directory, registering a situation (duplicates flagged, the outcome shown), a
// consent, partners picked from the directory, the concertation request and the concertation
// itself (participants, the youth, the case manager, the roadmap's rows, next meetings). Each
// accepted form records the same workflow event the CLI records; a refused one shows the
// rule's id and message next to the field, with what was typed; a POST without the CSRF
// token changes nothing.
#include "model/Clock.h"
#include "process/FundingProcess.h"
#include "web/WebFixture.h"

#include <catch2/catch.hpp>

#include <regex>

using caseflow::test::web::Browser;
using caseflow::test::web::csrfIn;
using caseflow::test::web::passwordOf;
using caseflow::test::web::WebFixture;
using namespace caseflow::test::http::people;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

std::vector<std::string> eventsOf(const WebFixture& web, std::int64_t id) {
    auto process = caseflow::FundingProcess::open(web.database());
    std::vector<std::string> types;
    for (const auto& event : process.history(id)) types.push_back(event.type);
    return types;
}

std::int64_t situationIdOf(const std::string& location) {
    std::smatch match;
    static const std::regex path(R"(/situations/([0-9]+))");
    REQUIRE(std::regex_search(location, match, path));
    return std::stoll(match[1].str());
}

// The id of the directory entry whose radio button is labelled with `organisation`.
std::string entryFor(const std::string& page, const std::string& organisation) {
    std::smatch match;
    const std::regex entry(R"re(name="entry" value="([0-9]+)"[^>]*/?>\s*)re" + organisation);
    REQUIRE(std::regex_search(page, match, entry));
    return match[1].str();
}

Fields with(Fields fields, const std::string& csrf) {
    fields.emplace_back("csrf", csrf);
    return fields;
}

// Signs the coordinator in, adds four partners to the directory, registers a youth and records
// the consent to share information; returns the new situation's id.
struct EarlyCase {
    explicit EarlyCase(WebFixture& web) : browser(web.port()) {
        REQUIRE(browser.signIn(kCoordinator, passwordOf(kCoordinator)).status == 303);
        csrf = csrfIn(browser.get("/caseload").body);
        const Fields partners[] = {
            {{"organisation", "SSM Test Jambes"},
             {"person", "Dr Anne Pirard"},
             {"profession", "Pédopsychiatre"},
             {"sector", "mental-health"},
             {"language", "fr"},
             {"pedopsychiatrist", "true"}},
            {{"organisation", "AMO Test Namur"},
             {"person", "Paul Hennart"},
             {"sector", "youth-aid"},
             {"language", "fr"}},
            {{"organisation", "Athénée Test"}, {"person", "Lise Gobert"}, {"sector", "education"}, {"language", "fr"}},
            {{"organisation", "CPAS Test"}, {"person", "Marc Dewez"}, {"sector", "social"}, {"language", "nl"}},
        };
        for (const auto& partner : partners) REQUIRE(browser.post("/directory", with(partner, csrf)).status == 303);
        const auto registered = browser.post("/situations/new", with({{"reference", "KIR-26-099"},
                                                                      {"givenName", "Léa"},
                                                                      {"familyName", "Test"},
                                                                      {"birthDate", "2012-05-10"},
                                                                      {"postalCode", "5100"},
                                                                      {"municipality", "Jambes"},
                                                                      {"environment", "family"},
                                                                      {"language", "fr"}},
                                                                     csrf));
        REQUIRE(registered.status == 303);
        id = situationIdOf(registered.headers.at("location"));
        base = "/situations/" + std::to_string(id) + "/events/";
    }
    void addPartners() {
        const auto form = browser.get(base + "partner.added");
        REQUIRE(form.status == 200);
        for (const std::string organisation : {"SSM Test Jambes", "AMO Test Namur", "Athénée Test", "CPAS Test"})
            REQUIRE(browser.post(base + "partner.added", with({{"entry", entryFor(form.body, organisation)}}, csrf))
                        .status == 303);
    }
    Browser browser;
    std::string csrf;
    std::int64_t id = 0;
    std::string base;
};

} // namespace

TEST_CASE("the coordinator keeps the partner directory and a case manager reads it but cannot change it",
          "[service][web][forms]") {
    WebFixture web;
    Browser coordinator(web.port());
    REQUIRE(coordinator.signIn(kCoordinator, passwordOf(kCoordinator)).status == 303);
    const auto page = coordinator.get("/directory");
    REQUIRE(page.status == 200);
    // Seeded at start from the pilot's partners and the network's pedopsychiatrists.
    CHECK(page.body.find("SAJ de Namur") != std::string::npos);
    CHECK(page.body.find("Dr Pieter Vermeulen") != std::string::npos);
    const std::string csrf = csrfIn(page.body);

    const auto refused = coordinator.post(
        "/directory", {{"csrf", csrf}, {"organisation", "Maison Test"}, {"sector", "astrology"}, {"language", "fr"}});
    CHECK(refused.status == 422);
    CHECK(refused.body.find("id=\"sector-error\"") != std::string::npos);
    CHECK(refused.body.find("value=\"Maison Test\"") != std::string::npos);

    CHECK(coordinator
              .post("/directory", {{"csrf", csrf},
                                   {"organisation", "Maison Test"},
                                   {"person", "Inès Moreau"},
                                   {"sector", "social"},
                                   {"language", "nl"},
                                   {"contact", "081 22 33 44"}})
              .status == 303);
    const auto added = coordinator.get("/directory?done=added");
    CHECK(added.body.find("Inès Moreau") != std::string::npos);
    CHECK(added.body.find("081 22 33 44") != std::string::npos);

    Browser caseManager(web.port());
    REQUIRE(caseManager.signIn(kCaseManager, passwordOf(kCaseManager)).status == 303);
    const auto read = caseManager.get("/directory");
    CHECK(read.status == 200);
    CHECK(read.body.find("Inès Moreau") != std::string::npos);
    CHECK(read.body.find("action=\"/directory/archive\"") == std::string::npos);
    CHECK(caseManager
              .post("/directory",
                    {{"csrf", csrfIn(read.body)}, {"organisation", "Intrus"}, {"sector", "social"}, {"language", "fr"}})
              .status == 403);
    CHECK(coordinator.get("/directory").body.find("Intrus") == std::string::npos);
}

TEST_CASE("a situation registered through its form is recorded, its category and outcome shown, and a duplicate "
          "reference is flagged next to the field",
          "[service][web][forms]") {
    WebFixture web;
    caseflow::FixedBusinessDate today("2026-03-02");
    EarlyCase early(web);
    CHECK(eventsOf(web, early.id) == std::vector<std::string>{"situation.registered"});
    const auto page = early.browser.get("/situations/" + std::to_string(early.id) + "?registered=1");
    CHECK(page.body.find("La situation a été enregistrée.") != std::string::npos);
    CHECK(page.body.find("KIR-26-099") != std::string::npos);
    CHECK(page.body.find("href=\"" + early.base + "consent.recorded\"") != std::string::npos);

    const auto duplicate = early.browser.post("/situations/new", with({{"reference", "KIR-26-099"},
                                                                       {"birthDate", "2013-01-01"},
                                                                       {"postalCode", "5000"},
                                                                       {"municipality", "Namur"},
                                                                       {"environment", "family"}},
                                                                      early.csrf));
    CHECK(duplicate.status == 422);
    CHECK(duplicate.body.find("id=\"reference-error\"") != std::string::npos);
    CHECK(duplicate.body.find("déjà enregistrée") != std::string::npos);
    CHECK(duplicate.body.find("value=\"2013-01-01\"") != std::string::npos);

    // A youth from outside the territory is registered and redirected, and the page says why.
    const auto outside = early.browser.post("/situations/new", with({{"reference", "KIR-26-098"},
                                                                     {"birthDate", "2013-01-01"},
                                                                     {"postalCode", "6000"},
                                                                     {"municipality", "Charleroi"},
                                                                     {"environment", "family"}},
                                                                    early.csrf));
    REQUIRE(outside.status == 303);
    const auto redirected = early.browser.get(outside.headers.at("location"));
    CHECK(redirected.body.find("en dehors du territoire") != std::string::npos);
}

TEST_CASE("consent, partners from the directory and the concertation request are each recorded as their event",
          "[service][web][forms]") {
    WebFixture web;
    caseflow::FixedBusinessDate today("2026-03-02");
    EarlyCase early(web);
    CHECK(early.browser
              .post(early.base + "consent.recorded", with({{"type", "information-sharing"},
                                                           {"given", "true"},
                                                           {"by", "parent"},
                                                           {"date", "2026-03-02"},
                                                           {"note", "La mère accepte."}},
                                                          early.csrf))
              .status == 303);
    early.addPartners();
    const auto request = early.browser.get(early.base + "concertation.requested");
    REQUIRE(request.status == 200);
    CHECK(request.body.find("AMO Test Namur") != std::string::npos);
    CHECK(
        early.browser
            .post(early.base + "concertation.requested",
                  with({{"requestedBy", "p2"}, {"date", "2026-03-02"}, {"reason", "Décrochage scolaire."}}, early.csrf))
            .status == 303);
    CHECK(eventsOf(web, early.id) == std::vector<std::string>{"situation.registered", "consent.recorded",
                                                              "partner.added", "partner.added", "partner.added",
                                                              "partner.added", "concertation.requested"});
    auto process = caseflow::FundingProcess::open(web.database());
    const auto record = process.situation(early.id);
    CHECK(record.state == "concertation-requested");
    CHECK(record.document.find("<organisation>SSM Test Jambes</organisation>") != std::string::npos);
    CHECK(record.document.find("<pedopsychiatrist>true</pedopsychiatrist>") != std::string::npos);
}

TEST_CASE("a refused concertation shows R5 and its French message next to the participants and keeps what was "
          "typed, and the same concertation with enough partners is recorded",
          "[service][web][forms]") {
    WebFixture web;
    caseflow::FixedBusinessDate today("2026-03-02");
    EarlyCase early(web);
    REQUIRE(
        early.browser
            .post(early.base + "consent.recorded",
                  with({{"type", "information-sharing"}, {"given", "true"}, {"by", "parent"}, {"date", "2026-03-02"}},
                       early.csrf))
            .status == 303);
    early.addPartners();
    REQUIRE(early.browser
                .post(early.base + "concertation.requested",
                      with({{"requestedBy", "p2"}, {"date", "2026-03-02"}, {"reason", "Décrochage."}}, early.csrf))
                .status == 303);
    const auto form = early.browser.get(early.base + "concertation.held");
    REQUIRE(form.status == 200);
    CHECK(form.body.find("name=\"who-3\"") != std::string::npos);
    CHECK(form.body.find("name=\"who-4\"") == std::string::npos);
    // An empty text area stays empty: no "not provided" placeholder is typed into it.
    CHECK(form.body.find("non renseigné") == std::string::npos);
    CHECK(form.body.find("></textarea>") != std::string::npos);

    Fields typed = {{"date", "2026-03-02"},
                    {"attendance-p1", "present"},
                    {"role-p1", "pedopsychiatrist"},
                    {"attendance-p2", "excused"},
                    {"role-p2", "social-worker"},
                    {"attendance-p3", "excused"},
                    {"role-p3", "teacher"},
                    {"attendance-p4", "excused"},
                    {"role-p4", "social-worker"},
                    {"invited", "true"},
                    {"caseManager", "p2"},
                    {"decisions", "Reporter la réunion."},
                    {"rows", "3"},
                    {"who-1", "p1"},
                    {"what-1", "Bilan pédopsychiatrique"},
                    {"when-1", "2026-03-20"},
                    {"meeting-1", "2026-09-14"}};
    const auto refused = early.browser.post(early.base + "concertation.held", with(typed, early.csrf));
    CHECK(refused.status == 422);
    const auto errorAt = refused.body.find("id=\"participants-error\"");
    REQUIRE(errorAt != std::string::npos);
    const std::string nextToParticipants = refused.body.substr(errorAt, 600);
    CHECK(nextToParticipants.find("R5") != std::string::npos);
    CHECK(nextToParticipants.find("partenaires") != std::string::npos);
    CHECK(refused.body.find("href=\"#participants\"") != std::string::npos);
    CHECK(refused.body.find("Reporter la réunion.") != std::string::npos);
    CHECK(refused.body.find("value=\"Bilan pédopsychiatrique\"") != std::string::npos);
    CHECK(refused.body.find("value=\"2026-09-14\"") != std::string::npos);
    CHECK(eventsOf(web, early.id).back() == "concertation.requested");

    // "Add a row" re-renders the form with one more row and keeps everything typed.
    Fields adding = typed;
    adding.emplace_back("add-row", "1");
    const auto added = early.browser.post(early.base + "concertation.held", with(adding, early.csrf));
    CHECK(added.status == 200);
    CHECK(added.body.find("name=\"who-4\"") != std::string::npos);
    // The re-rendered form posts its row count back, so a second "add a row" adds a fifth.
    CHECK(added.body.find("name=\"rows\" value=\"4\"") != std::string::npos);
    CHECK(added.body.find("value=\"Bilan pédopsychiatrique\"") != std::string::npos);
    CHECK(eventsOf(web, early.id).back() == "concertation.requested");

    for (auto& [name, value] : typed) {
        if (name.rfind("attendance-", 0) == 0) value = "present";
        if (name == "rows") value = "4"; // as the re-rendered form posts it
    }
    typed.emplace_back("who-4", "p3");
    typed.emplace_back("what-4", "Aménagements scolaires");
    typed.emplace_back("when-4", "2026-04-01");
    typed.emplace_back("with-4", "Les parents");
    const auto held = early.browser.post(early.base + "concertation.held", with(typed, early.csrf));
    CHECK(held.status == 303);
    CHECK(held.headers.at("location") == "/situations/" + std::to_string(early.id));
    CHECK(eventsOf(web, early.id).back() == "concertation.held");
    auto process = caseflow::FundingProcess::open(web.database());
    const auto record = process.situation(early.id);
    CHECK(record.state == "concertation-held");
    CHECK(record.document.find("<what>Aménagements scolaires</what>") != std::string::npos);
    CHECK(record.document.find("<withWhom>Les parents</withWhom>") != std::string::npos);
}

TEST_CASE("a phase form posted without its CSRF token is refused and records nothing", "[service][web][forms]") {
    WebFixture web;
    caseflow::FixedBusinessDate today("2026-03-02");
    EarlyCase early(web);
    const auto refused = early.browser.post(early.base + "consent.recorded",
                                            {{"type", "informed"}, {"given", "true"}, {"date", "2026-03-02"}});
    CHECK(refused.status == 403);
    const auto forged = early.browser.post(
        early.base + "consent.recorded",
        {{"csrf", std::string(64, 'a')}, {"type", "informed"}, {"given", "true"}, {"date", "2026-03-02"}});
    CHECK(forged.status == 403);
    CHECK(eventsOf(web, early.id) == std::vector<std::string>{"situation.registered"});
    CHECK(early.browser.post("/situations/new", {{"reference", "KIR-26-097"}}).status == 403);
}

TEST_CASE("a case manager cannot open the forms of another's situation", "[service][web][forms]") {
    WebFixture web;
    Browser other(web.port());
    REQUIRE(other.signIn("Other CaseManager", passwordOf("Other CaseManager")).status == 303);
    CHECK(other.get("/situations/12/events/consent.recorded").status == 403);
    CHECK(other.get("/situations/1/events/consent.recorded").status == 200);
    CHECK(other.get("/situations/1/events/plan.nonsense").status == 404);
}
