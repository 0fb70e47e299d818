// The steering committee's report as a file: the anonymised figures of process/ as CSV or
// XML, or rendered through templates/committee-report.xhtml as HTML, PDF/A or ODT. The CLI
// (`caseflow report committee`) and the HTTP service (GET /api/v1/reports/committee) both
// come here, so the two can never publish different figures.
#pragma once

#include "model/NetworkSettings.h"
#include "process/CommitteeReport.h"

#include <string>
#include <vector>

namespace caseflow::render {

struct CommitteeReportFile {
    std::string content;
    std::string contentType; // "text/csv; charset=utf-8", "application/pdf", ...
    std::string fileName;    // e.g. "committee-report-2026.fr+nl.pdf"
};

// csv, xml, html, pdf, odt.
const std::vector<std::string>& committeeReportFormats();

// `language` (fr, nl, fr+nl, nl+fr) matters for html, pdf and odt. Counts below `threshold`
// are suppressed when `publish`. Throws UsageError for an unknown format, MissingTool when
// PDF is asked for and WeasyPrint is not installed.
CommitteeReportFile committeeReportFile(const CommitteeFigures& figures, int threshold, bool publish,
                                        const std::string& format, const std::string& language,
                                        const NetworkSettings& network);

} // namespace caseflow::render
