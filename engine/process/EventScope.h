// Which data each event may carry, as its workflow declares it (<cf:event>, docs/events.md),
// and what a registration may hold (phase 1 only). What must stay true: these checks run
// before any guard, on live events and on stored ones alike, so that no element rides on an
// event it does not belong to and no event changes a part of the situation it is not about
// (a payment is only ever added, by payment.recorded; an approval only by budget.approved).
#pragma once

#include "core/Errors.h"
#include "store/EventStore.h"
#include "workflow/StateChart.h"
#include "xml/Xml.h"

#include <optional>
#include <string>
#include <vector>

namespace caseflow {

inline constexpr const char* kRegistrationEvent = "situation.registered";

// Throws DataOutOfScope unless `chart` declares that `event` takes `data` (nullptr: no data),
// making the change it declares over `before`, the situation document before the event.
// Events the chart does not know are left to the interpreter, which refuses them.
void checkEventScope(const workflow::StateChart& chart, const std::string& event, const xmlNode* data,
                     const xmlDoc* before);

// Throws DataOutOfScope when a registration document holds anything but the youth, the
// emergency flag, consents, partners and the request: later parts arrive through their events.
void checkRegistrationScope(const xmlDoc* situation);

// "<consent> (add)", "<budgetDecision outcome=\"approved\"> (add)", or "no data".
std::string describeTakes(const workflow::EventDeclaration* declaration);

// One stored event checked against the chart: `before` is the situation document its
// predecessors projected (ignored for a registration). The problem, or nullopt.
std::optional<std::string> storedEventScopeProblem(const workflow::StateChart& chart, const store::StoredEvent& event,
                                                   const xmlDoc* before);

// Replays the whole log in memory and lists every stored event that breaks the rule above,
// as "event 17 (situation 3, payment.recorded): ...". Empty when none does.
std::vector<std::string> storedScopeProblems(const workflow::StateChart& chart, const store::EventStore& events);

} // namespace caseflow
