// Specification of the web application's pages against the real server on loopback: the
// caseload (a case manager's own situations, the coordinator's all, filters and paging by the
// server), the situation page (state in words, allowed events, documents in fr, nl, fr+nl,
// history, diagram), languages (the user's, switchable; dates formatted per locale), the
// coordinator's accounts page with its form helper, static files, and the API beside it all.
#include "web/WebFixture.h"

#include <catch2/catch.hpp>

#include <set>
#include <vector>

using caseflow::test::web::Browser;
using caseflow::test::web::csrfIn;
using caseflow::test::web::passwordOf;
using caseflow::test::web::WebFixture;
using namespace caseflow::test::http::people;

namespace {

// The target of the caseload's "next page" link, "" when there is none.
std::string nextLinkIn(const std::string& body) {
    const auto label = body.find(">Page suivante</a>");
    if (label == std::string::npos) return "";
    const auto href = body.rfind("href=\"", label) + 6;
    std::string target = body.substr(href, body.find('"', href) - href);
    for (auto at = target.find("&amp;"); at != std::string::npos; at = target.find("&amp;", at + 1))
        target.replace(at, 5, "&");
    return target;
}

int count(const std::string& text, const std::string& what) {
    int found = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++found;
    return found;
}

} // namespace

TEST_CASE("a case manager's caseload lists their situations only, state in words, in French", "[service][web]") {
    WebFixture web;
    Browser browser(web.port());
    REQUIRE(browser.signIn(kCaseManager, passwordOf(kCaseManager)).status == 303);
    const auto page = browser.get("/caseload");
    REQUIRE(page.status == 200);
    CHECK(page.body.find("<html lang=\"fr\"") != std::string::npos);
    CHECK(page.body.find("<h1>Situations suivies</h1>") != std::string::npos);
    CHECK(page.body.find("href=\"/situations/12\"") != std::string::npos);
    CHECK(page.body.find("href=\"/situations/1\"") == std::string::npos);
    CHECK(page.body.find("vérification budgétaire") != std::string::npos);
    CHECK(page.body.find("KIR-26-012") != std::string::npos);

    Browser other(web.port());
    REQUIRE(other.signIn(kOtherCaseManager, passwordOf(kOtherCaseManager)).status == 303);
    const auto theirs = other.get("/caseload");
    CHECK(theirs.body.find("href=\"/situations/1\"") != std::string::npos);
    CHECK(theirs.body.find("href=\"/situations/12\"") == std::string::npos);
}

TEST_CASE("the coordinator's caseload holds every situation, filtered by state and paged by the server",
          "[service][web]") {
    WebFixture web([](caseflow::web::WebSettings& settings) { settings.caseloadPageSize = 8; });
    Browser browser(web.port());
    REQUIRE(browser.signIn(kCoordinator, passwordOf(kCoordinator)).status == 303);
    const auto all = browser.get("/caseload");
    CHECK(count(all.body, "<td><a href=\"/situations/") == 8);
    CHECK(all.body.find("20 situations") != std::string::npos);
    CHECK(all.body.find("Page précédente") == std::string::npos);
    // Following the next links shows every situation of the fixture once, 8, 8 and 4.
    std::vector<int> sizes;
    std::set<std::string> seen;
    int flaggedEverywhere = 0;
    for (std::string path = "/caseload"; !path.empty();) {
        const auto page = browser.get(path);
        REQUIRE(page.status == 200);
        sizes.push_back(count(page.body, "<td><a href=\"/situations/"));
        for (auto at = page.body.find("<td><a href=\"/situations/"); at != std::string::npos;
             at = page.body.find("<td><a href=\"/situations/", at + 1))
            seen.insert(page.body.substr(at, page.body.find('"', at + 13) - at));
        flaggedEverywhere += count(page.body, "class=\"flag overdue\"");
        path = nextLinkIn(page.body);
        if (sizes.size() == 2) {
            // The second page leads back to the first.
            CHECK(page.body.find("href=\"/caseload?state=&amp;overdue=&amp;attention=&amp;after=0\"") !=
                  std::string::npos);
        }
        REQUIRE(sizes.size() < 5);
    }
    CHECK(sizes == std::vector<int>{8, 8, 4});
    CHECK(seen.size() == 20);

    // Overdue only: every row listed carries the flag, and no flagged row is left out.
    const auto overdue = browser.get("/caseload?overdue=1");
    REQUIRE(overdue.status == 200);
    const int flagged = count(overdue.body, "class=\"flag overdue\"");
    CHECK(flagged > 0);
    CHECK(flagged == count(overdue.body, "<td><a href=\"/situations/"));
    CHECK(flagged == std::min(flaggedEverywhere, 8));

    const auto checking = browser.get("/caseload?state=budget-check");
    REQUIRE(checking.status == 200);
    CHECK(checking.body.find("href=\"/situations/12\"") != std::string::npos);
    CHECK(checking.body.find("href=\"/situations/1\"") == std::string::npos);
    CHECK(checking.body.find("<option value=\"budget-check\" selected=\"selected\">") != std::string::npos);
}

TEST_CASE("the situation page shows the state in words, the events allowed now, documents in three languages "
          "and the history",
          "[service][web]") {
    WebFixture web;
    Browser browser(web.port());
    REQUIRE(browser.signIn(kCaseManager, passwordOf(kCaseManager)).status == 303);
    const auto page = browser.get("/situations/12");
    REQUIRE(page.status == 200);
    CHECK(page.body.find("<dd class=\"state\">vérification budgétaire</dd>") != std::string::npos);
    CHECK(page.body.find("Budget approuvé") != std::string::npos); // an event allowed in budget check
    // Deadline reminders are raised by the workflow, not done by a person: not offered.
    CHECK(page.body.find("Vérification budgétaire en retard") == std::string::npos);
    CHECK(page.body.find("Suivi à tenir") == std::string::npos);
    CHECK(page.body.find("/situations/12/documents/care-plan?format=pdf&amp;lang=fr%2Bnl") != std::string::npos);
    CHECK(page.body.find("/situations/12/documents/funding-request?format=odt&amp;lang=nl") != std::string::npos);
    CHECK(page.body.find("Situation enregistrée") != std::string::npos); // the history in words
    CHECK(page.body.find("src=\"/situations/12/workflow.svg\"") != std::string::npos);

    const auto pdf = browser.get("/situations/12/documents/care-plan?format=pdf&lang=fr%2Bnl");
    CHECK(pdf.status == 200);
    CHECK(pdf.header("content-type") == "application/pdf");
    CHECK(pdf.body.rfind("%PDF", 0) == 0);
    CHECK(pdf.header("content-disposition").find("care-plan_fr+nl.pdf") != std::string::npos);
    const auto preview = browser.get("/situations/12/documents/care-plan?format=html");
    CHECK(preview.status == 200);
    CHECK(preview.header("content-security-policy").find("script-src") == std::string::npos);
    CHECK(preview.header("content-security-policy").find("default-src 'none'") != std::string::npos);
    const auto svg = browser.get("/situations/12/workflow.svg");
    CHECK(svg.status == 200);
    CHECK(svg.header("content-type") == "image/svg+xml");
    CHECK(svg.body.find("budgétaire</text>") != std::string::npos); // the phases in the user's words
    CHECK(browser.get("/situations/12/documents/no-such-document").status == 400);
}

TEST_CASE("each user reads the pages in their language, with dates as fr_BE and nl_BE write them", "[service][web]") {
    WebFixture web;
    Browser dutch(web.port());
    REQUIRE(dutch.signIn(kPedopsychiatrist, passwordOf(kPedopsychiatrist)).status == 303);
    const auto page = dutch.get("/situations/12");
    REQUIRE(page.status == 200);
    CHECK(page.body.find("<html lang=\"nl\"") != std::string::npos);
    CHECK(page.body.find("budgettaire controle") != std::string::npos);
    CHECK(page.body.find("Geschiedenis") != std::string::npos);
    CHECK(page.body.find(" om ") != std::string::npos); // "3 juli 2026 om 10:15"

    // Switching to English on any page, through its form.
    const auto switched =
        dutch.post("/language", {{"csrf", csrfIn(page.body)}, {"lang", "en"}, {"back", "/situations/12"}});
    CHECK(switched.status == 303);
    CHECK(switched.header("location") == "/situations/12");
    const auto english = dutch.get("/situations/12");
    CHECK(english.body.find("<html lang=\"en\"") != std::string::npos);
    CHECK(english.body.find("<h2 id=\"history-heading\">History</h2>") != std::string::npos);
    // Only local addresses are gone back to.
    CHECK(dutch.post("/language", {{"csrf", csrfIn(page.body)}, {"lang", "fr"}, {"back", "//evil.example/"}})
              .header("location") == "/caseload");
}

TEST_CASE("the coordinator creates an account, and a refused form keeps what was typed, never the password, "
          "with the error next to its field",
          "[service][web]") {
    WebFixture web;
    Browser browser(web.port());
    REQUIRE(browser.signIn(kCoordinator, passwordOf(kCoordinator)).status == 303);
    const std::string token = csrfIn(browser.get("/admin/accounts").body);
    const auto refused = browser.post(
        "/admin/accounts",
        {{"csrf", token}, {"name", "Anne Neuve"}, {"role", "case_manager"}, {"language", "nl"}, {"password", "short"}});
    CHECK(refused.status == 422);
    CHECK(refused.body.find("value=\"Anne Neuve\"") != std::string::npos);
    CHECK(refused.body.find("<option value=\"case_manager\" selected=\"selected\">") != std::string::npos);
    CHECK(refused.body.find("<option value=\"nl\" lang=\"nl\" selected=\"selected\">") != std::string::npos);
    CHECK(refused.body.find("Un mot de passe doit compter au moins 10 caractères.") != std::string::npos);
    CHECK(refused.body.find("short") == std::string::npos);

    const auto badRole = browser.post("/admin/accounts", {{"csrf", token},
                                                          {"name", "Anne Neuve"},
                                                          {"role", "system"},
                                                          {"language", "nl"},
                                                          {"password", "long enough pw"}});
    CHECK(badRole.status == 422);

    const auto created = browser.post("/admin/accounts", {{"csrf", token},
                                                          {"name", "Anne Neuve"},
                                                          {"role", "case_manager"},
                                                          {"language", "nl"},
                                                          {"password", "long enough pw"}});
    CHECK(created.status == 303);
    CHECK(created.header("location") == "/admin/accounts?done=created");
    CHECK(browser.get("/admin/accounts?done=created").body.find("Le compte a été créé.") != std::string::npos);

    Browser anne(web.port());
    REQUIRE(anne.signIn("Anne Neuve", "long enough pw").status == 303);
    const auto caseload = anne.get("/caseload");
    CHECK(caseload.body.find("<html lang=\"nl\"") != std::string::npos);
    CHECK(caseload.body.find("0 situaties") != std::string::npos);
}

TEST_CASE("static files come from the application with cache headers and no path climbs out of their folder",
          "[service][web]") {
    WebFixture web;
    Browser browser(web.port());
    const auto css = browser.get("/static/caseflow.css");
    CHECK(css.status == 200);
    CHECK(css.header("content-type") == "text/css; charset=utf-8");
    CHECK(css.header("cache-control") == "public, max-age=3600");
    CHECK(browser.get("/static/../caseload.xhtml").status == 404);
    CHECK(browser.get("/static/%2e%2e%2fcaseload.xhtml").status == 404);
}

TEST_CASE("with the pages served, /api/v1, /health and /metrics still reach the JSON API", "[service][web]") {
    WebFixture web;
    caseflow::test::http::Request request{"GET", "/api/v1/situations/12", web.token(kCaseManager)};
    const auto api = caseflow::test::http::send(web.port(), request);
    CHECK(api.status == 200);
    CHECK(api.header("content-type").rfind("application/json", 0) == 0);
    const auto unknown = caseflow::test::http::send(web.port(), {"GET", "/api/v1/nothing-here"});
    CHECK(unknown.status == 404);
    CHECK(unknown.header("content-type").rfind("application/problem+json", 0) == 0);
    CHECK(caseflow::test::http::send(web.port(), {"GET", "/health"}).status == 200);
}
