// The documents API and the `render` command: valid names, documents that do not apply yet,
// content types and file names, the envelope after a budget decision, and the batch.
#include "render/RenderTestSupport.h"

#include "core/Errors.h"
#include "support/Pilot.h"

#include <catch2/catch.hpp>

using namespace caseflow;
using namespace caseflow::test;
using namespace caseflow::test::render;
using caseflow::render::RenderRequest;

TEST_CASE("An unknown document, language or format is refused with the valid values listed", "[render]") {
    using caseflow::render::checkRequest;
    CHECK_THROWS_WITH(checkRequest({"care-plans", "fr", "html", ""}),
                      "unknown document 'care-plans'; documents are: concertation-request, minutes, care-plan, "
                      "funding-request, budget-decision, payment-notice");
    CHECK_THROWS_WITH(checkRequest({"care-plan", "de", "html", ""}),
                      "unknown document language 'de'; languages are: fr, nl, fr+nl, nl+fr");
    CHECK_THROWS_WITH(checkRequest({"care-plan", "fr", "docx", ""}),
                      "unknown format 'docx'; formats are: html, pdf, odt");
    CHECK_THROWS_AS(checkRequest({"care-plan", "fr", "html", "../../etc"}), UsageError);

    SECTION("the CLI exits 2 with the same lists, before opening any database") {
        const auto document = runCli({"render", "1", "care-plans", "--db", "/nonexistent/x.db"});
        CHECK(document.exitCode == 2);
        CHECK(document.err.find("documents are: concertation-request, minutes, care-plan") != std::string::npos);
        const auto language = runCli({"render", "1", "care-plan", "--lang", "en", "--db", "/nonexistent/x.db"});
        CHECK(language.exitCode == 2);
        CHECK(language.err.find("languages are: fr, nl, fr+nl, nl+fr") != std::string::npos);
        const auto format = runCli({"render", "1", "care-plan", "--format", "rtf", "--db", "/nonexistent/x.db"});
        CHECK(format.exitCode == 2);
        CHECK(format.err.find("formats are: html, pdf, odt") != std::string::npos);
    }
}

TEST_CASE("A document the situation has not reached yet is refused, never rendered empty", "[render]") {
    // The fixture before any payment, decision or funding request.
    std::string early = fixtureXml();
    for (const auto* part : {"payments", "budgetDecisions", "fundingRequests"}) {
        const auto open = early.find(std::string("<") + part + ">");
        const auto close = early.find(std::string("</") + part + ">");
        REQUIRE(open != std::string::npos);
        early.erase(open, close + std::strlen(part) + 3 - open);
    }
    const SituationRecord record = fixtureRecord(early);
    const caseflow::render::DocumentRenderer renderer;
    CHECK_FALSE(renderer.applies(record, namurNetwork(), "budget-decision"));
    CHECK(renderer.applies(record, namurNetwork(), "care-plan"));
    CHECK_THROWS_AS(renderer.render(record, namurNetwork(), {"budget-decision", "fr", "html", ""}),
                    caseflow::render::NotApplicable);
    CHECK_THROWS_WITH(renderer.render(record, namurNetwork(), {"payment-notice", "fr", "html", ""}),
                      "situation 3 (KIR-26-003): no payment-notice to render, the situation has no payment yet");
    SECTION("an item that does not exist is refused the same way") {
        CHECK_THROWS_WITH(renderer.render(fixtureRecord(), namurNetwork(), {"minutes", "fr", "html", "c9"}),
                          Catch::EndsWith("the situation has no concertation 'c9'"));
    }
}

TEST_CASE("Each format has its content type and file extension", "[render]") {
    CHECK(caseflow::render::contentType("html") == "text/html; charset=utf-8");
    CHECK(caseflow::render::contentType("pdf") == "application/pdf");
    CHECK(caseflow::render::contentType("odt") == "application/vnd.oasis.opendocument.text");
    CHECK(caseflow::render::documentFileName(fixtureRecord(), {"care-plan", "fr+nl", "odt", ""}) ==
          "KIR-26-003_care-plan_fr+nl.odt");
}

TEST_CASE("A budget decision shows the yearly envelope after the decision, across situations", "[render]") {
    SituationRecord other = fixtureRecord();
    other.id = 1; // an earlier approval of 2 140,00 € on the same day, in another situation
    SituationRecord later = fixtureRecord();
    later.id = 9; // the same day but a later situation: not counted before ours
    const SituationRecord record = fixtureRecord();
    const auto ledger = caseflow::render::EnvelopeLedger::build({later, record, other}, namurNetwork());
    const auto figures = ledger->after(3, 2);
    REQUIRE(figures);
    CHECK(figures->year == 2026);
    CHECK(figures->envelope == 6000000);
    CHECK(figures->committed == 428000);
    CHECK(figures->remaining() == 5572000);
    CHECK_FALSE(ledger->after(3, 3));
    SECTION("in the document") {
        FixedBusinessDate today(kToday);
        const std::string html = caseflow::render::DocumentRenderer().render(
            record, namurNetwork(), {"budget-decision", "fr", "html", ""}, {ledger, nullptr});
        CHECK(html.find("55\u202f720,00\u00a0€") != std::string::npos);
        CHECK(html.find("4\u202f280,00\u00a0€") != std::string::npos);
    }
    SECTION("without the ledger the envelope says it is not provided") {
        FixedBusinessDate today(kToday);
        const std::string html =
            caseflow::render::DocumentRenderer().render(record, namurNetwork(), {"budget-decision", "fr", "html", ""});
        CHECK(html.find("class=\"amount not-provided\">non renseigné") != std::string::npos);
    }
}

TEST_CASE("render writes one document, and render --all renders every applicable one in parallel", "[render]") {
    Pilot pilot;
    const auto planned = pilot.registerSample("03-andenne-eleven-transition");
    pilot.runScenario(planned, "03-andenne-eleven-transition");
    const auto early = pilot.registerSample("02-dinant-five-before-six");
    pilot.runSteps(early, "02-dinant-five-before-six", 1, 3);
    const std::string db = pilot.databasePath().string();
    ScratchDir out;
    const ChildEnvironment today{{"CASEFLOW_TODAY", kToday}}; // the CLI's business date

    SECTION("one document, in the youth's language when --lang is not given") {
        const auto result =
            runCli({"render", std::to_string(planned), "care-plan", "--db", db, "-o", (out / "plan.html").string()}, "",
                   today);
        REQUIRE(result.exitCode == 0);
        const std::string html = readFile(out / "plan.html");
        CHECK(html.find("<html lang=\"fr\">") != std::string::npos);
        CHECK(html.find("<h1>Plan de soins</h1>") != std::string::npos);
    }
    SECTION("a document that does not apply yet exits 4 and says why") {
        const auto result =
            runCli({"render", std::to_string(early), "budget-decision", "--db", db, "-o", (out / "x.html").string()},
                   "", today);
        CHECK(result.exitCode == 4);
        CHECK(result.err.find("no budget-decision to render, the situation has no budget decision yet") !=
              std::string::npos);
        CHECK_FALSE(std::filesystem::exists(out / "x.html"));
    }
    SECTION("the batch: every situation x document x language x format, a summary, no progress bar off a terminal") {
        const auto result = runCli(
            {"render", "--all", "--out", (out / "all").string(), "--db", db, "--format", "html,odt", "--jobs", "3"}, "",
            today);
        INFO(result.out << result.err);
        REQUIRE(result.exitCode == 0);
        // Situation 03: all six documents, each payment its own notice (eight); situation 02
        // after its request and concertation: two.
        CHECK(result.out.find("rendered 60 documents (30 html, 30 odt)") != std::string::npos);
        CHECK(result.out.find("with 3 workers") != std::string::npos);
        CHECK(result.out.find("skipped 24 (document not applicable to the situation yet)") != std::string::npos);
        CHECK(result.out.find("failed 0") != std::string::npos);
        CHECK(result.err.find('\r') == std::string::npos);
        CHECK(std::filesystem::exists(out / "all" / "KIR-26-003" / "payment-notice-pay3.fr+nl.odt"));
        CHECK(std::filesystem::exists(out / "all" / "KIR-26-002" / "minutes-c1.nl.html"));
        CHECK_FALSE(std::filesystem::exists(out / "all" / "KIR-26-002" / "care-plan.fr.html"));
    }
    SECTION("a failed document is reported, the others still render, and the exit code is 1") {
        // A data directory whose minutes template fails on every situation's data.
        ScratchDir data;
        for (const auto* folder : {"schemas", "workflows", "templates"})
            std::filesystem::copy(projectDir() / folder, data / folder, std::filesystem::copy_options::recursive);
        std::string minutes = readFile(data / "templates" / "minutes.xhtml");
        const std::string broken = "<h1 t:i18n=\"\">Minutes of the concertation</h1>";
        REQUIRE(minutes.find(broken) != std::string::npos);
        minutes.replace(minutes.find(broken), broken.size(), "<h1 t:each=\"string($subject/@id)\">broken</h1>");
        writeFile(data / "templates" / "minutes.xhtml", minutes);
        ScopedEnvironment dataDir("CASEFLOW_DATA_DIR", data.path().string());
        const auto result = runCli(
            {"render", "--all", "--out", (out / "some").string(), "--db", db, "--format", "html", "--lang", "fr"}, "",
            today);
        INFO(result.out << result.err);
        CHECK(result.exitCode == 1);
        CHECK(result.out.find("rendered 8 documents (8 html)") != std::string::npos);
        CHECK(result.out.find("failed 2") != std::string::npos);
        CHECK(result.err.find("failed: KIR-26-003 minutes-c1 fr html: templates/minutes.xhtml:") != std::string::npos);
        CHECK(result.err.find("t:each: cannot evaluate") != std::string::npos);
        CHECK(std::filesystem::exists(out / "some" / "KIR-26-003" / "care-plan.fr.html"));
    }
}
