// Use cases of the funding process. What must stay true: an event is appended only after
// the workflow accepted it over the situation as it would be with the event's data, and
// the append, the projections and the envelope check (R18) happen in one transaction,
// so two writers can never both succeed blindly and the envelope never goes negative.
#include "process/FundingProcess.h"

#include "core/Errors.h"
#include "i18n/Translator.h"
#include "model/Paths.h"
#include "model/XsBoolean.h"
#include "process/AttentionList.h"
#include "process/CommitteeFacts.h"
#include "process/EventScope.h"
#include "process/GuardFacts.h"
#include "process/ParsedSituations.h"
#include "process/PaymentRuns.h"
#include "process/Projection.h"
#include "process/RuleMessages.h"
#include "signature/TrustStore.h"
#include "store/FinanceRepository.h"
#include "store/Migrations.h"
#include "store/ProjectionCheck.h"
#include "store/ReadLogStore.h"
#include "store/SettingsRepository.h"
#include "store/SituationRepository.h"
#include "store/Transaction.h"
#include "store/TrustRepository.h"
#include "workflow/Interpreter.h"
#include "workflow/XPathFunctions.h"

#include <libxml/xpathInternals.h>

#include <algorithm>
#include <chrono>
#include <map>

namespace caseflow {
namespace {

constexpr const char* kRegisteredEvent = kRegistrationEvent;

SituationRecord recordOf(store::SituationRow row) {
    return {row.id,           row.version,   std::move(row.state),   row.category, std::move(row.municipality),
            row.registeredAt, row.updatedAt, std::move(row.document)};
}

// Everything a guard may read, besides the situation document itself: the network settings,
// the event's data, the document before the event, who acts, today, and the envelope.
class GuardContext {
public:
    GuardContext(const Situation& candidate, const std::string& beforeXml, const NetworkSettings& network,
                 xmlNode* eventData, const Actor& actor, const std::string& eventName, const Date& today,
                 const std::optional<EnvelopeFigures>& envelope, std::optional<int> category)
        : GuardContext(candidate, parsedBefore(beforeXml), network, eventData, actor, eventName, today, envelope,
                       category) {}
    // `before` parsed already (ParsedSituations), or null: the guards only read it.
    GuardContext(const Situation& candidate, xml::Document ownBefore, const xmlDoc* before,
                 const NetworkSettings& network, xmlNode* eventData, const Actor& actor, const std::string& eventName,
                 const Date& today, const std::optional<EnvelopeFigures>& envelope, std::optional<int> category)
        : ownBefore_(std::move(ownBefore)), before_(ownBefore_ ? ownBefore_.get() : before),
          xpath_(candidate.document()) {
        // <envelope year amount committed paid remaining/>, built rather than parsed: numbers only.
        // Left out when no guard reads it (an expression naming it would then fail loudly).
        if (envelope) {
            envelope_.reset(xmlNewDoc(xml::x("1.0")));
            xmlNode* figures = xmlNewDocNode(envelope_.get(), nullptr, xml::x("envelope"), nullptr);
            if (!envelope_ || !figures) throw Error("out of memory building the envelope for the guards");
            xmlDocSetRootElement(envelope_.get(), figures);
            for (const auto& [attributeName, value] : {std::pair<const char*, std::int64_t>{"year", envelope->year},
                                                       {"amount", envelope->amount},
                                                       {"committed", envelope->committed},
                                                       {"paid", envelope->paid},
                                                       {"remaining", envelope->remaining()}})
                xmlNewProp(figures, xml::x(attributeName), xml::x(std::to_string(value).c_str()));
            xpath_.setNodeVariable("envelope", xml::root(envelope_.get()));
        }
        xpath_.setNodeVariable("network", xml::root(network.document()));
        xpath_.setVariable("event", xmlXPathNewNodeSet(eventData));
        xpath_.setNodeVariable("situation", xml::root(candidate.document()));
        xpath_.setVariable("before", xmlXPathNewNodeSet(before_ ? xml::root(const_cast<xmlDoc*>(before_)) : nullptr));
        xpath_.setStringVariable("actorRole", actor.role);
        xpath_.setStringVariable("actorName", actor.name);
        xpath_.setStringVariable("eventName", eventName);
        xpath_.setStringVariable("today", today.iso());
        xpath_.setVariable("category", xmlXPathNewFloat(category ? *category : 0));
        xpath_.setVariable("inTerritory", xmlXPathNewBoolean(network.inTerritory(candidate.postalCode())));
        // Signature facts (R11, R16) default to "nothing signed"; fire() computes the real ones.
        setSignatureFacts(GuardFacts{}, 0);
    }
    xmlXPathContext* context() { return xpath_.context(); }
    const xmlDoc* before() const { return before_; }

    // What the guards know about signatures (see process/GuardFacts.h) and the situation's
    // version before the event ($version), which a signed decision must have been made from.
    void setSignatureFacts(const GuardFacts& facts, std::int64_t version) {
        xpath_.setStringVariable("planSignature", signature::statusName(facts.planSignature));
        xpath_.setVariable("planSignedAsAgreed", xmlXPathNewBoolean(facts.planSignedAsAgreed));
        xpath_.setStringVariable("decisionSignature", signature::statusName(facts.decisionSignature));
        xpath_.setStringVariable("decisionSignatureId", facts.decisionSignatureId);
        xpath_.setStringVariable("decisionCountersignature", facts.decisionCountersignature);
        xpath_.setVariable("version", xmlXPathNewFloat(static_cast<double>(version)));
    }

private:
    GuardContext(const Situation& candidate, xml::Document before, const NetworkSettings& network, xmlNode* eventData,
                 const Actor& actor, const std::string& eventName, const Date& today,
                 const std::optional<EnvelopeFigures>& envelope, std::optional<int> category)
        : GuardContext(candidate, std::move(before), nullptr, network, eventData, actor, eventName, today, envelope,
                       category) {}
    static xml::Document parsedBefore(const std::string& beforeXml) {
        return beforeXml.empty() ? xml::Document() : xml::parseString(beforeXml, "situation before the event");
    }

    xml::Document ownBefore_;
    const xmlDoc* before_ = nullptr;
    xml::Document envelope_;
    xml::XPath xpath_;
};

WorkflowOutcome outcomeOf(const workflow::StepResult& step, const workflow::Interpreter& interpreter,
                          const Date& today) {
    WorkflowOutcome outcome;
    outcome.configuration = step.configuration;
    outcome.activeStates = interpreter.activeAtomicStates();
    outcome.finished = step.finished;
    outcome.cancelled = step.cancelledSendIds;
    outcome.today = today.iso();
    for (const auto& send : step.sends) {
        std::string due;
        if (!send.at.empty()) {
            due = send.at.substr(0, 10);
            if (!Date::parse(due))
                throw Error("deadline '" + send.sendId + "' has cf:at '" + send.at + "', which is not an ISO date");
        } else {
            due = addIsoDuration(today, send.delay.empty() ? "P0D" : send.delay).iso();
        }
        outcome.deadlines.push_back({send.sendId, send.event, due});
    }
    return outcome;
}

// The envelope an event counts against (R18). A budget decision counts in the year the
// network's one rule gives (NetworkSettings::commitmentYear: its request's date or its own);
// a funding request in the year of its date; a payment in the year of its own date
// (docs/concepts.md, "Which year an amount counts in"); other events, today's.
int yearOfEvent(const xmlNode* data, const xmlDoc* situation, const Date& today, const NetworkSettings& network) {
    if (!data) return today.year();
    const std::string element = xml::name(data);
    std::optional<int> year;
    if (element == "fundingRequest" || element == "payment") {
        if (auto parsed = Date::parse(xml::attribute(data, "date").value_or(""))) year = parsed->year();
    } else if (element == "budgetDecision" && situation) {
        const auto request = xml::attribute(data, "request").value_or("");
        const std::string decided = xml::attribute(data, "date").value_or("");
        std::string requested = decided;
        xml::XPath xpath(const_cast<xmlDoc*>(situation));
        for (xmlNode* candidate : xpath.nodes("/situation/fundingRequests/fundingRequest"))
            if (xml::attribute(candidate, "id").value_or("") == request)
                requested = xml::attribute(candidate, "date").value_or(decided);
        year = network.commitmentYear(requested, decided);
    }
    return year.value_or(today.year());
}

// An approval only with the coordinator's valid signature; a payment only of an approved,
// signed decision, dated on or after that decision and not after the business date. The
// messages are the workflow's own msgids (workflows/funding.scxml), so they are translated.
std::vector<RuleViolation> moneyDoorViolations(xmlNode* placed, xmlDoc* situation, const GuardFacts& facts,
                                               const Date& today) {
    std::vector<RuleViolation> violations;
    const std::string element = xml::name(placed);
    if (element == "budgetDecision" && xml::attribute(placed, "outcome") == std::optional<std::string>("approved") &&
        facts.decisionSignature != signature::SignatureStatus::Valid)
        violations.push_back(
            {"R16", "The budget decision must be signed by the coordinator (caseflow decision sign)."});
    if (element != "payment") return violations;
    if (facts.decisionSignature != signature::SignatureStatus::Valid)
        violations.push_back({"R16", "A payment needs the budget decision signed by the coordinator."});
    const auto paidOn = Date::parse(xml::attribute(placed, "date").value_or(""));
    const std::string request = xml::attribute(placed, "request").value_or("");
    std::optional<Date> decidedOn;
    xml::XPath xpath(situation);
    for (xmlNode* decision : xpath.nodes("/situation/budgetDecisions/budgetDecision[@outcome = 'approved']"))
        if (xml::attribute(decision, "request").value_or("") == request)
            decidedOn = Date::parse(xml::attribute(decision, "date").value_or(""));
    if (paidOn && decidedOn && *paidOn < *decidedOn)
        violations.push_back({"R16", "A payment cannot be dated before the decision it pays."});
    if (paidOn && today < *paidOn) violations.push_back({"R16", "A payment cannot be dated after today."});
    return violations;
}

// Whether the guards `event` may run read the care plan's signature facts: the plan is verified
// only for them (a signed plan is read back at every later event otherwise, for nothing).
PlanFacts planFactsFor(const workflow::StateChart& chart, const std::string& event) {
    return chart.mayRead("planSignature", event) || chart.mayRead("planSignedAsAgreed", event) ? PlanFacts::Read
                                                                                               : PlanFacts::Unread;
}

// The events a situation in `state` takes: the interpreter's enabled events, conditions ignored.
std::vector<std::string> eventsTakenIn(const std::shared_ptr<const workflow::StateChart>& chart,
                                       const std::string& state) {
    workflow::Interpreter interpreter(chart, nullptr);
    interpreter.restore(workflow::StateSet::parse(state));
    const auto events = interpreter.enabledEvents();
    return {events.begin(), events.end()};
}

} // namespace

std::filesystem::path defaultWorkflowPath() {
    return dataDir() / "workflows" / "funding.scxml";
}

FundingProcess::FundingProcess(std::unique_ptr<store::Database> db, std::shared_ptr<const NetworkSettings> network,
                               std::shared_ptr<const workflow::StateChart> chart)
    : db_(std::move(db)), network_(std::move(network)), chart_(std::move(chart)),
      parsed_(std::make_shared<ParsedSituations>()) {}

void FundingProcess::initialize(const std::filesystem::path& database, const std::filesystem::path& networkFile,
                                const std::optional<std::filesystem::path>& workflowFile,
                                const std::string& recordedBy) {
    auto network = NetworkSettings::fromFile(networkFile);
    // Load the workflow now: a broken definition is refused before anything is written.
    const auto workflow = std::filesystem::absolute(workflowFile.value_or(defaultWorkflowPath()));
    const auto chart = workflow::StateChart::load(workflow);
    // Workflows shipped with caseflow are recorded relative to its data directory, so a
    // database keeps working when the installation moves.
    const auto relative = workflow.lexically_relative(std::filesystem::absolute(dataDir()));
    const std::string recordedWorkflow =
        !relative.empty() && *relative.begin() != ".." ? relative.string() : workflow.string();
    auto db = store::Database::open(database, store::OpenMode::CreateIfMissing);
    store::migrate(db);
    // Checked again inside the write transaction: another init may have run meanwhile.
    const auto sameNetworkAndWorkflow = [&](store::Database& writing) {
        store::SettingsRepository settings(writing);
        const std::string existing = settings.networkSettings();
        if (!existing.empty()) {
            auto current = NetworkSettings::fromString(existing, "stored network settings");
            if (current->id() != network->id())
                throw UsageError(database.string() + " already holds network '" + current->id() + "', not '" +
                                 network->id() + "'");
        }
        settings.setWorkflow(recordedWorkflow);
    };
    if (store::SettingsRepository(db).networkSettings() == network->sourceText()) {
        store::Transaction transaction(db);
        sameNetworkAndWorkflow(db);
        transaction.commit();
        return;
    }
    // New or changed settings are an event of the network's own stream, chained with all the
    // others; the stored settings are its projection (see docs/operating.md).
    store::EventStore(db).appendNetworkEvent(
        {store::networkStream, std::string(store::networkSettingsEvent), recordedBy, network->sourceText()},
        [&](store::Database& writing, const store::StoredEvent& event) {
            sameNetworkAndWorkflow(writing);
            projectEvent(writing, event, *network, *chart);
        });
}

FundingProcess FundingProcess::open(const std::filesystem::path& database,
                                    const std::optional<std::filesystem::path>& workflowFile) {
    auto db = std::make_unique<store::Database>(store::Database::open(database, store::OpenMode::MustExist));
    store::migrate(*db);
    // The settings in force are the last network.settings event's, from the hash-chained log,
    // not their projection in meta: an edit of the stored settings changes nothing the engine
    // does, and verify names it.
    // The network's stream also holds its payment runs: only network.settings events are settings.
    const auto settingsEvents = store::networkSettingsEvents(*db);
    std::string settings, source = "network settings stored in " + database.string();
    if (!settingsEvents.empty()) {
        settings = settingsEvents.back().payload;
        source =
            "network settings of event " + std::to_string(settingsEvents.back().position) + " in " + database.string();
    } else {
        settings = store::SettingsRepository(*db).networkSettings();
    }
    if (settings.empty())
        throw UsageError(database.string() + " has no network settings; run `caseflow init --network FILE` first");
    auto network = NetworkSettings::fromString(settings, source);
    std::filesystem::path workflow = defaultWorkflowPath();
    if (workflowFile) {
        workflow = *workflowFile;
    } else if (const std::string recorded = store::SettingsRepository(*db).workflow(); !recorded.empty()) {
        workflow =
            std::filesystem::path(recorded).is_absolute() ? std::filesystem::path(recorded) : dataDir() / recorded;
    }
    auto chart = workflow::StateChart::load(workflow);
    FundingProcess process(std::move(db), std::move(network), std::move(chart));
    // Schema 13's committee facts, for a database migrated with situations in it.
    fillCommitteeFactsIfMissing(process);
    return process;
}

store::Projector FundingProcess::projector() const {
    return
        [network = network_, chart = chart_, parsed = parsed_](store::Database& db, const store::StoredEvent& event) {
            projectEvent(db, event, *network, *chart, parsed.get());
        };
}

SituationRecord FundingProcess::registerSituation(const std::string& xmlText, const std::string& sourceName,
                                                  const Actor& actor) {
    Situation situation = Situation::parse(xmlText, sourceName);
    checkRegistrationScope(situation.document());
    const Date today = Date::today();
    if (!situation.openedOn()) situation.setOpenedOn(today);
    if (situation.id()) xmlUnsetProp(xml::root(situation.document()), xml::x("id")); // the store assigns ids
    // R1: an age is counted from a birth that happened; a later birth date is a typing error.
    if (situation.openedOn() && *situation.openedOn() < situation.birthDate()) {
        const std::vector<RuleViolation> violations = {
            {"R1", "The youth's birth date cannot be after the registration date."}};
        throw RuleRefusal(sourceName + ": the youth's birth date " + situation.birthDate().iso() +
                              " is after the registration date " + situation.openedOn()->iso(),
                          localiseViolations(violations, language_, *network_, envelope(today.year())));
    }

    GuardContext guards(situation, "", *network_, nullptr, actor, kRegisteredEvent, today, envelope(today.year()),
                        situation.category(*network_));
    workflow::Interpreter interpreter(chart_, guards.context());
    const auto step = interpreter.start();

    EventPayload payload;
    payload.type = kRegisteredEvent;
    payload.data = xml::copy(situation.document());
    payload.outcome = outcomeOf(step, interpreter, today);

    store::EventStore events(*db_);
    const auto project = projector();
    const std::string reference = situation.reference();
    const auto stored = events.appendNewSituation(
        {0, kRegisteredEvent, actor.toString(), payload.toXml()},
        [&](store::Database& db, const store::StoredEvent& storedEvent) {
            // Inside the write transaction, so two registrations of one youth cannot both pass.
            // A reference names one dossier: a youth who comes back is registered under a new one.
            // As stored: the schema's pattern leaves a reference nothing XML would escape.
            const auto existing = store::SituationRepository(db).firstWithYouthReference(reference);
            if (existing)
                throw AlreadyRegistered("the youth reference " + reference + " is already registered as situation " +
                                            std::to_string(*existing),
                                        reference, *existing);
            project(db, storedEvent);
        });
    return this->situation(stored.situationId);
}

FireResult FundingProcess::fire(std::int64_t situationId, const std::string& event,
                                const std::optional<std::string>& dataXml, const std::string& dataName,
                                const Actor& actor, std::optional<std::int64_t> expectedVersion) {
    return fire(situationId, event, dataXml, dataName, actor, expectedVersion, store::Projector());
}

// An event the workflow accepted over its situation as stored now, ready to append.
struct FundingProcess::PreparedEvent {
    store::NewEvent event;
    std::int64_t expectedVersion = 0;
    bool budgetDecision = false;
    int envelopeYear = 0;
    // The envelope's figures as the guards read them; none when no guard the event may run reads
    // the envelope (StateChart::mayRead): its sums are read again only if a refusal must quote them.
    std::optional<EnvelopeFigures> figures;
    Cents decidedAmount = 0;
    WorkflowOutcome outcome;
    // The payload and the candidate the projection would build again (see Projection.h).
    std::shared_ptr<PreparedProjection> projection;
};

FundingProcess::PreparedEvent FundingProcess::prepare(std::int64_t situationId, const std::string& event,
                                                      const std::optional<std::string>& dataXml,
                                                      const std::string& dataName, const Actor& actor,
                                                      std::optional<std::int64_t> expectedVersion) const {
    const SituationRecord current = situation(situationId);
    // Whatever notices it, an event the state does not take is refused as one EventNotAllowed.
    const auto notAllowed = [&](const std::string& why) {
        return EventNotAllowed(why, event, current.state, eventsTakenIn(chart_, current.state),
                               event != kRegisteredEvent && !chart_->eventNames().count(event));
    };
    if (event == kRegisteredEvent) throw notAllowed("situation.registered is recorded by `caseflow situation new`");
    if (expectedVersion && *expectedVersion != current.version)
        throw Conflict("situation " + std::to_string(situationId) + " changed: expected version " +
                       std::to_string(*expectedVersion) + ", found " + std::to_string(current.version) +
                       "; reload and retry");

    xml::Document data;
    if (dataXml) data = parseEventData(*dataXml, dataName);
    // Parsed once for the guards' before, the candidate and the projection. The candidate is a
    // copy when the guards the event may run read the document before it ($before, or the plan
    // signed as agreed, which compares with it); otherwise it is the kept tree itself, taken.
    const bool beforeRead = chart_->mayRead("before", event) || chart_->mayRead("planSignedAsAgreed", event);
    const Situation* stored = beforeRead ? &parsed_->parsed(situationId, current.document) : nullptr;
    Situation candidate = stored ? stored->copy() : parsed_->take(situationId, current.document);
    // Before any guard: the event takes only the data its workflow declares, for the change declared.
    checkEventScope(*chart_, event, data ? xml::root(data.get()) : nullptr, candidate.document());
    // R16: a payment quotes the signature of the decision it pays, so the log shows which one.
    bool dataAsValidated = true;
    if (data) {
        xmlNode* part = xml::root(data.get());
        const bool quotedBefore = xml::attribute(part, "decisionSignature").has_value();
        quoteDecisionSignature(part, candidate.document());
        dataAsValidated = quotedBefore || !xml::attribute(part, "decisionSignature");
    }
    xmlNode* placed = nullptr;
    if (data) {
        placed = candidate.apply(xml::root(data.get()));
        const std::string name = dataName + " applied to situation " + std::to_string(situationId);
        try {
            candidate.validatePlaced(placed, dataAsValidated, name);
        } catch (const InvalidInput&) {
            // The stored tree may be the one the last projection built (ParsedSituations), whose
            // line numbers are not those of the stored text: the refusal cites a fresh parse's.
            Situation fresh = Situation::fromStored(current.document);
            fresh.validatePlaced(fresh.apply(xml::root(data.get())), dataAsValidated, name);
            throw;
        }
    }

    const Date today = Date::today();
    const int envelopeYear = yearOfEvent(placed, candidate.document(), today, *network_);
    std::optional<EnvelopeFigures> read;
    if (chart_->mayRead("envelope", event)) read = envelope(envelopeYear);
    const auto figures = [&]() -> const EnvelopeFigures& {
        return read ? *read : read.emplace(envelope(envelopeYear));
    };
    GuardContext guards(candidate, xml::Document(), stored ? stored->document() : nullptr, *network_, placed, actor,
                        event, today, read, candidate.category(*network_));
    const auto facts = guardFacts(candidate.document(), guards.before(), placed, trustStore(), *network_,
                                  planFactsFor(*chart_, event));
    guards.setSignatureFacts(facts, current.version);
    workflow::Interpreter interpreter(chart_, guards.context());
    interpreter.restore(workflow::StateSet::parse(current.state));
    std::optional<workflow::StepResult> step;
    try {
        step = interpreter.fire(event);
    } catch (const RuleRefusal& refusal) {
        throw RuleRefusal(refusalHeader(event, current.state, refusal.violations(), language_),
                          localiseViolations(refusal.violations(), language_, *network_, figures()));
    } catch (const UsageError& refused) {
        // The interpreter refuses with a UsageError only an event no transition here takes.
        throw notAllowed(refused.what());
    }

    if (placed) {
        // Money's own doors, whatever a workflow says: checked after its guards so that they
        // report first, and refused like them.
        const auto violations = moneyDoorViolations(placed, candidate.document(), facts, today);
        if (!violations.empty())
            throw RuleRefusal(refusalHeader(event, current.state, violations, language_),
                              localiseViolations(violations, language_, *network_, figures()));
    }

    EventPayload payload;
    payload.type = event;
    if (data) payload.data = xml::copy(data.get());
    payload.outcome = outcomeOf(*step, interpreter, today);

    PreparedEvent prepared;
    prepared.event = {situationId, event, actor.toString(), payload.toXml()};
    prepared.expectedVersion = current.version;
    prepared.budgetDecision = data && xml::name(xml::root(data.get())) == "budgetDecision";
    if (prepared.budgetDecision)
        prepared.decidedAmount = parseCents(xml::attribute(xml::root(data.get()), "amount").value_or("")).value_or(0);
    prepared.envelopeYear = envelopeYear;
    prepared.figures = read;
    prepared.outcome = payload.outcome;
    // The candidate is the stored document with the payload's data applied, as the projection
    // would build it; nothing after apply() above changed it (the guards only read it).
    prepared.projection = std::make_shared<PreparedProjection>(
        PreparedProjection{prepared.event.payload, std::move(payload), current.version, std::move(candidate)});
    return prepared;
}

store::Projector FundingProcess::projectorFor(const PreparedEvent& prepared,
                                              const store::Projector& alsoInTransaction) const {
    return [this, &prepared, alsoInTransaction](store::Database& db, const store::StoredEvent& storedEvent) {
        projectEvent(db, storedEvent, *network_, *chart_, parsed_.get(), prepared.projection.get());
        // R18 once more, inside the write transaction: another situation's approval may
        // have been committed since the guards ran.
        if (prepared.budgetDecision) {
            store::FinanceRepository(db).lockEnvelopeYear(prepared.envelopeYear); // PostgreSQL: across servers
            const Cents committed = store::FinanceRepository(db).committedInYear(prepared.envelopeYear);
            const Cents available = network_->envelope(prepared.envelopeYear).value_or(0);
            if (committed > available) {
                EnvelopeFigures now = prepared.figures ? *prepared.figures : envelope(prepared.envelopeYear);
                now.committed = committed - prepared.decidedAmount;
                throw RuleRefusal("budget approval refused",
                                  localiseViolations(
                                      {{"R18", "The approval would overspend the yearly envelope ({remaining} left)."}},
                                      language_, *network_, now));
            }
        }
        if (alsoInTransaction) alsoInTransaction(db, storedEvent);
    };
}

FireResult FundingProcess::fire(std::int64_t situationId, const std::string& event,
                                const std::optional<std::string>& dataXml, const std::string& dataName,
                                const Actor& actor, std::optional<std::int64_t> expectedVersion,
                                const store::Projector& alsoInTransaction) {
    // The guards read one view of the database (the append checks its version under the lock).
    const PreparedEvent prepared = [&] {
        const store::ReadSnapshot snapshot(*db_);
        return prepare(situationId, event, dataXml, dataName, actor, expectedVersion);
    }();
    const auto stored = store::EventStore(*db_).append(prepared.event, prepared.expectedVersion,
                                                       projectorFor(prepared, alsoInTransaction));
    return {situationId, stored.sequence, prepared.outcome};
}

std::vector<store::StoredEvent> FundingProcess::fireTogether(
    const std::function<std::vector<BatchEvent>(store::Database&)>& plan, const Actor& actor,
    const std::function<void(store::Database&, const std::vector<store::StoredEvent>&)>& after) {
    store::Transaction transaction(*db_);
    // Planned under the write lock: what the plan reads (amounts still to pay) cannot change
    // before its events are stored.
    const std::vector<BatchEvent> batch = plan(*db_);
    std::vector<store::StoredEvent> stored;
    std::vector<RuleViolation> refusals;
    std::string firstRefusal;
    for (const BatchEvent& item : batch) {
        std::optional<PreparedEvent> prepared;
        try {
            prepared = prepare(item.situationId, item.event, item.dataXml, item.event, actor, std::nullopt);
        } catch (const RuleRefusal& refusal) {
            if (firstRefusal.empty()) firstRefusal = item.label + ": " + refusal.what();
            for (const auto& violation : refusal.violations())
                refusals.push_back({violation.ruleId, item.label + ": " + violation.message});
            continue;
        } catch (const EventNotAllowed& refused) {
            if (firstRefusal.empty()) firstRefusal = item.label + ": " + refused.what();
            refusals.push_back({"", item.label + ": " + refused.what()});
            continue;
        }
        // Judged over the situation as the batch's earlier events left it: those are in this
        // transaction already.
        stored.push_back(store::EventStore(*db_).appendInOpenTransaction(prepared->event, prepared->expectedVersion,
                                                                         projectorFor(*prepared, {})));
    }
    if (!refusals.empty())
        throw RuleRefusal(std::to_string(refusals.size()) + " refusal(s), nothing recorded; first: " + firstRefusal,
                          refusals);
    if (after) after(*db_, stored);
    transaction.commit();
    return stored;
}

SituationRecord FundingProcess::situation(std::int64_t id) const {
    auto row = store::SituationRepository(*db_).find(id);
    if (!row) throw NotFound("no situation " + std::to_string(id));
    return recordOf(std::move(*row));
}

const Situation& FundingProcess::parsedSituation(const SituationRecord& record) const {
    return parsed_->parsed(record.id, record.document);
}

std::vector<SituationRecord> FundingProcess::situations(const std::optional<std::string>& state) const {
    std::vector<SituationRecord> records;
    for (auto& row : store::SituationRepository(*db_).list(state)) records.push_back(recordOf(std::move(row)));
    return records;
}

FundingProcess::SituationPage FundingProcess::situationPage(const store::SituationFilter& filter, std::int64_t afterId,
                                                            int limit) const {
    auto page = store::SituationRepository(*db_).page(filter, afterId, limit);
    SituationPage result;
    result.nextAfter = page.nextAfter;
    for (auto& row : page.rows) result.records.push_back(recordOf(std::move(row)));
    return result;
}

std::int64_t FundingProcess::situationCount(const store::SituationFilter& filter) const {
    return store::SituationRepository(*db_).count(filter);
}

std::vector<store::StoredEvent> FundingProcess::history(std::int64_t id) const {
    auto events = store::EventStore(*db_).events(id);
    if (events.empty()) throw NotFound("no situation " + std::to_string(id));
    return events;
}

std::vector<std::string> FundingProcess::allowedEvents(std::int64_t id) const {
    return eventsTakenIn(chart_, situation(id).state);
}

std::vector<DueDeadline> FundingProcess::due(const Date& at) const {
    std::vector<DueDeadline> found;
    for (auto& row : store::DeadlineRepository(*db_).pendingUntil(at.iso())) {
        DueDeadline deadline{row.situationId, std::move(row.sendId), std::move(row.event), std::move(row.due), false};
        deadline.overdue = deadline.due < at.iso();
        found.push_back(std::move(deadline));
    }
    return found;
}

std::vector<AttentionFlag> FundingProcess::attention(const Date& at) const {
    return attentionFlagsOn(*db_, *network_, at);
}

std::vector<DueDeadline> FundingProcess::fireDue(const Date& at, const Actor& actor) {
    std::vector<DueDeadline> fired;
    for (const DueDeadline& deadline : due(at)) {
        const SituationRecord current = situation(deadline.situationId);
        const Date today = at;
        GuardContext guards(Situation::fromStored(current.document), current.document, *network_, nullptr, actor,
                            deadline.event, today, envelope(today.year()), current.category);
        workflow::Interpreter interpreter(chart_, guards.context());
        interpreter.restore(workflow::StateSet::parse(current.state));
        EventPayload payload;
        payload.type = deadline.event;
        try {
            payload.outcome = outcomeOf(interpreter.fire(deadline.event), interpreter, today);
        } catch (const UsageError&) {
            // The situation moved on and the deadline no longer applies: record that it lapsed,
            // so it is not offered again, without changing the state.
            payload.outcome.configuration = interpreter.configuration();
            payload.outcome.activeStates = interpreter.activeAtomicStates();
            payload.outcome.finished = interpreter.finished();
            payload.type = "deadline.lapsed";
        }
        payload.outcome.firedDeadline = deadline.sendId;
        store::EventStore(*db_).append({deadline.situationId, payload.type, actor.toString(), payload.toXml()},
                                       current.version, projector());
        fired.push_back(deadline);
    }
    return fired;
}

EnvelopeFigures FundingProcess::envelope(int year) const {
    EnvelopeFigures figures;
    figures.year = year;
    figures.amount = network_->envelope(year).value_or(0);
    const store::FinanceRepository finance(*db_);
    figures.committed = finance.committedInYear(year);
    figures.paid = finance.paidInYear(year);
    return figures;
}

std::int64_t FundingProcess::lastEventPosition() const {
    return store::EventStore(*db_).lastPosition();
}

EnvelopeForecast FundingProcess::envelopeForecast(int year, const Date& asOf) const {
    EnvelopeForecast forecast;
    forecast.figures = envelope(year);
    forecast.asOf = asOf.iso();
    const auto progress = yearProgress(year, asOf);
    forecast.elapsedDays = progress.elapsedDays;
    forecast.daysInYear = progress.daysInYear;
    forecast.projectedCommitted = projectedAtPace(forecast.figures.committed, progress);
    forecast.underSpending = underSpendingOf(progress, forecast.figures.amount, forecast.figures.committed,
                                             forecast.figures.paid, network_->underSpendingWarningPoints());
    return forecast;
}

UnderSpendingFigure underSpendingOf(const YearProgress& progress, Cents envelope, Cents committed, Cents paid,
                                    int warningPoints) {
    UnderSpendingFigure under;
    under.warningPoints = warningPoints;
    under.elapsedPermille = progress.daysInYear ? progress.elapsedDays * 1000 / progress.daysInYear : 0;
    under.envelopeKnown = envelope > 0;
    if (under.envelopeKnown) {
        under.committedPermille = static_cast<int>(committed * 1000 / envelope);
        under.paidPermille = static_cast<int>(paid * 1000 / envelope);
        under.warning = under.elapsedPermille - under.committedPermille > under.warningPoints * 10;
    }
    return under;
}

YearProgress yearProgress(int year, const Date& asOf) {
    const Date first = Date::parseOrThrow(std::to_string(year) + "-01-01", "year");
    const Date last = Date::parseOrThrow(std::to_string(year) + "-12-31", "year");
    const auto days = [](const Date& from, const Date& to) {
        return static_cast<int>((std::chrono::sys_days(to.ymd()) - std::chrono::sys_days(from.ymd())).count());
    };
    YearProgress progress;
    progress.daysInYear = days(first, last) + 1;
    if (asOf < first)
        progress.elapsedDays = 0;
    else if (asOf > last)
        progress.elapsedDays = progress.daysInYear;
    else
        progress.elapsedDays = days(first, asOf) + 1;
    return progress;
}

Cents projectedAtPace(Cents soFar, const YearProgress& progress) {
    // Before the year starts there is no pace yet: the projection is what is already there.
    return progress.elapsedDays == 0 ? soFar : soFar * progress.daysInYear / progress.elapsedDays;
}

namespace {

// The finance checks of one funding request (see FundingCheck) from a dry run's verdicts:
// the rules that feed a check, grouped under it in the order the workflow first names it.
std::vector<FundingCheck> checksOf(const workflow::DryRun& run, const std::string& language,
                                   const NetworkSettings& network, const EnvelopeFigures& envelope) {
    std::vector<FundingCheck> checks;
    std::map<std::string, bool> onlyAttention; // check -> every unmet rule of it is unmet="attention"
    for (const workflow::RuleVerdict& verdict : run.rules) {
        const workflow::RuleGuard& rule = verdict.rule;
        if (rule.check.empty()) continue;
        auto check = std::find_if(checks.begin(), checks.end(), [&](const auto& c) { return c.id == rule.check; });
        if (check == checks.end())
            check = checks.insert(checks.end(), FundingCheck{rule.check, rule.ruleId, CheckStatus::Pass, {}});
        if (verdict.passed) continue;
        check->unmet.push_back({rule.ruleId, rule.message});
        onlyAttention.emplace(rule.check, true).first->second &= rule.attention;
    }
    for (FundingCheck& check : checks) {
        if (check.unmet.empty()) continue;
        check.status = onlyAttention[check.id] ? CheckStatus::Attention : CheckStatus::Fail;
        check.unmet = localiseViolations(check.unmet, language, network, envelope);
    }
    return checks;
}

} // namespace

const char* checkStatusName(CheckStatus status) {
    switch (status) {
    case CheckStatus::Pass:
        return "pass";
    case CheckStatus::Fail:
        return "fail";
    case CheckStatus::Attention:
        return "attention";
    }
    return "fail";
}

std::vector<FundingRequestSummary> FundingProcess::fundingRequests(const std::optional<std::string>& state) const {
    std::vector<FundingRequestSummary> found;
    std::map<int, EnvelopeFigures> envelopes;
    for (auto& row : store::FinanceRepository(*db_).requests(state)) {
        FundingRequestSummary summary;
        summary.situationId = row.situationId;
        summary.requestId = std::move(row.requestId);
        summary.state = std::move(row.state);
        summary.year = row.year;
        summary.requested = row.requestedCents;
        summary.approved = row.approvedCents;
        summary.paid = row.paidCents;
        summary.submittedAt = std::move(row.submittedAt);
        summary.decidedAt = std::move(row.decidedAt);
        summary.situationVersion = row.situationVersion;
        const Situation situation = Situation::fromStored(row.situationDocument);
        summary.reference = situation.reference();
        xml::XPath xpath(situation.document());
        xmlNode* request = nullptr;
        for (xmlNode* candidate : xpath.nodes("/situation/fundingRequests/fundingRequest"))
            if (xml::attribute(candidate, "id").value_or("") == summary.requestId) request = candidate;
        if (!request) continue; // the projection and the document always agree; never invent a request
        summary.date = xml::attribute(request, "date").value_or("");
        summary.renewalOf = xml::attribute(request, "renewalOf").value_or("");
        for (xmlNode* line : xml::children(request, "line"))
            summary.lines.push_back({xml::attribute(line, "category").value_or(""),
                                     xml::attribute(line, "action").value_or(""),
                                     parseCents(xml::attribute(line, "amount").value_or("")).value_or(0)});
        if (xmlNode* payee = xml::firstChild(request, "payee")) {
            summary.payeeName = xml::attribute(payee, "name");
            summary.payeeIban = xml::attribute(payee, "iban");
        }
        xmlNode* declaration = xml::firstChild(request, "noDoubleSubsidy");
        summary.noDoubleSubsidyDeclared = declaration && isXsTrue(xml::attribute(declaration, "declared").value_or(""));
        // The checks dry-run an approval decided today: its envelope is the one R18's rule gives.
        const int checkedYear = network_->commitmentYear(summary.date, Date::today().iso()).value_or(summary.year);
        auto envelopeOfYear = envelopes.find(checkedYear);
        if (envelopeOfYear == envelopes.end())
            envelopeOfYear = envelopes.emplace(checkedYear, envelope(checkedYear)).first;
        summary.checks = fundingChecks(row.situationDocument, summary, envelopeOfYear->second);
        found.push_back(std::move(summary));
    }
    return found;
}

// The checks dry-run the workflow's approval from the state it leaves, whatever state the
// request is in, so finance sees what an approval would meet at any time.
std::vector<FundingCheck> FundingProcess::fundingChecks(const std::string& document,
                                                        const FundingRequestSummary& request,
                                                        const EnvelopeFigures& envelope) const {
    const workflow::EventDeclaration* approval = chart_->approvingEvent();
    if (!approval) return {};
    std::string approvalState;
    for (const auto& transition : chart_->transitions())
        if (approvalState.empty() &&
            std::find(transition.events.begin(), transition.events.end(), approval->event) != transition.events.end())
            approvalState = transition.source;
    // The situation as the approval would leave it: the coordinator grants what is requested.
    const Date today = Date::today();
    Situation candidate = Situation::fromStored(document);
    const xml::Document decision = xml::parseString(
        "<budgetDecision request=\"" + xml::escaped(request.requestId) + "\" date=\"" + today.iso() +
            "\" outcome=\"approved\" amount=\"" + std::to_string(request.requested) + "\" by=\"funding checks\"/>",
        "dry run of " + approval->event);
    xmlNode* placed = candidate.apply(xml::root(decision.get()));
    GuardContext guards(candidate, document, *network_, placed, Actor{"coordinator", "funding checks"}, approval->event,
                        today, envelope, candidate.category(*network_));
    guards.setSignatureFacts(guardFacts(candidate.document(), guards.before(), placed, trustStore(), *network_,
                                        planFactsFor(*chart_, approval->event)),
                             request.situationVersion);
    workflow::Interpreter interpreter(chart_, guards.context());
    interpreter.restore({approvalState});
    return checksOf(interpreter.dryRun(approval->event), language_, *network_, envelope);
}

std::vector<PaymentRecord> FundingProcess::payments(std::optional<int> year) const {
    std::vector<PaymentRecord> found;
    for (auto& row : store::FinanceRepository(*db_).payments(year)) {
        PaymentRecord record;
        record.situationId = row.situationId;
        record.requestId = std::move(row.requestId);
        record.paymentId = std::move(row.paymentId);
        record.paidOn = std::move(row.paidOn);
        record.amount = row.amountCents;
        const Situation situation = Situation::fromStored(row.situationDocument);
        record.reference = situation.reference();
        xml::XPath xpath(situation.document());
        for (xmlNode* payment : xpath.nodes("/situation/payments/payment"))
            if (xml::attribute(payment, "id").value_or("") == record.paymentId)
                record.transferReference = xml::attribute(payment, "reference").value_or("");
        if (const auto communication = paymentCommunication(record.situationId, situation.document(), record.paymentId))
            record.communication = communication->formatted();
        for (xmlNode* request : xpath.nodes("/situation/fundingRequests/fundingRequest")) {
            if (xml::attribute(request, "id").value_or("") != record.requestId) continue;
            if (xmlNode* payee = xml::firstChild(request, "payee")) {
                record.payeeName = xml::attribute(payee, "name").value_or("");
                record.payeeIban = xml::attribute(payee, "iban").value_or("");
            }
        }
        found.push_back(std::move(record));
    }
    return found;
}

store::SubmittedTotals FundingProcess::submittedInYear(int year) const {
    return store::FinanceRepository(*db_).submittedInYear(year);
}

void FundingProcess::setLanguage(const std::string& language) {
    language_ = i18n::checkLanguage(language);
}

std::shared_ptr<const NetworkSettings> FundingProcess::firstNetworkSettings() const {
    const auto settingsEvents = store::networkSettingsEvents(*db_);
    if (settingsEvents.empty()) return network_;
    return NetworkSettings::fromString(settingsEvents.front().payload,
                                       "network settings of event " + std::to_string(settingsEvents.front().position));
}

namespace {

// The projections of the whole log replayed into a scratch database no one else sees, by the
// same migrations and the same projector as the live tables.
store::Database replayLog(store::Database& db, std::shared_ptr<const NetworkSettings> first,
                          std::shared_ptr<const workflow::StateChart> chart) {
    store::Database replayed = store::Database::openScratch();
    store::migrate(replayed);
    const store::Projector project = replayProjector(std::move(first), std::move(chart));
    store::Transaction transaction(replayed);
    store::EventStore(db).forEachEvent([&](const store::StoredEvent& event) { project(replayed, event); });
    transaction.commit();
    return replayed;
}

} // namespace

std::vector<store::ProjectionDrift> FundingProcess::projectionDrift() const {
    store::Database replayed = replayLog(*db_, firstNetworkSettings(), chart_);
    return store::compareProjections(*db_, replayed);
}

store::VerifyReport FundingProcess::verify() const {
    store::VerifyReport report = store::EventStore(*db_).verify();
    // Projections are only worth comparing with a log that is itself intact.
    if (report.chainIntact) {
        try {
            for (auto& drift : projectionDrift()) report.addDrift(std::move(drift));
        } catch (const Conflict&) {
            throw;
        } catch (const Error& error) {
            report.addProblem(std::string("replaying the log failed: ") + error.what());
        }
    }
    // Stored events whose data their event does not take (docs/events.md) are forgeries too.
    if (report.chainIntact)
        for (const auto& problem : storedScopeProblems(*chart_, store::EventStore(*db_))) report.addProblem(problem);
    const store::ReadLogCheck reads = store::ReadLogStore(*db_).verify();
    report.readsChecked = reads.rowsChecked;
    report.readChainIntact = reads.intact;
    if (reads.intact) {
        report.readHeadId = reads.reached.id;
        report.readHeadHash = reads.reached.id == 0 ? std::string() : reads.reached.hash;
    } else {
        report.addProblem(reads.problem);
    }
    return report;
}

std::vector<store::ProjectionDrift> FundingProcess::rebuild() {
    // One replay serves both the report of what drifted and the new tables. The write lock is
    // taken first, so no event can be appended between the replay and the replacement.
    store::Transaction transaction(*db_);
    store::Database replayed = replayLog(*db_, firstNetworkSettings(), chart_);
    auto drifts = store::compareProjections(*db_, replayed);
    store::replaceProjections(*db_, replayed);
    transaction.commit();
    return drifts;
}

signature::TrustStore FundingProcess::trustStore() const {
    return signature::TrustStore(store::TrustRepository(*db_));
}

store::AccountRepository FundingProcess::accounts() const {
    return store::AccountRepository(*db_);
}

store::IdempotencyKeys FundingProcess::idempotencyKeys() const {
    return store::IdempotencyKeys(*db_);
}

store::FinanceRepository FundingProcess::finance() const {
    return store::FinanceRepository(*db_);
}

store::PaymentRunRepository FundingProcess::paymentRuns() const {
    return store::PaymentRunRepository(*db_);
}

std::int64_t FundingProcess::situationCount() const {
    return store::SituationRepository(*db_).count();
}

std::optional<std::string> FundingProcess::eventHash(std::int64_t position) const {
    return store::EventStore(*db_).hashAt(position);
}

std::optional<std::string> FundingProcess::readHash(std::int64_t id) const {
    return store::ReadLogStore(*db_).hashOf(id);
}

void FundingProcess::recordRead(const Actor& reader, const std::vector<std::int64_t>& situationIds,
                                const std::string& what) {
    std::vector<store::ReadRecord> rows;
    const std::string now = utcNowIso();
    for (const auto id : situationIds) rows.push_back({now, reader.name, reader.role, id, what});
    store::ReadLogStore(*db_).append(rows);
}

} // namespace caseflow
