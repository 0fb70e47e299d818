// The use cases of one network's funding process over one database: register a situation,
// fire a workflow event, read situations and their history, list and fire deadlines,
// verify and rebuild. The CLI and the HTTP service call these and hold no rule themselves.
#pragma once

#include "core/Errors.h"
#include "model/Date.h"
#include "model/NetworkSettings.h"
#include "model/Situation.h"
#include "process/Actor.h"
#include "process/EventPayload.h"
#include "signature/TrustStore.h"
#include "store/AccountRepository.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "store/FinanceRepository.h"
#include "store/IdempotencyKeys.h"
#include "store/PaymentRunRepository.h"
#include "store/SituationRepository.h"
#include "workflow/StateChart.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace caseflow {

class ParsedSituations;

struct SituationRecord {
    std::int64_t id = 0;
    std::int64_t version = 0; // the sequence of its last event: the ETag, the expected version
    std::string state;        // active atomic states, space-separated
    std::optional<int> category;
    std::string municipality;
    std::string registeredAt;
    std::string updatedAt;
    std::string document; // the situation XML
};

struct FireResult {
    std::int64_t situationId = 0;
    std::int64_t version = 0;
    WorkflowOutcome outcome;
};

struct DueDeadline {
    std::int64_t situationId = 0;
    std::string sendId;
    std::string event;
    std::string due;
    bool overdue = false; // due strictly before the date asked about
};

// R2's attention ages: an open situation whose youth is, on the day asked about, at an age
// the network watches ("age-11-12", "age-18").
struct AttentionFlag {
    std::int64_t situationId = 0;
    std::string flag;
};

struct EnvelopeFigures {
    int year = 0;
    Cents amount = 0;
    Cents committed = 0; // approved, paid or not
    Cents paid = 0;
    Cents remaining() const { return amount - committed; }
};

// The envelope at a date with the year's pace extrapolated (R18: under-spending must be
// visible early): commitments so far, spread over the days elapsed, projected to the year end.
// How far into `year` a date is: 0 elapsed days before it starts, all of them after it ends.
struct YearProgress {
    int elapsedDays = 0;
    int daysInYear = 365;
};
YearProgress yearProgress(int year, const Date& asOf);
// `soFar` extrapolated at the same pace to the whole year, rounded down (integer cents: a
// forecast, never an amount to pay); before the year starts, what is already there.
Cents projectedAtPace(Cents soFar, const YearProgress& progress);

// R18: how far the year has gone against how far the envelope has been used, in tenths of a
// percent (integers: no floating point near money). A warning when the year is ahead of the
// commitments by more than the network's `underSpendingWarningPoints`. The envelope (CLI,
// HTTP) and the committee report show the same figure, computed by underSpendingOf.
struct UnderSpendingFigure {
    int elapsedPermille = 0;   // of the year's days, up to the date
    int committedPermille = 0; // of the envelope, approved up to the date
    int paidPermille = 0;      // of the envelope, paid up to the date
    int warningPoints = 0;     // percentage points
    bool warning = false;
    bool envelopeKnown = false; // no envelope for the year: no shares at all
};
UnderSpendingFigure underSpendingOf(const YearProgress& progress, Cents envelope, Cents committed, Cents paid,
                                    int warningPoints);

struct EnvelopeForecast {
    EnvelopeFigures figures;
    UnderSpendingFigure underSpending;
    std::string asOf;    // ISO date the projection is made on
    int elapsedDays = 0; // days of the year up to and including asOf (0 before, all after)
    int daysInYear = 365;
    Cents projectedCommitted = 0;
    Cents projectedUnspent() const { return figures.amount - projectedCommitted; } // negative: overspend
};

// One automatic check of a funding request: what the workflow's approval would meet, found by
// a dry run of the event declared approves-request (budget.approved) for the amount requested.
// Each check gathers the rules that name it (cf:rule check="..."), in document order.
// Attention: only rules marked unmet="attention" fail (allowed, but the decision needs
// something more).
enum class CheckStatus { Pass, Fail, Attention };
// "pass", "fail", "attention": the JSON and CLI spelling.
const char* checkStatusName(CheckStatus status);

struct FundingCheck {
    std::string id;     // ceiling, second-validation, completeness, envelope, no-double-subsidy, plan-validated
    std::string ruleId; // R14, R14, R15, R18, R13, R11
    CheckStatus status = CheckStatus::Pass;
    std::vector<RuleViolation> unmet; // the check's rules that do not hold, in the process's language
};

struct FundingLine {
    std::string category;
    std::string action;
    Cents amount = 0;
};

// A funding request as the finance tables and the situation document describe it, with no
// clinical text (no line descriptions, no justification): what R19 lets finance see.
struct FundingRequestSummary {
    std::int64_t situationId = 0;
    std::int64_t situationVersion = 0;
    std::string reference; // the youth's pseudonymous reference
    std::string requestId;
    std::string state; // a RequestState name (model/RequestState.h)
    int year = 0;
    std::string date;
    std::string renewalOf;
    std::string submittedAt;
    std::string decidedAt;
    Cents requested = 0;
    Cents approved = 0;
    Cents paid = 0;
    std::vector<FundingLine> lines;
    std::optional<std::string> payeeName;
    std::optional<std::string> payeeIban;
    bool noDoubleSubsidyDeclared = false;
    std::vector<FundingCheck> checks;
};

struct PaymentRecord {
    std::int64_t situationId = 0;
    std::string reference;
    std::string requestId;
    std::string paymentId;
    std::string paidOn;
    Cents amount = 0;
    std::string transferReference;
    std::string payeeName;
    std::string payeeIban;
    std::string communication; // formatted, « +++ddd/dddd/ddddd+++ » (PaymentRuns.h)
};

// One event of a batch recorded together (FundingProcess::fireTogether); `label` names it in
// a refusal ("situation 3, request fr1").
struct BatchEvent {
    std::int64_t situationId = 0;
    std::string event;
    std::string dataXml;
    std::string label;
};

class FundingProcess {
public:
    // Creates the database (schema migrations) and records the network settings and the
    // workflow it runs (default workflows/funding.scxml). Refuses a database that already
    // holds another network.
    // New or changed settings are recorded as a network.settings event by `recordedBy`
    // ("role:name"); the same settings again record nothing.
    static void initialize(const std::filesystem::path& database, const std::filesystem::path& networkFile,
                           const std::optional<std::filesystem::path>& workflowFile = std::nullopt,
                           const std::string& recordedBy = "system:init");

    // Opens an initialised database with the workflow recorded at init, unless
    // `workflowFile` names another one.
    static FundingProcess open(const std::filesystem::path& database,
                               const std::optional<std::filesystem::path>& workflowFile = std::nullopt);

    // Validates the registration document, records it as `situation.registered` and runs
    // the workflow's eligibility step. Returns the new situation's record.
    SituationRecord registerSituation(const std::string& xmlText, const std::string& sourceName, const Actor& actor);

    // Fires `event` with optional data (one part of the situation document). Throws
    // RuleRefusal with every failed rule, EventNotAllowed for an event the state does not take,
    // Conflict when `expectedVersion` is given and stale or another writer got there first.
    FireResult fire(std::int64_t situationId, const std::string& event, const std::optional<std::string>& dataXml,
                    const std::string& dataName, const Actor& actor,
                    std::optional<std::int64_t> expectedVersion = std::nullopt);
    // The same, and `alsoInTransaction` runs inside the event's write transaction after the
    // projection (e.g. to record an idempotency key with the event it produced); if it
    // throws, nothing is stored.
    FireResult fire(std::int64_t situationId, const std::string& event, const std::optional<std::string>& dataXml,
                    const std::string& dataName, const Actor& actor, std::optional<std::int64_t> expectedVersion,
                    const store::Projector& alsoInTransaction);

    // Records several situations' events as one: `plan`, run under the write lock, says which;
    // each is judged by the workflow over its situation as the batch's earlier events left it;
    // then `after` runs in the same transaction with the stored events (a payment run appends
    // its own network event there). Every event is recorded or none: when any is refused,
    // throws RuleRefusal listing every refusal, each message prefixed by its event's label.
    std::vector<store::StoredEvent>
    fireTogether(const std::function<std::vector<BatchEvent>(store::Database&)>& plan, const Actor& actor,
                 const std::function<void(store::Database&, const std::vector<store::StoredEvent>&)>& after);

    SituationRecord situation(std::int64_t id) const; // throws NotFound
    // The parsed form of `record`'s document, from the trees the firing path keeps (one parse
    // per stored text, shared with the next event's guards): read-only, and valid until the
    // next event or the next call; whoever changes it works on a copy().
    const Situation& parsedSituation(const SituationRecord& record) const;
    std::vector<SituationRecord> situations(const std::optional<std::string>& state = std::nullopt) const;
    // One page of the list, in id order (store::SituationPage); `situationCount(filter)` counts them all.
    struct SituationPage {
        std::vector<SituationRecord> records;
        std::optional<std::int64_t> nextAfter;
    };
    SituationPage situationPage(const store::SituationFilter& filter, std::int64_t afterId, int limit) const;
    std::int64_t situationCount(const store::SituationFilter& filter) const;
    std::vector<store::StoredEvent> history(std::int64_t id) const; // throws NotFound
    std::vector<std::string> allowedEvents(std::int64_t id) const;

    std::vector<DueDeadline> due(const Date& at) const;
    // The attention flags of the open situations on `at` (redirected and closed ones are no
    // one's caseload), in situation order.
    std::vector<AttentionFlag> attention(const Date& at) const;
    // Fires every deadline due on or before `at` that has not fired yet; safe to repeat.
    std::vector<DueDeadline> fireDue(const Date& at, const Actor& actor);

    EnvelopeFigures envelope(int year) const;
    EnvelopeForecast envelopeForecast(int year, const Date& asOf) const;
    // The position of the newest event in the log (0 when empty): every change to the stored
    // figures (funding requests, payments, settings) is an event, so an answer computed after
    // reading this is still right as long as it has not moved.
    std::int64_t lastEventPosition() const;

    // Funding requests (all, or those in one state), with their automatic checks.
    std::vector<FundingRequestSummary> fundingRequests(const std::optional<std::string>& state = std::nullopt) const;
    // Payments recorded with a date in `year` (every year when absent), oldest first.
    std::vector<PaymentRecord> payments(std::optional<int> year = std::nullopt) const;
    // How many requests of `year` were submitted, what they asked and what was approved.
    store::SubmittedTotals submittedInYear(int year) const;

    // The hash chain (and PRAGMA integrity_check), then, when the chain is intact, every
    // projection and the stored settings against a replay of the log in memory, then the read
    // log's own chain. One report: further checks add their problems to it.
    store::VerifyReport verify() const;
    // Where the stored projections differ from a replay of the log (empty when none do).
    std::vector<store::ProjectionDrift> projectionDrift() const;
    // Replaces the projections by a replay of the log; returns what had drifted, as found
    // just before.
    std::vector<store::ProjectionDrift> rebuild();

    // Records, before the data is shown, that `reader` read these situations ("situation",
    // "history", "document:NAME", ...); throws if it cannot, and then nothing may be shown.
    void recordRead(const Actor& reader, const std::vector<std::int64_t>& situationIds, const std::string& what);

    // The language of rule messages in refusals: "fr", "nl" or "en" (the default).
    void setLanguage(const std::string& language);
    const std::string& language() const { return language_; }

    const NetworkSettings& network() const { return *network_; }
    const workflow::StateChart& chart() const { return *chart_; }
    // The rows the front ends keep besides the funding process itself, from the store over
    // this process's database: the trust store, the service's accounts, idempotency keys.
    signature::TrustStore trustStore() const;
    store::AccountRepository accounts() const;
    store::IdempotencyKeys idempotencyKeys() const;
    // The finance projections and the payment runs, read over this process's database.
    store::FinanceRepository finance() const;
    store::PaymentRunRepository paymentRuns() const;
    std::int64_t situationCount() const; // a read that proves the database is there
    // The connection, for read models computed beside this class from its tables in one pass
    // (the committee report's scan of the log, the attention list): read only.
    store::Database& database() const { return *db_; }
    // The hash of the event at `position` in the log, if it still holds one there.
    std::optional<std::string> eventHash(std::int64_t position) const;
    // The hash of the read log's row `id`, if it still holds that row.
    std::optional<std::string> readHash(std::int64_t id) const;

private:
    FundingProcess(std::unique_ptr<store::Database> db, std::shared_ptr<const NetworkSettings> network,
                   std::shared_ptr<const workflow::StateChart> chart);
    store::Projector projector() const;
    struct PreparedEvent;
    // The workflow's judgement of `event` over the situation as stored now (every guard, the
    // money doors): the event to append, or RuleRefusal / EventNotAllowed / Conflict.
    PreparedEvent prepare(std::int64_t situationId, const std::string& event, const std::optional<std::string>& dataXml,
                          const std::string& dataName, const Actor& actor,
                          std::optional<std::int64_t> expectedVersion) const;
    // The projection of a prepared event, with R18's check of an approval under the write lock.
    store::Projector projectorFor(const PreparedEvent& prepared, const store::Projector& alsoInTransaction) const;
    // The finance checks of `request` in the stored situation `document` (see FundingCheck).
    std::vector<FundingCheck> fundingChecks(const std::string& document, const FundingRequestSummary& request,
                                            const EnvelopeFigures& envelope) const;
    // The settings of the log's first network.settings event (the stored ones if there is none).
    std::shared_ptr<const NetworkSettings> firstNetworkSettings() const;

    std::unique_ptr<store::Database> db_;
    std::shared_ptr<const NetworkSettings> network_;
    std::shared_ptr<const workflow::StateChart> chart_;
    // The last stored document of each situation fired on, parsed once (see ParsedSituations):
    // this process's own, like its connection.
    std::shared_ptr<ParsedSituations> parsed_;
    std::string language_ = "en";
};

std::filesystem::path defaultWorkflowPath();

} // namespace caseflow
