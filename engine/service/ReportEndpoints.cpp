// The steering committee's report over HTTP: the same use case as `caseflow report
// committee` (process/CommitteeReporting.h), published figures with small counts suppressed,
// for the coordinator and the committee only (the authorisation matrix refuses every other
// role before this runs, and the use case asks the same matrix again).
#include "service/Documents.h"
#include "service/Endpoints.h"
#include "service/Problem.h"
#include "service/RequestContext.h"

#include "model/Date.h"

namespace caseflow::service {

void getCommitteeReport(RequestContext& context) {
    const auto yearText = context.queryValue("year");
    const int year = yearText ? yearParameter(*yearText, "year") : Date::today().year();
    const std::string format = context.queryValue("format").value_or("html");
    if (format != "csv" && format != "xml" && format != "html" && format != "pdf" && format != "odt")
        throw ProblemException(Problem(ProblemKind::NotAcceptable, "format must be csv, xml, html, pdf or odt."));
    const std::string language = context.documentLanguage();
    CommitteeReportRequest request;
    request.year = year;
    request.asOf = Date::today();
    request.askedBy = context.caller().actor();
    RenderedDocument report;
    try {
        report = Documents::committeeReport(committeeReport(context.process(), request), context.process().network(),
                                            language, format);
    } catch (const DocumentToolMissing& missing) {
        throw ProblemException(Problem(ProblemKind::DocumentsUnavailable, "").literalDetail(missing.what()));
    } catch (const NotFound&) {
        throw ProblemException(
            Problem(ProblemKind::NotFound, "No situation was registered in {year}: there is nothing to report.")
                .arg("year", std::to_string(year)));
    }
    context.response.set("Content-Disposition", "inline; filename=\"" + report.fileName + "\"");
    context.send(200, report.contentType, report.body);
}

} // namespace caseflow::service
