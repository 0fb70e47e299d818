// The `render` commands: a situation's documents as HTML, PDF/A or ODT, one at a time or
// all of them in parallel, and the template tools (`templates check`, `templates messages`).
// What must stay true: the CLI holds no rendering logic (render/DocumentRenderer.h does);
// in a batch a failed document is reported and the others still render, and the exit code
// says whether anything failed; the progress bar is drawn only on a terminal.
#include "cli/Commands.h"
#include "cli/ExitCodes.h"
#include "cli/Messages.h"
#include "core/Errors.h"
#include "model/Situation.h"
#include "render/DocumentRenderer.h"
#include "render/LanguageSpec.h"
#include "render/MessageExtractor.h"
#include "render/PdfWorker.h"
#include "render/PdfWriter.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace caseflow::cli {
namespace {

using render::RenderRequest;

std::string joined(const std::vector<std::string>& values, const char* separator = ", ") {
    std::string list;
    for (const auto& value : values) list += (list.empty() ? "" : separator) + value;
    return list;
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> values;
    std::istringstream items(text);
    for (std::string item; std::getline(items, item, ',');)
        if (!item.empty()) values.push_back(item);
    return values;
}

void writeOutput(const std::filesystem::path& path, const std::string& bytes) {
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    // Written next to the target and renamed, so a reader never sees half a document.
    const auto partial = path.string() + ".partial";
    {
        std::ofstream out(partial, std::ios::binary);
        out << bytes;
        if (!out) throw Error("cannot write " + path.string());
    }
    std::filesystem::rename(partial, path);
}

FundingProcess openForRendering(const Invocation& in) {
    // Not openProcess(): its --lang is the language of messages (fr, nl, en), ours is the
    // document's (fr, nl, fr+nl, nl+fr).
    std::optional<std::filesystem::path> workflow;
    if (auto file = in.option("--workflow")) workflow = *file;
    return FundingProcess::open(databasePath(in), workflow);
}

// The youth's language when it is a document language, else French.
std::string defaultLanguage(const SituationRecord& record) {
    try {
        const Situation situation = Situation::fromStored(record.document);
        xml::XPath xpath(situation.document());
        const std::string language = xpath.string("string(/situation/youth/language)");
        if (render::languageIndex(language) >= 0) return language;
    } catch (const std::exception&) {
    }
    return "fr";
}

int renderOne(Invocation& in) {
    if (in.positionalCount() != 2)
        throw UsageError("render needs ID and DOCUMENT (or --all --out DIR); documents are: " +
                         joined(render::documentNames()));
    const std::int64_t id = in.situationId(0);
    RenderRequest request;
    request.document = in.positional(1);
    request.format = in.option("--format").value_or("html");
    request.item = in.option("--item").value_or("");
    request.language = in.option("--lang").value_or("fr");
    render::checkRequest(request); // before opening anything: a typo is a usage error, whatever the database
    auto process = openForRendering(in);
    const SituationRecord record = process.situation(id);
    if (!in.option("--lang")) request.language = defaultLanguage(record);
    const std::string bytes = render::renderDocument(process, record, request);
    process.recordRead(readerOf(in), {id}, "document:" + request.document);
    const std::string output = in.option("--output").value_or(render::documentFileName(record, request));
    if (output == "-") {
        if (request.format != "html" && ::isatty(STDOUT_FILENO))
            throw UsageError("refusing to write a binary " + request.format + " document to a terminal; use -o FILE");
        in.out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return kOk;
    }
    writeOutput(output, bytes);
    if (in.flag("--json")) {
        auto json = Poco::makeShared<Poco::JSON::Object>();
        json->set("file", output);
        json->set("document", request.document);
        json->set("language", request.language);
        json->set("format", request.format);
        json->set("contentType", render::contentType(request.format));
        json->set("bytes", static_cast<Poco::UInt64>(bytes.size()));
        printJson(in.out, json);
    } else {
        in.out << output << "\n";
    }
    return kOk;
}

struct Job {
    const SituationRecord* record = nullptr;
    std::string reference;
    RenderRequest request;
};

struct Failure {
    std::string what;
    std::string why;
};

// A one-line progress bar on stderr, redrawn in place; only used on a terminal.
class ProgressBar {
public:
    ProgressBar(std::ostream& err, std::size_t total) : err_(err), total_(total) {}
    void step(const std::string& label) {
        std::lock_guard<std::mutex> lock(mutex_);
        ++done_;
        const std::size_t width = 30;
        const std::size_t filled = total_ ? done_ * width / total_ : width;
        err_ << "\r[" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << done_ << "/" << total_
             << "  " << label.substr(0, 40) << std::string(label.size() < 40 ? 40 - label.size() : 0, ' ')
             << std::flush;
    }
    void finish() { err_ << "\r" << std::string(100, ' ') << "\r" << std::flush; }

private:
    std::ostream& err_;
    std::size_t total_;
    std::size_t done_ = 0;
    std::mutex mutex_;
};

int renderAll(Invocation& in) {
    if (in.positionalCount() != 0) throw UsageError("render --all takes no ID or DOCUMENT");
    const auto outOption = in.option("--out");
    if (!outOption) throw UsageError("render --all needs --out DIR");
    const std::filesystem::path out = *outOption;
    const auto languages = splitList(in.option("--lang").value_or("fr,nl,fr+nl"));
    auto formats = splitList(in.option("--format").value_or("html,pdf,odt"));
    const auto documents = splitList(in.option("--document").value_or(joined(render::documentNames(), ",")));
    for (const auto& language : languages) render::LanguageSpec::parse(language);
    for (const auto& format : formats) render::contentType(format);
    for (const auto& document : documents) render::checkRequest({document, "fr", "html", ""});
    unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
    if (auto given = in.option("--jobs")) {
        const int value = std::atoi(given->c_str());
        if (value < 1 || value > 256) throw UsageError("--jobs needs a number of workers between 1 and 256");
        jobs = static_cast<unsigned>(value);
    }

    auto process = openForRendering(in);
    const std::vector<SituationRecord> records = process.situations();
    const auto ledger = render::EnvelopeLedger::build(records, process.network());
    // Verified here, on this thread: the trust store reads the database, which workers must not share.
    const auto signatures = render::SignatureLedger::build(process, records);
    const render::DocumentRenderer renderer;
    const auto started = std::chrono::steady_clock::now();

    std::vector<Failure> failures;
    const bool pdfRequested = std::find(formats.begin(), formats.end(), "pdf") != formats.end();
    const bool pdfAvailable = render::findWeasyPrint().has_value();
    // One WeasyPrint worker per job, up to the cores: each loads WeasyPrint once for the whole batch.
    render::configureSharedPdfWorkers(std::min(jobs, std::max(1u, std::thread::hardware_concurrency())));

    // What applies is decided up front (cheap, one thread), so workers only render.
    std::vector<Job> queue;
    std::size_t skipped = 0, pdfUnavailable = 0;
    for (const auto& record : records) {
        std::string reference = "situation-" + std::to_string(record.id);
        try {
            reference = Situation::fromStored(record.document).reference();
        } catch (const std::exception&) {
        }
        for (const auto& document : documents) {
            // Every item: each concertation's minutes, each request, each decision whatever
            // its outcome, each payment, not only the latest.
            std::vector<std::string> items;
            try {
                for (const auto& item : render::documentItems(record, document))
                    if (renderer.applies(record, process.network(), document, item)) items.push_back(item);
            } catch (const std::exception& error) {
                failures.push_back({reference + " " + document, error.what()});
                continue;
            }
            if (items.empty()) {
                skipped += languages.size() * formats.size();
                continue;
            }
            for (const auto& item : items)
                for (const auto& language : languages)
                    for (const auto& format : formats) {
                        if (format == "pdf" && !pdfAvailable) {
                            ++pdfUnavailable;
                            continue;
                        }
                        queue.push_back({&record, reference, {document, language, format, item}});
                    }
        }
    }
    if (pdfRequested && !pdfAvailable)
        failures.push_back(
            {std::to_string(pdfUnavailable) + " PDF documents",
             "WeasyPrint is not installed: run `apt-get install weasyprint` (HTML and ODT were rendered)"});

    // Every document about to be written is recorded first, one read per situation and document.
    std::map<std::string, std::set<std::int64_t>> readsByDocument;
    for (const auto& job : queue) readsByDocument[job.request.document].insert(job.record->id);
    const Actor reader = readerOf(in);
    for (const auto& [document, ids] : readsByDocument)
        process.recordRead(reader, {ids.begin(), ids.end()}, "document:" + document);

    const bool terminal = ::isatty(STDERR_FILENO) && !in.flag("--json");
    ProgressBar progress(in.err, queue.size());
    std::atomic<std::size_t> next{0};
    std::mutex resultsMutex;
    std::map<std::string, std::size_t> perFormat;
    std::size_t rendered = 0;
    const auto work = [&] {
        for (std::size_t index = next++; index < queue.size(); index = next++) {
            const Job& job = queue[index];
            const std::string document =
                job.request.document + (job.request.item.empty() ? "" : "-" + job.request.item);
            const std::string label =
                job.reference + " " + document + " " + job.request.language + " " + job.request.format;
            try {
                const std::string bytes = renderer.render(*job.record, process.network(), job.request,
                                                          render::RenderContext{ledger, signatures});
                writeOutput(out / job.reference / (document + "." + job.request.language + "." + job.request.format),
                            bytes);
                std::lock_guard<std::mutex> lock(resultsMutex);
                ++rendered;
                ++perFormat[job.request.format];
            } catch (const std::exception& error) {
                std::lock_guard<std::mutex> lock(resultsMutex);
                failures.push_back({label, error.what()});
            }
            if (terminal) progress.step(label);
        }
    };
    std::vector<std::thread> workers;
    const unsigned workerCount =
        std::min<unsigned>(jobs, static_cast<unsigned>(std::max<std::size_t>(queue.size(), 1)));
    for (unsigned i = 0; i < workerCount; ++i) workers.emplace_back(work);
    for (auto& worker : workers) worker.join();
    if (terminal) progress.finish();

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (in.flag("--json")) {
        auto json = Poco::makeShared<Poco::JSON::Object>();
        json->set("directory", out.string());
        json->set("rendered", static_cast<Poco::UInt64>(rendered));
        json->set("skipped", static_cast<Poco::UInt64>(skipped));
        json->set("failed", static_cast<Poco::UInt64>(failures.size()));
        json->set("workers", workerCount);
        json->set("seconds", seconds);
        Poco::JSON::Array failed;
        for (const auto& failure : failures) {
            auto item = Poco::makeShared<Poco::JSON::Object>();
            item->set("document", failure.what);
            item->set("error", failure.why);
            failed.add(item);
        }
        json->set("failures", failed);
        printJson(in.out, json);
    } else {
        std::string counts;
        for (const auto& [format, count] : perFormat)
            counts += (counts.empty() ? "" : ", ") + std::to_string(count) + " " + format;
        char elapsed[32];
        std::snprintf(elapsed, sizeof elapsed, "%.1f", seconds);
        in.out << trn("rendered {count} document", "rendered {count} documents", static_cast<long>(rendered))
               << (counts.empty() ? "" : " (" + counts + ")") << " "
               << trn("into {directory} in {seconds} s with {count} worker",
                      "into {directory} in {seconds} s with {count} workers", static_cast<long>(workerCount),
                      {{"directory", out.string()}, {"seconds", elapsed}})
               << "\n"
               << tr("skipped {count} (document not applicable to the situation yet)",
                     {{"count", std::to_string(skipped)}})
               << "\n"
               << tr("failed {count}", {{"count", std::to_string(failures.size())}}) << "\n";
        for (const auto& failure : failures)
            in.err << "  " << tr("failed:") << " " << failure.what << ": " << failure.why << "\n";
    }
    return failures.empty() ? kOk : kError;
}

int renderCommand(Invocation& in) {
    return in.flag("--all") ? renderAll(in) : renderOne(in);
}

int templatesCheck(Invocation& in) {
    const auto& environment = render::Environment::shared();
    int failed = 0;
    for (const auto& name : environment.templateNames()) {
        try {
            const auto compiled = environment.get(name);
            in.out << "ok    " << compiled->where().file << " (" << compiled->expressions().size() << " expressions, "
                   << compiled->messages().size() << " messages)\n";
        } catch (const std::exception& error) {
            ++failed;
            in.err << "error " << error.what() << "\n";
        }
    }
    // A document's data template says what its PDF carries (R19): every document has one.
    for (const auto& name : environment.dataTemplateNames()) {
        try {
            const auto compiled = environment.getData(name);
            in.out << "ok    " << compiled->where().file << " (" << compiled->expressions().size() << " expressions)\n";
        } catch (const std::exception& error) {
            ++failed;
            in.err << "error " << error.what() << "\n";
        }
    }
    const auto pages = environment.templateNames();
    const auto data = environment.dataTemplateNames();
    for (const auto& document : render::documentNames()) {
        if (std::find(pages.begin(), pages.end(), document) == pages.end()) {
            ++failed;
            in.err << "error " << environment.displayDirectory() << "/" << document << ".xhtml is missing\n";
        }
        if (std::find(data.begin(), data.end(), document) == data.end()) {
            ++failed;
            in.err << "error " << environment.displayDirectory() << "/data/" << document << ".xml is missing\n";
        }
    }
    return failed ? kError : kOk;
}

int templatesMessages(Invocation& in) {
    const std::string pot = render::toPot(render::extractMessages(render::Environment::shared()));
    const std::string output = in.option("--output").value_or("-");
    if (output == "-")
        in.out << pot;
    else {
        writeOutput(output, pot);
        in.err << "wrote " << output << "\n";
    }
    return kOk;
}

} // namespace

void addRenderCommands(std::vector<CommandSpec>& commands) {
    commands.push_back(
        {"render",
         "ID DOCUMENT",
         "render a situation's document as HTML, PDF/A or ODT",
         "Documents: " + joined(render::documentNames()) +
             ".\nLanguages (--lang): " + joined(render::languageParameters()) +
             "; bilingual documents show every text in both languages, first language first.\n"
             "Without --lang, the young person's language (else fr). Formats (--format): " +
             joined(render::formatNames()) +
             " (default html).\nPDF is PDF/A-3b with the document's own data attached (schemas/documents/) and a "
             "signed\n"
             "plan or decision as signed, never the situation (R19); it needs WeasyPrint.\n"
             "A document the situation has not reached yet (a budget decision before any decision) is refused.\n"
             "--item picks a concertation, funding request or payment by id, a budget decision by\n"
             "REQUEST-dN (the situation's N-th decision) or REQUEST (the latest on it); default: the latest.\n\n"
             "Batch: `caseflow render --all --out DIR` renders every situation x document x language\n"
             "(fr, nl, fr+nl) x item x format, in parallel; --lang, --format and --document take comma-separated\n"
             "lists to narrow it. Documents that do not apply yet are skipped; a failed one is reported and\n"
             "the batch goes on; the exit code is 1 when any failed.",
         {{"--format", "FORMAT", "html, pdf or odt (default html); with --all a list (default html,pdf,odt)"},
          {"--lang", "LANG",
           "the document's language: fr, nl, fr+nl or nl+fr; with --all a list (messages follow $LANG)"},
          {"--output", "FILE", "where to write (-o; default REFERENCE_DOCUMENT_LANG.EXT, - for stdout)"},
          {"--item", "ID",
           "which concertation, funding request, decision (REQUEST-dN) or payment (default: the latest)"},
          {"--all", "", "render every document of every situation"},
          {"--out", "DIR", "with --all: the output directory (DIR/REFERENCE/DOCUMENT[-ITEM].LANG.FORMAT)"},
          {"--document", "LIST", "with --all: only these documents"},
          {"--jobs", "N", "with --all: parallel workers (default: the number of processors)"},
          {"--workflow", "FILE", "the workflow definition (default: workflows/funding.scxml)"},
          kReaderOption},
         0,
         2,
         renderCommand});
    commands.push_back({"templates check",
                        "",
                        "compile every document template and report errors",
                        "Compiles templates/*.xhtml (with fragments and stylesheets) and reports each error\n"
                        "with file:line and the directive.",
                        {},
                        0,
                        0,
                        templatesCheck});
    commands.push_back({"templates messages",
                        "",
                        "write the documents' gettext template (.pot)",
                        "Extracts every translatable text of the templates, templates/terms.xml and the engine.\n"
                        "Usage: caseflow templates messages -o locales/documents.pot (see docs/translating.md).",
                        {{"--output", "FILE", "where to write (-o; default: standard output)"}},
                        0,
                        0,
                        templatesMessages});
}

} // namespace caseflow::cli
