// PDF/A-3b through WeasyPrint (Debian's `weasyprint`), run by a long-lived worker process
// (render/PdfWorker.h, scripts/weasyprint-worker.py) without a shell, with files attached
// inside the PDF (the document's own data and its signed element, see DocumentRenderer:
// never the whole situation). What must stay true: WeasyPrint missing is a
// MissingTool error that says how to install it, never a crash; WeasyPrint failing reports
// its own message; temporary files are removed whatever happens.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace caseflow::render {

struct PdfAttachment {
    std::string fileName; // as shown in the PDF viewer's attachment list
    std::string content;
    std::string description;
};

// The WeasyPrint executable: $CASEFLOW_WEASYPRINT, else `weasyprint` on the PATH.
std::optional<std::filesystem::path> findWeasyPrint();

// Renders self-contained HTML (inline CSS, nothing fetched) to PDF/A-3b bytes, through the
// process-wide worker pool (PdfWorkerPool::shared()).
std::string htmlToPdf(const std::string& html, const std::vector<PdfAttachment>& attachments);

} // namespace caseflow::render
