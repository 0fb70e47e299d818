// Specification of the later phases' forms (engine/web/LaterPhaseForms.h) against the real
// server on loopback: the care plan (rows without script, the pedopsychiatrist, follow-up
// meetings), the financial need and the funding request (amounts typed the Belgian way, the
// declaration, the payee's IBAN). Each accepted form records the same event the CLI records and
// redirects to the situation; each refused one answers 422 with every failed rule's id next to
// its field and everything typed. A copy of sample 04 (Ciney) is driven to the state each form
// needs, through the same use cases the scenarios use.
#include "process/SigningDesk.h"
#include "web/WebFixture.h"

#include <catch2/catch.hpp>

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

const std::string kStem = "04-ciney-twelve-returned";

// A copy of sample 04 under `reference`, driven through its scenario until it reaches `state`,
// and assigned to the case manager.
std::int64_t driveTo(WebFixture& fixture, const std::string& reference, const std::string& state) {
    auto process = FundingProcess::open(fixture.database());
    std::string registration = readFile(samplesDir() / "situations" / (kStem + ".xml"));
    replaceAll(registration, "KIR-26-004", reference);
    const auto id = process.registerSituation(registration, reference, Actor{"partner", "fixture"}).id;
    test::ScenarioSigners signers(process);
    for (const auto& step : scenarioSteps(kStem)) {
        if (step.refused()) continue;
        fireStep(process, signers, id, step);
        if (step.state == state) break;
    }
    REQUIRE(process.situation(id).state == state);
    process.accounts().assign(kCaseManager, id, "2026-01-01T00:00:00Z");
    return id;
}

std::string stateOf(WebFixture& fixture, std::int64_t id) {
    return FundingProcess::open(fixture.database()).situation(id).state;
}

std::string documentOf(WebFixture& fixture, std::int64_t id) {
    return FundingProcess::open(fixture.database()).situation(id).document;
}

std::string formPath(std::int64_t id, const std::string& event) {
    return "/situations/" + std::to_string(id) + "/events/" + event;
}

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields carePlanFields(const std::string& csrf) {
    return {{"csrf", csrf},
            {"objective-rows", "3"},
            {"action-rows", "3"},
            {"meeting-rows", "3"},
            {"agreedOn", "2026-03-09"},
            {"pedopsychiatrist", "network:np-dubois"},
            {"objective-1-text", "Offrir à Jana un espace thérapeutique dans sa langue."},
            {"objective-2-text", "Maintenir Jana à l'école pendant la séparation."},
            {"action-1-text", "Art-thérapie en néerlandais, 16 séances."},
            {"action-1-objective", "1"},
            {"action-1-responsible", "p1"},
            {"action-1-start", "2026-03-25"},
            {"action-1-end", "2026-07-15"},
            {"action-2-text", "Personne de confiance à l'école."},
            {"action-2-objective", "2"},
            {"action-2-responsible", "p4"},
            {"action-2-start", "2026-03-16"},
            {"meeting-1-date", "2026-06-08"},
            {"meeting-2-date", "2026-10-05"}};
}

// The plan agreed through its form and the youth's adhesion recorded: plan-agreed, ready to sign.
void agreePlan(WebFixture& fixture, Browser& browser, std::int64_t id) {
    const auto page = browser.get(formPath(id, "plan.agreed"));
    REQUIRE(page.status == 200);
    REQUIRE(browser.post(formPath(id, "plan.agreed"), carePlanFields(csrfIn(page.body))).status == 303);
    auto process = FundingProcess::open(fixture.database());
    for (const auto& step : scenarioSteps(kStem))
        if (step.event == "consent.recorded" && step.data.find("plan-adhesion") != std::string::npos) {
            test::ScenarioSigners unused(process);
            fireStep(process, unused, id, step);
            break;
        }
    REQUIRE(process.situation(id).state == "plan-agreed");
}

// ... and signed by the network pedopsychiatrist the form chose: plan-validated.
void validatePlan(WebFixture& fixture, Browser& browser, std::int64_t id) {
    agreePlan(fixture, browser, id);
    auto process = FundingProcess::open(fixture.database());
    SigningDesk(process).signPlan(id, signingKey("pedopsychiatrist:Dr Claire Dubois"),
                                  Actor{"pedopsychiatrist", "Dr Claire Dubois"});
    REQUIRE(process.situation(id).state == "plan-validated");
}

} // namespace

TEST_CASE("the situation page's button for agreeing the plan leads to the care plan form", "[service][web]") {
    WebFixture fixture;
    const auto id = driveTo(fixture, "KIR-26-904", "concertation-held");
    Browser browser = signedInAs(fixture, kCaseManager);
    const auto situation = browser.get("/situations/" + std::to_string(id));
    REQUIRE(situation.status == 200);
    CHECK(situation.body.find("href=\"" + formPath(id, "plan.agreed") + "\"") != std::string::npos);
    const auto form = browser.get(formPath(id, "plan.agreed"));
    REQUIRE(form.status == 200);
    CHECK(form.body.find("name=\"objective-3-text\"") != std::string::npos);
    CHECK(form.body.find("name=\"objective-4-text\"") == std::string::npos);
    CHECK(form.body.find("value=\"network:np-dubois\"") != std::string::npos);
    CHECK(form.body.find("<legend>Objectifs</legend>") != std::string::npos);
}

TEST_CASE("a care plan typed into plain fields is recorded as plan.agreed with generated ids, actions linked to "
          "their objectives",
          "[service][web]") {
    WebFixture fixture;
    const auto id = driveTo(fixture, "KIR-26-905", "concertation-held");
    Browser browser = signedInAs(fixture, kCaseManager);
    const auto page = browser.get(formPath(id, "plan.agreed"));
    const auto answer = browser.post(formPath(id, "plan.agreed"), carePlanFields(csrfIn(page.body)));
    REQUIRE(answer.status == 303);
    CHECK(answer.header("location") == "/situations/" + std::to_string(id) + "?done=plan.agreed");
    CHECK(stateOf(fixture, id) == "plan-agreed");
    const std::string document = documentOf(fixture, id);
    CHECK(document.find("<pedopsychiatrist networkPedopsychiatrist=\"np-dubois\"/>") != std::string::npos);
    CHECK(document.find("<objective id=\"o2\">Maintenir Jana à l'école pendant la séparation.</objective>") !=
          std::string::npos);
    CHECK(document.find("<action id=\"a2\" objective=\"o2\" responsible=\"p4\" start=\"2026-03-16\">") !=
          std::string::npos);
    CHECK(document.find("<meeting date=\"2026-10-05\"/>") != std::string::npos);
}

TEST_CASE("a care plan refused by R8 shows the rule next to the meetings and keeps every row typed", "[service][web]") {
    WebFixture fixture;
    const auto id = driveTo(fixture, "KIR-26-906", "concertation-held");
    Browser browser = signedInAs(fixture, kCaseManager);
    const auto page = browser.get(formPath(id, "plan.agreed"));
    Fields fields = carePlanFields(csrfIn(page.body));
    fields.erase(std::remove_if(fields.begin(), fields.end(),
                                [](const auto& field) {
                                    return field.first.rfind("meeting-", 0) == 0 && field.first != "meeting-rows";
                                }),
                 fields.end());
    const auto answer = browser.post(formPath(id, "plan.agreed"), fields);
    REQUIRE(answer.status == 422);
    CHECK(answer.body.find("<label for=\"meeting-1-date\">") != std::string::npos);
    CHECK(answer.body.find("<span class=\"rule\">R8</span>") != std::string::npos);
    CHECK(answer.body.find("Personne de confiance à l'école.</textarea>") != std::string::npos);
    CHECK(answer.body.find("<option value=\"p4\" selected=\"selected\">") != std::string::npos);
    CHECK(stateOf(fixture, id) == "concertation-held");
}

TEST_CASE("adding a row shows the care plan again with one more action row and records nothing", "[service][web]") {
    WebFixture fixture;
    const auto id = driveTo(fixture, "KIR-26-907", "concertation-held");
    Browser browser = signedInAs(fixture, kCaseManager);
    const auto page = browser.get(formPath(id, "plan.agreed"));
    Fields fields = carePlanFields(csrfIn(page.body));
    fields.push_back({"add", "action"});
    const auto answer = browser.post(formPath(id, "plan.agreed"), fields);
    REQUIRE(answer.status == 200);
    CHECK(answer.body.find("name=\"action-4-text\"") != std::string::npos);
    CHECK(answer.body.find("name=\"action-5-text\"") == std::string::npos);
    CHECK(answer.body.find("Art-thérapie en néerlandais, 16 séances.</textarea>") != std::string::npos);
    // Empty rows stay empty: no "not provided" placeholder a coordinator would have to erase; and
    // the focus comes back in the new row, not at the top of the page (keyboard users).
    CHECK(answer.body.find("name=\"action-4-text\" autofocus=\"autofocus\"></textarea>") != std::string::npos);
    CHECK(answer.body.find("autofocus=") == answer.body.rfind("autofocus="));
    CHECK(page.body.find("autofocus") == std::string::npos);
    CHECK(answer.body.find("non renseigné") == std::string::npos);
    CHECK(stateOf(fixture, id) == "concertation-held");
}

TEST_CASE("a care plan with an action but no date or partner is refused before the workflow, each field named",
          "[service][web]") {
    WebFixture fixture;
    const auto id = driveTo(fixture, "KIR-26-908", "concertation-held");
    Browser browser = signedInAs(fixture, kCaseManager);
    const auto page = browser.get(formPath(id, "plan.agreed"));
    Fields fields = carePlanFields(csrfIn(page.body));
    fields.push_back({"action-3-text", "Un suivi sans date"});
    fields.push_back({"action-3-start", "2026-02-30"});
    const auto answer = browser.post(formPath(id, "plan.agreed"), fields);
    REQUIRE(answer.status == 422);
    CHECK(answer.body.find("<label for=\"action-3-responsible\">") != std::string::npos);
    CHECK(answer.body.find("<label for=\"action-3-start\">") != std::string::npos);
    CHECK(stateOf(fixture, id) == "concertation-held");
}

TEST_CASE("the financial need form records need.identified with its date and reason", "[service][web]") {
    WebFixture fixture;
    const auto id = driveTo(fixture, "KIR-26-909", "concertation-held");
    Browser browser = signedInAs(fixture, kCaseManager);
    validatePlan(fixture, browser, id);
    const auto page = browser.get(formPath(id, "need.identified"));
    REQUIRE(page.status == 200);
    const auto empty =
        browser.post(formPath(id, "need.identified"), {{"csrf", csrfIn(page.body)}, {"date", "2026-03-11"}});
    REQUIRE(empty.status == 422);
    CHECK(empty.body.find("<label for=\"reason\">") != std::string::npos);
    const auto answer =
        browser.post(formPath(id, "need.identified"), {{"csrf", csrfIn(page.body)},
                                                       {"date", "2026-03-11"},
                                                       {"reason", "Pas de thérapeute néerlandophone dans la région."}});
    REQUIRE(answer.status == 303);
    CHECK(stateOf(fixture, id) == "dossier-in-preparation");
    CHECK(documentOf(fixture, id).find("<financialNeed date=\"2026-03-11\" needed=\"true\">Pas de thérapeute") !=
          std::string::npos);
}

TEST_CASE("a funding request with an amount typed « 1.234,56 » is submitted as 123456 cents to budget check",
          "[service][web]") {
    WebFixture fixture;
    const auto id = driveTo(fixture, "KIR-26-910", "concertation-held");
    Browser browser = signedInAs(fixture, kCaseManager);
    validatePlan(fixture, browser, id);
    const auto need = browser.get(formPath(id, "need.identified"));
    REQUIRE(browser
                .post(formPath(id, "need.identified"),
                      {{"csrf", csrfIn(need.body)}, {"date", "2026-03-11"}, {"reason", "Besoin réel."}})
                .status == 303);
    const auto page = browser.get(formPath(id, "dossier.submitted"));
    REQUIRE(page.status == 200);
    CHECK(page.body.find("<script src=\"/static/iban.js\"") != std::string::npos);
    CHECK(page.body.find("<option value=\"a1\">") != std::string::npos);
    const Fields typed = {{"csrf", csrfIn(page.body)},
                          {"line-rows", "3"},
                          {"date", "2026-03-16"},
                          {"line-1-description", "16 séances d'art-thérapie"},
                          {"line-1-category", "therapy"},
                          {"line-1-supplier", "Atelier Kleur"},
                          {"line-1-amount", "1.234,56"},
                          {"line-1-action", "a1"},
                          {"payee", "Service de santé mentale de Ciney"},
                          {"iban", "be68 5390 0754 7034"}};

    // Without the declaration, R13 refuses: shown next to the checkbox, the amount as typed.
    const auto refused = browser.post(formPath(id, "dossier.submitted"), typed);
    REQUIRE(refused.status == 422);
    CHECK(refused.body.find("<span class=\"rule\">R13</span> <label for=\"noDoubleSubsidy\">") != std::string::npos);
    CHECK(refused.body.find("value=\"1.234,56\"") != std::string::npos);
    CHECK(refused.body.find("<span class=\"field-error\"><span class=\"rule\">R13</span> La demande doit") !=
          std::string::npos);
    CHECK(stateOf(fixture, id) == "dossier-in-preparation");

    Fields declared = typed;
    declared.push_back({"noDoubleSubsidy", "1"});
    const auto answer = browser.post(formPath(id, "dossier.submitted"), declared);
    REQUIRE(answer.status == 303);
    CHECK(stateOf(fixture, id) == "budget-check");
    const std::string document = documentOf(fixture, id);
    CHECK(document.find("amount=\"123456\"") != std::string::npos);
    CHECK(document.find("<payee name=\"Service de santé mentale de Ciney\" iban=\"BE68539007547034\"/>") !=
          std::string::npos);
    CHECK(document.find("<caseManager partner=\"p2\"/>") != std::string::npos);
}

TEST_CASE("an amount typed the English way is refused next to its line, in the user's language, and nothing is "
          "recorded",
          "[service][web]") {
    WebFixture fixture;
    const auto id = driveTo(fixture, "KIR-26-911", "concertation-held");
    Browser browser = signedInAs(fixture, kCaseManager);
    validatePlan(fixture, browser, id);
    const auto need = browser.get(formPath(id, "need.identified"));
    REQUIRE(browser
                .post(formPath(id, "need.identified"),
                      {{"csrf", csrfIn(need.body)}, {"date", "2026-03-11"}, {"reason", "Besoin réel."}})
                .status == 303);
    const auto page = browser.get(formPath(id, "dossier.updated"));
    const auto answer = browser.post(formPath(id, "dossier.updated"), {{"csrf", csrfIn(page.body)},
                                                                       {"date", "2026-03-16"},
                                                                       {"line-1-description", "Taxi social"},
                                                                       {"line-1-category", "transport"},
                                                                       {"line-1-amount", "1,234.56"},
                                                                       {"line-1-action", "a1"},
                                                                       {"noDoubleSubsidy", "1"}});
    REQUIRE(answer.status == 422);
    CHECK(answer.body.find("<label for=\"line-1-amount\">Écrivez les centimes après une virgule") != std::string::npos);
    CHECK(answer.body.find("value=\"1,234.56\"") != std::string::npos);
    CHECK(documentOf(fixture, id).find("<fundingRequests>") == std::string::npos);
}

TEST_CASE("a later phase's form is refused to a role that may not fire events and to another case manager",
          "[service][web]") {
    WebFixture fixture;
    const auto id = driveTo(fixture, "KIR-26-912", "concertation-held");
    Browser other(fixture.port());
    REQUIRE(other.signIn("Other CaseManager", passwordOf("Other CaseManager")).status == 303);
    CHECK(other.get(formPath(id, "plan.agreed")).status == 403);
    Browser finance(fixture.port());
    REQUIRE(finance.signIn("Finn Finance", passwordOf("Finn Finance")).status == 303);
    CHECK(finance.get(formPath(id, "plan.agreed")).status == 403);
    Browser manager = signedInAs(fixture, kCaseManager);
    const auto page = manager.get(formPath(id, "plan.agreed"));
    CHECK(manager.post(formPath(id, "plan.agreed"), {{"agreedOn", "2026-03-09"}}).status == 403);
    CHECK(stateOf(fixture, id) == "concertation-held");
}

TEST_CASE("the pedopsychiatrist downloads the plan to sign, signs it on their machine and uploads it: plan.signed "
          "is recorded",
          "[service][web]") {
    WebFixture fixture;
    const auto id = driveTo(fixture, "KIR-26-913", "concertation-held");
    Browser manager = signedInAs(fixture, kCaseManager);
    agreePlan(fixture, manager, id);
    FundingProcess::open(fixture.database()).accounts().assign("Dr Claire Dubois", id, "2026-01-01T00:00:00Z");
    Browser doctor(fixture.port());
    REQUIRE(doctor.signIn("Dr Claire Dubois", passwordOf("Dr Claire Dubois")).status == 303);
    CHECK(doctor.get("/situations/" + std::to_string(id)).body.find("href=\"" + formPath(id, "plan.signed") + "\"") !=
          std::string::npos);
    const auto page = doctor.get(formPath(id, "plan.signed"));
    REQUIRE(page.status == 200);
    CHECK(page.body.find("<h1>Het zorgplan ondertekenen</h1>") != std::string::npos);
    CHECK(page.body.find("caseflow sign-file care-plan-" + std::to_string(id) + "-to-sign.xml") != std::string::npos);
    const auto toSign = doctor.get(formPath(id, "plan.signed/document"));
    REQUIRE(toSign.status == 200);
    CHECK(toSign.header("content-disposition").find("attachment") != std::string::npos);
    CHECK(toSign.body.find("<carePlan") != std::string::npos);

    // Missing file: refused next to the file field, nothing recorded.
    const auto nothing = doctor.upload(formPath(id, "plan.signed"), csrfIn(page.body), "signed", "empty.xml", "");
    REQUIRE(nothing.status == 422);
    CHECK(nothing.body.find("<label for=\"signed\">") != std::string::npos);

    const std::string signedPlan = signLocally(toSign.body, "pedopsychiatrist:Dr Claire Dubois");
    const auto answer =
        doctor.upload(formPath(id, "plan.signed"), csrfIn(page.body), "signed", "signed.xml", signedPlan);
    REQUIRE(answer.status == 303);
    CHECK(stateOf(fixture, id) == "plan-validated");
}

TEST_CASE("a signed plan altered after signing is refused with R11 and the verdict in the signer's language",
          "[service][web]") {
    WebFixture fixture;
    const auto id = driveTo(fixture, "KIR-26-914", "concertation-held");
    Browser manager = signedInAs(fixture, kCaseManager);
    agreePlan(fixture, manager, id);
    FundingProcess::open(fixture.database()).accounts().assign("Dr Claire Dubois", id, "2026-01-01T00:00:00Z");
    Browser doctor(fixture.port());
    REQUIRE(doctor.signIn("Dr Claire Dubois", passwordOf("Dr Claire Dubois")).status == 303);
    const auto page = doctor.get(formPath(id, "plan.signed"));
    std::string signedPlan =
        signLocally(doctor.get(formPath(id, "plan.signed/document")).body, "pedopsychiatrist:Dr Claire Dubois");
    replaceAll(signedPlan, "16 séances", "26 séances");
    const auto answer =
        doctor.upload(formPath(id, "plan.signed"), csrfIn(page.body), "signed", "signed.xml", signedPlan);
    REQUIRE(answer.status == 422);
    CHECK(answer.body.find("<span class=\"rule\">R11</span>") != std::string::npos);
    CHECK(answer.body.find("Het plan of de handtekening werd na het ondertekenen gewijzigd.") != std::string::npos);
    CHECK(stateOf(fixture, id) == "plan-agreed");
}

TEST_CASE("an upload without the session's security token is refused before anything is verified", "[service][web]") {
    WebFixture fixture;
    const auto id = driveTo(fixture, "KIR-26-915", "concertation-held");
    Browser manager = signedInAs(fixture, kCaseManager);
    agreePlan(fixture, manager, id);
    const auto answer = manager.upload(formPath(id, "plan.signed"), "0000", "signed", "signed.xml", "<carePlan/>");
    CHECK(answer.status == 403);
    CHECK(stateOf(fixture, id) == "plan-agreed");
}
