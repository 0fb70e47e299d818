// What the render specifications share: the fixture situation as a store record, the Namur
// settings, a fixed "today", scratch template directories, the external tools the format
// tests run (support/TestSupport.h finds them), ODT package reading, and the HTML
// normalisation golden files are compared with. Header-only: tests/CMakeLists.txt builds
// tests/*_test.cpp and the shared support files, nothing else.
#pragma once

#include "model/Clock.h"
#include "model/NetworkSettings.h"
#include "process/FundingProcess.h"
#include "render/DocumentRenderer.h"
#include "support/TestSupport.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace caseflow::test::render {

// Every document in the tests is issued on this day.
inline constexpr const char* kToday = "2026-11-26";

inline const NetworkSettings& namurNetwork() {
    static const auto network = NetworkSettings::fromFile(projectDir() / "samples" / "namur" / "network.xml");
    return *network;
}

inline std::string fixtureXml() {
    return readFile(testsDir() / "render" / "situation.xml");
}

// The fixture as the store would return it; updatedAt is a summer instant (UTC+2 in Brussels).
inline SituationRecord fixtureRecord(const std::string& document = fixtureXml()) {
    SituationRecord record;
    record.id = 3;
    record.version = 16;
    record.state = "follow-up";
    record.category = 2;
    record.municipality = "Andenne";
    record.registeredAt = "2026-01-19T09:00:00.000Z";
    record.updatedAt = "2026-07-03T08:15:00.000Z";
    record.document = document;
    return record;
}

inline caseflow::render::RenderContext fixtureContext(const SituationRecord& record) {
    return {caseflow::render::EnvelopeLedger::build({record}, namurNetwork()), nullptr};
}

inline std::string renderFixture(const std::string& document, const std::string& language,
                                 const std::string& format = "html", const SituationRecord& record = fixtureRecord()) {
    caseflow::FixedBusinessDate today(kToday);
    return caseflow::render::DocumentRenderer().render(record, namurNetwork(), {document, language, format, ""},
                                                       fixtureContext(record));
}

// A template directory of the test's own: NAME.xhtml files, fragments/ and a stylesheet.
class TemplateDirectory {
public:
    TemplateDirectory() {
        std::filesystem::create_directories(dir_.path() / "fragments");
        writeFile(dir_.path() / "print.css", "body { color: black; }\n");
        writeFile(dir_.path() / "terms.xml", readFile(projectDir() / "templates" / "terms.xml"));
    }
    void write(const std::string& relative, const std::string& content) const {
        writeFile(dir_.path() / relative, content);
    }
    const std::filesystem::path& path() const { return dir_.path(); }

private:
    ScratchDir dir_;
};

// Wraps a body in a template document with both namespaces declared.
inline std::string templateText(const std::string& body, const std::string& rootAttributes = "") {
    return "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:t=\"urn:caseflow:template:1\"" + rootAttributes +
           ">\n<head><title>test</title></head>\n<body>\n" + body + "\n</body>\n</html>\n";
}

// The body of a rendered test document, without the surrounding skeleton.
inline std::string bodyOf(const std::string& html) {
    const auto open = html.find("<body>");
    const auto close = html.rfind("</body>");
    if (open == std::string::npos || close == std::string::npos) return html;
    std::string body = html.substr(open + 6, close - open - 6);
    while (!body.empty() && (body.front() == '\n' || body.front() == ' ')) body.erase(body.begin());
    while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.pop_back();
    return body;
}

// Golden-file form of a rendered document: the inlined stylesheet replaced by a marker (a
// style change is not a document change), whitespace collapsed, one block element per line.
inline std::string normaliseHtml(std::string html) {
    html = std::regex_replace(html, std::regex("<style>[^<]*</style>"), "<style>/* print.css */</style>");
    html = std::regex_replace(html, std::regex("[ \\t\\r\\n]+"), " ");
    // Each block starts a line; containers also end on their own line.
    html = std::regex_replace(
        html,
        std::regex(
            " ?(<(?:html|head|body|header|title|meta|style|div|p|h1|h2|h3|table|thead|tbody|tr|ul|ol|li)\\b[^>]*>)"),
        "\n$1");
    html = std::regex_replace(html, std::regex(" ?(</(?:html|head|body|header|div|table|thead|tbody|ul|ol)>)"), "\n$1");
    html = std::regex_replace(html, std::regex("\n+"), "\n");
    if (!html.empty() && html.front() == '\n') html.erase(html.begin());
    return html + "\n";
}

// Runs a program (no shell) and captures its standard output and error.
inline CommandResult runTool(const std::string& program, const std::vector<std::string>& arguments) {
    Poco::Pipe outPipe, errPipe;
    Poco::ProcessHandle handle = Poco::Process::launch(program, arguments, nullptr, &outPipe, &errPipe);
    CommandResult result;
    // Standard error is read after standard output: the tools used here write little to it.
    Poco::PipeInputStream out(outPipe), err(errPipe);
    Poco::StreamCopier::copyToString(out, result.out);
    Poco::StreamCopier::copyToString(err, result.err);
    result.exitCode = handle.wait();
    return result;
}

// The entries of a zip package, by name.
inline std::map<std::string, std::string> zipEntries(const std::string& bytes) {
    std::istringstream in(bytes, std::ios::in | std::ios::binary);
    Poco::Zip::ZipArchive archive(in);
    std::map<std::string, std::string> entries;
    for (auto header = archive.headerBegin(); header != archive.headerEnd(); ++header) {
        std::istringstream again(bytes, std::ios::in | std::ios::binary);
        Poco::Zip::ZipInputStream entry(again, header->second);
        std::string content;
        Poco::StreamCopier::copyToString(entry, content);
        entries[header->first] = content;
    }
    return entries;
}

} // namespace caseflow::test::render
