// The steering committee's page (/committee, FinancePages.h): the anonymised report for a
// chosen year and date, in French or Dutch (the user's language first), as HTML with its
// charts or as PDF. What must stay true: the report is the one use case behind `caseflow report
// committee` and the API's (process/CommitteeReporting.h, with the signed-in user as the asker,
// so the matrix is asked twice), rendered by the same documents (service/Documents.h): published
// figures, small counts suppressed, no name and no clinical text (R19).
#include "web/FinancePages.h"

#include "model/Date.h"
#include "process/Authorisation.h"
#include "process/CommitteeReporting.h"
#include "process/FundingProcess.h"
#include "service/Documents.h"

namespace caseflow::web {
namespace {

// The `web` catalog in the user's language; scripts/extract-web-messages.py finds the calls.
std::string t(const std::string& msgid, const FormRequest& request) {
    return request.translate(msgid);
}

struct ReportChoice {
    int year = 0;
    Date asOf;
    std::string language; // fr or nl: the report exists in these two
};

// The year, date and language asked in the query, or today's in the user's language.
ReportChoice choiceOf(const FormRequest& request) {
    ReportChoice choice{Date::today().year(), Date::today(), request.language() == "nl" ? "nl" : "fr"};
    const std::string year = request.queryValue("year"), asOf = request.queryValue("asOf");
    const std::string language = request.queryValue("lang");
    if (!year.empty()) {
        if (year.size() != 4 || year.find_first_not_of("0123456789") != std::string::npos)
            throw PageRefused(400, t("The year is four digits, for example 2026.", request));
        choice.year = std::stoi(year);
    }
    if (!asOf.empty()) {
        const auto date = Date::parse(asOf);
        if (!date) throw PageRefused(400, t("Give a date as YYYY-MM-DD (a real day).", request));
        choice.asOf = *date;
    }
    if (language == "fr" || language == "nl")
        choice.language = language;
    else if (!language.empty())
        throw PageRefused(400, t("The report exists in French and in Dutch.", request));
    return choice;
}

} // namespace

void committeePage(FormRequest& request) {
    requireOperation(request, static_cast<int>(Operation::ReadCommitteeReport));
    const ReportChoice choice = choiceOf(request);
    PageModel model;
    request.beginModel(model, "committee");
    model.leaf("report", {{"year", std::to_string(choice.year)},
                          {"asOf", choice.asOf.iso()},
                          {"lang", choice.language},
                          {"query", "year=" + std::to_string(choice.year) + "&asOf=" + choice.asOf.iso() +
                                        "&lang=" + choice.language}});
    request.sendPage(200, "committee", model);
}

void committeeReportDocument(FormRequest& request, const SendFile& sendFile) {
    requireOperation(request, static_cast<int>(Operation::ReadCommitteeReport));
    const ReportChoice choice = choiceOf(request);
    const std::string format = request.queryValue("format").empty() ? "html" : request.queryValue("format");
    if (format != "html" && format != "pdf") throw PageRefused(400, t("The report is shown as HTML or PDF.", request));
    CommitteeReportRequest asked;
    asked.year = choice.year;
    asked.asOf = choice.asOf;
    asked.askedBy = request.actor();
    service::RenderedDocument report;
    try {
        FundingProcess& process = request.process();
        report = service::Documents::committeeReport(committeeReport(process, asked), process.network(),
                                                     choice.language, format);
    } catch (const NotFound&) {
        throw PageRefused(404, t("No situation was registered in that year: there is nothing to "
                                 "report.",
                                 request));
    } catch (const service::DocumentToolMissing&) {
        throw PageRefused(503, t("PDF documents cannot be made on this server; open the HTML "
                                 "report instead.",
                                 request));
    }
    // The report's HTML carries its print stylesheet and its charts inline and no script: the
    // document policy allows that style and nothing else, as for the situations' documents.
    sendFile({report.contentType, "inline; filename=\"" + report.fileName + "\"",
              format == "html" ? "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors "
                                 "'none'; form-action 'none'; base-uri 'none'"
                               : "",
              report.body});
}

} // namespace caseflow::web
