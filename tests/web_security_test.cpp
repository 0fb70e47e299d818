// Specification of the web application's security (docs/web.md), against the real server on
// loopback: the headers every page carries, the session cookie and what is stored of it, the
// CSRF token on every POST, login throttling per account and per address, idle and absolute
// session expiry, signing out, and the API's authorisation matrix applied to pages.
#include "store/Database.h"
#include "store/SessionRepository.h"
#include "store/Sha256.h"
#include "web/WebFixture.h"

#include <catch2/catch.hpp>

using caseflow::test::web::Browser;
using caseflow::test::web::csrfIn;
using caseflow::test::web::passwordOf;
using caseflow::test::web::WebFixture;
using namespace caseflow::test::http::people;

namespace {

void checkSecurityHeaders(const caseflow::test::http::Response& response) {
    CHECK(response.header("content-security-policy") ==
          "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'; form-action 'self'; "
          "base-uri 'none'");
    CHECK(response.header("referrer-policy") == "no-referrer");
    CHECK(response.header("x-content-type-options") == "nosniff");
}

} // namespace

TEST_CASE("every page, signed in or not, found or not, carries the CSP, no-referrer and nosniff headers",
          "[service][web]") {
    WebFixture web;
    Browser browser(web.port());
    checkSecurityHeaders(browser.get("/sign-in"));
    checkSecurityHeaders(browser.get("/caseload")); // the redirect to sign in
    REQUIRE(browser.signIn(kCoordinator, passwordOf(kCoordinator)).status == 303);
    const auto caseload = browser.get("/caseload");
    CHECK(caseload.status == 200);
    CHECK(caseload.header("cache-control") == "no-store");
    checkSecurityHeaders(caseload);
    checkSecurityHeaders(browser.get("/no-such-page"));
    // No page holds an inline script or style: the policy would block them anyway.
    CHECK(caseload.body.find("<script") == std::string::npos);
    CHECK(caseload.body.find("<style") == std::string::npos);
    CHECK(caseload.body.find("style=") == std::string::npos);
}

TEST_CASE("the session cookie is HttpOnly, SameSite=Strict and Path=/, and only its SHA-256 is stored",
          "[service][web]") {
    WebFixture web;
    Browser browser(web.port());
    const auto answer = browser.signIn(kCaseManager, passwordOf(kCaseManager), "/situations/12");
    REQUIRE(answer.status == 303);
    CHECK(answer.header("location") == "/situations/12");
    const std::string header = browser.setCookieHeader("caseflow_session");
    CHECK(header.find("; Path=/") != std::string::npos);
    CHECK(header.find("; HttpOnly") != std::string::npos);
    CHECK(header.find("; SameSite=Strict") != std::string::npos);
    CHECK(header.find("Secure") == std::string::npos); // plain HTTP: a Secure cookie would never come back
    const std::string identifier = browser.cookie("caseflow_session");
    CHECK(identifier.size() == 64); // 32 random bytes

    auto db = caseflow::store::Database::open(web.database(), caseflow::store::OpenMode::MustExist);
    caseflow::store::SessionRepository sessions(db);
    CHECK_FALSE(sessions.find(identifier).has_value());
    const auto row = sessions.find(caseflow::store::sha256Hex(identifier));
    REQUIRE(row.has_value());
    CHECK(row->userName == kCaseManager);
    CHECK(browser.get("/situations/12").status == 200);
}

TEST_CASE("a POST without its CSRF token, or with another session's, is refused with 403 and changes nothing",
          "[service][web]") {
    WebFixture web;
    Browser browser(web.port());
    REQUIRE(browser.signIn(kCaseManager, passwordOf(kCaseManager)).status == 303);
    Browser other(web.port());
    REQUIRE(other.signIn(kCoordinator, passwordOf(kCoordinator)).status == 303);
    const std::string otherToken = csrfIn(other.get("/caseload").body);
    REQUIRE_FALSE(otherToken.empty());

    const auto without = browser.post("/language", {{"lang", "nl"}, {"back", "/caseload"}});
    CHECK(without.status == 403);
    checkSecurityHeaders(without);
    const auto foreign = browser.post("/language", {{"lang", "nl"}, {"back", "/caseload"}, {"csrf", otherToken}});
    CHECK(foreign.status == 403);
    const auto signOut = browser.post("/sign-out", {});
    CHECK(signOut.status == 403);

    auto db = caseflow::store::Database::open(web.database(), caseflow::store::OpenMode::MustExist);
    CHECK(caseflow::store::AccountRepository(db).login(kCaseManager)->language == "fr");
    CHECK(browser.get("/caseload").status == 200); // still signed in

    const std::string own = csrfIn(browser.get("/caseload").body);
    CHECK(browser.post("/language", {{"lang", "nl"}, {"back", "/caseload"}, {"csrf", own}}).status == 303);
    CHECK(caseflow::store::AccountRepository(db).login(kCaseManager)->language == "nl");
    CHECK(browser.get("/caseload").body.find("<html lang=\"nl\"") != std::string::npos);
}

TEST_CASE("the sign-in form itself needs the token its page set in a cookie", "[service][web]") {
    WebFixture web;
    Browser browser(web.port());
    const auto answer = browser.post("/sign-in", {{"name", kCoordinator}, {"password", passwordOf(kCoordinator)}});
    CHECK(answer.status == 403);
    CHECK(browser.cookie("caseflow_session").empty());
}

TEST_CASE("a case manager gets 403 on another's situation page, its documents and its diagram, 200 on their own",
          "[service][web]") {
    WebFixture web;
    Browser browser(web.port());
    REQUIRE(browser.signIn(kCaseManager, passwordOf(kCaseManager)).status == 303);
    CHECK(browser.get("/situations/12").status == 200);
    const auto denied = browser.get("/situations/1");
    CHECK(denied.status == 403);
    CHECK(denied.body.find("Cette situation ne fait pas partie des vôtres.") != std::string::npos);
    CHECK(browser.get("/situations/1/documents/care-plan?format=pdf&lang=fr").status == 403);
    CHECK(browser.get("/situations/1/workflow.svg").status == 403);
    CHECK(browser.get("/admin/accounts").status == 403); // accounts are the coordinator's
    CHECK(browser.get("/situations/999").status == 404);

    Browser coordinator(web.port());
    REQUIRE(coordinator.signIn(kCoordinator, passwordOf(kCoordinator)).status == 303);
    CHECK(coordinator.get("/situations/1").status == 200);
}

TEST_CASE("five failed sign-ins lock the account until the window ends, even with the right password",
          "[service][web]") {
    WebFixture web;
    Browser browser(web.port());
    for (int attempt = 0; attempt < 5; ++attempt) CHECK(browser.signIn(kCaseManager, "not the password").status == 401);
    const auto locked = browser.signIn(kCaseManager, passwordOf(kCaseManager));
    CHECK(locked.status == 429);
    CHECK(locked.header("retry-after") == "900");
    CHECK(browser.cookie("caseflow_session").empty());
    // Another account from the same address is not locked by these five.
    Browser other(web.port());
    CHECK(other.signIn(kCoordinator, passwordOf(kCoordinator)).status == 303);

    web.advance(15 * 60);
    CHECK(browser.signIn(kCaseManager, passwordOf(kCaseManager)).status == 303);
}

TEST_CASE("twenty failed sign-ins from one address lock every account from it, unknown names included",
          "[service][web]") {
    WebFixture web;
    Browser browser(web.port());
    for (int attempt = 0; attempt < 20; ++attempt)
        CHECK(browser.signIn("guess " + std::to_string(attempt), "not the password").status == 401);
    CHECK(browser.signIn(kCoordinator, passwordOf(kCoordinator)).status == 429);
    web.advance(15 * 60);
    CHECK(browser.signIn(kCoordinator, passwordOf(kCoordinator)).status == 303);
}

TEST_CASE("a wrong password and an unknown name get the same answer", "[service][web]") {
    WebFixture web;
    Browser browser(web.port());
    const auto wrong = browser.signIn(kCoordinator, "not the password");
    const auto unknown = browser.signIn("Nobody Here", "not the password");
    CHECK(wrong.status == 401);
    CHECK(unknown.status == 401);
    CHECK(wrong.body.find("Le nom ou le mot de passe n'est pas correct.") != std::string::npos);
    CHECK(unknown.body.find("Le nom ou le mot de passe n'est pas correct.") != std::string::npos);
}

TEST_CASE("a session idle for 30 minutes sends back to sign-in keeping the target, and is deleted", "[service][web]") {
    WebFixture web;
    Browser browser(web.port());
    REQUIRE(browser.signIn(kCaseManager, passwordOf(kCaseManager)).status == 303);
    const std::string identifier = browser.cookie("caseflow_session");
    web.advance(29 * 60);
    CHECK(browser.get("/caseload").status == 200); // activity restarts the idle time
    web.advance(29 * 60);
    CHECK(browser.get("/caseload").status == 200);
    web.advance(30 * 60);
    const auto expired = browser.get("/situations/12?tab=history");
    CHECK(expired.status == 303);
    CHECK(expired.header("location") == "/sign-in?next=%2Fsituations%2F12%3Ftab%3Dhistory&expired=1");
    auto db = caseflow::store::Database::open(web.database(), caseflow::store::OpenMode::MustExist);
    CHECK_FALSE(caseflow::store::SessionRepository(db).find(caseflow::store::sha256Hex(identifier)).has_value());

    const auto page = browser.get(expired.header("location"));
    CHECK(page.body.find("Votre session a expiré.") != std::string::npos);
    const auto back = browser.post("/sign-in", {{"csrf", csrfIn(page.body)},
                                                {"name", kCaseManager},
                                                {"password", passwordOf(kCaseManager)},
                                                {"next", "/situations/12?tab=history"}});
    CHECK(back.header("location") == "/situations/12?tab=history");
}

TEST_CASE("a session ends 12 hours after sign-in however active it is", "[service][web]") {
    WebFixture web;
    Browser browser(web.port());
    REQUIRE(browser.signIn(kCaseManager, passwordOf(kCaseManager)).status == 303);
    for (int step = 0; step < 24; ++step) {
        web.advance(29 * 60);
        CHECK(browser.get("/caseload").status == 200);
    }
    web.advance(29 * 60); // 12 h 05 after signing in
    CHECK(browser.get("/caseload").status == 303);
}

TEST_CASE("signing out ends the session: the old cookie opens nothing", "[service][web]") {
    WebFixture web;
    Browser browser(web.port());
    REQUIRE(browser.signIn(kCaseManager, passwordOf(kCaseManager)).status == 303);
    const std::string identifier = browser.cookie("caseflow_session");
    const auto out = browser.post("/sign-out", {{"csrf", csrfIn(browser.get("/caseload").body)}});
    CHECK(out.status == 303);
    CHECK(browser.setCookieHeader("caseflow_session").find("Max-Age=0") != std::string::npos);
    Browser replay(web.port());
    replay.setCookie("caseflow_session", identifier);
    const auto answer = replay.get("/caseload");
    CHECK(answer.status == 303);
    CHECK(answer.header("location") == "/sign-in?next=%2Fcaseload");
}

TEST_CASE("a form posted into an expired session goes back to sign-in, to the page it came from", "[service][web]") {
    WebFixture web;
    Browser browser(web.port());
    REQUIRE(browser.signIn(kCoordinator, passwordOf(kCoordinator)).status == 303);
    const std::string token = csrfIn(browser.get("/admin/accounts").body);
    web.advance(31 * 60);
    const auto answer = browser.post("/language", {{"csrf", token}, {"lang", "nl"}, {"back", "/admin/accounts"}});
    CHECK(answer.status == 303);
    CHECK(answer.header("location") == "/sign-in?next=%2Fadmin%2Faccounts&expired=1");
}

TEST_CASE("a disabled account cannot sign in and its open sessions end, as a reset password ends them",
          "[service][web]") {
    WebFixture web;
    Browser coordinator(web.port());
    REQUIRE(coordinator.signIn(kCoordinator, passwordOf(kCoordinator)).status == 303);
    Browser caseManager(web.port());
    REQUIRE(caseManager.signIn(kCaseManager, passwordOf(kCaseManager)).status == 303);

    std::string token = csrfIn(coordinator.get("/admin/accounts").body);
    const auto reset = coordinator.post("/admin/accounts/password",
                                        {{"csrf", token}, {"name", kCaseManager}, {"password", "a new password"}});
    CHECK(reset.status == 303);
    CHECK(caseManager.get("/caseload").status == 303);
    CHECK(caseManager.signIn(kCaseManager, passwordOf(kCaseManager)).status == 401);
    REQUIRE(caseManager.signIn(kCaseManager, "a new password").status == 303);

    const auto disable = coordinator.post("/admin/accounts/disable", {{"csrf", token}, {"name", kCaseManager}});
    CHECK(disable.status == 303);
    CHECK(caseManager.get("/caseload").status == 303);
    CHECK(caseManager.signIn(kCaseManager, "a new password").status == 401);
    // Nobody disables themselves by mistake.
    CHECK(coordinator.post("/admin/accounts/disable", {{"csrf", token}, {"name", kCoordinator}}).status == 422);
}

TEST_CASE("served over TLS the session cookie is __Host- prefixed and Secure", "[service][web]") {
    // The cookie's form follows the server's TLS setting (the CLI sets it from the TLS
    // configuration); the transport itself is the service's, tested in service_lifecycle_test.
    WebFixture web([](caseflow::web::WebSettings& settings) { settings.tls = true; });
    Browser browser(web.port());
    const auto page = browser.get("/sign-in");
    CHECK(browser.setCookieHeader("__Host-caseflow_signin").find("; Secure") != std::string::npos);
    const auto answer = browser.post("/sign-in", {{"csrf", csrfIn(page.body)},
                                                  {"name", kCoordinator},
                                                  {"password", passwordOf(kCoordinator)},
                                                  {"next", "/caseload"}});
    REQUIRE(answer.status == 303);
    const std::string header = browser.setCookieHeader("__Host-caseflow_session");
    CHECK(header.find("; Path=/; HttpOnly; SameSite=Strict; Secure") != std::string::npos);
    CHECK(header.find("Domain") == std::string::npos); // __Host- forbids it
    CHECK(browser.cookie("caseflow_session").empty());
    CHECK(browser.get("/caseload").status == 200);
}
