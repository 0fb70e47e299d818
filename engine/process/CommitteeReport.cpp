// Computing the committee's figures. Dates come from the situation documents (the days
// the things happened), never from the log's recording times, which only say when data
// was typed in. The figures are those of the world on the report's date: each situation as
// its log stood on that day; and suppression is decided once (suppressedCells) so that every
// format hides the same cells.
//
// How the world on the date is found (issue 19: replaying 2 000 000 events per report took
// minutes): one scan of the log reads, per situation, only the business dates, the active
// states and which requests were submitted — without parsing payloads, except the few events
// that submit a dossier. A situation none of whose events is dated after the report's date
// stood then as it stands now: its stored document, state and pending deadlines are its state
// on the date, exactly what the replay would rebuild. Only the others (events dated later, or
// a payload the scan cannot read) are replayed; and of those taken as they stand, only the
// ones whose projections hold something of the report's year have their document parsed (the
// others only add to the deadline counts). committeeFiguresByReplay keeps the
// straightforward computation, every situation replayed, and the tests hold the two equal.
#include "process/CommitteeReport.h"

#include "model/Situation.h"
#include "process/EventPayload.h"
#include "process/FundingProcess.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "store/SituationRepository.h"
#include "xml/Xml.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <set>
#include <sstream>
#include <string_view>
#include <tuple>

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

// The business day of an event: the date its guards saw as $today, or the day it was
// recorded for events stored before business dates were.
std::optional<Date> businessDate(const store::StoredEvent& event, const EventPayload& payload) {
    if (auto date = Date::parse(payload.outcome.today)) return date;
    return Date::parse(event.recordedAt.substr(0, 10));
}

// One situation as the world stood on the report's date: its log replayed up to the last
// event whose business date is on or before that day, exactly as the projection would have
// folded those events (process/Projection.cpp). Nothing later leaks into a report as of a
// past date: not a decision, not a payment, not a phase.
struct SituationAsOf {
    std::int64_t id = 0;
    std::optional<int> category;
    std::string state;
    std::optional<Situation> situation; // absent when registered after the date
    std::set<std::string> submittedRequests;
    std::map<std::string, Deadline> pendingDeadlines; // by send id
    std::optional<Date> firstValidation;              // the first day the situation was in plan-validated
    // Taken as it stands now, and with nothing of the report's year in its projections (not
    // opened in it, no request, decision or payment dated in it): only its deadlines count,
    // and its document is not read.
    bool deadlinesOnly = false;
};

SituationAsOf replayUpTo(const FundingProcess& process, const SituationRecord& record, const Date& asOf) {
    SituationAsOf result;
    result.id = record.id;
    result.category = record.category;
    for (const auto& event : process.history(record.id)) {
        const EventPayload payload = EventPayload::parse(event.payload);
        const auto day = businessDate(event, payload);
        // A prefix of the log, never a selection: the state after it is one the situation was
        // really in, even if an event was entered later with an earlier business date.
        if (day && asOf < *day) break;
        xmlNode* data = payload.dataElement();
        if (event.sequence == 1) {
            if (!data) break;
            result.situation = Situation::fromStored(xml::serializeNode(data));
        } else if (result.situation && data) {
            result.situation->apply(data);
            if (xml::name(data) == "fundingRequest" && process.chart().submitsDossier(event.type))
                result.submittedRequests.insert(xml::attribute(data, "id").value_or(""));
        }
        result.state = payload.outcome.activeStates.text();
        if (!result.firstValidation && payload.outcome.activeStates.contains("plan-validated"))
            result.firstValidation = day;
        const auto& outcome = payload.outcome;
        if (outcome.firedDeadline) result.pendingDeadlines.erase(*outcome.firedDeadline);
        for (const auto& cancelled : outcome.cancelled) result.pendingDeadlines.erase(cancelled);
        for (const auto& deadline : outcome.deadlines) result.pendingDeadlines[deadline.sendId] = deadline;
        if (outcome.finished) result.pendingDeadlines.clear();
    }
    return result;
}

// What the scan of the log keeps of one situation's events.
struct ScannedSituation {
    bool seen = false;
    bool replay = false; // an event dated after the report's date, or one the scan cannot read
    std::optional<Date> firstValidation;
    std::set<std::string> submittedRequests;
};

// The value of attribute `name` in the start tag `tag` ("" when absent). Attribute values are
// escaped by the payload's writer (EventPayload::toXml), so a quote ends the value.
std::optional<std::string_view> attributeIn(std::string_view tag, std::string_view name) {
    const std::string pattern = " " + std::string(name) + "=\"";
    const auto start = tag.find(pattern);
    if (start == std::string_view::npos) return std::nullopt;
    const auto from = start + pattern.size();
    const auto end = tag.find('"', from);
    if (end == std::string_view::npos) return std::nullopt;
    return tag.substr(from, end - from);
}

bool containsWord(std::string_view words, std::string_view word) {
    std::size_t position = 0;
    while (position < words.size()) {
        auto end = words.find(' ', position);
        if (end == std::string_view::npos) end = words.size();
        if (words.substr(position, end - position) == word) return true;
        position = end + 1;
    }
    return false;
}

// One pass over the situations' events in log order (each situation's in sequence order), the
// payloads read in place: the facts replayUpTo derives, for the situations it need not replay.
std::map<std::int64_t, ScannedSituation> scanLog(FundingProcess& process, const Date& asOf) {
    std::map<std::int64_t, ScannedSituation> scanned;
    store::EventStore(process.database()).forEachSituationEventGlance([&](const store::EventStore::EventGlance& event) {
        ScannedSituation& situation = scanned[event.situationId];
        situation.seen = true;
        if (situation.replay) return;
        const std::int64_t sequence = event.sequence;
        const std::string_view payload = event.payload;
        // The outcome is the payload's last element, after the data: its start tag holds the
        // business date and the active states.
        const auto outcomeAt = payload.rfind("<outcome ");
        const auto tagEnd = outcomeAt == std::string_view::npos ? outcomeAt : payload.find('>', outcomeAt);
        const auto active = tagEnd == std::string_view::npos
                                ? std::nullopt
                                : attributeIn(payload.substr(outcomeAt, tagEnd - outcomeAt), "active");
        if (!active) {
            situation.replay = true;
            return;
        }
        const std::string_view tag = payload.substr(outcomeAt, tagEnd - outcomeAt);
        // businessDate(): the outcome's day, or the day it was recorded.
        std::optional<Date> day;
        if (const auto today = attributeIn(tag, "today")) day = Date::parse(*today);
        if (!day) day = Date::parse(event.recordedAt.substr(0, 10));
        if (day && asOf < *day) {
            situation.replay = true;
            return;
        }
        if (!situation.firstValidation && containsWord(*active, "plan-validated")) situation.firstValidation = day;
        const std::string type(event.type);
        if (sequence > 1 && process.chart().submitsDossier(type)) {
            // The few events that submit a dossier are parsed, as the replay reads them.
            const EventPayload parsed = EventPayload::parse(std::string(payload));
            xmlNode* data = parsed.dataElement();
            if (data && xml::name(data) == "fundingRequest")
                situation.submittedRequests.insert(xml::attribute(data, "id").value_or(""));
        }
    });
    return scanned;
}

// Hands each situation of the world on a date to a visitor, one at a time, so that no more than
// one situation's document is held parsed at once (at 100 000 situations, all of them would not
// fit in memory).
using SituationVisitor = std::function<void(const SituationAsOf&)>;
using World = std::function<void(const SituationVisitor&)>;

// The world on `asOf`: each situation as replayUpTo would give it, taken from the stored
// projections when nothing in its log is dated after `asOf`.
void visitWorldOn(FundingProcess& process, int year, const Date& asOf, const SituationVisitor& visit) {
    store::Database& db = process.database();
    auto scanned = scanLog(process, asOf);
    const std::set<std::int64_t> touching = store::SituationRepository(db).touchingYear(year);
    std::map<std::int64_t, std::map<std::string, Deadline>> pending; // situation -> send id -> deadline
    for (auto& row : store::DeadlineRepository(db).pendingUntil("9999-12-31"))
        pending[row.situationId][row.sendId] = Deadline{row.sendId, std::move(row.event), std::move(row.due)};
    // Ids, states and categories only: the documents are read one by one, when needed.
    // The ids first: the visitor reads the database too, which a statement kept stepping would not allow.
    for (auto& [id, state, category] : store::SituationRepository(db).glances()) {
        const auto found = scanned.find(id);
        if (found == scanned.end() || !found->second.seen || found->second.replay) {
            const SituationAsOf replayed = replayUpTo(process, process.situation(id), asOf);
            if (replayed.situation) visit(replayed);
            continue;
        }
        SituationAsOf now;
        now.id = id;
        now.category = category;
        now.state = std::move(state);
        now.submittedRequests = std::move(found->second.submittedRequests);
        now.firstValidation = found->second.firstValidation;
        if (const auto deadlines = pending.find(id); deadlines != pending.end())
            now.pendingDeadlines = std::move(deadlines->second);
        if (touching.contains(id))
            now.situation = Situation::fromStored(process.situation(id).document);
        else
            now.deadlinesOnly = true;
        visit(now);
    }
}

// The figures of a world on the date, however it was found.
CommitteeFigures figuresOf(FundingProcess& process, int year, const Date& asOf, const World& world);

} // namespace

std::string phaseOfState(const workflow::StateChart& chart, const std::string& state) {
    const std::string phase = chart.phaseOf(state);
    return phase.empty() ? "other" : phase;
}

CommitteeFigures computeCommitteeFigures(FundingProcess& process, int year, const Date& asOf) {
    return figuresOf(process, year, asOf,
                     [&](const SituationVisitor& visit) { visitWorldOn(process, year, asOf, visit); });
}

CommitteeFigures committeeFiguresByReplay(FundingProcess& process, int year, const Date& asOf) {
    return figuresOf(process, year, asOf, [&](const SituationVisitor& visit) {
        for (const SituationRecord& record : process.situations()) {
            const SituationAsOf replayed = replayUpTo(process, record, asOf);
            if (replayed.situation) visit(replayed);
        }
    });
}

namespace {

CommitteeFigures figuresOf(FundingProcess& process, int year, const Date& asOf, const World& world) {
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

    std::set<std::int64_t> requestedFrom, approvedFrom, paidFrom;
    std::map<std::string, std::set<std::int64_t>> expenseCategoryFrom;
    const std::string horizon = asOf.addDays(30).iso();
    world([&](const SituationAsOf& then) {
        // Deadlines of every situation, as the deadline list shows them on the date.
        for (const auto& [sendId, deadline] : then.pendingDeadlines) {
            if (deadline.event != "followup.due" && deadline.event != "review.due") continue;
            if (deadline.due < asOf.iso())
                ++figures.followUpsOverdue;
            else if (deadline.due <= horizon)
                ++figures.followUpsDue;
        }
        if (then.deadlinesOnly) return;
        const Situation& situation = *then.situation;
        xml::XPath xpath(situation.document());
        // Requests and payments count in the year of their own dates, whichever year the
        // situation was registered in: the rule of store::FinanceRepository, applied to the log
        // as it stood on the date.
        for (const std::string& request : then.submittedRequests) {
            const std::string requestPath = "/situation/fundingRequests/fundingRequest[@id = '" + request + "']";
            const auto date = dateAt(xpath, "string(" + requestPath + "/@date)");
            if (!date || date->year() != year) continue;
            ++figures.requestsSubmitted;
            requestedFrom.insert(then.id);
            for (xmlNode* line : xpath.nodes(requestPath + "/line"))
                figures.requested += centsOf(xml::attribute(line, "amount"));
        }
        // Approvals count in the envelope R18's one rule gives them (NetworkSettings::
        // commitmentYear), whichever year the situation was registered in, as the guard and the
        // finance tables count them.
        for (xmlNode* decision : xpath.nodes("/situation/budgetDecisions/budgetDecision[@outcome = 'approved']")) {
            const std::string request = xml::attribute(decision, "request").value_or("");
            const std::string requestPath = "/situation/fundingRequests/fundingRequest[@id = '" + request + "']";
            const std::string decidedOn = xml::attribute(decision, "date").value_or("");
            const auto decided = Date::parse(decidedOn);
            const auto committedYear =
                process.network().commitmentYear(xpath.string("string(" + requestPath + "/@date)"), decidedOn);
            if (!decided || committedYear != year) continue;
            ++figures.approvals;
            Cents amount = centsOf(xml::attribute(decision, "amount"));
            // A closed grant (grant.closed, or its situation closed) commits what was paid, the
            // rule of store::FinanceRepository::closeRequest, read here from the replayed document.
            const bool closed =
                !xpath
                     .nodes("/situation/closure | /situation/fundingClosures/fundingClosure[@outcome = 'closed' and "
                            "@request = '" +
                            request + "']")
                     .empty();
            if (closed) {
                amount = 0;
                for (xmlNode* payment : xpath.nodes("/situation/payments/payment[@request = '" + request + "']"))
                    amount += centsOf(xml::attribute(payment, "amount"));
            }
            figures.approved += amount;
            approvedFrom.insert(then.id);
            // The curve runs over the envelope's year: a decision of another year (request-date
            // rule) sits at the year's edge it crossed.
            const int month = decided->year() == year  ? static_cast<int>(decided->month())
                              : decided->year() < year ? 1
                                                       : 12;
            committedInMonth[month] += amount;
            committedToDate += amount;
            for (xmlNode* line : xpath.nodes(requestPath + "/line")) {
                const std::string category = xml::attribute(line, "category").value_or("");
                figures.approvedByExpenseCategory[category] += centsOf(xml::attribute(line, "amount"));
                expenseCategoryFrom[category].insert(then.id);
            }
        }
        for (xmlNode* payment : xpath.nodes("/situation/payments/payment")) {
            const auto paidOn = Date::parse(xml::attribute(payment, "date").value_or(""));
            if (!paidOn || paidOn->year() != year) continue;
            const Cents amount = centsOf(xml::attribute(payment, "amount"));
            paidInMonth[static_cast<int>(paidOn->month())] += amount;
            figures.paid += amount;
            paidFrom.insert(then.id);
        }

        const auto opened = situation.openedOn();
        if (!opened || opened->year() != year) return;
        ++figures.situations;
        const std::string phase = phaseOfState(process.chart(), then.state);
        if (phase == "redirected") {
            // The reason is the state's id without the phase's prefix (redirected-emergency: emergency).
            const std::string prefix = phase + "-";
            const bool prefixed = then.state.rfind(prefix, 0) == 0;
            ++figures.redirected[prefixed ? then.state.substr(prefix.size()) : then.state];
            return;
        }
        ++figures.perPhase[phase];
        if (then.category) ++figures.perCategory[*then.category];

        toConcertation.add(opened, dateAt(xpath, "string(/situation/concertations/concertation[1]/@date)"));
        toValidation.add(dateAt(xpath, "string(/situation/concertations/concertation[1]/@date)"), then.firstValidation);
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
                ++caseloadByManager[contact.empty() ? manager + "@" + std::to_string(then.id) : contact];
            }
        }
    });
    figures.requestedFrom = static_cast<int>(requestedFrom.size());
    figures.approvedFrom = static_cast<int>(approvedFrom.size());
    figures.paidFrom = static_cast<int>(paidFrom.size());
    for (const auto& [category, from] : expenseCategoryFrom)
        figures.expenseCategoryFrom[category] = static_cast<int>(from.size());

    Cents committed = 0, paid = 0;
    for (int month = 1; month <= 12; ++month) {
        committed += committedInMonth[month];
        paid += paidInMonth[month];
        figures.months.push_back({month, committed, paid});
    }
    // R18: commitments at the pace so far, projected over the year, so under-spending shows
    // early; the same projection as the envelope endpoint's forecast.
    const YearProgress progress = yearProgress(year, asOf);
    figures.forecast = projectedAtPace(committedToDate, progress);
    figures.underSpending = underSpendingOf(progress, figures.envelope, committedToDate, paid,
                                            process.network().underSpendingWarningPoints());

    figures.delays = {toConcertation.figure(), toValidation.figure(), toDecision.figure(), toPayment.figure()};

    for (const auto& [manager, count] : caseloadByManager) figures.caseloads.push_back(count);
    std::sort(figures.caseloads.rbegin(), figures.caseloads.rend());

    int covered = 0;
    for (const auto& [category, count] : figures.perCategory) covered += count > 0 ? 1 : 0;
    figures.coverageMet = covered == 6;
    return figures;
}

// One published cell of a table whose total is published too (or can be worked out).
struct Cell {
    std::string key;
    long long value = 0; // what the cell shows: a count, or cents
    int from = 0;        // situations the value is drawn from (the count itself for counts)
};

// Primary suppression: a cell drawn from 1..threshold-1 situations; then, in each table whose
// total is visible, while a single cell is suppressed, the smallest other non-zero cell goes
// too (a zero only when nothing else is left), so that total minus the visible cells is always
// the sum of at least two hidden cells.
void suppressTable(const std::vector<Cell>& cells, int threshold, std::set<std::string>& suppressed) {
    for (const Cell& cell : cells)
        if (cell.from > 0 && cell.from < threshold) suppressed.insert(cell.key);
    const auto hidden =
        std::count_if(cells.begin(), cells.end(), [&](const Cell& cell) { return suppressed.contains(cell.key); });
    if (hidden != 1) return;
    const Cell* complement = nullptr;
    for (const Cell& cell : cells) {
        if (suppressed.contains(cell.key)) continue;
        const bool better = !complement || (cell.value > 0 && complement->value == 0) ||
                            ((cell.value > 0) == (complement->value > 0) && cell.value < complement->value);
        if (better) complement = &cell;
    }
    if (complement) suppressed.insert(complement->key);
}

} // namespace

std::set<std::string> suppressedCells(const CommitteeFigures& f, int threshold, bool publish) {
    std::set<std::string> suppressed;
    if (!publish) return suppressed;
    auto count = [](const std::string& key, int value) { return Cell{key, value, value}; };
    auto single = [&](const std::string& key, int value) {
        if (value > 0 && value < threshold) suppressed.insert(key);
    };
    single("situations", f.situations);
    // Categories add up to the situations in the pilot (registered minus redirected).
    std::vector<Cell> categories;
    for (const auto& [category, value] : f.perCategory)
        categories.push_back(count("category:" + std::to_string(category), value));
    suppressTable(categories, threshold, suppressed);
    // Phases and redirections add up to the situations registered.
    std::vector<Cell> phases;
    for (const auto& [phase, value] : f.perPhase) phases.push_back(count("phase:" + phase, value));
    for (const auto& [reason, value] : f.redirected) phases.push_back(count("redirected:" + reason, value));
    suppressTable(phases, threshold, suppressed);
    single("requests:submitted", f.requestsSubmitted);
    single("requests:approved", f.approvals);
    single("requests:returned", f.returns);
    single("requests:rejected", f.rejections);
    single("amount:requested", f.requestedFrom);
    single("amount:approved", f.approvedFrom);
    single("amount:paid", f.paidFrom);
    // Amounts by expense category add up to the amount granted (as near as makes no difference).
    std::vector<Cell> expenses;
    for (const auto& [category, cents] : f.approvedByExpenseCategory) {
        const auto from = f.expenseCategoryFrom.find(category);
        expenses.push_back({"expense:" + category, cents, from == f.expenseCategoryFrom.end() ? 0 : from->second});
    }
    suppressTable(expenses, threshold, suppressed);
    for (std::size_t i = 0; i < f.delays.size(); ++i) single("delay:" + std::to_string(i), f.delays[i].samples);
    single("followUps:due", f.followUpsDue);
    single("followUps:overdue", f.followUpsOverdue);
    for (std::size_t i = 0; i < f.caseloads.size(); ++i) single("caseload:" + std::to_string(i + 1), f.caseloads[i]);
    return suppressed;
}

namespace {

// The figures with their suppression decided once, so every format hides the same cells.
struct Published {
    const CommitteeFigures& figures;
    int threshold;
    std::set<std::string> suppressed;

    bool hidden(const std::string& key) const { return suppressed.contains(key); }
    std::string display(const std::string& key, long long value) const {
        return hidden(key) ? "< " + std::to_string(threshold) : std::to_string(value);
    }
    // The raw value is left out entirely when suppressed, so no format can leak it.
    std::string countAttributes(const std::string& key, int value) const {
        std::ostringstream out;
        if (!hidden(key)) out << " count=\"" << value << "\"";
        out << " display=\"" << (hidden(key) ? "&lt; " + std::to_string(threshold) : std::to_string(value)) << "\"";
        out << " suppressed=\"" << (hidden(key) ? "true" : "false") << "\"";
        return out.str();
    }
    std::string centsAttribute(const std::string& key, const std::string& name, Cents value) const {
        if (hidden(key)) return " " + name + "Suppressed=\"true\"";
        return " " + name + "Cents=\"" + std::to_string(value) + "\"";
    }
    std::string cents(const std::string& key, Cents value) const {
        return hidden(key) ? "suppressed" : std::to_string(value);
    }
};

} // namespace

std::string committeeFiguresXml(const CommitteeFigures& f, int threshold, bool publish) {
    const Published p{f, threshold, suppressedCells(f, threshold, publish)};
    std::ostringstream out;
    out << "<committeeReport year=\"" << f.year << "\" asOf=\"" << f.asOf << "\" threshold=\"" << threshold
        << "\" published=\"" << (publish ? "true" : "false") << "\" empty=\"" << (f.empty() ? "true" : "false")
        << "\">";
    out << "<network><label lang=\"fr\">" << xml::escaped(f.networkLabelFr) << "</label><label lang=\"nl\">"
        << xml::escaped(f.networkLabelNl) << "</label></network>";
    out << "<situations" << p.countAttributes("situations", f.situations) << " pilotTarget=\"" << f.pilotTarget
        << "\"/>";
    out << "<coverage met=\"" << (f.coverageMet ? "true" : "false") << "\">";
    for (const auto& [category, count] : f.perCategory)
        out << "<category number=\"" << category << "\""
            << p.countAttributes("category:" + std::to_string(category), count) << "/>";
    out << "</coverage><phases>";
    for (const char* phase :
         {"youth-in-distress", "concertation-request", "concertation", "care-plan", "financial-need", "request-dossier",
          "budget-check", "payment", "follow-up", "closed", "other"}) {
        auto found = f.perPhase.find(phase);
        const int count = found == f.perPhase.end() ? 0 : found->second;
        if (count == 0 && std::string(phase) == "other") continue;
        out << "<phase id=\"" << phase << "\"" << p.countAttributes(std::string("phase:") + phase, count) << "/>";
    }
    out << "</phases><redirected>";
    for (const auto& [reason, count] : f.redirected)
        out << "<reason id=\"" << xml::escaped(reason) << "\"" << p.countAttributes("redirected:" + reason, count)
            << "/>";
    out << "</redirected><requests>";
    out << "<submitted" << p.countAttributes("requests:submitted", f.requestsSubmitted) << "/>";
    out << "<approved" << p.countAttributes("requests:approved", f.approvals) << "/>";
    out << "<returned" << p.countAttributes("requests:returned", f.returns) << "/>";
    out << "<rejected" << p.countAttributes("requests:rejected", f.rejections) << "/>";
    out << "<amounts" << p.centsAttribute("amount:requested", "requested", f.requested)
        << p.centsAttribute("amount:approved", "approved", f.approved)
        << p.centsAttribute("amount:paid", "paid", f.paid) << "/></requests><expenseCategories>";
    for (const auto& [category, cents] : f.approvedByExpenseCategory)
        out << "<category id=\"" << xml::escaped(category) << "\""
            << p.centsAttribute("expense:" + category, "approved", cents) << " suppressed=\""
            << (p.hidden("expense:" + category) ? "true" : "false") << "\"/>";
    out << "</expenseCategories><envelope amountCents=\"" << f.envelope << "\" forecastCents=\"" << f.forecast << "\">";
    for (const auto& month : f.months)
        out << "<month number=\"" << month.month << "\" committedCents=\"" << month.committedCumulative
            << "\" paidCents=\"" << month.paidCumulative << "\"/>";
    const UnderSpendingFigure& under = f.underSpending;
    out << "<underSpending elapsedPermille=\"" << under.elapsedPermille << "\" warningPoints=\"" << under.warningPoints
        << "\" envelopeKnown=\"" << (under.envelopeKnown ? "true" : "false") << "\"";
    if (under.envelopeKnown)
        out << " committedPermille=\"" << under.committedPermille << "\" paidPermille=\"" << under.paidPermille
            << "\" warning=\"" << (under.warning ? "true" : "false") << "\"";
    out << "/></envelope><delays>";
    for (std::size_t i = 0; i < f.delays.size(); ++i) {
        const auto& delay = f.delays[i];
        const std::string key = "delay:" + std::to_string(i);
        out << "<delay from=\"" << delay.from << "\" to=\"" << delay.to << "\""
            << p.countAttributes(key, delay.samples);
        // A median over fewer samples than the threshold would describe individual cases.
        if (delay.median && !p.hidden(key) && !(publish && delay.samples < threshold))
            out << " medianDays=\"" << *delay.median << "\" p90Days=\"" << *delay.p90 << "\"";
        out << "/>";
    }
    out << "</delays><followUps><due" << p.countAttributes("followUps:due", f.followUpsDue) << "/><overdue"
        << p.countAttributes("followUps:overdue", f.followUpsOverdue) << "/></followUps><caseloads>";
    for (std::size_t i = 0; i < f.caseloads.size(); ++i)
        out << "<caseManager rank=\"" << i + 1 << "\""
            << p.countAttributes("caseload:" + std::to_string(i + 1), f.caseloads[i]) << "/>";
    out << "</caseloads></committeeReport>";
    return out.str();
}

std::string committeeFiguresCsv(const CommitteeFigures& f, int threshold, bool publish) {
    const Published p{f, threshold, suppressedCells(f, threshold, publish)};
    std::ostringstream out;
    out << "section,key,value\n";
    auto row = [&](const std::string& section, const std::string& key, const std::string& value) {
        out << section << "," << key << "," << value << "\n";
    };
    auto count = [&](const std::string& section, const std::string& key, const std::string& cell, int value) {
        row(section, key, p.display(cell, value));
    };
    row("report", "year", std::to_string(f.year));
    row("report", "as_of", f.asOf);
    count("situations", "registered", "situations", f.situations);
    row("situations", "pilot_target", std::to_string(f.pilotTarget));
    row("coverage_r4", "met", f.coverageMet ? "yes" : "no");
    for (const auto& [category, value] : f.perCategory)
        count("category", std::to_string(category), "category:" + std::to_string(category), value);
    for (const auto& [phase, value] : f.perPhase) count("phase", phase, "phase:" + phase, value);
    for (const auto& [reason, value] : f.redirected) count("redirected", reason, "redirected:" + reason, value);
    count("requests", "submitted", "requests:submitted", f.requestsSubmitted);
    count("requests", "approved", "requests:approved", f.approvals);
    count("requests", "returned", "requests:returned", f.returns);
    count("requests", "rejected", "requests:rejected", f.rejections);
    row("amounts_cents", "requested", p.cents("amount:requested", f.requested));
    row("amounts_cents", "approved", p.cents("amount:approved", f.approved));
    row("amounts_cents", "paid", p.cents("amount:paid", f.paid));
    for (const auto& [category, cents] : f.approvedByExpenseCategory)
        row("expense_category_cents", category, p.cents("expense:" + category, cents));
    row("envelope_cents", "amount", std::to_string(f.envelope));
    row("envelope_cents", "forecast", std::to_string(f.forecast));
    row("under_spending_permille", "year_elapsed", std::to_string(f.underSpending.elapsedPermille));
    if (f.underSpending.envelopeKnown) {
        row("under_spending_permille", "committed", std::to_string(f.underSpending.committedPermille));
        row("under_spending_permille", "paid", std::to_string(f.underSpending.paidPermille));
    }
    row("under_spending", "warning_points", std::to_string(f.underSpending.warningPoints));
    row("under_spending", "warning", f.underSpending.warning ? "yes" : "no");
    for (const auto& month : f.months) {
        row("envelope_committed_cents", std::to_string(month.month), std::to_string(month.committedCumulative));
        row("envelope_paid_cents", std::to_string(month.month), std::to_string(month.paidCumulative));
    }
    for (std::size_t i = 0; i < f.delays.size(); ++i) {
        const auto& delay = f.delays[i];
        const std::string cell = "delay:" + std::to_string(i);
        const std::string key = delay.from + "_to_" + delay.to;
        count("delay_samples", key, cell, delay.samples);
        const bool shown = delay.median && !p.hidden(cell) && !(publish && delay.samples < threshold);
        std::ostringstream median, p90;
        if (shown) {
            median << *delay.median;
            p90 << *delay.p90;
        }
        row("delay_median_days", key, shown ? median.str() : "");
        row("delay_p90_days", key, shown ? p90.str() : "");
    }
    count("follow_ups", "due", "followUps:due", f.followUpsDue);
    count("follow_ups", "overdue", "followUps:overdue", f.followUpsOverdue);
    for (std::size_t i = 0; i < f.caseloads.size(); ++i)
        count("caseload", "case_manager_" + std::to_string(i + 1), "caseload:" + std::to_string(i + 1), f.caseloads[i]);
    return out.str();
}

} // namespace caseflow
