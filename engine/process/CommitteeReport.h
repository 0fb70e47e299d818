// The steering committee's figures (R4, R15, R18, R19): counts and amounts aggregated over
// the network's situations for one year, computed from the event log replayed up to the
// report's date and the business dates in the situation documents. What must stay true:
// nothing here can identify a young person — no name, no reference, no birth date, no free
// text ever enters these structures; and when the figures are published, small counts and
// amounts drawn from few situations are suppressed, with complements so that no hidden cell
// can be recomputed from a total.
#pragma once

#include "model/Date.h"
#include "model/Money.h"
#include "process/FundingProcess.h"
#include "workflow/StateChart.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace caseflow {

struct DelayFigure {
    std::string from, to; // phase names, e.g. "concertation-requested" -> "concertation-held"
    int samples = 0;
    std::optional<double> median; // days
    std::optional<double> p90;    // days
};

struct MonthFigure {
    int month = 0; // 1..12
    Cents committedCumulative = 0;
    Cents paidCumulative = 0;
};

struct CommitteeFigures {
    int year = 0;
    std::string asOf; // ISO date of the report
    std::string networkLabelFr, networkLabelNl;
    int situations = 0;                    // registered in the year, redirected included
    int pilotTarget = 0;                   // R4
    std::map<int, int> perCategory;        // 1..6 -> situations in the pilot (not redirected)
    std::map<std::string, int> perPhase;   // phase -> situations
    std::map<std::string, int> redirected; // reason -> situations
    bool coverageMet = false;              // R4: every category has one
    int requestsSubmitted = 0, approvals = 0, returns = 0, rejections = 0;
    Cents requested = 0, approved = 0, paid = 0;
    int requestedFrom = 0, approvedFrom = 0, paidFrom = 0; // situations each amount is drawn from
    std::map<std::string, Cents>
        approvedByExpenseCategory;                  // expense category id -> requested lines of approved requests
    std::map<std::string, int> expenseCategoryFrom; // expense category id -> situations it is drawn from
    Cents envelope = 0;
    std::vector<MonthFigure> months; // 12 entries
    Cents forecast = 0;              // committed at the current pace, for the whole year
    UnderSpendingFigure underSpending;
    std::vector<DelayFigure> delays;
    int followUpsDue = 0, followUpsOverdue = 0;
    std::vector<int> caseloads; // open situations per case manager, largest first
    bool empty() const { return situations == 0; }
};

// The figures of `year` as they stood on `asOf`: only events whose business date is on or
// before it count (each situation as its log stood on that day). One scan of the log, the
// stored projections for situations with nothing dated after `asOf`, a replay for the others.
CommitteeFigures computeCommitteeFigures(FundingProcess& process, int year, const Date& asOf);
// The same figures the straightforward way, every situation's log replayed up to `asOf`: the
// reference computeCommitteeFigures is tested against.
CommitteeFigures committeeFiguresByReplay(FundingProcess& process, int year, const Date& asOf);

// The published cells hidden at `threshold`: those drawn from fewer situations (a count is
// drawn from itself, an amount from the situations it sums), and in each table whose total is
// shown, complements so that no hidden cell equals the total minus the visible ones. Keys:
// "situations", "category:N", "phase:ID", "redirected:REASON", "requests:submitted|approved|
// returned|rejected", "amount:requested|approved|paid", "expense:ID", "delay:I",
// "followUps:due|overdue", "caseload:RANK". Empty when not `publish`.
std::set<std::string> suppressedCells(const CommitteeFigures& figures, int threshold, bool publish);

// The figures as an XML document for the report template. Counts below `threshold` are
// written as the string "< threshold" (and flagged suppressed="true") when `publish`; a
// suppressed amount loses its NAMECents attribute for NAMESuppressed="true".
std::string committeeFiguresXml(const CommitteeFigures& figures, int threshold, bool publish);

// The same figures as CSV (section,key,value), suppression applied the same way.
std::string committeeFiguresCsv(const CommitteeFigures& figures, int threshold, bool publish);

// The phase a workflow state belongs to, as the chart declares it (<cf:phase>), "other" when none.
std::string phaseOfState(const workflow::StateChart& chart, const std::string& state);

} // namespace caseflow
