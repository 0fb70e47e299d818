// Firing a workflow event on behalf of the caller, shared by the situation and finance
// endpoints. What must stay true: the actor is the authenticated principal (role:name from
// the token's user), never anything from the request; a stale If-Match is a 412 and a lost
// race without one is a 409; an event the state does not take (the process's EventNotAllowed)
// is a 409 naming the events it does take, and this layer never asks the workflow again.
// Rule refusals pass through untouched (the request handler makes them 422).
#pragma once

#include "process/FundingProcess.h"
#include "service/Problem.h"
#include "views/SituationViews.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace caseflow::service {

class RequestContext;

struct FireRequest {
    std::int64_t situationId = 0;
    std::string event;
    std::optional<std::string> dataXml;
    std::optional<std::int64_t> expectedVersion;
    bool expectedFromIfMatch = false; // a stale version is then 412, else 409
};

FireResult fireForCaller(RequestContext& context, const FireRequest& request,
                         const store::Projector& alsoInTransaction = store::Projector());

// Records a signed care plan or budget decision (SigningDesk::submit) on behalf of
// the caller, with the same error mapping as fireForCaller; `request.event` names the event
// the signed element stands for, for the messages and the metrics.
FireResult submitSignedForCaller(RequestContext& context, const FireRequest& request, const std::string& signedXml);

// The 422 data-out-of-scope problem for data an event (or a registration) does not take,
// naming the event, the element received and what the event takes, in the caller's language.
Problem outOfScopeProblem(const DataOutOfScope& refusal);
// The 409 event-not-allowed problem, naming the state and the events it takes.
Problem eventNotAllowedProblem(const EventNotAllowed& refusal);
// The 409 problem for a youth reference already registered, naming the existing situation.
Problem alreadyRegisteredProblem(const AlreadyRegistered& refusal);

// The response body of an accepted event (situation id, version, state, finished, deadlines).
using views::fireResultJson;

} // namespace caseflow::service
