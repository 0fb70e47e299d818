// The service's side of the authorisation matrix (see Authorisation.h): the matrix answers,
// this file turns a refusal into the 403 problem.
#include "service/Authorisation.h"

#include "service/Problem.h"

namespace caseflow::service {

bool maySee(const Principal& principal, const Permission& permission, std::int64_t situationId) {
    return caseflow::maySee(permission, principal.isAssignedTo(situationId));
}

Permission require(const Principal& principal, Operation operation) {
    const Permission permission = permissionFor(principal.role, operation);
    if (!permission.allowed())
        throw ProblemException(
            Problem(ProblemKind::Forbidden, "The role {role} may not use this endpoint.").arg("role", principal.role));
    return permission;
}

Permission requireSituation(const Principal& principal, Operation operation, std::int64_t situationId) {
    const Permission permission = require(principal, operation);
    if (!maySee(principal, permission, situationId))
        throw ProblemException(Problem(ProblemKind::Forbidden, "You are not assigned to situation {id}.")
                                   .arg("id", std::to_string(situationId)));
    return permission;
}

} // namespace caseflow::service
