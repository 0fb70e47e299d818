// GET /api/v1/payments/accounting.csv?year=Y (issue 17): the year's payments as the accounting
// books them, for finance and the coordinator. What must stay true: the rows are
// views::accountingRows, the same as `caseflow payments export-accounting`, so both front ends
// give the same file; the year is required (the sum of a year is what the envelope reports);
// the read is recorded against every situation listed before the file leaves.
#include "service/Endpoints.h"
#include "service/Problem.h"
#include "service/RequestContext.h"
#include "views/FinanceViews.h"

namespace caseflow::service {

void exportAccounting(RequestContext& context) {
    const auto yearText = context.queryValue("year");
    if (!yearText)
        throw ProblemException(Problem(ProblemKind::BadRequest, "Give the year of the accounting export: ?year=2026.")
                                   .extension("field", "year"));
    const int year = yearParameter(*yearText, "year");
    FundingProcess& process = context.process();
    // The accounting's language is the network's, whoever downloads the file.
    const std::string language = views::networkLanguage(process.network());
    const auto rows = views::accountingRows(process, year, language);
    context.state.readLog.record(context.caller(), views::situationIdsOf(rows), "accounting-export");
    context.response.set("Content-Disposition", "attachment; filename=\"accounting-" + std::to_string(year) + ".csv\"");
    context.send(200, "text/csv; charset=utf-8; header=present", views::accountingCsv(rows, language));
}

} // namespace caseflow::service
