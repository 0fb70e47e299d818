// Specification of the corrections' and closing events' forms (engine/web/CorrectionForms.cpp)
// and of the last points of issue 15 against the real server on loopback: each form records
// the same event the CLI records (youth.moved, youth.placement-changed,
// family.language-changed, registration.corrected, request.withdrawn, grant.closed,
// situation.closed) or, refused, answers 422 with the rule's id next to the field and what was
// typed; a malformed date comes back as the schema's finding in the user's language next to the
// date; the partner directory's entries are edited and archived by the coordinator only; the
// caseload shows the age transitions in words and filters on them. Copies of samples 04 and 08
// are driven to the state each form needs through the scenarios' own steps.
#include "model/Date.h"
#include "process/FundingProcess.h"
#include "process/SigningDesk.h"
#include "store/Database.h"
#include "store/DirectoryRepository.h"
#include "web/WebFixture.h"

#include <catch2/catch.hpp>

#include <regex>

using caseflow::test::web::Browser;
using caseflow::test::web::csrfIn;
using caseflow::test::web::passwordOf;
using caseflow::test::web::signedInAs;
using caseflow::test::web::WebFixture;
using namespace caseflow;
using namespace caseflow::test;
using namespace caseflow::test::http;
using namespace caseflow::test::http::people;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

// A copy of sample `stem` registered under `reference`, its scenario fired up to and including
// the first step of `lastEvent` ("" for none: the situation just registered), assigned to the
// case manager.
std::int64_t driveThrough(WebFixture& fixture, const std::string& stem, const std::string& sampleReference,
                          const std::string& reference, const std::string& lastEvent) {
    auto process = FundingProcess::open(fixture.database());
    std::string registration = readFile(samplesDir() / "situations" / (stem + ".xml"));
    replaceAll(registration, sampleReference, reference);
    const auto id = process.registerSituation(registration, reference, Actor{"partner", "fixture"}).id;
    if (!lastEvent.empty()) {
        test::ScenarioSigners signers(process);
        bool reached = false;
        for (const auto& step : scenarioSteps(stem)) {
            if (step.refused()) continue;
            fireStep(process, signers, id, step);
            if (step.event == lastEvent) {
                reached = true;
                break;
            }
        }
        REQUIRE(reached);
    }
    process.accounts().assign(kCaseManager, id, "2026-01-01T00:00:00Z");
    return id;
}

std::int64_t registeredCase(WebFixture& fixture, const std::string& reference) {
    const auto id = driveThrough(fixture, "04-ciney-twelve-returned", "KIR-26-004", reference, "");
    REQUIRE(FundingProcess::open(fixture.database()).situation(id).state == "awaiting-request");
    return id;
}

SituationRecord recordOf(WebFixture& fixture, std::int64_t id) {
    return FundingProcess::open(fixture.database()).situation(id);
}

std::string lastEventOf(WebFixture& fixture, std::int64_t id) {
    return FundingProcess::open(fixture.database()).history(id).back().type;
}

std::string formPath(std::int64_t id, const std::string& event) {
    return "/situations/" + std::to_string(id) + "/events/" + event;
}

// Opens the form (200), posts `fields` with its CSRF token; the answer to the POST.
http::Response postForm(Browser& browser, std::int64_t id, const std::string& event, Fields fields) {
    const auto page = browser.get(formPath(id, event));
    REQUIRE(page.status == 200);
    fields.emplace_back("csrf", csrfIn(page.body));
    return browser.post(formPath(id, event), fields);
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The field error shown next to `field` (its span's text), "" when there is none.
std::string fieldError(const std::string& page, const std::string& field) {
    const auto at = page.find("id=\"" + field + "-error\"");
    if (at == std::string::npos) return "";
    const auto start = page.find('>', at) + 1;
    return page.substr(start, page.find("</span> </span>", start) - start);
}

} // namespace

TEST_CASE("the situation page leads to the correction and closing forms the workflow allows now",
          "[service][web][forms]") {
    WebFixture fixture;
    const auto id = registeredCase(fixture, "KIR-26-951");
    Browser browser = signedInAs(fixture, kCaseManager);
    const auto page = browser.get("/situations/" + std::to_string(id));
    REQUIRE(page.status == 200);
    for (const std::string event :
         {"youth.moved", "youth.placement-changed", "family.language-changed", "situation.closed"})
        CHECK(has(page.body, "href=\"" + formPath(id, event) + "\""));
    // Not allowed in awaiting-request: no button at all.
    CHECK_FALSE(has(page.body, formPath(id, "grant.closed")));
    CHECK_FALSE(has(page.body, formPath(id, "request.withdrawn")));
    const auto form = browser.get(formPath(id, "youth.moved"));
    REQUIRE(form.status == 200);
    CHECK(has(form.body, "name=\"postalCode\""));
    CHECK(has(form.body, "5590"));
}

TEST_CASE("a youth who moves out of the territory is redirected through the move form, and the situation page says "
          "where to",
          "[service][web][forms]") {
    WebFixture fixture;
    const auto id = registeredCase(fixture, "KIR-26-952");
    Browser browser = signedInAs(fixture, kCaseManager);
    const auto answer = postForm(browser, id, "youth.moved",
                                 {{"date", "2026-05-04"},
                                  {"postalCode", "1000"},
                                  {"municipality", "Bruxelles"},
                                  {"reason", "La famille s'installe chez une tante."}});
    REQUIRE(answer.status == 303);
    CHECK(answer.header("location") == "/situations/" + std::to_string(id) + "?done=youth.moved");
    const auto record = recordOf(fixture, id);
    CHECK(record.state == "redirected-out-of-territory");
    CHECK(lastEventOf(fixture, id) == "youth.moved");
    CHECK(has(record.document, R"(<correction id="k1" date="2026-05-04" kind="moved"><postalCode>1000</postalCode>)"));
    const auto page = browser.get(answer.header("location"));
    CHECK(has(page.body, "Enregistré"));
    CHECK(has(page.body, "en dehors du territoire du réseau"));
}

TEST_CASE("a move within the territory is recorded as a correction and leaves the state as it was",
          "[service][web][forms]") {
    WebFixture fixture;
    const auto id = registeredCase(fixture, "KIR-26-953");
    Browser browser = signedInAs(fixture, kCaseManager);
    REQUIRE(postForm(browser, id, "youth.moved",
                     {{"date", "2026-05-04"}, {"postalCode", "5000"}, {"municipality", "Namur"}})
                .status == 303);
    const auto record = recordOf(fixture, id);
    CHECK(record.state == "awaiting-request");
    CHECK(has(record.document, "<postalCode>5000</postalCode><municipality>Namur</municipality>"));
}

TEST_CASE("a placement change to the environment the youth already has is refused by R2 next to the environment, "
          "what was typed kept",
          "[service][web][forms]") {
    WebFixture fixture;
    const auto id = registeredCase(fixture, "KIR-26-954"); // lives in the family
    Browser browser = signedInAs(fixture, kCaseManager);
    const auto refused =
        postForm(browser, id, "youth.placement-changed",
                 {{"date", "2026-05-04"}, {"environment", "family"}, {"reason", "Retour en famille."}});
    REQUIRE(refused.status == 422);
    CHECK(has(fieldError(refused.body, "environment"), "R2"));
    CHECK(has(refused.body, "Retour en famille."));
    CHECK(has(refused.body, R"(value="family" checked="checked")"));
    CHECK(lastEventOf(fixture, id) == "situation.registered");

    REQUIRE(postForm(browser, id, "youth.placement-changed", {{"date", "2026-05-04"}, {"environment", "institution"}})
                .status == 303);
    CHECK(has(recordOf(fixture, id).document, "<environment>institution</environment>"));
}

TEST_CASE("a change of the family's language is recorded through its form", "[service][web][forms]") {
    WebFixture fixture;
    const auto id = registeredCase(fixture, "KIR-26-955");
    Browser browser = signedInAs(fixture, kCaseManager);
    REQUIRE(postForm(browser, id, "family.language-changed", {{"date", "2026-05-04"}, {"language", "fr"}}).status ==
            303);
    CHECK(lastEventOf(fixture, id) == "family.language-changed");
    CHECK(has(recordOf(fixture, id).document, R"(kind="language-changed"><language>fr</language>)"));
}

TEST_CASE("a registration correction by a case manager is refused by R1 next to the value, and the coordinator's is "
          "recorded",
          "[service][web][forms]") {
    WebFixture fixture;
    const auto id = registeredCase(fixture, "KIR-26-956");
    const Fields correction = {
        {"date", "2026-05-04"}, {"field", "givenName"}, {"value", "Jana-Lou"}, {"reason", "Prénom mal orthographié."}};
    Browser caseManager = signedInAs(fixture, kCaseManager);
    const auto refused = postForm(caseManager, id, "registration.corrected", correction);
    REQUIRE(refused.status == 422);
    CHECK(has(fieldError(refused.body, "value"), "R1"));
    CHECK(has(refused.body, "value=\"Jana-Lou\""));
    CHECK(has(refused.body, "Prénom mal orthographié."));

    Browser coordinator = signedInAs(fixture, kCoordinator);
    REQUIRE(postForm(coordinator, id, "registration.corrected", correction).status == 303);
    CHECK(has(recordOf(fixture, id).document, "<givenName>Jana-Lou</givenName>"));
}

TEST_CASE("a malformed date posted by a French-speaking user comes back as the schema's finding in French next to "
          "the date",
          "[service][web][forms]") {
    WebFixture fixture;
    const auto id = registeredCase(fixture, "KIR-26-957");
    Browser browser = signedInAs(fixture, kCaseManager);
    const auto refused = postForm(browser, id, "family.language-changed", {{"date", "2026-13-45"}, {"language", "fr"}});
    REQUIRE(refused.status == 422);
    const std::string error = fieldError(refused.body, "date");
    CHECK(has(error, "« 2026-13-45 » n'est pas une date ; écrivez-la AAAA-MM-JJ"));
    CHECK_FALSE(has(refused.body, "is not a valid value"));
    CHECK_FALSE(has(refused.body, "form:"));
    CHECK(has(refused.body, "value=\"2026-13-45\""));
    CHECK(lastEventOf(fixture, id) == "situation.registered");

    // The same finding in Dutch once the user switches to Dutch.
    REQUIRE(browser.post("/language", {{"csrf", csrfIn(refused.body)}, {"lang", "nl"}, {"back", "/caseload"}}).status ==
            303);
    const auto nl =
        postForm(browser, id, "situation.closed", {{"date", "2026-02-30"}, {"closureReason", "goals-reached"}});
    REQUIRE(nl.status == 422);
    CHECK(has(fieldError(nl.body, "date"), "'2026-02-30' is geen datum"));
    CHECK(recordOf(fixture, id).state == "awaiting-request");
}

TEST_CASE("a funding request under budget check is withdrawn through its form", "[service][web][forms]") {
    WebFixture fixture;
    const std::int64_t id = kBudgetCheckSituation; // the case manager's, fr1 under budget check
    Browser browser = signedInAs(fixture, kCaseManager);
    const auto missing = postForm(browser, id, "request.withdrawn", {{"date", "2026-06-15"}});
    REQUIRE(missing.status == 422);
    CHECK_FALSE(fieldError(missing.body, "reason").empty());
    REQUIRE(postForm(browser, id, "request.withdrawn",
                     {{"date", "2026-06-15"}, {"reason", "La famille a trouvé une autre solution."}})
                .status == 303);
    const auto record = recordOf(fixture, id);
    CHECK(record.state == "follow-up");
    CHECK(has(record.document, R"(outcome="withdrawn" by="Élodie Massart")"));
}

TEST_CASE("the coordinator closes a grant at what was paid, and a final amount above it is refused by R18 next to the "
          "amount",
          "[service][web][forms]") {
    WebFixture fixture;
    const std::int64_t id = kBudgetCheckSituation;
    {
        // Approved (signed by the coordinator) and paid 700 EUR of 1 250, as the API would record it.
        auto process = FundingProcess::open(fixture.database());
        SigningDesk(process).signDecision(
            id,
            R"(<budgetDecision request="fr1" date="2026-06-20" outcome="approved" amount="125000" by="Marie Coordinator">)"
            R"(<reason>Dans le plan.</reason></budgetDecision>)",
            "decision", signingKey("coordinator:Marie Coordinator"), Actor{"coordinator", "Marie Coordinator"});
        process.fire(id, "payment.recorded",
                     R"(<payment id="pay1" request="fr1" date="2026-06-25" amount="70000" reference="VIR-1"/>)",
                     "payment", Actor{"finance", "Finn Finance"});
        REQUIRE(process.situation(id).state == "paying");
    }
    Browser browser = signedInAs(fixture, kCoordinator);
    const auto form = browser.get(formPath(id, "grant.closed"));
    REQUIRE(form.status == 200);
    CHECK(has(form.body, "name=\"finalAmount\" inputmode=\"decimal\" size=\"14\" value=\"700,00\""));

    const auto refused = postForm(browser, id, "grant.closed",
                                  {{"date", "2026-09-15"}, {"finalAmount", "1.250,00"}, {"reason", "Aide terminée."}});
    REQUIRE(refused.status == 422);
    CHECK(has(fieldError(refused.body, "finalAmount"), "R18"));
    CHECK(has(refused.body, "value=\"1.250,00\""));
    CHECK(recordOf(fixture, id).state == "paying");

    const auto badAmount = postForm(browser, id, "grant.closed",
                                    {{"date", "2026-09-15"}, {"finalAmount", "700.00"}, {"reason", "Aide terminée."}});
    REQUIRE(badAmount.status == 422);
    CHECK_FALSE(fieldError(badAmount.body, "finalAmount").empty());

    REQUIRE(postForm(browser, id, "grant.closed",
                     {{"date", "2026-09-15"}, {"finalAmount", "700,00"}, {"reason", "Aide terminée."}})
                .status == 303);
    const auto record = recordOf(fixture, id);
    CHECK(record.state == "follow-up");
    CHECK(has(record.document, R"(outcome="closed" finalAmount="70000")"));
}

TEST_CASE("a situation closed for another reason without saying which is refused by R18 next to the note, and with the "
          "note it is closed",
          "[service][web][forms]") {
    WebFixture fixture;
    const auto id = registeredCase(fixture, "KIR-26-960");
    Browser browser = signedInAs(fixture, kCaseManager);
    const auto refused =
        postForm(browser, id, "situation.closed", {{"date", "2026-05-04"}, {"closureReason", "other"}});
    REQUIRE(refused.status == 422);
    CHECK(has(fieldError(refused.body, "note"), "R18"));
    CHECK(has(refused.body, R"(value="other" checked="checked")"));
    REQUIRE(
        postForm(browser, id, "situation.closed",
                 {{"date", "2026-05-04"}, {"closureReason", "other"}, {"note", "Prise en charge par un autre réseau."}})
            .status == 303);
    CHECK(recordOf(fixture, id).state == "closed");
}

TEST_CASE("a correction form posted without its CSRF token changes nothing, and another case manager's situation is "
          "403",
          "[service][web][forms]") {
    WebFixture fixture;
    const auto id = registeredCase(fixture, "KIR-26-961");
    Browser browser = signedInAs(fixture, kCaseManager);
    CHECK(browser
              .post(formPath(id, "youth.moved"),
                    {{"date", "2026-05-04"}, {"postalCode", "1000"}, {"municipality", "Bruxelles"}})
              .status == 403);
    CHECK(lastEventOf(fixture, id) == "situation.registered");
    Browser other = signedInAs(fixture, "Other CaseManager");
    CHECK(other.get(formPath(id, "youth.moved")).status == 403);
}

TEST_CASE("the coordinator edits a directory entry and the partner form offers it changed, and a case manager may not "
          "edit it (403) and nothing changes",
          "[service][web][forms]") {
    WebFixture fixture;
    const auto id = registeredCase(fixture, "KIR-26-962");
    std::int64_t entry = 0;
    {
        auto db = store::Database::open(fixture.database(), store::OpenMode::MustExist);
        entry = store::DirectoryRepository(db).add(
            {0, "AMO Avant", "youth-aid", "Éducatrice", "Nora Lambin", "fr", "081 11 22 33", false, false});
    }
    const Fields edited = {{"entry", std::to_string(entry)}, {"organisation", "AMO Après"}, {"person", "Nora Lambin"},
                           {"profession", "Éducatrice"},     {"sector", "youth-aid"},       {"language", "nl"},
                           {"contact", "nora@amo.test"}};

    Browser caseManager = signedInAs(fixture, kCaseManager);
    const auto read = caseManager.get("/directory");
    CHECK_FALSE(has(read.body, "/directory?edit="));
    CHECK(caseManager.get("/directory?edit=" + std::to_string(entry)).status == 403);
    Fields withToken = edited;
    withToken.emplace_back("csrf", csrfIn(read.body));
    CHECK(caseManager.post("/directory/edit", withToken).status == 403);
    CHECK(caseManager.post("/directory/archive", {{"csrf", csrfIn(read.body)}, {"entry", std::to_string(entry)}})
              .status == 403);

    Browser coordinator = signedInAs(fixture, kCoordinator);
    const auto form = coordinator.get("/directory?edit=" + std::to_string(entry));
    REQUIRE(form.status == 200);
    CHECK(has(form.body, "action=\"/directory/edit\""));
    CHECK(has(form.body, "value=\"081 11 22 33\""));
    Fields tooLong = edited;
    tooLong[1].second = std::string(201, 'x');
    tooLong.emplace_back("csrf", csrfIn(form.body));
    const auto refused = coordinator.post("/directory/edit", tooLong);
    CHECK(refused.status == 422);
    CHECK(has(refused.body, "action=\"/directory/edit\""));
    withToken = edited;
    withToken.emplace_back("csrf", csrfIn(form.body));
    const auto saved = coordinator.post("/directory/edit", withToken);
    REQUIRE(saved.status == 303);
    CHECK(saved.header("location") == "/directory?done=edited");

    auto db = store::Database::open(fixture.database(), store::OpenMode::MustExist);
    const auto stored = store::DirectoryRepository(db).find(entry);
    REQUIRE(stored);
    CHECK(stored->organisation == "AMO Après");
    CHECK(stored->language == "nl");
    CHECK(stored->contact == "nora@amo.test");
    const auto partnerForm = caseManager.get(formPath(id, "partner.added"));
    CHECK(has(partnerForm.body, "AMO Après"));
    CHECK_FALSE(has(partnerForm.body, "AMO Avant"));
}

TEST_CASE("an archived directory entry is no longer offered to the forms, stays stored, and the coordinator restores "
          "it",
          "[service][web][forms]") {
    WebFixture fixture;
    const auto id = registeredCase(fixture, "KIR-26-963");
    std::int64_t entry = 0;
    {
        auto db = store::Database::open(fixture.database(), store::OpenMode::MustExist);
        entry = store::DirectoryRepository(db).add(
            {0, "Centre Éphémère", "social", "", "Luc Pasquier", "fr", "", false, false});
    }
    Browser coordinator = signedInAs(fixture, kCoordinator);
    const std::string csrf = csrfIn(coordinator.get("/directory").body);
    REQUIRE(coordinator.post("/directory/archive", {{"csrf", csrf}, {"entry", std::to_string(entry)}}).status == 303);
    CHECK_FALSE(has(coordinator.get(formPath(id, "partner.added")).body, "Centre Éphémère"));
    const auto directory = coordinator.get("/directory");
    CHECK(has(directory.body, "action=\"/directory/restore\""));
    CHECK(has(directory.body, "Centre Éphémère"));
    {
        auto db = store::Database::open(fixture.database(), store::OpenMode::MustExist);
        CHECK(store::DirectoryRepository(db).find(entry)->archived);
    }
    REQUIRE(coordinator.post("/directory/restore", {{"csrf", csrf}, {"entry", std::to_string(entry)}}).status == 303);
    CHECK(has(coordinator.get(formPath(id, "partner.added")).body, "Centre Éphémère"));
}

TEST_CASE("the caseload names the age transitions to watch in words and filters the situations that need attention",
          "[service][web]") {
    WebFixture fixture;
    // Registered today at 12 (the 11-12 transition) and at 18 (turning adult); sample 04's own
    // youth as a control at 9 years old.
    const Date today = Date::today();
    const auto registerAged = [&](const std::string& reference, int years) {
        auto process = FundingProcess::open(fixture.database());
        std::string registration = readFile(samplesDir() / "situations" / "04-ciney-twelve-returned.xml");
        replaceAll(registration, "KIR-26-004", reference);
        replaceAll(registration, "2013-05-20", today.addMonths(-12 * years - 1).iso());
        const auto id = process.registerSituation(registration, reference, Actor{"partner", "fixture"}).id;
        process.accounts().assign(kCaseManager, id, "2026-01-01T00:00:00Z");
        return id;
    };
    const auto twelve = registerAged("KIR-26-970", 12);
    const auto eighteen = registerAged("KIR-26-971", 18);
    const auto nine = registerAged("KIR-26-972", 9);

    Browser browser = signedInAs(fixture, kCaseManager);
    const auto rowOf = [](const std::string& page, std::int64_t id) {
        const auto at = page.find("href=\"/situations/" + std::to_string(id) + "\"");
        if (at == std::string::npos) return std::string();
        return page.substr(at, page.find("</tr>", at) - at);
    };
    const auto all = browser.get("/caseload");
    REQUIRE(all.status == 200);
    CHECK(has(rowOf(all.body, twelve), "transition 11–12 ans"));
    CHECK(has(rowOf(all.body, eighteen), "passage à 18 ans"));
    CHECK_FALSE(has(rowOf(all.body, nine), "class=\"flag attention\""));
    CHECK(has(all.body, "name=\"attention\""));

    const auto attention = browser.get("/caseload?attention=1");
    REQUIRE(attention.status == 200);
    CHECK_FALSE(rowOf(attention.body, twelve).empty());
    CHECK_FALSE(rowOf(attention.body, eighteen).empty());
    CHECK(rowOf(attention.body, nine).empty());
    CHECK(has(attention.body, R"(id="attention" type="checkbox" name="attention" value="1" checked="checked")"));
}

TEST_CASE("the situation page shows the eight phases with the current one outlined, bold and marked 'you are here', "
          "across and down, and lists them for screen readers",
          "[service][web]") {
    WebFixture fixture;
    Browser browser = signedInAs(fixture, kCaseManager);
    const std::int64_t id = kBudgetCheckSituation; // phase 7, budget check
    const auto page = browser.get("/situations/" + std::to_string(id));
    REQUIRE(page.status == 200);
    const auto list = page.body.substr(page.body.find("<ol class=\"phases visually-hidden\">"));
    CHECK(has(list, "<li>Vérification budgétaire — vous êtes ici</li>"));
    CHECK(has(list, "<li>Jeune en difficulté — fait</li>"));
    CHECK(has(list, "<li>Paiement</li>"));
    CHECK(has(page.body, "src=\"/situations/12/workflow.svg?layout=vertical\""));

    const auto across = browser.get("/situations/12/workflow.svg");
    REQUIRE(across.status == 200);
    CHECK(across.header("content-type") == "image/svg+xml");
    CHECK(has(across.body, "viewBox=\"0 0 960 "));
    // Eight boxes: six passed (a tick), the current one with a thick outline and bold words,
    // the last one to come (dashed).
    std::size_t boxes = 0;
    for (auto at = across.body.find("<rect"); at != std::string::npos; at = across.body.find("<rect", at + 1)) ++boxes;
    CHECK(boxes == 8);
    CHECK(has(across.body, "stroke-width=\"4\""));
    CHECK(std::regex_search(across.body, std::regex(R"(font-weight="bold"[^>]*>budgétaire</text>)")));
    CHECK(has(across.body, "vous êtes ici</text>"));
    CHECK(has(across.body, "6 ✓</text>"));
    CHECK(has(across.body, "stroke-dasharray"));
    const auto down = browser.get("/situations/12/workflow.svg?layout=vertical");
    CHECK(has(down.body, "viewBox=\"0 0 336 "));
    CHECK(has(down.body, "vous êtes ici</text>"));

    // A closed situation has passed every phase: none is marked current.
    const auto closed = registeredCase(fixture, "KIR-26-973");
    REQUIRE(postForm(browser, closed, "situation.closed",
                     {{"date", Date::today().iso()}, {"closureReason", "goals-reached"}})
                .status == 303);
    const auto closedPage = browser.get("/situations/" + std::to_string(closed));
    CHECK_FALSE(has(closedPage.body, "— vous êtes ici"));
    CHECK(has(closedPage.body, "<li>Paiement — fait</li>"));
}
