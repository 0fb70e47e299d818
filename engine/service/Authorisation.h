// The authorisation matrix (docs/authorisation.md) and the one place that enforces it: which
// role may call which operation, over which situations, and which view of a situation it
// receives. What must stay true: every route names its Operation and the request handler
// asks permissionFor() before running it; situation-level checks go through
// requireSituation() / maySee(); finance and committee only ever get the whitelisted views
// (R19); the matrix in docs/authorisation.md is the same table (a test compares them).
#pragma once

#include "service/Principal.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow::service {

enum class Operation {
    Health,
    OpenApi,
    Metrics,
    ListSituations,
    RegisterSituation,
    ReadSituation,
    FireEvent,
    ReadHistory,
    RenderDocument,
    PrepareCarePlanSignature,
    SubmitSignature,
    ListDue,
    ListFundingRequests,
    DecideFundingRequest,
    PrepareDecisionSignature,
    RecordPayment,
    ReadEnvelope,
    ExportPayments,
    ReadCommitteeReport,
};

// How much of a situation a caller may see.
enum class View {
    Full,      // the whole situation document: clinical roles and the coordinator
    Finance,   // amounts, requests, decisions, payments, payee; no clinical text, no identity (R19)
    Committee, // state, category and amounts only (R19)
};

enum class Access {
    Public,   // no token needed
    Denied,   // 403
    All,      // every situation
    Assigned, // only the situations the user is assigned to
};

struct Permission {
    Access access = Access::Denied;
    View view = View::Full;
    bool allowed() const { return access != Access::Denied; }
};

const std::vector<Operation>& allOperations();
std::string operationName(Operation operation); // "listSituations", as in docs/openapi.json's operationId

// The matrix: what `role` may do with `operation`. Public operations are public for everyone.
Permission permissionFor(std::string_view role, Operation operation);
bool isPublic(Operation operation);

// Whether `principal` may see situation `id` under `permission` (Assigned: only their own).
bool maySee(const Principal& principal, const Permission& permission, std::int64_t situationId);

// Throws the 403 problem when `principal` may not perform `operation` on situation `id`.
Permission requireSituation(const Principal& principal, Operation operation, std::int64_t situationId);
// Throws the 403 problem when `principal` may not perform `operation` at all.
Permission require(const Principal& principal, Operation operation);

// Roles that work only on the situations they are assigned to; registering a situation
// assigns it to its registrant when the role is one of these.
bool isScopedRole(std::string_view role);

} // namespace caseflow::service
