// The one switch between the HTTP service and the documents module (engine/render): which
// documents exist and how one is rendered. What must stay true: the service reaches the
// documents module only through these functions, so replacing it changes this file and
// nothing else. A format whose tool is missing answers 503 documents-unavailable, after
// authentication and authorisation.
#pragma once

#include "core/Errors.h"
#include "process/CommitteeReporting.h"
#include "process/FundingProcess.h"

#include <string>
#include <vector>

namespace caseflow::service {

struct RenderedDocument {
    std::string contentType; // "text/html; charset=utf-8", "application/pdf", ...
    std::string fileName;    // suggested, e.g. "KIR-26-003_care-plan_fr+nl.pdf"
    std::string body;
};

// A format whose external tool is not installed on this server (PDF without WeasyPrint).
class DocumentToolMissing : public Error {
public:
    using Error::Error;
};

class Documents {
public:
    // The document names the renderer knows ("concertation-request", "care-plan"...).
    static std::vector<std::string> names();
    // The languages a document comes in: fr, nl, and the bilingual fr+nl, nl+fr.
    static std::vector<std::string> languages();
    // Renders `name` (an `item` such as a request id, or "" for the latest) for situation
    // `id` in `language` and `format` ("html", "pdf", "odt"). Throws NotFound when the
    // document does not apply to the situation yet, DocumentToolMissing when the format's
    // tool is not installed. `financeView` renders finance's copy (render/FinanceDocumentView.h).
    static RenderedDocument render(FundingProcess& process, std::int64_t id, const std::string& name,
                                   const std::string& item, const std::string& language, const std::string& format,
                                   bool financeView = false);
    // Whether finance may read `name` in its view (budget-decision, payment-notice; R19).
    static bool financeMayRead(const std::string& name);
    // The steering committee's report as process/CommitteeReporting.h prepared it, in `format`
    // (csv, xml, html, pdf, odt). Throws DocumentToolMissing as render() does.
    static RenderedDocument committeeReport(const CommitteeReportFigures& report, const NetworkSettings& network,
                                            const std::string& language, const std::string& format);
};

} // namespace caseflow::service
