// The roles and the authorisation matrix (docs/authorisation.md): which role may perform which
// operation, over which situations, and which view of a situation it receives. Both front
// ends ask this one table: the HTTP service before every route, the process's use cases for
// the roles they serve (the committee report, asked for on the command line too). What must stay true: a role or an
// operation missing from the table is denied, never allowed by default; finance and the committee only ever get the
// whitelisted views (R19); docs/authorisation.md is the same table (a test compares them).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow {

// The roles a user may be given (docs/domain.md), in the matrix's column order. The process
// itself also acts as "system" (deadlines, init), which no user may be.
inline constexpr std::array<std::string_view, 6> kUserRoles = {"coordinator", "case_manager", "pedopsychiatrist",
                                                               "finance",     "partner",      "committee"};
inline constexpr std::string_view kSystemRole = "system";

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
    ReadProof,        // issue 17: an invoice or proof of expense a payment carries
    ExportAccounting, // issue 17: the year's payments for the accounting
    ListPaymentsDue,
    FindPayment,
    ListPaymentRuns,
    BuildPaymentRun,
    ReadPaymentRun,
    ExportPaymentRun,
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

// Whether a caller holding `permission` may see a situation, given whether it is assigned to it.
bool maySee(const Permission& permission, bool assigned);

// The administration of the network's service (issue 16, item 5): the web application's
// /admin pages. They are not API operations (nothing of it is served under /api), so they are a
// table of their own beside the matrix, in docs/authorisation.md too ("Administration").
enum class Administration {
    Signers,  // the signers and their certificates; revoking one
    Accounts, // accounts: create, assign situations, reset a password, disable, enable
    Tokens,   // API tokens: issue, revoke
    ReadLog,  // the audit of who read which situation
};
const std::vector<Administration>& allAdministration();
std::string administrationName(Administration part); // "signers", as in docs/authorisation.md
// Whether `role` may use that part of the administration; an unknown role may not.
bool mayAdminister(std::string_view role, Administration part);
// Whether `role` may use any of it (the header's "Administration" entry).
bool mayAdministerAnything(std::string_view role);

// Roles that work only on the situations they are assigned to; registering a situation
// assigns it to its registrant when the role is one of these.
bool isScopedRole(std::string_view role);

} // namespace caseflow
