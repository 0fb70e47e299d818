// Projection of events. What must stay true: the result depends only on the events, in
// order (no clock, no other state), so `caseflow rebuild` reproduces the live tables.
#include "process/Projection.h"

#include "core/Errors.h"
#include "model/Money.h"
#include "model/Situation.h"
#include "process/CommitteeFacts.h"
#include "process/EventPayload.h"
#include "process/ParsedSituations.h"
#include "process/PaymentRuns.h"
#include "store/FinanceRepository.h"
#include "store/SettingsRepository.h"
#include "store/SituationRepository.h"

namespace caseflow {
namespace {

Cents centsAttribute(xmlNode* node, const char* name) {
    return parseCents(xml::attribute(node, name).value_or("")).value_or(0);
}

Cents requestedTotal(xmlNode* fundingRequest) {
    Cents total = 0;
    for (xmlNode* line : xml::children(fundingRequest, "line")) total += centsAttribute(line, "amount");
    return total;
}

int yearOf(const std::string& isoDate) {
    return isoDate.size() >= 4 ? std::stoi(isoDate.substr(0, 4)) : 0;
}

// The date of request `requestId` in `situation`, "" when it has none.
std::string requestDate(const Situation& situation, const std::string& requestId) {
    for (xmlNode* request :
         xml::children(xml::firstChild(xml::root(situation.document()), "fundingRequests"), "fundingRequest"))
        if (xml::attribute(request, "id") == requestId) return xml::attribute(request, "date").value_or("");
    return "";
}

void projectFunding(store::Database& db, const store::StoredEvent& event, xmlNode* data, const Situation& situation,
                    const NetworkSettings& network, const workflow::StateChart& chart) {
    store::FinanceRepository finance(db);
    const std::string part = xml::name(data);
    if (part == "fundingRequest") {
        const bool submitted = chart.submitsDossier(event.type);
        const std::string date = xml::attribute(data, "date").value_or("");
        finance.saveRequest(event.situationId, xml::attribute(data, "id").value_or(""),
                            submitted ? RequestState::BudgetCheck : RequestState::InPreparation, yearOf(date),
                            requestedTotal(data), submitted ? std::optional<std::string>(date) : std::nullopt);
    } else if (part == "budgetDecision") {
        const std::string outcome = xml::attribute(data, "outcome").value_or("");
        const auto decided = parseRequestState(outcome);
        // The schema allows only these three; a stored decision saying otherwise is corrupt, not news.
        if (decided != RequestState::Approved && decided != RequestState::Returned && decided != RequestState::Rejected)
            throw Error("event " + std::to_string(event.sequence) + " records a budget decision with outcome '" +
                        outcome + "', which is none of approved, returned, rejected");
        const std::string request = xml::attribute(data, "request").value_or("");
        const std::string decidedAt = xml::attribute(data, "date").value_or("");
        finance.decideRequest(event.situationId, request, *decided, decidedAt, centsAttribute(data, "amount"),
                              network.commitmentYear(requestDate(situation, request), decidedAt).value_or(0));
    } else if (part == "fundingClosure") {
        const bool withdrawn = xml::attribute(data, "outcome") == std::optional<std::string>("withdrawn");
        finance.closeRequest(event.situationId, xml::attribute(data, "request").value_or(""),
                             withdrawn ? RequestState::Withdrawn : RequestState::Closed);
    } else if (part == "closure") {
        finance.closeOpenRequests(event.situationId);
    } else if (part == "payment") {
        finance.recordPayment(event.situationId, xml::attribute(data, "request").value_or(""),
                              xml::attribute(data, "id").value_or(""), xml::attribute(data, "date").value_or(""),
                              centsAttribute(data, "amount"));
    }
}

// Where the youth was sent (issue 13: a redirection is never silent). A situation whose
// outcome is a `redirected-REASON` state of the chart's "redirected" phase carries
// <redirection date reason><redirectedTo/></redirection>, the destination from the network
// settings in force; a correction that reopens it (back through eligibility into the process)
// removes it, the log keeping when and why it was there. Only the reasons the schema knows
// are recorded. Depends on the event, its outcome and the settings only, so a replay agrees.
void projectRedirection(Situation& situation, const WorkflowOutcome& outcome, bool atRegistration,
                        const NetworkSettings& network, const workflow::StateChart& chart) {
    static const std::string prefix = "redirected-";
    std::string reason;
    for (const auto& state : outcome.activeStates)
        if (chart.phaseOf(state) == "redirected" && state.rfind(prefix, 0) == 0) reason = state.substr(prefix.size());
    xmlNode* root = xml::root(situation.document());
    xmlNode* existing = xml::firstChild(root, "redirection");
    if (reason.empty()) {
        if (existing) {
            xmlUnlinkNode(existing);
            xmlFreeNode(existing);
        }
        return;
    }
    if (reason != "emergency" && reason != "out-of-territory" && reason != "out-of-age-range") return;
    if (existing && xml::attribute(existing, "reason") == std::optional<std::string>(reason)) return;
    // Redirected at registration: on the registration date; later (a correction): on the
    // business date the event was recorded for.
    const std::string openedOn = xml::attribute(root, "openedOn").value_or("");
    const std::string date = atRegistration || outcome.today.empty() ? openedOn : outcome.today;
    std::string text = "<redirection date=\"" + xml::escaped(date) + "\" reason=\"" + reason + "\">";
    if (const auto to = network.redirectTo(reason)) text += "<redirectedTo>" + xml::escaped(*to) + "</redirectedTo>";
    const auto redirection = xml::parseString(text + "</redirection>", "redirection");
    situation.apply(xml::root(redirection.get()));
}

void projectDeadlines(store::Database& db, const store::StoredEvent& event, const WorkflowOutcome& outcome) {
    store::DeadlineRepository deadlines(db);
    if (outcome.firedDeadline) deadlines.markFired(event.situationId, *outcome.firedDeadline, event.recordedAt);
    for (const auto& cancelled : outcome.cancelled) deadlines.cancel(event.situationId, cancelled);
    for (const auto& deadline : outcome.deadlines)
        deadlines.schedule({event.situationId, deadline.sendId, deadline.event, deadline.due});
    // A finished situation has nothing left to wait for.
    if (outcome.finished) deadlines.cancelAllPending(event.situationId);
}

} // namespace

void projectEvent(store::Database& db, const store::StoredEvent& event, const NetworkSettings& network,
                  const workflow::StateChart& chart, ParsedSituations* parsed, PreparedProjection* prepared) {
    if (event.situationId == store::networkStream) {
        if (event.type == paymentRunEvent) return projectPaymentRun(db, event);
        if (event.type != store::networkSettingsEvent)
            throw Error("event " + std::to_string(event.position) + " of the network's stream has unknown type '" +
                        event.type + "'");
        store::SettingsRepository(db).setNetworkSettings(event.payload);
        return;
    }
    // The firing path's payload is the one this text was written from, and parse(toXml(p)) is p
    // (EventPayload.h): reading the text again would give the same.
    if (prepared && prepared->payloadText != event.payload) prepared = nullptr;
    std::optional<EventPayload> read;
    const EventPayload& payload = prepared ? prepared->payload : read.emplace(EventPayload::parse(event.payload));
    xmlNode* data = payload.dataElement();
    const std::string state = payload.outcome.activeStates.text();

    if (event.sequence == 1) {
        if (!data || xml::name(data) != "situation")
            throw Error("event " + std::to_string(event.position) +
                        " opens a situation without a <situation> document");
        Situation situation = Situation::fromStored(xml::serializeNode(data));
        situation.setId(event.situationId);
        projectRedirection(situation, payload.outcome, true, network, chart);
        std::string document = situation.toXml();
        const auto category = situation.category(network);
        store::SituationRepository(db).insert({event.situationId, event.sequence, state, category,
                                               situation.municipality(), event.recordedAt, event.recordedAt, document});
        projectCommitteeFacts(db, event, payload, situation, category, chart);
        if (parsed) parsed->remember(event.situationId, std::move(document), std::move(situation));
    } else {
        store::SituationRepository situations(db);
        const auto stored = situations.head(event.situationId);
        if (!stored)
            throw Error("event " + std::to_string(event.position) + " for unknown situation " +
                        std::to_string(event.situationId));
        // The candidate the guards judged is the stored document with this very data applied:
        // the row's version is the sequence of the event that last wrote its document, so the
        // same version is the same document, which is then not read at all.
        const bool candidate = prepared && prepared->candidate && prepared->baseVersion == stored->row.version;
        Situation situation = [&] {
            if (candidate) return std::move(*prepared->candidate);
            const std::string document = situations.document(event.situationId).value_or("");
            return parsed ? parsed->parsed(event.situationId, document).copy() : Situation::fromStored(document);
        }();
        if (candidate) prepared->candidate.reset();
        if (data && !candidate) situation.apply(data);
        projectRedirection(situation, payload.outcome, false, network, chart);
        std::string document = situation.toXml();
        // The category stays the one computed at registration (R2); the municipality follows a move.
        situations.update({event.situationId, event.sequence, state, stored->row.category, situation.municipality(),
                           stored->row.registeredAt, event.recordedAt, document},
                          *stored);
        if (data) projectFunding(db, event, data, situation, network, chart);
        projectCommitteeFacts(db, event, payload, situation, stored->row.category, chart);
        if (parsed) parsed->remember(event.situationId, std::move(document), std::move(situation));
    }
    projectDeadlines(db, event, payload.outcome);
}

store::Projector replayProjector(std::shared_ptr<const NetworkSettings> first,
                                 std::shared_ptr<const workflow::StateChart> chart) {
    return [network = std::move(first), chart = std::move(chart)](store::Database& db,
                                                                  const store::StoredEvent& event) mutable {
        if (event.situationId == store::networkStream && event.type == store::networkSettingsEvent)
            network = NetworkSettings::fromString(event.payload,
                                                  "network settings of event " + std::to_string(event.position));
        projectEvent(db, event, *network, *chart);
    };
}

} // namespace caseflow
