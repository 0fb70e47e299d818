// Specification of the coordinator's administration pages (engine/web/AdminPages.h, issue 16
// item 5) against the real server on loopback, on a copy of the service tests' pilot database:
// the administration table of docs/authorisation.md enforced on every page for every role; a
// signer revoked after a confirmation step, whose next signature the Verifier then refuses; a
// token issued, shown once, accepted by the API, then revoked and refused; an account created
// in one step, disabled (no sign-in, no token) and enabled again; the read audit with its
// filters, pages and chain check; and no POST without its CSRF token.
#include "process/Authorisation.h"
#include "service/Accounts.h"
#include "signature/TrustStore.h"
#include "signature/Verifier.h"
#include "store/ReadLogStore.h"
#include "web/Labels.h"
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

const std::vector<std::string> kAdminPages = {"/admin/signers", "/admin/accounts", "/admin/tokens", "/admin/reads"};

std::string csrfOf(Browser& browser, const std::string& page) {
    const Response response = browser.get(page);
    REQUIRE(response.status == 200);
    return csrfIn(response.body);
}

std::int64_t count(WebFixture& fixture, const std::string& sql) {
    auto db = store::Database::open(fixture.database(), store::OpenMode::MustExist);
    auto query = db.prepare(sql);
    query.step();
    return query.columnInt(0);
}

// SQL on the read log behind caseflow's back, its append-only guards lifted first as a person
// with the database's shell would (SQLite: the triggers dropped; PostgreSQL: the owner disables
// them).
void tamperWithReadLog(WebFixture& fixture, const std::string& sql) {
    auto db = store::Database::open(fixture.database(), store::OpenMode::MustExist);
    db.exec(db.dialect() == store::Dialect::Sqlite
                ? "DROP TRIGGER IF EXISTS read_log_no_update; DROP TRIGGER IF EXISTS read_log_no_delete"
                : "ALTER TABLE read_log DISABLE TRIGGER USER");
    db.exec(sql);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// docs/authorisation.md's administration table: part -> role -> "yes" | "no", with its page.
struct DocumentedPart {
    std::string part, page;
    std::map<std::string, std::string> cells;
};

std::vector<DocumentedPart> documentedAdministration() {
    const std::string doc = readFile(projectDir() / "docs" / "authorisation.md");
    const auto begin = doc.find("<!-- administration:begin -->");
    const auto end = doc.find("<!-- administration:end -->");
    REQUIRE(begin != std::string::npos);
    REQUIRE(end != std::string::npos);
    std::istringstream lines(doc.substr(begin, end - begin));
    std::vector<DocumentedPart> parts;
    bool header = true;
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] != '|' || line.find("---") != std::string::npos) continue;
        std::vector<std::string> cells;
        std::istringstream split(line.substr(1));
        for (std::string cell; std::getline(split, cell, '|');) {
            cell.erase(0, cell.find_first_not_of(' '));
            cell.erase(cell.find_last_not_of(' ') + 1);
            cells.push_back(cell);
        }
        if (header) {
            REQUIRE(cells.size() == 2 + kUserRoles.size());
            for (std::size_t i = 0; i < kUserRoles.size(); ++i) CHECK(cells[2 + i] == kUserRoles[i]);
            header = false;
            continue;
        }
        DocumentedPart part{cells.at(0), cells.at(1), {}};
        for (std::size_t i = 0; i < kUserRoles.size(); ++i) part.cells[std::string(kUserRoles[i])] = cells.at(2 + i);
        parts.push_back(part);
    }
    return parts;
}

// A signed care plan for situation 12, as its pedopsychiatrist's machine makes it now.
std::string carePlanSignedNow(WebFixture& fixture) {
    const Response prepared =
        send(fixture.port(), {"GET", "/api/v1/situations/12/care-plan/document-to-sign", fixture.token(kCoordinator)});
    REQUIRE(prepared.status == 200);
    return signLocally(prepared.json()->getValue<std::string>("document"), "pedopsychiatrist:" + kPedopsychiatrist);
}

signature::Verification verifiedNow(WebFixture& fixture, const std::string& signedXml) {
    auto process = FundingProcess::open(fixture.database());
    const signature::TrustStore trust = process.trustStore();
    const auto doc = xml::parseString(signedXml, "signed care plan");
    return signature::Verifier(trust).verify(xml::root(doc.get()), signature::SignatureAge::New);
}

} // namespace

TEST_CASE("every role gets exactly its cell of the documented administration table on each admin page",
          "[service][web][admin]") {
    const auto parts = documentedAdministration();
    REQUIRE(parts.size() == allAdministration().size());
    for (const auto& documented : parts) {
        bool known = false;
        for (const auto part : allAdministration()) {
            if (administrationName(part) != documented.part) continue;
            known = true;
            for (const auto& role : kUserRoles) {
                INFO(documented.part << " for " << role);
                CHECK(documented.cells.at(std::string(role)) == (mayAdminister(role, part) ? "yes" : "no"));
            }
        }
        CHECK(known);
    }
    CHECK_FALSE(mayAdministerAnything("system"));

    WebFixture fixture;
    const auto tokens = count(fixture, "SELECT count(*) FROM tokens");
    for (const auto& user : fixtureUsers()) {
        if (user.name == "Other CaseManager") continue;
        Browser browser = signedInAs(fixture, user.name);
        const Response caseload = browser.get("/caseload");
        const bool administers = mayAdministerAnything(user.role);
        INFO(user.role);
        CHECK(contains(caseload.body, "href=\"/admin/accounts\"") == administers);
        for (const auto& documented : parts) {
            INFO(documented.page);
            const Response page = browser.get(documented.page);
            CHECK(page.status == (documented.cells.at(user.role) == "yes" ? 200 : 403));
            if (page.status == 403 && caseflow::test::web::languageOf(user) == "fr")
                CHECK(contains(page.body, "Votre rôle ne donne pas accès à cette page."));
        }
        // The old address of the accounts page leads to its new one, under the same table.
        const Response old = browser.get("/accounts");
        CHECK(old.status == 303);
        CHECK(old.header("location") == "/admin/accounts");
        // Writes are refused to the same roles, before anything is read from the form.
        if (!administers) {
            const std::string csrf = csrfOf(browser, "/caseload");
            CHECK(browser.post("/admin/tokens", {{"csrf", csrf}, {"owner", user.name}, {"days", "30"}}).status == 403);
            CHECK(browser.post("/admin/signers/revoke", {{"csrf", csrf}, {"fingerprint", "00"}, {"reason", "x"}})
                      .status == 403);
            CHECK(browser.post("/admin/accounts/disable", {{"csrf", csrf}, {"name", kCoordinator}}).status == 403);
        }
    }
    CHECK(count(fixture, "SELECT count(*) FROM tokens") == tokens);
    CHECK(count(fixture, "SELECT count(*) FROM users WHERE disabled_at IS NOT NULL") == 0);
}

TEST_CASE("a signer revoked on the page, after a confirmation with a reason, has the next signature refused by the "
          "Verifier with the revocation sentence",
          "[service][web][admin][signature]") {
    WebFixture fixture;
    const std::string signedPlan = carePlanSignedNow(fixture);
    REQUIRE(verifiedNow(fixture, signedPlan).valid());

    Browser coordinator = signedInAs(fixture, kCoordinator);
    const Response list = coordinator.get("/admin/signers");
    REQUIRE(list.status == 200);
    CHECK(contains(list.body, kPedopsychiatrist));
    CHECK(contains(list.body, "valable"));
    CHECK(contains(list.body, "caseflow signer add"));
    const auto doctor = FundingProcess::open(fixture.database()).trustStore().activeSigners(kPedopsychiatrist).at(0);
    CHECK(contains(list.body, doctor.serial));
    CHECK(contains(list.body, "/admin/signers?revoke=" + doctor.fingerprint));

    // The first step only asks: nothing is revoked by the GET.
    const Response confirm = coordinator.get("/admin/signers?revoke=" + doctor.fingerprint);
    REQUIRE(confirm.status == 200);
    CHECK(contains(confirm.body, "Révoquer le certificat de " + kPedopsychiatrist + " ?"));
    CHECK(verifiedNow(fixture, signedPlan).valid());

    // A revocation needs its reason; the refusal keeps the confirmation open.
    const std::string csrf = csrfIn(confirm.body);
    const Response noReason = coordinator.post("/admin/signers/revoke",
                                               {{"csrf", csrf}, {"fingerprint", doctor.fingerprint}, {"reason", ""}});
    CHECK(noReason.status == 422);
    CHECK(contains(noReason.body, "Dites pourquoi le certificat est révoqué"));
    CHECK(contains(noReason.body, "action=\"/admin/signers/revoke\""));
    CHECK(verifiedNow(fixture, signedPlan).valid());

    const Response revoked = coordinator.post(
        "/admin/signers/revoke", {{"csrf", csrf}, {"fingerprint", doctor.fingerprint}, {"reason", "laptop stolen"}});
    CHECK(revoked.status == 303);
    CHECK(revoked.header("location") == "/admin/signers?done=revoked");
    const Response after = coordinator.get("/admin/signers?done=revoked");
    CHECK(contains(after.body, "révoqué le"));
    CHECK(contains(after.body, "laptop stolen"));

    // What `caseflow signer revoke` records, by whom, and the Verifier's refusal.
    const auto record = FundingProcess::open(fixture.database()).trustStore().signerByFingerprint(doctor.fingerprint);
    REQUIRE(record->revokedAt);
    CHECK(record->revokedBy == "coordinator:" + kCoordinator);
    CHECK(record->revocationReason == "laptop stolen");
    const auto verdict = verifiedNow(fixture, signedPlan);
    CHECK(verdict.status == signature::SignatureStatus::Revoked);
    CHECK(contains(verdict.detail, "was revoked on " + *record->revokedAt + " (laptop stolen)"));
    // Once revoked, it is offered for revocation no more.
    CHECK(coordinator
              .post("/admin/signers/revoke", {{"csrf", csrf}, {"fingerprint", doctor.fingerprint}, {"reason", "again"}})
              .status == 404);
}

TEST_CASE("a token issued on the page is shown once, opens the API, and revoked on the page is refused with 401",
          "[service][web][admin]") {
    WebFixture fixture;
    Browser coordinator = signedInAs(fixture, kCoordinator);
    const std::string csrf = csrfOf(coordinator, "/admin/tokens");

    const Response refused = coordinator.post("/admin/tokens", {{"csrf", csrf}, {"owner", kFinance}, {"days", "0"}});
    CHECK(refused.status == 422);
    CHECK(contains(refused.body, "Un jeton est valable de 1 à 3650 jours."));

    const Response issued = coordinator.post("/admin/tokens", {{"csrf", csrf}, {"owner", kFinance}, {"days", "30"}});
    REQUIRE(issued.status == 200);
    CHECK(issued.header("cache-control") == "no-store");
    std::smatch match;
    REQUIRE(std::regex_search(issued.body, match, std::regex(R"re(value="(cfk_([0-9a-f]{12})_[0-9a-f]{64})")re")));
    const std::string secret = match[1].str(), id = match[2].str();
    CHECK(contains(issued.body, "Copiez-le maintenant"));

    // The API takes it as finance's.
    const Response envelope = send(fixture.port(), {"GET", "/api/v1/envelopes/2026", secret});
    CHECK(envelope.status == 200);
    CHECK(send(fixture.port(), {"GET", "/api/v1/situations/12/events", secret}).status == 403);

    // Never again: the list shows its id, not the secret, and only its hash is stored.
    const Response list = coordinator.get("/admin/tokens");
    CHECK(contains(list.body, id));
    CHECK_FALSE(contains(list.body, secret));
    CHECK_FALSE(contains(list.body, secret.substr(17)));
    CHECK(count(fixture, "SELECT count(*) FROM tokens WHERE id = '" + id + "' AND hash <> ''") == 1);

    const Response revoked = coordinator.post("/admin/tokens/revoke", {{"csrf", csrf}, {"id", id}});
    CHECK(revoked.status == 303);
    CHECK(revoked.header("location") == "/admin/tokens?done=revoked");
    CHECK(send(fixture.port(), {"GET", "/api/v1/envelopes/2026", secret}).status == 401);
    CHECK(contains(coordinator.get("/admin/tokens?done=revoked").body, "révoqué le"));
    // A token revoked already is no longer there to revoke.
    CHECK(coordinator.post("/admin/tokens/revoke", {{"csrf", csrf}, {"id", id}}).status == 404);
}

TEST_CASE("an account is created with its situations, password and language in one step, and a disabled account "
          "can neither sign in nor use its tokens until it is enabled again",
          "[service][web][admin]") {
    WebFixture fixture;
    Browser coordinator = signedInAs(fixture, kCoordinator);
    const std::string csrf = csrfOf(coordinator, "/admin/accounts");

    // A refused creation leaves no account at all.
    const Response badSituations = coordinator.post("/admin/accounts", {{"csrf", csrf},
                                                                        {"name", "Anne Neuve"},
                                                                        {"role", "case_manager"},
                                                                        {"language", "nl"},
                                                                        {"situations", "12,x"},
                                                                        {"password", "long enough pw"}});
    CHECK(badSituations.status == 422);
    CHECK(contains(badSituations.body, "Donnez des numéros de situation séparés par des virgules"));
    CHECK(count(fixture, "SELECT count(*) FROM users WHERE name = 'Anne Neuve'") == 0);

    const Response created = coordinator.post("/admin/accounts", {{"csrf", csrf},
                                                                  {"name", "Anne Neuve"},
                                                                  {"role", "case_manager"},
                                                                  {"language", "nl"},
                                                                  {"situations", "12"},
                                                                  {"password", "long enough pw"}});
    CHECK(created.status == 303);
    CHECK(created.header("location") == "/admin/accounts?done=created");
    CHECK(count(fixture, "SELECT count(*) FROM assignments WHERE user_name = 'Anne Neuve' AND situation_id = 12") == 1);
    Browser anne(fixture.port());
    REQUIRE(anne.signIn("Anne Neuve", "long enough pw").status == 303);
    CHECK(anne.get("/situations/12").status == 200);
    CHECK(contains(anne.get("/caseload").body, "<html lang=\"nl\""));
    const Response taken = coordinator.post("/admin/accounts", {{"csrf", csrf},
                                                                {"name", "Anne Neuve"},
                                                                {"role", "finance"},
                                                                {"language", "fr"},
                                                                {"password", "long enough pw"}});
    CHECK(taken.status == 422);
    CHECK(contains(taken.body, "Un compte de ce nom existe déjà."));

    // Disabled: the open session ends, signing in fails, the API token is refused.
    Browser caseManager = signedInAs(fixture, kCaseManager);
    const std::string token = fixture.token(kCaseManager);
    REQUIRE(send(fixture.port(), {"GET", "/api/v1/situations/12", token}).status == 200);
    const Response disabled = coordinator.post("/admin/accounts/disable", {{"csrf", csrf}, {"name", kCaseManager}});
    CHECK(disabled.status == 303);
    CHECK(disabled.header("location") == "/admin/accounts?done=disabled");
    CHECK(caseManager.get("/caseload").status == 303);
    CHECK(caseManager.signIn(kCaseManager, passwordOf(kCaseManager)).status == 401);
    CHECK(send(fixture.port(), {"GET", "/api/v1/situations/12", token}).status == 401);
    CHECK(contains(coordinator.get("/admin/accounts").body, "désactivé depuis le"));
    // Nobody disables themselves by mistake.
    CHECK(coordinator.post("/admin/accounts/disable", {{"csrf", csrf}, {"name", kCoordinator}}).status == 422);

    // Enabled again: signing in works; the old tokens stay revoked, a new one is needed.
    CHECK(coordinator.post("/admin/accounts/enable", {{"csrf", csrf}, {"name", kCaseManager}}).status == 303);
    CHECK(caseManager.signIn(kCaseManager, passwordOf(kCaseManager)).status == 303);
    CHECK(send(fixture.port(), {"GET", "/api/v1/situations/12", token}).status == 401);
}

TEST_CASE("a disabled account's tokens authenticate nobody even when they were not revoked", "[service][admin]") {
    WebFixture fixture;
    const std::string used = fixture.token(kFinance);
    auto process = FundingProcess::open(fixture.database());
    const std::string unused = service::Accounts(process.accounts()).issueToken(kFinance, std::nullopt).secret;
    REQUIRE(send(fixture.port(), {"GET", "/api/v1/envelopes/2026", used}).status == 200);
    // As a database changed by an older version would hold it: disabled, its tokens still active.
    // The token the server has not seen yet is judged by the database (the one it has seen may
    // live on in the token cache for server.tokenCacheSeconds, as after a CLI change: docs/api.md).
    process.accounts().setDisabled(kFinance, std::string("2026-11-01T00:00:00Z"));
    CHECK(send(fixture.port(), {"GET", "/api/v1/envelopes/2026", unused}).status == 401);
}

TEST_CASE("the read audit says in words what was read, in the reader's language, the code kept beside it",
          "[web][admin]") {
    using caseflow::web::documentLabel;
    using caseflow::web::readLabel;
    CHECK(readLabel("situation", "nl") == "Situatie geraadpleegd");
    CHECK(readLabel("history", "fr") == "Historique de la situation");
    // A document is named as the pages name it, in the reader's language.
    CHECK(documentLabel("care-plan", "nl") != "Care plan");
    CHECK(readLabel("document:care-plan", "nl") == "Document: " + documentLabel("care-plan", "nl"));
    CHECK(readLabel("document-to-sign:decision", "fr") ==
          "Document à signer: " + documentLabel("budget-decision", "fr"));
    CHECK(readLabel("payment-run:2026-11-R3", "nl") == "Betalingsrun: 2026-11-R3");
    // A code this version does not know is shown as it is rather than hidden.
    CHECK(readLabel("something-new:7", "fr") == "something-new:7");
}

TEST_CASE("the read audit shows a read made just before by another user, newest first, filtered by situation and "
          "user, 50 a page, and says the read log's chain verifies",
          "[service][web][admin]") {
    WebFixture fixture;
    Browser caseManager = signedInAs(fixture, kCaseManager);
    REQUIRE(caseManager.get("/situations/12").status == 200);
    Browser coordinator = signedInAs(fixture, kCoordinator);

    const Response audit = coordinator.get("/admin/reads");
    REQUIRE(audit.status == 200);
    // The newest read is the case manager's, of situation 12, through the situation page.
    const auto firstRow = audit.body.find("<tbody>");
    REQUIRE(firstRow != std::string::npos);
    const std::string newest = audit.body.substr(firstRow, audit.body.find("</tr>", firstRow) - firstRow);
    CHECK(contains(newest, kCaseManager));
    CHECK(contains(newest, ">12<"));
    // The situation page records the situation and its history, in that order.
    CHECK(contains(newest, "Historique de la situation"));
    CHECK(contains(newest, "<code class=\"read-code\">history</code>"));
    CHECK(contains(audit.body, "Situation consultée"));
    CHECK(contains(audit.body, "<code class=\"read-code\">situation</code>"));
    CHECK(contains(audit.body, "Le journal des lectures est intact"));

    // Filters: another situation has none of her reads; another user none of 12's page reads.
    std::string encodedUser;
    Poco::URI::encode(kCaseManager, "&=+?#/%", encodedUser);
    const Response bySituation = coordinator.get("/admin/reads?situation=1");
    CHECK_FALSE(contains(bySituation.body, "<td>" + kCaseManager + "</td>"));
    const Response byUser = coordinator.get("/admin/reads?situation=12&user=" + encodedUser);
    CHECK(contains(byUser.body, "<td>" + kCaseManager + "</td>"));
    CHECK_FALSE(contains(byUser.body, "<td>" + kCoordinator + "</td>"));
    const Response byOther = coordinator.get("/admin/reads?user=" + std::string("Finn%20Finance"));
    CHECK_FALSE(contains(byOther.body, "<td>" + kCaseManager + "</td>"));
    CHECK(coordinator.get("/admin/reads?situation=abc").body.find("Une situation se désigne par son numéro") !=
          std::string::npos);

    // Paging: the caseload list records one read per situation; 50 a page, newest first.
    for (int i = 0; i < 3; ++i) REQUIRE(coordinator.get("/caseload").status == 200);
    const auto total = count(fixture, "SELECT count(*) FROM read_log");
    REQUIRE(total > 50);
    const Response first = coordinator.get("/admin/reads");
    const auto rows = [](const std::string& body) {
        std::int64_t n = 0;
        for (auto at = body.find("<tr>", body.find("<tbody>")); at != std::string::npos; at = body.find("<tr>", at + 1))
            ++n;
        return n;
    };
    CHECK(rows(first.body) == 50);
    CHECK(contains(first.body, "href=\"/admin/reads?page=2\""));
    const auto lastPage = (total + 49) / 50;
    const Response last = coordinator.get("/admin/reads?page=" + std::to_string(lastPage));
    CHECK(rows(last.body) == total - 50 * (lastPage - 1));
    CHECK(contains(last.body, "href=\"/admin/reads?page=" + std::to_string(lastPage - 1) + "\""));

    // The server walked the whole chain when it started; each view walks the reads written since
    // the previous check and says so, with the date of the whole walk and a link to walk it all
    // again, which says it walked it all.
    for (const Response* view : {&audit, &last}) {
        CHECK(contains(view->body, "Cette page a contrôlé les enregistrements écrits depuis le contrôle précédent"));
        CHECK(contains(view->body, "href=\"/admin/reads?chain=full\""));
    }
    CHECK(contains(last.body, std::to_string(total) + " enregistrements se vérifie"));
    const Response whole = coordinator.get("/admin/reads?chain=full");
    CHECK(
        contains(whole.body, std::to_string(total) + " enregistrements se vérifie, comme caseflow verify la contrôle"));
    CHECK_FALSE(contains(whole.body, "href=\"/admin/reads?chain=full\""));

    // A broken chain is said, with the record where it breaks.
    tamperWithReadLog(fixture, "UPDATE read_log SET what = 'edited' WHERE id = 2");
    // An old record edited is found by the next whole walk: the one asked for on the page.
    const Response walkedSince = coordinator.get("/admin/reads?situation=999");
    CHECK(contains(walkedSince.body, "Le journal des lectures est intact"));
    const Response broken = coordinator.get("/admin/reads?situation=999&chain=full");
    CHECK(contains(broken.body, "Le journal des lectures ne se vérifie pas : l'enregistrement 2 a été modifié"));
    // Once broken, every view walks the whole chain again and says so until it is mended.
    const Response stillBroken = coordinator.get("/admin/reads");
    CHECK(contains(stillBroken.body, "l'enregistrement 2 a été modifié"));
}

TEST_CASE("the read audit finds a read record edited after its last view at its next view", "[service][web][admin]") {
    WebFixture fixture;
    Browser coordinator = signedInAs(fixture, kCoordinator);
    REQUIRE(coordinator.get("/admin/reads").status == 200);
    Browser caseManager = signedInAs(fixture, kCaseManager);
    REQUIRE(caseManager.get("/situations/12").status == 200);
    const auto newest = count(fixture, "SELECT max(id) FROM read_log");
    tamperWithReadLog(fixture, "UPDATE read_log SET user_name = 'someone else' WHERE id = " + std::to_string(newest));
    const Response audit = coordinator.get("/admin/reads");
    CHECK(contains(audit.body, "Le journal des lectures ne se vérifie pas : l'enregistrement " +
                                   std::to_string(newest) + " a été modifié"));
}

TEST_CASE("the read audit says the newest reads were removed when PostgreSQL's head names a missing one, while "
          "SQLite's shorter chain still links up",
          "[service][web][admin]") {
    WebFixture fixture;
    // Signed in first: a sign-in's landing page records reads, which would follow the cut.
    Browser coordinator = signedInAs(fixture, kCoordinator);
    Browser caseManager = signedInAs(fixture, kCaseManager);
    REQUIRE(caseManager.get("/situations/12").status == 200);
    const auto newest = count(fixture, "SELECT max(id) FROM read_log");
    tamperWithReadLog(fixture, "DELETE FROM read_log WHERE id = " + std::to_string(newest));
    const Response audit = coordinator.get("/admin/reads");
    REQUIRE(audit.status == 200);
    if (testBackend() == Backend::Postgres) {
        CHECK(contains(audit.body, "ses enregistrements les plus récents ont été supprimés"));
        CHECK_FALSE(contains(audit.body, "l'enregistrement  a été modifié"));
    } else {
        CHECK(contains(audit.body, "Le journal des lectures est intact"));
    }
}

TEST_CASE("a POST to an admin page without its CSRF token is refused with 403 and changes nothing",
          "[service][web][admin]") {
    WebFixture fixture;
    Browser coordinator = signedInAs(fixture, kCoordinator);
    const auto doctor = FundingProcess::open(fixture.database()).trustStore().activeSigners(kPedopsychiatrist).at(0);
    const auto tokens = count(fixture, "SELECT count(*) FROM tokens");
    const auto revoked = count(fixture, "SELECT count(*) FROM trust_signers WHERE revoked_at IS NOT NULL");
    CHECK(coordinator.post("/admin/tokens", {{"owner", kFinance}, {"days", "30"}}).status == 403);
    CHECK(coordinator.post("/admin/signers/revoke", {{"fingerprint", doctor.fingerprint}, {"reason", "x"}}).status ==
          403);
    CHECK(coordinator.post("/admin/accounts/disable", {{"csrf", "0000"}, {"name", kCaseManager}}).status == 403);
    CHECK(coordinator
              .post("/admin/accounts",
                    {{"name", "Nobody"}, {"role", "finance"}, {"language", "fr"}, {"password", "long enough pw"}})
              .status == 403);
    CHECK(count(fixture, "SELECT count(*) FROM tokens") == tokens);
    CHECK(count(fixture, "SELECT count(*) FROM trust_signers WHERE revoked_at IS NOT NULL") == revoked);
    CHECK(count(fixture, "SELECT count(*) FROM users WHERE disabled_at IS NOT NULL OR name = 'Nobody'") == 0);
}
