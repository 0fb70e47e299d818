// Benchmark (not a test): seconds per care plan PDF/A-3b (tests/render/situation.xml, French) through
// caseflow's long-lived WeasyPrint worker (render/PdfWorker.h), next to the reference measured in the
// same run on the same HTML and attachments: WeasyPrint kept loaded in one Python process
// (bench/bench_pdf_weasyprint.py), and, for the record, the `weasyprint` command started per document
// (what caseflow did before the worker). What must stay true: every side renders the same bytes in,
// after one warm-up document, and each run is timed on its render loop alone.
//
// Usage: bench_pdf [DOCUMENTS]   (default 10)
#include "core/Files.h"
#include "model/Clock.h"
#include "model/NetworkSettings.h"
#include "model/Situation.h"
#include "process/FundingProcess.h"
#include "render/DocumentRenderer.h"
#include "render/Environment.h"
#include "render/PdfWorker.h"
#include "render/PdfWriter.h"
#include "xml/Xml.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <libxml/parser.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace caseflow;
using Clock = std::chrono::steady_clock;

const std::filesystem::path kSource = CASEFLOW_SOURCE_DATA_DIR;
constexpr const char* kToday = "2026-11-26";

void writeFile(const std::filesystem::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
}

double secondsSince(Clock::time_point started) {
    return std::chrono::duration<double>(Clock::now() - started).count();
}

std::string run(const std::string& program, const std::vector<std::string>& arguments) {
    Poco::Pipe out;
    Poco::ProcessHandle process = Poco::Process::launch(program, arguments, nullptr, &out, nullptr);
    std::string text;
    Poco::PipeInputStream stream(out);
    Poco::StreamCopier::copyToString(stream, text);
    if (process.wait() != 0) throw std::runtime_error(program + " failed");
    return text;
}

double jsonNumber(const std::string& json, const std::string& name) {
    const auto at = json.find("\"" + name + "\": ");
    if (at == std::string::npos) throw std::runtime_error("no " + name + " in " + json);
    return std::atof(json.c_str() + at + name.size() + 4);
}

} // namespace

int main(int argc, char** argv) {
    const long documents = argc > 1 ? std::max(1L, std::atol(argv[1])) : 10;
    xmlInitParser();
    FixedBusinessDate today(kToday);
    try {
        const auto weasyprint = render::findWeasyPrint();
        if (!weasyprint) throw std::runtime_error("WeasyPrint is not installed (apt-get install weasyprint)");
        const auto network = NetworkSettings::fromFile(kSource / "samples" / "namur" / "network.xml");
        const std::string stored = readFile(kSource / "tests" / "render" / "situation.xml");
        const Situation situation = Situation::fromStored(stored);
        const auto record = xml::parseString("<record id=\"3\" version=\"16\" state=\"follow-up\" category=\"2\" "
                                             "updatedAt=\"2026-07-03T08:15:00.000Z\"/>",
                                             "record");
        render::RenderInputs inputs;
        inputs.situation = situation.document();
        inputs.language = render::LanguageSpec::parse("fr");
        inputs.nodes = {{"network", xml::root(network->document())}, {"record", xml::root(record.get())}};
        inputs.strings = {{"today", kToday}, {"document", "care-plan"}};
        render::Environment environment(kSource / "templates");
        const std::string html = environment.get("care-plan")->render(inputs);
        const std::vector<render::PdfAttachment> attachments = {
            {"KIR-26-003_care-plan.xml", environment.getData("care-plan")->render(inputs), "the care plan's data"}};

        const auto scratch = std::filesystem::temp_directory_path() / "caseflow-bench-pdf";
        std::filesystem::remove_all(scratch);
        std::filesystem::create_directories(scratch / "attachments");
        writeFile(scratch / "care-plan.html", html);
        for (const auto& attachment : attachments)
            writeFile(scratch / "attachments" / attachment.fileName, attachment.content);

        std::cout << "Care plan of KIR-26-003 to PDF/A-3b (French, " << html.size() << " bytes of HTML, one "
                  << "attachment), " << documents << " documents per side after one warm-up.\n\n";

        // caseflow: one worker, warmed by one document (WeasyPrint loaded).
        render::PdfWorkerPool pool(render::PdfWorkerOptions{});
        std::string pdf = pool.render(html, attachments);
        auto started = Clock::now();
        for (long i = 0; i < documents; ++i) pdf = pool.render(html, attachments);
        const double worker = secondsSince(started);

        // The reference: WeasyPrint loaded once in Python, the same call in a loop.
        const std::string json =
            run("/usr/bin/python3",
                {(kSource / "bench" / "bench_pdf_weasyprint.py").string(), (scratch / "care-plan.html").string(),
                 (scratch / "attachments").string(), std::to_string(documents)});
        const double loaded = jsonNumber(json, "seconds");

        // Before the worker: the weasyprint command per document (fewer runs: it is slow).
        const long commands = std::max(1L, documents / 2);
        std::vector<std::string> arguments = {"--quiet", "--pdf-variant", "pdf/a-3b", "--base-url",
                                              (scratch / "attachments").string() + "/"};
        for (const auto& attachment : attachments) {
            arguments.push_back("--attachment");
            arguments.push_back((scratch / "attachments" / attachment.fileName).string());
        }
        arguments.push_back((scratch / "care-plan.html").string());
        arguments.push_back((scratch / "command.pdf").string());
        started = Clock::now();
        for (long i = 0; i < commands; ++i) run(weasyprint->string(), arguments);
        const double command = secondsSince(started);

        const double perWorker = worker / documents, perLoaded = loaded / documents, perCommand = command / commands;
        std::printf("%-58s %10s %10s\n", "side", "s/document", "ratio");
        std::printf("%-58s %10.3f %10s\n", "WeasyPrint kept loaded in one Python process (reference)", perLoaded,
                    "1.00x");
        std::printf("%-58s %10.3f %9.2fx\n", "caseflow through its WeasyPrint worker", perWorker,
                    perWorker / perLoaded);
        std::printf("%-58s %10.3f %9.2fx\n", "weasyprint command per document (before the worker)", perCommand,
                    perCommand / perLoaded);
        std::printf("\nworker PDF %zu bytes, starts with %%PDF-: %s\n", pdf.size(),
                    pdf.rfind("%PDF-", 0) == 0 ? "yes" : "NO");
        return pdf.rfind("%PDF-", 0) == 0 ? 0 : 1;
    } catch (const std::exception& error) {
        std::cerr << "bench_pdf: " << error.what() << "\n";
        return 1;
    }
}
