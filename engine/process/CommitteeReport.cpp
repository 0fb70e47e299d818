// Computing the committee's figures. Dates come from the situation documents (the days
// the things happened), never from the log's recording times, which only say when data
// was typed in.
#include "process/CommitteeReport.h"

#include "model/Situation.h"
#include "process/EventPayload.h"
#include "process/FundingProcess.h"
#include "xml/Xml.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace caseflow {
namespace {

std::optional<Date> dateAt(xml::XPath& xpath, const std::string& expression, xmlNode* context = nullptr) {
    return Date::parse(xpath.string(expression, context));
}

Cents centsOf(const std::optional<std::string>& text) {
    return text ? parseCents(*text).value_or(0) : 0;
}

// Nearest-rank percentile over sorted samples.
double percentile(const std::vector<int>& sorted, double fraction) {
    const auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
    return sorted[std::min(sorted.size(), std::max<std::size_t>(rank, 1)) - 1];
}

double median(const std::vector<int>& sorted) {
    const auto n = sorted.size();
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

struct DelayCollector {
    std::string from, to;
    std::vector<int> days;
    void add(const std::optional<Date>& start, const std::optional<Date>& end) {
        if (start && end && *end >= *start) days.push_back(daysBetween(*start, *end));
    }
    DelayFigure figure() {
        std::sort(days.begin(), days.end());
        DelayFigure result{from, to, static_cast<int>(days.size()), std::nullopt, std::nullopt};
        if (!days.empty()) {
            result.median = median(days);
            result.p90 = percentile(days, 0.9);
        }
        return result;
    }
};

std::string displayCount(int count, int threshold, bool publish) {
    if (publish && count > 0 && count < threshold) return "< " + std::to_string(threshold);
    return std::to_string(count);
}

std::string countAttributes(int count, int threshold, bool publish) {
    const bool suppressed = publish && count > 0 && count < threshold;
    std::ostringstream out;
    // The raw count is left out entirely when suppressed, so no format can leak it.
    if (!suppressed) out << " count=\"" << count << "\"";
    out << " display=\"" << (suppressed ? "&lt; " + std::to_string(threshold) : std::to_string(count)) << "\"";
    out << " suppressed=\"" << (suppressed ? "true" : "false") << "\"";
    return out.str();
}

// The business date on which the care plan was first validated: the day of the first event
// after which the situation was in plan-validated (the signature's own time is when the
// pedopsychiatrist signed, which may be a later day than the one the network records).
std::optional<Date> firstValidation(const FundingProcess& process, std::int64_t situationId) {
    for (const auto& event : process.history(situationId)) {
        const auto payload = EventPayload::parse(event.payload);
        if (!payload.outcome.activeStates.contains("plan-validated")) continue;
        if (auto date = Date::parse(payload.outcome.today)) return date;
        return Date::parse(event.recordedAt.substr(0, 10)); // stored before business dates were
    }
    return std::nullopt;
}

} // namespace

std::string phaseOfState(const workflow::StateChart& chart, const std::string& state) {
    const std::string phase = chart.phaseOf(state);
    return phase.empty() ? "other" : phase;
}

CommitteeFigures computeCommitteeFigures(FundingProcess& process, int year, const Date& asOf) {
    CommitteeFigures figures;
    figures.year = year;
    figures.asOf = asOf.iso();
    figures.networkLabelFr = process.network().label("fr");
    figures.networkLabelNl = process.network().label("nl");
    figures.pilotTarget = process.network().pilotSituations();
    figures.envelope = process.network().envelope(year).value_or(0);
    for (int category = 1; category <= 6; ++category) figures.perCategory[category] = 0;

    DelayCollector toConcertation{"registration", "concertation", {}};
    DelayCollector toValidation{"concertation", "plan-validated", {}};
    DelayCollector toDecision{"submission", "decision", {}};
    DelayCollector toPayment{"approval", "first-payment", {}};
    std::map<int, Cents> committedInMonth, paidInMonth;
    Cents committedToDate = 0; // decided on or before asOf: the pace the forecast extrapolates
    std::map<std::string, int> caseloadByManager;

    for (const SituationRecord& record : process.situations()) {
        Situation situation = Situation::fromStored(record.document);
        const auto opened = situation.openedOn();
        if (!opened || opened->year() != year) continue;
        ++figures.situations;
        const std::string phase = phaseOfState(process.chart(), record.state);
        if (phase == "redirected") {
            // The reason is the state's id without the phase's prefix (redirected-emergency: emergency).
            const std::string prefix = phase + "-";
            const bool prefixed = record.state.rfind(prefix, 0) == 0;
            ++figures.redirected[prefixed ? record.state.substr(prefix.size()) : record.state];
            continue;
        }
        ++figures.perPhase[phase];
        if (record.category) ++figures.perCategory[*record.category];

        xml::XPath xpath(situation.document());
        toConcertation.add(opened, dateAt(xpath, "string(/situation/concertations/concertation[1]/@date)"));
        toValidation.add(dateAt(xpath, "string(/situation/concertations/concertation[1]/@date)"),
                         firstValidation(process, record.id));
        for (xmlNode* decision : xpath.nodes("/situation/budgetDecisions/budgetDecision")) {
            const std::string outcome = xml::attribute(decision, "outcome").value_or("");
            const auto decided = Date::parse(xml::attribute(decision, "date").value_or(""));
            if (!decided || decided->year() != year) continue;
            const std::string request = xml::attribute(decision, "request").value_or("");
            const std::string requestPath = "/situation/fundingRequests/fundingRequest[@id = '" + request + "']";
            toDecision.add(dateAt(xpath, "string(" + requestPath + "/@date)"), decided);
            if (outcome == "returned") ++figures.returns;
            if (outcome == "rejected") ++figures.rejections;
            if (outcome != "approved") continue;
            ++figures.approvals;
            const Cents amount = centsOf(xml::attribute(decision, "amount"));
            committedInMonth[static_cast<int>(decided->month())] += amount;
            if (!(asOf < *decided)) committedToDate += amount;
            for (xmlNode* line : xpath.nodes(requestPath + "/line"))
                figures.approvedByExpenseCategory[xml::attribute(line, "category").value_or("")] +=
                    centsOf(xml::attribute(line, "amount"));
            toPayment.add(
                decided, dateAt(xpath, "string((/situation/payments/payment[@request = '" + request + "'])[1]/@date)"));
        }
        if (phase != "closed") {
            // Only a count per case manager leaves this function; the key never does.
            const std::string manager =
                xpath.string("string(/situation/concertations/concertation[last()]/caseManager/@partner)");
            if (!manager.empty()) {
                const std::string contact =
                    xpath.string("string(/situation/partners/partner[@id = '" + manager + "']/contact)");
                ++caseloadByManager[contact.empty() ? manager + "@" + std::to_string(record.id) : contact];
            }
        }
    }

    const auto submitted = process.submittedInYear(year);
    figures.requestsSubmitted = submitted.count;
    figures.requested = submitted.requestedCents;
    figures.approved = submitted.approvedCents;
    // Payments count in the year of their own date, whichever situation or request they pay:
    // the rule the envelope and the payments export apply too (store::FinanceRepository).
    for (const PaymentRecord& payment : process.payments(year)) {
        if (const auto paidOn = Date::parse(payment.paidOn))
            paidInMonth[static_cast<int>(paidOn->month())] += payment.amount;
        figures.paid += payment.amount;
    }

    Cents committed = 0, paid = 0;
    for (int month = 1; month <= 12; ++month) {
        committed += committedInMonth[month];
        paid += paidInMonth[month];
        figures.months.push_back({month, committed, paid});
    }
    // R18: commitments at the pace so far, projected over the year, so under-spending shows
    // early; the same projection as the envelope endpoint's forecast.
    figures.forecast = projectedAtPace(committedToDate, yearProgress(year, asOf));

    figures.delays = {toConcertation.figure(), toValidation.figure(), toDecision.figure(), toPayment.figure()};

    for (const auto& deadline : process.due(asOf.addDays(30))) {
        if (deadline.event != "followup.due" && deadline.event != "review.due") continue;
        if (deadline.due < asOf.iso())
            ++figures.followUpsOverdue;
        else
            ++figures.followUpsDue;
    }
    for (const auto& [manager, count] : caseloadByManager) figures.caseloads.push_back(count);
    std::sort(figures.caseloads.rbegin(), figures.caseloads.rend());

    int covered = 0;
    for (const auto& [category, count] : figures.perCategory) covered += count > 0 ? 1 : 0;
    figures.coverageMet = covered == 6;
    return figures;
}

std::string committeeFiguresXml(const CommitteeFigures& f, int threshold, bool publish) {
    std::ostringstream out;
    out << "<committeeReport year=\"" << f.year << "\" asOf=\"" << f.asOf << "\" threshold=\"" << threshold
        << "\" published=\"" << (publish ? "true" : "false") << "\" empty=\"" << (f.empty() ? "true" : "false")
        << "\">";
    out << "<network><label lang=\"fr\">" << xml::escaped(f.networkLabelFr) << "</label><label lang=\"nl\">"
        << xml::escaped(f.networkLabelNl) << "</label></network>";
    out << "<situations" << countAttributes(f.situations, threshold, publish) << " pilotTarget=\"" << f.pilotTarget
        << "\"/>";
    out << "<coverage met=\"" << (f.coverageMet ? "true" : "false") << "\">";
    for (const auto& [category, count] : f.perCategory)
        out << "<category number=\"" << category << "\"" << countAttributes(count, threshold, publish) << "/>";
    out << "</coverage><phases>";
    for (const char* phase :
         {"youth-in-distress", "concertation-request", "concertation", "care-plan", "financial-need", "request-dossier",
          "budget-check", "payment", "follow-up", "closed", "other"}) {
        auto found = f.perPhase.find(phase);
        const int count = found == f.perPhase.end() ? 0 : found->second;
        if (count == 0 && std::string(phase) == "other") continue;
        out << "<phase id=\"" << phase << "\"" << countAttributes(count, threshold, publish) << "/>";
    }
    out << "</phases><redirected>";
    for (const auto& [reason, count] : f.redirected)
        out << "<reason id=\"" << xml::escaped(reason) << "\"" << countAttributes(count, threshold, publish) << "/>";
    out << "</redirected><requests>";
    out << "<submitted" << countAttributes(f.requestsSubmitted, threshold, publish) << "/>";
    out << "<approved" << countAttributes(f.approvals, threshold, publish) << "/>";
    out << "<returned" << countAttributes(f.returns, threshold, publish) << "/>";
    out << "<rejected" << countAttributes(f.rejections, threshold, publish) << "/>";
    out << "<amounts requestedCents=\"" << f.requested << "\" approvedCents=\"" << f.approved << "\" paidCents=\""
        << f.paid << "\"/></requests><expenseCategories>";
    for (const auto& [category, cents] : f.approvedByExpenseCategory)
        out << "<category id=\"" << xml::escaped(category) << "\" approvedCents=\"" << cents << "\"/>";
    out << "</expenseCategories><envelope amountCents=\"" << f.envelope << "\" forecastCents=\"" << f.forecast << "\">";
    for (const auto& month : f.months)
        out << "<month number=\"" << month.month << "\" committedCents=\"" << month.committedCumulative
            << "\" paidCents=\"" << month.paidCumulative << "\"/>";
    out << "</envelope><delays>";
    for (const auto& delay : f.delays) {
        out << "<delay from=\"" << delay.from << "\" to=\"" << delay.to << "\""
            << countAttributes(delay.samples, threshold, publish);
        // A median over fewer samples than the threshold would describe individual cases.
        if (delay.median && !(publish && delay.samples < threshold))
            out << " medianDays=\"" << *delay.median << "\" p90Days=\"" << *delay.p90 << "\"";
        out << "/>";
    }
    out << "</delays><followUps><due" << countAttributes(f.followUpsDue, threshold, publish) << "/><overdue"
        << countAttributes(f.followUpsOverdue, threshold, publish) << "/></followUps><caseloads>";
    int rank = 0;
    for (int count : f.caseloads)
        out << "<caseManager rank=\"" << ++rank << "\"" << countAttributes(count, threshold, publish) << "/>";
    out << "</caseloads></committeeReport>";
    return out.str();
}

std::string committeeFiguresCsv(const CommitteeFigures& f, int threshold, bool publish) {
    std::ostringstream out;
    out << "section,key,value\n";
    auto row = [&](const std::string& section, const std::string& key, const std::string& value) {
        out << section << "," << key << "," << value << "\n";
    };
    auto count = [&](const std::string& section, const std::string& key, int value) {
        row(section, key, displayCount(value, threshold, publish));
    };
    row("report", "year", std::to_string(f.year));
    row("report", "as_of", f.asOf);
    count("situations", "registered", f.situations);
    row("situations", "pilot_target", std::to_string(f.pilotTarget));
    row("coverage_r4", "met", f.coverageMet ? "yes" : "no");
    for (const auto& [category, value] : f.perCategory) count("category", std::to_string(category), value);
    for (const auto& [phase, value] : f.perPhase) count("phase", phase, value);
    for (const auto& [reason, value] : f.redirected) count("redirected", reason, value);
    count("requests", "submitted", f.requestsSubmitted);
    count("requests", "approved", f.approvals);
    count("requests", "returned", f.returns);
    count("requests", "rejected", f.rejections);
    row("amounts_cents", "requested", std::to_string(f.requested));
    row("amounts_cents", "approved", std::to_string(f.approved));
    row("amounts_cents", "paid", std::to_string(f.paid));
    for (const auto& [category, cents] : f.approvedByExpenseCategory)
        row("expense_category_cents", category, std::to_string(cents));
    row("envelope_cents", "amount", std::to_string(f.envelope));
    row("envelope_cents", "forecast", std::to_string(f.forecast));
    for (const auto& month : f.months) {
        row("envelope_committed_cents", std::to_string(month.month), std::to_string(month.committedCumulative));
        row("envelope_paid_cents", std::to_string(month.month), std::to_string(month.paidCumulative));
    }
    for (const auto& delay : f.delays) {
        const std::string key = delay.from + "_to_" + delay.to;
        count("delay_samples", key, delay.samples);
        const bool shown = delay.median && !(publish && delay.samples < threshold);
        std::ostringstream median, p90;
        if (shown) {
            median << *delay.median;
            p90 << *delay.p90;
        }
        row("delay_median_days", key, shown ? median.str() : "");
        row("delay_p90_days", key, shown ? p90.str() : "");
    }
    count("follow_ups", "due", f.followUpsDue);
    count("follow_ups", "overdue", f.followUpsOverdue);
    int rank = 0;
    for (int load : f.caseloads) count("caseload", "case_manager_" + std::to_string(++rank), load);
    return out.str();
}

} // namespace caseflow
