// Computing the committee's figures. Dates come from the situation documents (the days
// the things happened), never from the log's recording times, which only say when data
// was typed in. The figures are those of the world on the report's date: each situation as
// its log stood on that day; and suppression is decided once (suppressedCells) so that every
// format hides the same cells.
//
// How the world on the date is found (issue 19: replaying 2 000 000 events per report took
// minutes, then one scan of the log 7.85 s): the projector keeps, in each event's transaction,
// the dated facts the figures read of each situation, each with the business days it held over
// (process/CommitteeFacts.h). The facts holding on the report's date are selected by SQL, by
// kind and by their own dates in the year, and only they are read: no document is parsed, no
// event replayed. committeeFiguresByReplay keeps the straightforward computation, every
// situation's log replayed and its document read by XPath, and the tests hold the two equal.
#include "process/CommitteeReport.h"

#include "model/Situation.h"
#include "process/CommitteeFacts.h"
#include "process/EventPayload.h"
#include "process/FundingProcess.h"
#include "store/CommitteeFactsStore.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "store/SituationRepository.h"
#include "xml/Xml.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <memory>
#include <set>
#include <sstream>
#include <string_view>
#include <tuple>
#include <unordered_map>

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

// Hands each situation of the world on a date to a visitor, one at a time, so that no more than
// one situation's document is held parsed at once (at 100 000 situations, all of them would not
// fit in memory).
using SituationVisitor = std::function<void(const SituationAsOf&)>;
using World = std::function<void(const SituationVisitor&)>;

// Looks up text keys by string_view without making a string of each row's text.
struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

// The situations a figure is drawn from, counted once each: one bit per situation id (ids are
// the log's dense 1..N). At 100 000 situations a tree node per insertion was a tenth of the
// report, sorting the ids afterwards a twentieth.
class DistinctSituations {
public:
    void insert(std::int64_t id) {
        const auto index = static_cast<std::size_t>(id);
        if (index / 64 >= words_.size()) words_.resize(index / 64 + 1, 0);
        std::uint64_t& word = words_[index / 64];
        const std::uint64_t bit = std::uint64_t{1} << (index % 64);
        if (!(word & bit)) ++count_;
        word |= bit;
    }
    std::size_t size() const { return count_; }
    bool contains(std::int64_t id) const {
        const auto index = static_cast<std::size_t>(id);
        return index / 64 < words_.size() && (words_[index / 64] >> (index % 64) & 1);
    }

private:
    std::vector<std::uint64_t> words_;
    std::size_t count_ = 0;
};

// What the figures accumulate over the situations before they are final.
struct Tally {
    DelayCollector toConcertation{"registration", "concertation", {}};
    DelayCollector toValidation{"concertation", "plan-validated", {}};
    DelayCollector toDecision{"submission", "decision", {}};
    DelayCollector toPayment{"approval", "first-payment", {}};
    std::map<int, Cents> committedInMonth, paidInMonth;
    Cents committedToDate = 0; // decided on or before asOf: the pace the forecast extrapolates
    std::unordered_map<std::string, int, TextHash, std::equal_to<>> caseloadByManager; // order-free: counts sorted
    DistinctSituations requestedFrom, approvedFrom, paidFrom;
    std::map<std::string, DistinctSituations> expenseCategoryFrom;
};

CommitteeFigures startFigures(FundingProcess& process, int year, const Date& asOf) {
    CommitteeFigures figures;
    figures.year = year;
    figures.asOf = asOf.iso();
    figures.networkLabelFr = process.network().label("fr");
    figures.networkLabelNl = process.network().label("nl");
    figures.pilotTarget = process.network().pilotSituations();
    figures.envelope = process.network().envelope(year).value_or(0);
    for (int category = 1; category <= 6; ++category) figures.perCategory[category] = 0;
    return figures;
}

void finishFigures(CommitteeFigures& figures, Tally& tally, FundingProcess& process, int year, const Date& asOf);

// The figures of a world on the date, each situation replayed.
CommitteeFigures figuresOf(FundingProcess& process, int year, const Date& asOf, const World& world);

CommitteeFigures figuresFromFacts(FundingProcess& process, int year, const Date& asOf) {
    store::CommitteeFactsStore facts(process.database());
    CommitteeFigures figures = startFigures(process, year, asOf);
    Tally tally;
    const std::string on = asOf.iso();
    const std::string first = std::to_string(year) + "-01-01", last = std::to_string(year) + "-12-31";
    const auto optionalDate = [](std::string_view text) { return Date::parse(text); };

    // Deadlines of every situation, as the deadline list shows them on the date.
    const std::string horizon = asOf.addDays(30).iso();
    figures.followUpsOverdue = facts.deadlinesDueBefore(on);
    figures.followUpsDue = facts.deadlinesDueBetween(on, on, horizon);

    // Situations opened in the year: counts, phases, categories, the first delays, caseloads.
    // The facts hold each situation's phase (CommitteeFacts.h): a few phases for tens of
    // thousands of situations, each one's counter found once.
    std::unordered_map<std::string, int*, TextHash, std::equal_to<>> phaseCounters;
    const auto phaseCounter = [&](std::string_view phase) -> int& {
        auto found = phaseCounters.find(phase);
        if (found == phaseCounters.end()) {
            const std::string key(phase);
            found = phaseCounters.emplace(key, &figures.perPhase[key]).first;
        }
        return *found->second;
    };
    DistinctSituations inPilot; // opened in the year and not redirected
    facts.forEachDatedIn(on, "situation", first, last, [&](const store::CommitteeFactView& fact) {
        const std::int64_t id = fact.situationId;
        const std::string_view phase = fact.text1;
        ++figures.situations;
        if (phase.starts_with(kRedirectedPrefix)) {
            // The reason is the state's id without the phase's prefix, as figuresOf reads it.
            const std::string_view state = phase.substr(std::string_view(kRedirectedPrefix).size());
            const std::string_view prefix = "redirected-";
            ++figures.redirected[std::string(state.starts_with(prefix) ? state.substr(prefix.size()) : state)];
            return;
        }
        inPilot.insert(id);
        ++phaseCounter(phase);
        if (fact.amount) ++figures.perCategory[static_cast<int>(*fact.amount)];
        const auto opened = optionalDate(fact.day);
        const auto concerted = optionalDate(fact.day2);
        tally.toConcertation.add(opened, concerted);
        tally.toValidation.add(concerted, optionalDate(fact.day3));
        const std::string_view manager = fact.text2;
        if (phase == "closed" || manager.empty()) return;
        const auto counted = tally.caseloadByManager.find(manager);
        if (counted != tally.caseloadByManager.end())
            ++counted->second;
        else
            tally.caseloadByManager.emplace(std::string(manager), 1);
    });

    // Submitted requests dated in the year.
    facts.forEachDatedIn(on, "request", first, last, [&](const store::CommitteeFactView& fact) {
        ++figures.requestsSubmitted;
        tally.requestedFrom.insert(fact.situationId);
        figures.requested += fact.amount.value_or(0);
    });

    // Decisions dated in the year (delays, returns, rejections, approvals by decision date) or whose
    // request is (approvals by request date, R18's commitment year).
    // A handful of expense categories over tens of thousands of request lines: each category's
    // two totals found once, then by its text.
    struct ExpenseSlot {
        Cents* approved;
        DistinctSituations* from;
    };
    std::unordered_map<std::string, ExpenseSlot, TextHash, std::equal_to<>> expenseSlots;
    const auto expenseSlot = [&](std::string_view category) -> ExpenseSlot& {
        auto found = expenseSlots.find(category);
        if (found == expenseSlots.end()) {
            const std::string key(category);
            found =
                expenseSlots
                    .emplace(key, ExpenseSlot{&figures.approvedByExpenseCategory[key], &tally.expenseCategoryFrom[key]})
                    .first;
        }
        return found->second;
    };
    const auto decision = [&](const store::CommitteeFactView& fact) {
        const std::int64_t id = fact.situationId;
        const std::string_view decidedOn = fact.day, requestedOn = fact.day2;
        const std::string_view outcome = fact.text1;
        const auto decided = Date::parse(decidedOn);
        if (!decided) return;
        if (outcome == "approved" &&
            process.network().commitmentYear(std::string(requestedOn), std::string(decidedOn)) == year) {
            ++figures.approvals;
            const Cents amount = fact.amount.value_or(0);
            figures.approved += amount;
            tally.approvedFrom.insert(id);
            const int month = decided->year() == year  ? static_cast<int>(decided->month())
                              : decided->year() < year ? 1
                                                       : 12;
            tally.committedInMonth[month] += amount;
            tally.committedToDate += amount;
            // "CENTS CATEGORY\n" per request line (CommitteeFacts.cpp).
            std::string_view lines = fact.text2;
            while (!lines.empty()) {
                const auto end = std::min(lines.find('\n'), lines.size());
                const std::string_view line = lines.substr(0, end);
                lines.remove_prefix(std::min(end + 1, lines.size()));
                const auto space = line.find(' ');
                if (space == std::string_view::npos) continue;
                Cents cents = 0;
                std::from_chars(line.data(), line.data() + space, cents);
                ExpenseSlot& slot = expenseSlot(line.substr(space + 1));
                *slot.approved += cents;
                slot.from->insert(id);
            }
        }
        if (decided->year() != year || !inPilot.contains(id)) return;
        tally.toDecision.add(Date::parse(requestedOn), decided);
        if (outcome == "returned") ++figures.returns;
        if (outcome == "rejected") ++figures.rejections;
        if (outcome == "approved") tally.toPayment.add(decided, Date::parse(fact.day3));
    };
    facts.forEachDatedIn(on, "decision", first, last, decision);
    facts.forEachDecisionRequestedIn(on, first, last, decision);

    // Payments dated in the year.
    facts.forEachDatedIn(on, "payment", first, last, [&](const store::CommitteeFactView& fact) {
        const auto paidOn = Date::parse(fact.day);
        const Cents amount = fact.amount.value_or(0);
        tally.paidInMonth[static_cast<int>(paidOn->month())] += amount;
        figures.paid += amount;
        tally.paidFrom.insert(fact.situationId);
    });

    finishFigures(figures, tally, process, year, asOf);
    return figures;
}

} // namespace

std::string phaseOfState(const workflow::StateChart& chart, const std::string& state) {
    const std::string phase = chart.phaseOf(state);
    return phase.empty() ? "other" : phase;
}

CommitteeFigures computeCommitteeFigures(FundingProcess& process, int year, const Date& asOf) {
    return figuresFromFacts(process, year, asOf);
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
    CommitteeFigures figures = startFigures(process, year, asOf);

    Tally tally;
    const std::string horizon = asOf.addDays(30).iso();
    world([&](const SituationAsOf& then) {
        // Bound inside the lambda: clang before 16 refuses to capture a structured binding.
        auto& [toConcertation, toValidation, toDecision, toPayment, committedInMonth, paidInMonth, committedToDate,
               caseloadByManager, requestedFrom, approvedFrom, paidFrom, expenseCategoryFrom] = tally;
        // Deadlines of every situation, as the deadline list shows them on the date.
        for (const auto& [sendId, deadline] : then.pendingDeadlines) {
            if (deadline.event != "followup.due" && deadline.event != "review.due") continue;
            if (deadline.due < asOf.iso())
                ++figures.followUpsOverdue;
            else if (deadline.due <= horizon)
                ++figures.followUpsDue;
        }
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
    finishFigures(figures, tally, process, year, asOf);
    return figures;
}

void finishFigures(CommitteeFigures& figures, Tally& tally, FundingProcess& process, int year, const Date& asOf) {
    auto& [toConcertation, toValidation, toDecision, toPayment, committedInMonth, paidInMonth, committedToDate,
           caseloadByManager, requestedFrom, approvedFrom, paidFrom, expenseCategoryFrom] = tally;
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
