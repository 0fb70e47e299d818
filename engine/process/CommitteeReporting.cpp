// The committee report's use case (see CommitteeReporting.h).
#include "process/CommitteeReporting.h"

#include "core/Errors.h"
#include "process/Authorisation.h"
#include "process/FundingProcess.h"

namespace caseflow {

CommitteeReportFigures committeeReport(FundingProcess& process, const CommitteeReportRequest& request) {
    // R19: the committee sees figures, and only the coordinator and the committee ask for them.
    if (!request.askedBy)
        throw UsageError("the committee report is for the coordinator and the committee: say who asks with "
                         "--as coordinator:NAME or --as committee:NAME");
    if (!permissionFor(request.askedBy->role, Operation::ReadCommitteeReport).allowed())
        throw UsageError("the committee report is for the coordinator and the committee, not for role '" +
                         request.askedBy->role + "'");
    CommitteeReportFigures report;
    report.threshold = request.threshold.value_or(process.network().smallCountThreshold());
    if (report.threshold < 1)
        throw UsageError("the small-count threshold must be at least 1, not " + std::to_string(report.threshold));
    report.publish = !request.internal;
    report.figures = computeCommitteeFigures(process, request.year, request.asOf);
    if (report.figures.empty())
        throw NotFound("no situation was registered in " + std::to_string(request.year) +
                       ": there is nothing to report");
    return report;
}

} // namespace caseflow
