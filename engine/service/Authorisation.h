// Where the HTTP service enforces the authorisation matrix of process/Authorisation.h. What
// must stay true: every route names its Operation and the request handler asks
// permissionFor() before running it; situation-level checks go through requireSituation() /
// maySee(); the table itself lives in process/, the one both front ends read.
#pragma once

#include "process/Authorisation.h"
#include "service/Principal.h"

#include <cstdint>

namespace caseflow::service {

using caseflow::Access;
using caseflow::allOperations;
using caseflow::isPublic;
using caseflow::isScopedRole;
using caseflow::Operation;
using caseflow::operationName;
using caseflow::Permission;
using caseflow::permissionFor;
using caseflow::View;

// Whether `principal` may see situation `id` under `permission` (Assigned: only their own).
bool maySee(const Principal& principal, const Permission& permission, std::int64_t situationId);

// Throws the 403 problem when `principal` may not perform `operation` on situation `id`.
Permission requireSituation(const Principal& principal, Operation operation, std::int64_t situationId);
// Throws the 403 problem when `principal` may not perform `operation` at all.
Permission require(const Principal& principal, Operation operation);

} // namespace caseflow::service
