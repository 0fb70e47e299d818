// PDF through the WeasyPrint workers (render/PdfWorker.h). What must stay true: WeasyPrint
// missing is MissingTool before any worker is started; attachment names are plain file
// names, so a name cannot make the worker write outside its private directory.
#include "render/PdfWriter.h"

#include "render/PdfWorker.h"
#include "render/TemplateError.h"

#include <cctype>
#include <cstdlib>
#include <sstream>
#include <unistd.h>

namespace caseflow::render {
namespace {

// The name an attachment has in the PDF: a plain file name (the worker writes it into its private
// directory, so no path, no leading dot).
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
    if (!findWeasyPrint())
        throw MissingTool("PDF output needs WeasyPrint, which is not installed: run `apt-get install weasyprint` "
                          "(HTML and ODT work without it)");
    std::vector<PdfAttachment> named = attachments;
    for (auto& attachment : named) attachment.fileName = safeFileName(attachment.fileName);
    return PdfWorkerPool::shared().render(html, named);
}

} // namespace caseflow::render
