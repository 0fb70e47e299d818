// Firing events for the caller (see EventFiring.h).
#include "service/EventFiring.h"

#include "process/SigningDesk.h"
#include "service/Problem.h"
#include "service/RequestContext.h"

#include <Poco/JSON/Array.h>

namespace caseflow::service {

namespace {

// Runs one recording use case for the caller and turns the engine's refusals into the
// service's problems (see EventFiring.h).
FireResult recordForCaller(RequestContext& context, const FireRequest& request,
                           const std::function<FireResult(FundingProcess&)>& record) {
    FundingProcess& process = context.process();
    try {
        auto result = record(process);
        context.state.metrics.eventAppended(request.event);
        return result;
    } catch (const DataOutOfScope& outOfScope) {
        throw ProblemException(outOfScopeProblem(outOfScope));
    } catch (const EventNotAllowed& notAllowed) {
        throw ProblemException(eventNotAllowedProblem(notAllowed));
    } catch (const InvalidInput&) {
        throw; // a document problem: 422 with the schema's details
    } catch (const UsageError& error) {
        throw ProblemException(Problem(ProblemKind::BadRequest, "").literalDetail(error.what()));
    } catch (const Conflict& conflict) {
        const auto current = process.situation(request.situationId).version;
        if (request.expectedFromIfMatch)
            throw ProblemException(
                Problem(ProblemKind::PreconditionFailed,
                        "The situation is at version {current}, not {expected}: reload it and retry.")
                    .arg("current", std::to_string(current))
                    .arg("expected", std::to_string(request.expectedVersion.value_or(0)))
                    .extension("currentVersion", current)
                    .header("ETag", etagOf(current)));
        throw ProblemException(
            Problem(ProblemKind::Conflict, "Another change to situation {id} was recorded first: reload it and retry.")
                .arg("id", std::to_string(request.situationId))
                .extension("currentVersion", current)
                .header("ETag", etagOf(current)));
    }
}

} // namespace

Problem outOfScopeProblem(const DataOutOfScope& refusal) {
    using Reason = DataOutOfScope::Reason;
    auto problem = [&]() {
        switch (refusal.reason()) {
        case Reason::TakesNoData:
            return Problem(ProblemKind::DataOutOfScope, "The event '{event}' takes no data, but received <{element}>.");
        case Reason::OtherElement:
            return Problem(ProblemKind::DataOutOfScope,
                           "The event '{event}' does not take <{element}>; it takes {expected}.");
        case Reason::AttributeCondition:
            return Problem(ProblemKind::DataOutOfScope, "The event '{event}' takes <{element}> only with {expected}.");
        case Reason::WouldReplace:
            return Problem(ProblemKind::DataOutOfScope,
                           "The event '{event}' only adds a new <{element}>: the one with id '{expected}' is already "
                           "recorded and cannot be replaced.");
        case Reason::NothingToReplace:
            return Problem(ProblemKind::DataOutOfScope,
                           "The event '{event}' replaces a recorded <{element}>, and there is none with id "
                           "'{expected}'.");
        case Reason::LaterPhase:
            break;
        }
        return Problem(
            ProblemKind::DataOutOfScope,
            "A registration takes {expected} only, not <{element}>: it is recorded later, by its own event.");
    }();
    return problem.arg("event", refusal.event())
        .arg("element", refusal.element())
        .arg("expected", refusal.expected())
        .extension("event", refusal.event())
        .extension("element", refusal.element());
}

Problem eventNotAllowedProblem(const EventNotAllowed& refusal) {
    Poco::JSON::Array events;
    for (const auto& event : refusal.allowedEvents()) events.add(event);
    return Problem(ProblemKind::EventNotAllowed, "The situation is in state '{state}', which does not take '{event}'.")
        .labelledArg("state", "state", refusal.state())
        .labelledArg("event", "event", refusal.event())
        .extension("allowedEvents", events);
}

Problem alreadyRegisteredProblem(const AlreadyRegistered& refusal) {
    return Problem(ProblemKind::Conflict, "The youth reference {reference} is already registered as situation {id}.")
        .arg("reference", refusal.reference())
        .arg("id", std::to_string(refusal.situationId()))
        .extension("situationId", refusal.situationId());
}

FireResult fireForCaller(RequestContext& context, const FireRequest& request,
                         const store::Projector& alsoInTransaction) {
    return recordForCaller(context, request, [&](FundingProcess& process) {
        return process.fire(request.situationId, request.event, request.dataXml, "data", context.caller().actor(),
                            request.expectedVersion, alsoInTransaction);
    });
}

FireResult submitSignedForCaller(RequestContext& context, const FireRequest& request, const std::string& signedXml) {
    return recordForCaller(context, request, [&](FundingProcess& process) {
        return SigningDesk(process).submit(request.situationId, signedXml, "signed document", context.caller().actor(),
                                           request.expectedVersion);
    });
}

} // namespace caseflow::service
