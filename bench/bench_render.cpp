// Benchmark (not a test): renders the care plan of a sample situation (tests/render/situation.xml,
// sample 03 after its scenario) to French HTML many times and compares, in the same run and on
// the same data, with an equivalent Jinja2 template (bench/render/care-plan.jinja2.html, run by
// python3 with bench/render/bench_jinja2.py, which times itself) and an equivalent XSLT 1.0
// stylesheet (bench/render/care-plan.xsl) run in-process by libxslt, loaded with dlopen so the
// benchmark needs no link change. What must stay true: each engine is timed on its render loop
// alone, its input prepared beforehand, the best of the same number of rounds for every engine,
// and each output is checked to be the same document.
//
// Usage: bench_render [RENDERS] [--out DIR] [--only caseflow|stored]
//   default 2000 renders; DIR keeps the three outputs; --only prints one caseflow measure (profiling).
#include "model/Clock.h"
#include "model/Date.h"
#include "model/NetworkSettings.h"
#include "model/Situation.h"
#include "process/FundingProcess.h"
#include "render/CompiledTemplate.h"
#include "render/DocumentRenderer.h"
#include "render/Environment.h"
#include "xml/Xml.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <dlfcn.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace caseflow;
using Clock = std::chrono::steady_clock;

const std::filesystem::path kSource = CASEFLOW_SOURCE_DATA_DIR;
constexpr const char* kToday = "2026-11-26";

struct Result {
    std::string engine;
    long renders = 0;
    double seconds = 0;
    std::size_t bytes = 0;
    std::string note;
    double perSecond() const { return seconds > 0 ? renders / seconds : 0; }
};

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

void writeFile(const std::filesystem::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
}

template <typename Body> double timed(Body body) {
    const auto started = Clock::now();
    body();
    return std::chrono::duration<double>(Clock::now() - started).count();
}

// The machine is shared: a render loop is cut into kRounds rounds and the fastest round, times
// kRounds, is the loop's time (every engine alike, Jinja2 too), so a burst of another process's work
// during one round does not decide the ratio.
constexpr long kRounds = 5;

template <typename RenderOne> double bestOfRounds(long renders, RenderOne renderOne) {
    const long perRound = std::max(1L, renders / kRounds);
    double best = 0;
    for (long round = 0; round < kRounds; ++round) {
        const double seconds = timed([&] {
            for (long i = 0; i < perRound; ++i) renderOne();
        });
        if (round == 0 || seconds < best) best = seconds;
    }
    return best * static_cast<double>(renders) / static_cast<double>(perRound);
}

// The visible text of an HTML document, whitespace collapsed: how the outputs are compared
// (markup details such as <br /> against <br> or attribute quoting differ between engines).
std::string visibleText(const std::string& html) {
    std::string text;
    bool inTag = false, inStyle = false, space = false;
    for (std::size_t i = 0; i < html.size(); ++i) {
        if (html.compare(i, 7, "<style>") == 0) inStyle = true;
        if (html.compare(i, 8, "</style>") == 0) inStyle = false;
        const char ch = html[i];
        if (ch == '<') inTag = true;
        if (!inTag && !inStyle && ch == '&') {
            // Engines escape differently (&#39; against '): compare characters, not spellings.
            static const std::pair<const char*, char> entities[] = {{"&amp;", '&'},  {"&lt;", '<'},  {"&gt;", '>'},
                                                                    {"&quot;", '"'}, {"&#34;", '"'}, {"&#39;", '\''}};
            bool decoded = false;
            for (const auto& [entity, character] : entities) {
                const std::size_t length = std::strlen(entity);
                if (html.compare(i, length, entity) == 0) {
                    if (space) text += ' ';
                    space = false;
                    text += character;
                    i += length - 1;
                    decoded = true;
                    break;
                }
            }
            if (decoded) continue;
        }
        if (!inTag && !inStyle) {
            if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r')
                space = !text.empty();
            else {
                if (space) text += ' ';
                space = false;
                text += ch;
            }
        }
        if (ch == '>') {
            inTag = false;
            space = !text.empty();
        }
    }
    return text;
}

SituationRecord benchRecord() {
    SituationRecord record;
    record.id = 3;
    record.version = 16;
    record.state = "follow-up";
    record.category = 2;
    record.municipality = "Andenne";
    record.updatedAt = "2026-07-03T08:15:00.000Z";
    record.document = readFile(kSource / "tests" / "render" / "situation.xml");
    return record;
}

// caseflow: the compiled template rendered from pre-parsed inputs, like the other two.
Result benchCaseflow(long renders, const NetworkSettings& network, const SituationRecord& record, std::string& html,
                     double& compileSeconds) {
    std::shared_ptr<const render::CompiledTemplate> compiled;
    compileSeconds = timed([&] { compiled = render::Environment(kSource / "templates").get("care-plan"); });
    const Situation situation = Situation::fromStored(record.document);
    const auto recordDocument = xml::parseString(
        "<record id=\"3\" version=\"16\" state=\"follow-up\" category=\"2\" updatedAt=\"" + record.updatedAt + "\"/>",
        "record");
    render::RenderInputs inputs;
    inputs.situation = situation.document();
    inputs.language = render::LanguageSpec::parse("fr");
    inputs.nodes = {{"network", xml::root(network.document())}, {"record", xml::root(recordDocument.get())}};
    inputs.strings = {{"today", kToday}, {"document", "care-plan"}};
    html = compiled->render(inputs); // warm-up: evaluator created, catalogs and ICU formatters loaded
    Result result{"caseflow (compiled template)", renders, 0, 0, ""};
    result.seconds = bestOfRounds(renders, [&] { html = compiled->render(inputs); });
    result.bytes = html.size();
    return result;
}

// caseflow end to end, as the CLI and the service call it: parses the stored XML every time.
Result benchCaseflowFromRecord(long renders, const NetworkSettings& network, const SituationRecord& record) {
    const render::DocumentRenderer renderer;
    std::string html = renderer.render(record, network, {"care-plan", "fr", "html", ""});
    Result result{"caseflow (stored XML, parsed each time)", renders, 0, html.size(), ""};
    result.seconds = bestOfRounds(renders, [&] {
        html = renderer.render(record, network, {"care-plan", "fr", "html", ""});
    });
    return result;
}

// caseflow on every core: one compiled template, one evaluator per thread.
Result benchCaseflowThreads(long renders, const NetworkSettings& network, const SituationRecord& record) {
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    const render::DocumentRenderer renderer;
    Result result{"caseflow (stored XML, " + std::to_string(threads) + " threads)", renders * threads, 0,
                  renderer.render(record, network, {"care-plan", "fr", "html", ""}).size(), ""};
    result.seconds = timed([&] {
        std::vector<std::thread> workers;
        for (unsigned t = 0; t < threads; ++t)
            workers.emplace_back([&] {
                for (long i = 0; i < renders; ++i) renderer.render(record, network, {"care-plan", "fr", "html", ""});
            });
        for (auto& worker : workers) worker.join();
    });
    return result;
}

std::string python() {
    // Debian's python3 has python3-jinja2 (scripts/setup.sh); another python3 on the PATH may not.
    if (std::filesystem::exists("/usr/bin/python3")) return "/usr/bin/python3";
    return "python3";
}

// Jinja2 times itself (bench_jinja2.py): render alone, then XML parsed + render, per iteration.
std::vector<Result> benchJinja2(long renders, const std::filesystem::path& output, std::string& note) {
    std::vector<std::string> arguments = {(kSource / "bench" / "render" / "bench_jinja2.py").string(),
                                          (kSource / "tests" / "render" / "situation.xml").string(),
                                          (kSource / "samples" / "namur" / "network.xml").string(),
                                          (kSource / "templates" / "print.css").string(),
                                          kToday,
                                          std::to_string(renders),
                                          std::to_string(kRounds),
                                          output.string()};
    try {
        Poco::Pipe out, err;
        Poco::ProcessHandle process = Poco::Process::launch(python(), arguments, nullptr, &out, &err);
        std::string json, errors;
        Poco::PipeInputStream outStream(out), errStream(err);
        Poco::StreamCopier::copyToString(outStream, json);
        Poco::StreamCopier::copyToString(errStream, errors);
        if (process.wait() != 0) {
            note = "Jinja2 run failed (apt-get install python3-jinja2?): " + errors.substr(0, 300);
            return {};
        }
        const auto field = [&](const std::string& name) {
            const auto at = json.find("\"" + name + "\": ");
            return at == std::string::npos ? std::string() : json.substr(at + name.size() + 4);
        };
        const std::string engine = field("engine");
        Result rendered;
        rendered.engine = engine.substr(1, engine.find('"', 1) - 1);
        rendered.renders = std::atol(field("renders").c_str());
        rendered.seconds = std::atof(field("seconds").c_str());
        rendered.bytes = static_cast<std::size_t>(std::atol(field("bytes").c_str()));
        Result parsed = rendered;
        parsed.engine = "Jinja2 (ElementTree parse + render)";
        parsed.seconds = std::atof(field("parsedSeconds").c_str());
        return {rendered, parsed};
    } catch (const std::exception& error) {
        note = std::string("cannot run python3: ") + error.what();
        return {};
    }
}

// libxslt through dlopen: the symbols we call, and RAII for the library and the stylesheet.
struct Xslt {
    using ParseStylesheetDoc = void* (*)(xmlDoc*);
    using ApplyStylesheet = xmlDoc* (*)(void*, xmlDoc*, const char**);
    using SaveResultToString = int (*)(xmlChar**, int*, xmlDoc*, void*);
    using FreeStylesheet = void (*)(void*);

    struct LibraryCloser {
        void operator()(void* handle) const { dlclose(handle); }
    };
    std::unique_ptr<void, LibraryCloser> library{dlopen("libxslt.so.1", RTLD_NOW)};
    ParseStylesheetDoc parse = nullptr;
    ApplyStylesheet apply = nullptr;
    SaveResultToString save = nullptr;
    FreeStylesheet freeStylesheet = nullptr;
    const char* version = nullptr;

    bool load() {
        if (!library) return false;
        parse = reinterpret_cast<ParseStylesheetDoc>(dlsym(library.get(), "xsltParseStylesheetDoc"));
        apply = reinterpret_cast<ApplyStylesheet>(dlsym(library.get(), "xsltApplyStylesheet"));
        save = reinterpret_cast<SaveResultToString>(dlsym(library.get(), "xsltSaveResultToString"));
        freeStylesheet = reinterpret_cast<FreeStylesheet>(dlsym(library.get(), "xsltFreeStylesheet"));
        // `const char* xsltEngineVersion`: the symbol is the pointer's address.
        if (auto* symbol = dlsym(library.get(), "xsltEngineVersion"))
            version = *static_cast<const char* const*>(symbol);
        return parse && apply && save && freeStylesheet;
    }
};

// The one input document the stylesheet reads: situation, network, record, today, stylesheet text.
xml::Document xsltInput(const xmlDoc* situation, const NetworkSettings& network, const SituationRecord& record,
                        const std::string& css) {
    xml::Document input(xmlNewDoc(xml::x("1.0")));
    xmlNode* bench = xmlNewNode(nullptr, xml::x("bench"));
    xmlDocSetRootElement(input.get(), bench);
    xmlAddChild(bench, xmlDocCopyNode(xml::root(situation), input.get(), 1));
    xmlAddChild(bench, xmlDocCopyNode(xml::root(network.document()), input.get(), 1));
    xmlNode* recordNode = xmlNewChild(bench, nullptr, xml::x("record"), nullptr);
    xmlSetProp(recordNode, xml::x("version"), xml::x("16"));
    xmlSetProp(recordNode, xml::x("state"), xml::x("follow-up"));
    xmlSetProp(recordNode, xml::x("category"), xml::x("2"));
    xmlSetProp(recordNode, xml::x("updatedAt"), xml::x(record.updatedAt.c_str()));
    xmlNewTextChild(bench, nullptr, xml::x("today"), xml::x(kToday));
    xmlNewTextChild(bench, nullptr, xml::x("css"), xml::x(css.c_str()));
    return input;
}

std::vector<Result> benchXslt(long renders, const NetworkSettings& network, const SituationRecord& record,
                              std::string& html, std::string& note) {
    Xslt xslt;
    if (!xslt.load()) {
        note = "libxslt.so.1 not found (apt-get install libxslt1.1)";
        return {};
    }
    // The stylesheet is our own file: libxml2's plain reader is enough. xslt owns the document after parsing.
    xmlDoc* stylesheetDocument =
        xmlReadFile((kSource / "bench" / "render" / "care-plan.xsl").c_str(), "UTF-8", XML_PARSE_NONET);
    struct StylesheetDeleter {
        Xslt::FreeStylesheet free;
        void operator()(void* stylesheet) const { free(stylesheet); }
    };
    std::unique_ptr<void, StylesheetDeleter> stylesheet(stylesheetDocument ? xslt.parse(stylesheetDocument) : nullptr,
                                                        StylesheetDeleter{xslt.freeStylesheet});
    if (!stylesheet) {
        if (stylesheetDocument) xmlFreeDoc(stylesheetDocument);
        note = "bench/render/care-plan.xsl does not compile";
        return {};
    }
    const std::string css = readFile(kSource / "templates" / "print.css");
    const auto transform = [&](const xmlDoc* input) {
        xml::Document result(xslt.apply(stylesheet.get(), const_cast<xmlDoc*>(input), nullptr));
        xmlChar* buffer = nullptr;
        int length = 0;
        if (!result || xslt.save(&buffer, &length, result.get(), stylesheet.get()) != 0)
            throw std::runtime_error("xslt failed");
        html.assign(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(length));
        xmlFree(buffer);
    };
    // libxslt spells its version 10135 for 1.1.35.
    const int number = xslt.version ? std::atoi(xslt.version) : 0;
    const std::string version =
        std::to_string(number / 10000) + "." + std::to_string(number / 100 % 100) + "." + std::to_string(number % 100);

    const Situation situation = Situation::fromStored(record.document);
    const xml::Document input = xsltInput(situation.document(), network, record, css);
    transform(input.get());
    Result transformed{"libxslt " + version + " (in-process)", renders, 0, 0, ""};
    transformed.seconds = bestOfRounds(renders, [&] { transform(input.get()); });
    transformed.bytes = html.size();

    Result parsed{"libxslt (parse + transform)", renders, 0, html.size(), ""};
    parsed.seconds = bestOfRounds(renders, [&] {
        const Situation fresh = Situation::fromStored(record.document);
        transform(xsltInput(fresh.document(), network, record, css).get());
    });
    return {transformed, parsed};
}

void printGroup(const char* title, const std::vector<Result>& results) {
    if (results.empty()) return;
    std::printf("%s\n%-46s %8s %8s %12s %7s %14s\n", title, "engine", "renders", "seconds", "docs/second", "bytes",
                "caseflow is");
    for (std::size_t i = 0; i < results.size(); ++i) {
        const Result& result = results[i];
        char ratio[32] = "";
        if (i > 0) std::snprintf(ratio, sizeof ratio, "%.2fx faster", results[0].perSecond() / result.perSecond());
        std::printf("%-46s %8ld %8.3f %12.0f %7zu %14s\n", result.engine.c_str(), result.renders, result.seconds,
                    result.perSecond(), result.bytes, ratio);
    }
    std::printf("\n");
}

} // namespace

int main(int argc, char** argv) {
    long renders = 2000;
    std::optional<std::filesystem::path> keep;
    std::string only; // "caseflow" or "stored": one measure alone, for profiling
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        if (argument == "--out" && i + 1 < argc)
            keep = argv[++i];
        else if (argument == "--only" && i + 1 < argc)
            only = argv[++i];
        else if (argument == "--help" || argument == "-h") {
            std::cout << "usage: bench_render [RENDERS] [--out DIR] [--only caseflow|stored]\n";
            return 0;
        } else
            renders = std::max(1L, std::atol(argument.c_str()));
    }
    xmlInitParser();
    FixedBusinessDate today(kToday);
    try {
        const auto network = NetworkSettings::fromFile(kSource / "samples" / "namur" / "network.xml");
        const SituationRecord record = benchRecord();
        const std::filesystem::path scratch =
            keep ? *keep : std::filesystem::temp_directory_path() / "caseflow-bench-render";
        std::filesystem::create_directories(scratch);

        std::cout << "Care plan of KIR-26-003 (tests/render/situation.xml) to French HTML, " << renders
                  << " renders per engine, same data, output checked equal.\n\n";
        std::string caseflowHtml, xsltHtml, note;
        double compileSeconds = 0;
        const Result compiled = benchCaseflow(renders, *network, record, caseflowHtml, compileSeconds);
        const Result stored = benchCaseflowFromRecord(renders, *network, record);
        if (!only.empty()) {
            const Result& alone = only == "stored" ? stored : compiled;
            std::printf("%s: %ld renders in %.3f s, %.0f documents per second\n", alone.engine.c_str(), renders,
                        alone.seconds, alone.perSecond());
            return 0;
        }
        std::vector<std::string> notes;
        const std::vector<Result> jinja = benchJinja2(renders, scratch / "care-plan.jinja2.html", note);
        if (jinja.empty()) notes.push_back(note);
        const std::vector<Result> xslt = benchXslt(renders, *network, record, xsltHtml, note);
        if (xslt.empty()) notes.push_back(note);
        const Result threads = benchCaseflowThreads(renders, *network, record);
        writeFile(scratch / "care-plan.caseflow.html", caseflowHtml);
        writeFile(scratch / "care-plan.xslt.html", xsltHtml);

        std::vector<Result> engines = {compiled}, endToEnd = {stored};
        if (jinja.size() == 2) engines.push_back(jinja[0]), endToEnd.push_back(jinja[1]);
        if (xslt.size() == 2) engines.push_back(xslt[0]), endToEnd.push_back(xslt[1]);
        printGroup("1. The template engines alone, on input prepared before timing", engines);
        printGroup("2. From the stored situation XML, parsed on every render", endToEnd);
        std::printf("3. caseflow on every core: %s, %.0f documents per second\n", threads.engine.c_str(),
                    threads.perSecond());
        std::printf("   compiling the caseflow template (parse, includes, every XPath checked and compiled): %.1f ms, "
                    "once\n\n",
                    compileSeconds * 1000);

        // The documents must be the same, or the comparison means nothing.
        const std::string reference = visibleText(caseflowHtml);
        const std::string jinjaText = std::filesystem::exists(scratch / "care-plan.jinja2.html")
                                          ? visibleText(readFile(scratch / "care-plan.jinja2.html"))
                                          : "";
        const bool sameJinja = jinjaText == reference, sameXslt = visibleText(xsltHtml) == reference;
        std::cout << "same visible text as caseflow: Jinja2 " << (sameJinja ? "yes" : "NO") << ", XSLT "
                  << (sameXslt ? "yes" : "NO") << " (outputs in " << scratch.string() << ")\n";
        for (const auto& text : notes) std::cout << "note: " << text << "\n";
        return sameJinja && sameXslt ? 0 : 1;
    } catch (const std::exception& error) {
        std::cerr << "bench_render: " << error.what() << "\n";
        return 1;
    }
}
