// The long-lived WeasyPrint workers (render/PdfWorker.h, issue 19): documents go through one
// process in turn, a worker that dies is replaced, a document past its deadline is stopped
// with an error naming the deadline without harming the next one, and threads share the pool.
// Every PDF is checked with poppler's tools, as an outsider would: text on the page with
// pdftotext, attachments listed and taken out with pdfdetach.
#include "render/RenderTestSupport.h"

#include "render/PdfWorker.h"
#include "render/TemplateError.h"

#include <catch2/catch.hpp>

#include <signal.h>

#include <atomic>
#include <thread>

using namespace caseflow;
using namespace caseflow::test;
using namespace caseflow::test::render;
using caseflow::render::PdfAttachment;
using caseflow::render::PdfWorkerOptions;
using caseflow::render::PdfWorkerPool;

namespace {

bool toolsAvailable() {
    return externalToolsPresent(
        {{"weasyprint", "weasyprint"}, {"pdftotext", "poppler-utils"}, {"pdfdetach", "poppler-utils"}},
        "the PDF worker checks");
}

std::string page(const std::string& marker, int rows = 3) {
    std::string html = "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"/><title>" + marker +
                       "</title><style>@page { size: A4 }</style></head><body><h1>" + marker + "</h1><table>";
    for (int row = 0; row < rows; ++row)
        html += "<tr><td>ligne " + std::to_string(row) + "</td><td>" + marker + "</td></tr>";
    return html + "</table></body></html>";
}

struct Checked {
    std::string text;
    std::map<std::string, std::string> attachments; // file name -> bytes
};

// A PDF read back: throws (never a Catch assertion: it runs on worker threads too).
Checked check(const std::string& pdf, const std::filesystem::path& directory) {
    if (pdf.rfind("%PDF-", 0) != 0) throw std::runtime_error("not a PDF");
    std::filesystem::create_directories(directory / "attachments");
    const auto file = directory / "document.pdf";
    writeFile(file, pdf);
    Checked checked;
    const auto text = runTool(*findTool("pdftotext"), {"-enc", "UTF-8", file.string(), "-"});
    if (text.exitCode != 0) throw std::runtime_error("pdftotext failed: " + text.err);
    checked.text = text.out;
    const auto saved =
        runTool(*findTool("pdfdetach"), {"-saveall", "-o", (directory / "attachments").string(), file.string()});
    if (saved.exitCode != 0) throw std::runtime_error("pdfdetach failed: " + saved.err);
    for (const auto& entry : std::filesystem::directory_iterator(directory / "attachments"))
        checked.attachments[entry.path().filename().string()] = readFile(entry.path());
    return checked;
}

std::vector<PdfAttachment> dataOf(const std::string& name) {
    return {{name + ".xml", "<data><of>" + name + "</of></data>\n", "the document's data"}};
}

} // namespace

TEST_CASE("two documents in a row go through one WeasyPrint process and each PDF carries its own attachment",
          "[render][pdf]") {
    if (!toolsAvailable()) return;
    ScratchDir scratch;
    PdfWorkerPool pool(PdfWorkerOptions{});
    const Checked first = check(pool.render(page("Premier document"), dataOf("premier")), scratch / "1");
    const auto processes = pool.processIds();
    REQUIRE(processes.size() == 1);
    const Checked second = check(pool.render(page("Second document"), dataOf("second")), scratch / "2");
    CHECK(pool.processIds() == processes); // the same process, not a new one per document

    CHECK(first.text.find("Premier document") != std::string::npos);
    CHECK(second.text.find("Second document") != std::string::npos);
    CHECK(second.text.find("Premier document") == std::string::npos);
    REQUIRE(first.attachments.size() == 1);
    REQUIRE(second.attachments.size() == 1);
    CHECK(first.attachments.at("premier.xml") == "<data><of>premier</of></data>\n");
    CHECK(second.attachments.at("second.xml") == "<data><of>second</of></data>\n");
}

TEST_CASE("a WeasyPrint worker killed with SIGKILL between two documents is replaced and the next document renders",
          "[render][pdf]") {
    if (!toolsAvailable()) return;
    ScratchDir scratch;
    PdfWorkerPool pool(PdfWorkerOptions{});
    check(pool.render(page("Avant"), dataOf("avant")), scratch / "before");
    const auto killed = pool.processIds();
    REQUIRE(killed.size() == 1);
    REQUIRE(::kill(killed.front(), SIGKILL) == 0);

    const Checked after = check(pool.render(page("Après le redémarrage"), dataOf("apres")), scratch / "after");
    CHECK(after.text.find("Après le redémarrage") != std::string::npos);
    CHECK(after.attachments.count("apres.xml") == 1);
    const auto now = pool.processIds();
    REQUIRE(now.size() == 1);
    CHECK(now.front() != killed.front());
}

TEST_CASE("a document that passes its deadline is stopped with an error naming the deadline, and the next one renders",
          "[render][pdf]") {
    if (!toolsAvailable()) return;
    ScratchDir scratch;
    PdfWorkerPool pool(PdfWorkerOptions{});
    check(pool.render(page("Chauffe"), {}), scratch / "warm"); // WeasyPrint loaded: the deadline is the document's
    const auto before = pool.processIds();

    // Two thousand table rows take WeasyPrint seconds; 50 ms cannot be enough.
    CHECK_THROWS_WITH(pool.render(page("Trop long", 2000), {}, std::chrono::milliseconds(50)),
                      Catch::Contains("deadline of 50 ms"));
    CHECK(pool.processIds().empty()); // the stuck worker was killed, not left running

    const Checked next = check(pool.render(page("Le suivant"), dataOf("suivant")), scratch / "next");
    CHECK(next.text.find("Le suivant") != std::string::npos);
    CHECK(next.attachments.count("suivant.xml") == 1);
    REQUIRE(pool.processIds().size() == 1);
    CHECK(pool.processIds().front() != before.front());
}

TEST_CASE("four threads rendering at once through a pool of two workers all get their own PDF", "[render][pdf]") {
    if (!toolsAvailable()) return;
    ScratchDir scratch;
    PdfWorkerOptions options;
    options.size = 2;
    PdfWorkerPool pool(options);
    std::vector<std::string> failures(4);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            const std::string name = "fil-" + std::to_string(t);
            try {
                const Checked pdf = check(pool.render(page("Document du " + name), dataOf(name)), scratch / name);
                if (pdf.text.find("Document du " + name) == std::string::npos) failures[t] = "wrong text";
                if (pdf.attachments.size() != 1 || pdf.attachments.count(name + ".xml") != 1)
                    failures[t] = "wrong attachments";
            } catch (const std::exception& error) {
                failures[t] = error.what();
            }
        });
    for (auto& thread : threads) thread.join();
    for (int t = 0; t < 4; ++t) {
        INFO("thread " << t);
        CHECK(failures[t] == "");
    }
    CHECK(pool.processIds().size() <= 2);
}

TEST_CASE("a WeasyPrint worker pool without WeasyPrint installed says how to install it", "[render][pdf]") {
    ScopedEnvironment missing("CASEFLOW_WEASYPRINT", "/nonexistent/weasyprint");
    PdfWorkerPool pool(PdfWorkerOptions{});
    CHECK_THROWS_AS(pool.render(page("Rien"), {}), caseflow::render::MissingTool);
    CHECK_THROWS_WITH(pool.render(page("Rien"), {}), Catch::Contains("apt-get install weasyprint"));
    CHECK(pool.processIds().empty());
}
