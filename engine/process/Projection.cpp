// Projection of events. What must stay true: the result depends only on the events, in
// order (no clock, no other state), so `caseflow rebuild` reproduces the live tables.
#include "process/Projection.h"

#include "core/Errors.h"
#include "model/Money.h"
#include "model/Situation.h"
#include "process/EventPayload.h"

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

void projectFunding(store::Database& db, const store::StoredEvent& event, xmlNode* data,
                    const workflow::StateChart& chart) {
    const std::string part = xml::name(data);
    if (part == "fundingRequest") {
        const bool submitted = chart.submitsDossier(event.type);
        const std::string date = xml::attribute(data, "date").value_or("");
        auto upsert = db.prepare(
            "INSERT INTO funding_requests(situation_id, request_id, state, year, requested_cents, submitted_at) "
            "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(situation_id, request_id) DO UPDATE SET "
            "state = excluded.state, year = excluded.year, requested_cents = excluded.requested_cents, "
            "submitted_at = COALESCE(excluded.submitted_at, funding_requests.submitted_at)");
        upsert.bind(1, event.situationId)
            .bind(2, xml::attribute(data, "id").value_or(""))
            .bind(3, std::string(submitted ? "budget-check" : "in-preparation"))
            .bind(4, yearOf(date))
            .bind(5, requestedTotal(data));
        if (submitted)
            upsert.bind(6, date);
        else
            upsert.bind(6, nullptr);
        upsert.step();
    } else if (part == "budgetDecision") {
        const std::string outcome = xml::attribute(data, "outcome").value_or("");
        auto update = db.prepare("UPDATE funding_requests SET state = ?1, decided_at = ?2, "
                                 "approved_cents = CASE WHEN ?1 = 'approved' THEN ?3 ELSE 0 END "
                                 "WHERE situation_id = ?4 AND request_id = ?5");
        update.bind(1, outcome)
            .bind(2, xml::attribute(data, "date").value_or(""))
            .bind(3, centsAttribute(data, "amount"))
            .bind(4, event.situationId)
            .bind(5, xml::attribute(data, "request").value_or(""))
            .step();
    } else if (part == "payment") {
        const std::string request = xml::attribute(data, "request").value_or("");
        const Cents amount = centsAttribute(data, "amount");
        db.prepare("INSERT INTO payments(situation_id, request_id, payment_id, paid_on, amount_cents) "
                   "VALUES(?1, ?2, ?3, ?4, ?5)")
            .bind(1, event.situationId)
            .bind(2, request)
            .bind(3, xml::attribute(data, "id").value_or(""))
            .bind(4, xml::attribute(data, "date").value_or(""))
            .bind(5, amount)
            .step();
        db.prepare("UPDATE funding_requests SET paid_cents = paid_cents + ?1, "
                   "state = CASE WHEN paid_cents + ?1 >= approved_cents THEN 'paid' ELSE 'partially-paid' END "
                   "WHERE situation_id = ?2 AND request_id = ?3")
            .bind(1, amount)
            .bind(2, event.situationId)
            .bind(3, request)
            .step();
    }
}

void projectDeadlines(store::Database& db, const store::StoredEvent& event, const WorkflowOutcome& outcome) {
    if (outcome.firedDeadline) {
        db.prepare("UPDATE deadlines SET fired_at = ?1 WHERE situation_id = ?2 AND send_id = ?3")
            .bind(1, event.recordedAt)
            .bind(2, event.situationId)
            .bind(3, *outcome.firedDeadline)
            .step();
    }
    for (const auto& cancelled : outcome.cancelled) {
        db.prepare("DELETE FROM deadlines WHERE situation_id = ?1 AND send_id = ?2 AND fired_at IS NULL")
            .bind(1, event.situationId)
            .bind(2, cancelled)
            .step();
    }
    for (const auto& deadline : outcome.deadlines) {
        db.prepare("INSERT INTO deadlines(situation_id, send_id, event, due_at, fired_at) VALUES(?1, ?2, ?3, ?4, NULL) "
                   "ON CONFLICT(situation_id, send_id) DO UPDATE SET event = excluded.event, due_at = excluded.due_at, "
                   "fired_at = NULL")
            .bind(1, event.situationId)
            .bind(2, deadline.sendId)
            .bind(3, deadline.event)
            .bind(4, deadline.due)
            .step();
    }
    // A finished situation has nothing left to wait for.
    if (outcome.finished) {
        db.prepare("DELETE FROM deadlines WHERE situation_id = ?1 AND fired_at IS NULL")
            .bind(1, event.situationId)
            .step();
    }
}

} // namespace

void projectEvent(store::Database& db, const store::StoredEvent& event, const NetworkSettings& network,
                  const workflow::StateChart& chart) {
    if (event.situationId == store::networkStream) {
        if (event.type != store::networkSettingsEvent)
            throw Error("event " + std::to_string(event.position) + " of the network's stream has unknown type '" +
                        event.type + "'");
        db.prepare("INSERT INTO meta(key, value) VALUES('network', ?1) "
                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .bind(1, event.payload)
            .step();
        return;
    }
    const EventPayload payload = EventPayload::parse(event.payload);
    xmlNode* data = payload.dataElement();
    const std::string state = joinStates(payload.outcome.activeStates);

    if (event.sequence == 1) {
        if (!data || xml::name(data) != "situation")
            throw Error("event " + std::to_string(event.position) +
                        " opens a situation without a <situation> document");
        Situation situation = Situation::fromStored(xml::serializeNode(data));
        situation.setId(event.situationId);
        const auto category = situation.category(network);
        auto insert = db.prepare("INSERT INTO situations(id, version, state, category, municipality, registered_at, "
                                 "updated_at, document) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)");
        insert.bind(1, event.situationId).bind(2, event.sequence).bind(3, state);
        if (category)
            insert.bind(4, *category);
        else
            insert.bind(4, nullptr);
        insert.bind(5, situation.municipality()).bind(6, event.recordedAt).bind(7, situation.toXml()).step();
    } else {
        auto select = db.prepare("SELECT document FROM situations WHERE id = ?1");
        select.bind(1, event.situationId);
        if (!select.step())
            throw Error("event " + std::to_string(event.position) + " for unknown situation " +
                        std::to_string(event.situationId));
        Situation situation = Situation::fromStored(select.columnText(0));
        if (data) situation.apply(data);
        db.prepare("UPDATE situations SET version = ?1, state = ?2, updated_at = ?3, document = ?4 WHERE id = ?5")
            .bind(1, event.sequence)
            .bind(2, state)
            .bind(3, event.recordedAt)
            .bind(4, situation.toXml())
            .bind(5, event.situationId)
            .step();
        if (data) projectFunding(db, event, data, chart);
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
