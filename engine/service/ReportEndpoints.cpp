// The steering committee's report over HTTP: the same published figures as
// `caseflow report committee`, small counts suppressed, for the coordinator and the
// committee only (the authorisation matrix refuses every other role before this runs).
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
    RenderedDocument report;
    try {
        report = Documents::committeeReport(context.process(), year, language, format);
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
