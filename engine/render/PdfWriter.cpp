// The WeasyPrint subprocess. What must stay true: arguments are passed as a vector (no
// shell, so no quoting problem whatever a file name holds); the base URL is an empty
// private directory, so a document cannot make WeasyPrint read anything else.
#include "render/PdfWriter.h"
#include "core/Files.h"

#include "render/TemplateError.h"

#include <Poco/Path.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace caseflow::render {
namespace {

// A private directory for one conversion, removed with its content on scope exit.
class ScratchDirectory {
public:
    ScratchDirectory() {
        static std::atomic<unsigned> counter{0};
        const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
        path_ = std::filesystem::temp_directory_path() / ("caseflow-pdf-" + std::to_string(::getpid()) + "-" +
                                                          std::to_string(stamp) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path_);
        std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace);
    }
    ~ScratchDirectory() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    ScratchDirectory(const ScratchDirectory&) = delete;
    ScratchDirectory& operator=(const ScratchDirectory&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

void writeFile(const std::filesystem::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
    if (!out) throw Error("cannot write " + path.string());
}

std::string safeFileName(const std::string& name) {
    std::string safe;
    for (const char ch : name)
        safe += (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.') ? ch : '_';
    if (safe.empty() || safe.front() == '.') safe = "attachment" + safe;
    return safe;
}

} // namespace

std::optional<std::filesystem::path> findWeasyPrint() {
    if (const char* configured = std::getenv("CASEFLOW_WEASYPRINT"); configured && *configured) {
        if (std::filesystem::exists(configured)) return std::filesystem::path(configured);
        return std::nullopt;
    }
    const char* path = std::getenv("PATH");
    std::istringstream directories(path ? path : "/usr/local/bin:/usr/bin:/bin");
    for (std::string directory; std::getline(directories, directory, ':');) {
        if (directory.empty()) continue;
        const std::filesystem::path candidate = std::filesystem::path(directory) / "weasyprint";
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return std::nullopt;
}

std::string htmlToPdf(const std::string& html, const std::vector<PdfAttachment>& attachments) {
    const auto weasyprint = findWeasyPrint();
    if (!weasyprint)
        throw MissingTool("PDF output needs WeasyPrint, which is not installed: run `apt-get install weasyprint` "
                          "(HTML and ODT work without it)");
    ScratchDirectory scratch;
    const auto input = scratch.path() / "document.html";
    const auto output = scratch.path() / "document.pdf";
    writeFile(input, html);
    std::vector<std::string> arguments = {"--quiet", "--pdf-variant", "pdf/a-3b", "--base-url",
                                          scratch.path().string() + "/"};
    for (const auto& attachment : attachments) {
        const auto file = scratch.path() / safeFileName(attachment.fileName);
        writeFile(file, attachment.content);
        arguments.push_back("--attachment");
        arguments.push_back(file.string());
    }
    arguments.push_back(input.string());
    arguments.push_back(output.string());

    Poco::Pipe errorPipe;
    Poco::ProcessHandle process = Poco::Process::launch(weasyprint->string(), arguments, nullptr, nullptr, &errorPipe);
    std::string errors;
    {
        Poco::PipeInputStream stream(errorPipe);
        Poco::StreamCopier::copyToString(stream, errors);
    }
    const int status = process.wait();
    if (status != 0) {
        if (errors.size() > 2000) errors = "..." + errors.substr(errors.size() - 2000);
        throw Error("WeasyPrint failed (exit " + std::to_string(status) + "): " + errors);
    }
    if (!std::filesystem::exists(output))
        throw Error("WeasyPrint wrote no PDF" + (errors.empty() ? std::string() : ": " + errors));
    return readFile(output, "the PDF WeasyPrint wrote");
}

} // namespace caseflow::render
