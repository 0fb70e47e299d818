// Asking for the steering committee's report (R4, R15, R18, R19): the one use case behind
// `caseflow report committee` and GET /api/v1/reports/committee. What must stay true: the
// role is judged by the authorisation matrix (process/Authorisation.h) before any figure is
// computed, and a report nobody asked for by name is refused, so that leaving out who asks
// never passes for the coordinator; the front ends only render what this returns.
#pragma once

#include "model/Date.h"
#include "process/Actor.h"
#include "process/CommitteeReport.h"

#include <optional>

namespace caseflow {

class FundingProcess;

struct CommitteeReportRequest {
    int year = 0;
    Date asOf;
    std::optional<Actor> askedBy; // who asks; nobody (nullopt) is refused
    std::optional<int> threshold; // suppress counts below it; default: the network's
    bool internal = false;        // no suppression: for the askers' own use, never published
};

// The figures to render, and how: the threshold and whether small counts are suppressed.
struct CommitteeReportFigures {
    CommitteeFigures figures;
    int threshold = 0;
    bool publish = true;
};

// Throws UsageError for an asker the matrix refuses (or none) and for a threshold below 1,
// NotFound when no situation was registered in the year.
CommitteeReportFigures committeeReport(FundingProcess& process, const CommitteeReportRequest& request);

} // namespace caseflow
