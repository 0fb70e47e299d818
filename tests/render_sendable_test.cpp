// Documents a coordinator would send (issue 14, items 2 to 5 and 7): in a bilingual document
// each language formats its own dates and amounts; a signature block says what the network's
// signature authority found, never "verified" for a plan altered after signing; every
// request, decision (whatever its outcome) and payment renders, and render --all writes each
// under a file name carrying its item; the body speaks to partners (no rule ids, no English
// slugs, IBANs grouped by four, each adhesion labelled); PDFs say their language, title and
// author. Each reproduction of the issue is a test here that failed on the old templates.
#include "render/RenderTestSupport.h"

#include "model/Situation.h"
#include "render/LocaleFormat.h"
#include "support/Pilot.h"

#include <catch2/catch.hpp>

#include <regex>

using namespace caseflow;
using namespace caseflow::test;
using namespace caseflow::test::render;
using caseflow::render::RenderRequest;

namespace {

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The text of the element after `marker` up to its end tag `close`.
std::string after(const std::string& html, const std::string& marker, const std::string& close) {
    const auto start = html.find(marker);
    if (start == std::string::npos) return "";
    const auto end = html.find(close, start);
    return html.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// A pilot with the Andenne dossier (signed plan and decision) played to its end.
struct Andenne {
    Pilot pilot;
    std::int64_t id = pilot.registerSample("03-andenne-eleven-transition");
    Andenne() { pilot.runScenario(id, "03-andenne-eleven-transition"); }
    SituationRecord record() { return pilot.process().situation(id); }
};

} // namespace

TEST_CASE("French writes the first of the month as « 1er », other days and Dutch as they are", "[render]") {
    using caseflow::render::DateStyle;
    using caseflow::render::formatIsoDate;
    CHECK(formatIsoDate("2026-04-01", "fr") == "1er avril 2026");
    CHECK(formatIsoDate("2026-04-01", "fr", DateStyle::Full) == "mercredi 1er avril 2026");
    CHECK(formatIsoDate("2026-04-11", "fr") == "11 avril 2026");
    CHECK(formatIsoDate("2026-04-21", "fr") == "21 avril 2026");
    CHECK(formatIsoDate("2026-04-01", "fr", DateStyle::Numeric) == "01/04/2026");
    CHECK(formatIsoDate("2026-04-01", "nl") == "1 april 2026");
    CHECK(caseflow::render::formatInstant("2026-06-01T08:15:00Z", "fr") == "1er juin 2026 à 10:15");
    CHECK(caseflow::render::formatInstant("2026-06-11T08:15:00Z", "fr") == "11 juin 2026 à 10:15");
}

TEST_CASE("in a bilingual document the French block formats dates and amounts as fr_BE and the Dutch block as nl_BE",
          "[render]") {
    for (const auto* language : {"fr+nl", "nl+fr"}) {
        INFO(language);
        const std::string request = renderFixture("funding-request", language);
        // The declaration's sentence: « Op 18 februari 2026 verklaarde… », never « Op 18 février 2026 ».
        CHECK(has(request, "Le 18 février 2026"));
        CHECK(has(request, "Op 18 februari 2026"));
        CHECK_FALSE(has(request, "Op 18 février 2026"));
        // Both writings of the total in its cell, each in its language's block.
        CHECK(std::regex_search(request, std::regex("<span lang=\"fr\"[^>]*>2\u202f140,00\u00a0€</span>")));
        CHECK(std::regex_search(request, std::regex("<span lang=\"nl\"[^>]*>€\u00a02\\.140,00</span>")));
        // « boven 5 000,00 € valideert… » was the French amount in the Dutch sentence.
        CHECK_FALSE(has(after(request, "Plafond per tussenkomst", "</span>"), "\u00a0€"));

        const std::string notice = renderFixture("payment-notice", language);
        CHECK(has(notice, "Payé le 3 juillet 2026"));
        CHECK(has(notice, "Betaald op 3 juli 2026"));
        CHECK_FALSE(has(notice, "Betaald op 3 juillet 2026"));
    }
}

TEST_CASE("role names in bilingual signature blocks are in both languages", "[render]") {
    const std::string plan = renderFixture("care-plan", "fr+nl");
    const std::string title = after(plan, "<div class=\"signature-title\">", "</div>");
    CHECK(has(title, "pédopsychiatre"));
    CHECK(has(title, "kinderpsychiater"));
}

TEST_CASE("a signature nothing verified is never shown as verified", "[render]") {
    // The fixture's signatures are placeholders and the fixture render consults no authority.
    const std::string plan = renderFixture("care-plan", "fr");
    CHECK_FALSE(has(plan, "vérifiée par l'autorité"));
    CHECK(has(plan, "Signature non vérifiée"));
    CHECK(has(plan, "signature signature-invalid"));
}

TEST_CASE("the signature block of a signed plan shows the authority's verdict, the signer, the business date and the "
          "time of signing",
          "[render]") {
    Andenne andenne;
    const SituationRecord record = andenne.record();
    const std::string plan =
        caseflow::render::renderDocument(andenne.pilot.process(), record, {"care-plan", "fr", "html", ""});
    INFO(after(plan, "<div class=\"signatures\">", "</section>"));
    CHECK(has(plan, "Signature électronique vérifiée par l'autorité de signature du réseau : signée par"));
    CHECK(has(plan, "pédopsychiatre"));
    CHECK(has(plan, "Signature apposée le"));
    CHECK_FALSE(has(plan, "signature signature-invalid"));
    // The business date of the signing step (the scenario's plan.signed on 13 February), not
    // only the wall-clock instant the signature was made.
    CHECK(has(plan, "<tr><th>Date</th><td>13 février 2026</td></tr>"));
}

TEST_CASE("a care plan changed after it was signed prints « NON valable », never « vérifiée »", "[render]") {
    Andenne andenne;
    SituationRecord record = andenne.record();
    // The plan as stored, then one objective changed after signing (as a tampered export would be).
    auto at = record.document.find("<objective ");
    REQUIRE(at != std::string::npos);
    at = record.document.find('>', at) + 1;
    record.document.insert(at, "MODIFIÉ ");
    auto& process = andenne.pilot.process();
    const caseflow::render::RenderContext context{nullptr, caseflow::render::SignatureLedger::build(process, {record})};
    for (const auto* language : {"fr", "fr+nl"}) {
        INFO(language);
        const std::string plan = caseflow::render::DocumentRenderer().render(
            record, process.network(), {"care-plan", language, "html", ""}, context);
        CHECK_FALSE(has(plan, "vérifiée par l'autorité"));
        CHECK(has(plan, "Signature NON valable"));
        CHECK(has(plan, "le document a été modifié après sa signature"));
        CHECK(has(plan, "signature signature-invalid"));
    }
}

TEST_CASE("every funding request, every decision whatever its outcome and every payment renders, each by its item",
          "[render]") {
    const SituationRecord record = fixtureRecord();
    const auto decisions = caseflow::render::documentItems(record, "budget-decision");
    REQUIRE(decisions == std::vector<std::string>{"fr1-d1", "fr1-d2"});
    CHECK(caseflow::render::documentItems(record, "payment-notice") ==
          std::vector<std::string>{"pay1", "pay2", "pay3"});
    CHECK(caseflow::render::documentItems(record, "funding-request") == std::vector<std::string>{"fr1"});
    CHECK(caseflow::render::documentItems(record, "care-plan") == std::vector<std::string>{""});
    caseflow::FixedBusinessDate today(kToday);
    const auto render = [&](const std::string& item) {
        return caseflow::render::DocumentRenderer().render(
            record, namurNetwork(), {"budget-decision", "fr", "html", item}, fixtureContext(record));
    };
    // The returned decision, although an approval on the same request came after it.
    const std::string returned = render("fr1-d1");
    CHECK(has(returned, "Préciser si la mutuelle rembourse"));
    CHECK_FALSE(has(returned, "Paiement en trois versements"));
    const std::string approved = render("fr1-d2");
    CHECK(has(approved, "Paiement en trois versements"));
    CHECK(render("fr1") == approved); // the request's id alone: its latest decision, as before
    CHECK_THROWS_AS(render("fr1-d3"), caseflow::render::NotApplicable);
    CHECK(caseflow::render::documentFileName(record, {"budget-decision", "fr", "pdf", "fr1-d1"}) ==
          "KIR-26-003_budget-decision-fr1-d1_fr.pdf");
}

TEST_CASE("render --all writes every item of every document under a file name carrying the item id", "[render]") {
    Andenne andenne;
    ScratchDir out;
    const ChildEnvironment today{{"CASEFLOW_TODAY", kToday}};
    const auto result = runCli({"render", "--all", "--out", (out / "all").string(), "--db",
                                andenne.pilot.databasePath().string(), "--format", "html", "--lang", "fr"},
                               "", today);
    INFO(result.out << result.err);
    REQUIRE(result.exitCode == 0);
    const SituationRecord record = andenne.record();
    int files = 0;
    for (const auto& document : caseflow::render::documentNames())
        for (const auto& item : caseflow::render::documentItems(record, document)) {
            const std::string name = document + (item.empty() ? "" : "-" + item) + ".fr.html";
            INFO(name);
            CHECK(std::filesystem::exists(out / "all" / "KIR-26-003" / name));
            ++files;
        }
    CHECK(files > 6);
    CHECK(has(result.out, "rendered " + std::to_string(files) + " documents"));
}

TEST_CASE("partner-facing documents carry no rule ids or internal slugs, group IBANs by four and name whoever is "
          "meant neutrally",
          "[render]") {
    const std::regex ruleId("\\(R[0-9]+|R[0-9]+ ?:");
    for (const auto& document : caseflow::render::documentNames())
        for (const auto* language : {"fr", "nl", "fr+nl"}) {
            INFO(document << " " << language);
            std::string html = renderFixture(document, language);
            html = std::regex_replace(html, std::regex("<style>[^<]*</style>"), "");
            html = std::regex_replace(html, std::regex("<p class=\"footnote\">[^<]*</p>"), "");
            CHECK_FALSE(std::regex_search(html, ruleId));
            CHECK_FALSE(has(html, "/" + document + "/"));
            CHECK_FALSE(has(html, "(Pouponnière")); // no nested parentheses around an organisation
        }
    CHECK(has(renderFixture("funding-request", "fr"), "BE35 0910 0045 6737"));
    CHECK(has(renderFixture("payment-notice", "nl"), "BE35 0910 0045 6737"));
    CHECK_FALSE(has(renderFixture("budget-decision", "fr"), "coordinateur<"));
}

TEST_CASE("the care plan labels the young person's and the parents' adhesions and keeps the youth's when a parent's "
          "comes after it",
          "[render]") {
    std::string document = fixtureXml();
    const std::string youth = "by=\"youth\">Yanis dit";
    const auto at = document.find("<consent type=\"plan-adhesion\"");
    REQUIRE(at != std::string::npos);
    REQUIRE(document.find(youth) != std::string::npos);
    const auto end = document.find("</consent>", at) + std::string("</consent>").size();
    document.insert(end,
                    "\n    <consent type=\"plan-adhesion\" given=\"true\" date=\"2026-02-12\" recordedBy=\"Isabelle "
                    "Hardy\" by=\"parent\">Le père de Yanis adhère au plan.</consent>");
    const std::string plan = renderFixture("care-plan", "fr", "html", fixtureRecord(document));
    CHECK(has(plan, "Yanis dit qu'il veut bien"));
    CHECK(has(plan, "Le père de Yanis adhère au plan."));
    CHECK(has(plan, "le jeune"));
    CHECK(has(plan, "un parent"));
    CHECK(has(plan, "Adhésion donnée par"));
    CHECK_FALSE(has(plan, "n'a pas encore été enregistrée"));
}

TEST_CASE("a PDF declares its language, its title and the network as its author", "[render][pdf]") {
    REQUIRE(
        externalToolsPresent({{"weasyprint", "weasyprint"}, {"pdfinfo", "poppler-utils"}}, "the PDF metadata check"));
    ScratchDir scratch;
    for (const auto* language : {"fr", "nl"}) {
        INFO(language);
        const std::string pdf = renderFixture("payment-notice", language, "pdf");
        writeFile(scratch / "notice.pdf", pdf);
        const auto info = runTool(*findTool("pdfinfo"), {(scratch / "notice.pdf").string()});
        REQUIRE(info.exitCode == 0);
        INFO(info.out);
        CHECK(std::regex_search(info.out, std::regex("Title: +(Avis de paiement|Betalingsbericht)")));
        CHECK(std::regex_search(info.out, std::regex("Author: +(Réseau|Netwerk)")));
        CHECK(has(pdf, std::string("/Lang (") + language));
    }
}
