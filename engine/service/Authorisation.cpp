// The authorisation matrix as data (see Authorisation.h and docs/authorisation.md). What must
// stay true: a role or an operation missing from the table is denied, never allowed by
// default; this file is the only one that decides who may do what.
#include "service/Authorisation.h"

#include "service/Problem.h"

#include <array>

namespace caseflow::service {
namespace {

// Column order: coordinator, case_manager, pedopsychiatrist, finance, partner, committee.
constexpr std::array<const char*, 6> kRoles = {"coordinator", "case_manager", "pedopsychiatrist",
                                               "finance",     "partner",      "committee"};

struct Row {
    Operation operation;
    const char* name;
    std::array<Permission, 6> byRole;
};

constexpr Permission kNo{Access::Denied, View::Full};
constexpr Permission kAll{Access::All, View::Full};
constexpr Permission kAssigned{Access::Assigned, View::Full};
constexpr Permission kFinance{Access::All, View::Finance};
constexpr Permission kCommittee{Access::All, View::Committee};
constexpr Permission kPublic{Access::Public, View::Full};

// clang-format off
const std::array<Row, 19> kMatrix = {{
    //                                                   coordinator case_manager pedopsychiatrist finance partner  committee
    {Operation::Health,               "health",               {kPublic, kPublic,   kPublic,   kPublic,  kPublic,   kPublic}},
    {Operation::OpenApi,              "openApi",              {kPublic, kPublic,   kPublic,   kPublic,  kPublic,   kPublic}},
    {Operation::Metrics,              "metrics",              {kAll,    kNo,       kNo,       kAll,     kNo,       kAll}},
    {Operation::ListSituations,       "listSituations",       {kAll,    kAssigned, kAssigned, kFinance, kAssigned, kCommittee}},
    {Operation::RegisterSituation,    "registerSituation",    {kAll,    kAll,      kNo,       kNo,      kAll,      kNo}},
    {Operation::ReadSituation,        "getSituation",         {kAll,    kAssigned, kAssigned, kFinance, kAssigned, kCommittee}},
    {Operation::FireEvent,            "fireEvent",            {kAll,    kAssigned, kAssigned, kNo,      kAssigned, kNo}},
    {Operation::ReadHistory,          "listEvents",           {kAll,    kAssigned, kAssigned, kNo,      kAssigned, kNo}},
    {Operation::RenderDocument,       "renderDocument",       {kAll,    kAssigned, kAssigned, kNo,      kAssigned, kNo}},
    {Operation::PrepareCarePlanSignature, "prepareCarePlanSignature", {kAll, kNo,   kAssigned, kNo,      kNo,       kNo}},
    {Operation::SubmitSignature,      "submitSignature",      {kAll,    kNo,       kAssigned, kNo,      kNo,       kNo}},
    {Operation::ListDue,              "listDue",              {kAll,    kAssigned, kAssigned, kNo,      kAssigned, kNo}},
    {Operation::ListFundingRequests,  "listFundingRequests",  {kFinance, kNo,      kNo,       kFinance, kNo,       kNo}},
    {Operation::DecideFundingRequest, "decideFundingRequest", {kAll,    kNo,       kNo,       kNo,      kNo,       kNo}},
    {Operation::PrepareDecisionSignature, "prepareDecisionSignature", {kAll, kNo,   kNo,       kNo,      kNo,       kNo}},
    {Operation::RecordPayment,        "recordPayment",        {kAll,    kNo,       kNo,       kAll,     kNo,       kNo}},
    {Operation::ReadEnvelope,         "getEnvelope",          {kAll,    kNo,       kNo,       kAll,     kNo,       kAll}},
    {Operation::ExportPayments,       "exportPayments",       {kAll,    kNo,       kNo,       kAll,     kNo,       kNo}},
    {Operation::ReadCommitteeReport,  "getCommitteeReport",   {kAll,    kNo,       kNo,       kNo,      kNo,       kAll}},
}};
// clang-format on

const Row& rowOf(Operation operation) {
    for (const auto& row : kMatrix)
        if (row.operation == operation) return row;
    // Every enumerator has a row (allOperations() is built from the table): reaching here is a bug.
    throw std::logic_error("operation missing from the authorisation matrix");
}

} // namespace

const std::vector<Operation>& allOperations() {
    static const std::vector<Operation> operations = [] {
        std::vector<Operation> all;
        for (const auto& row : kMatrix) all.push_back(row.operation);
        return all;
    }();
    return operations;
}

std::string operationName(Operation operation) {
    return rowOf(operation).name;
}

bool isPublic(Operation operation) {
    return rowOf(operation).byRole[0].access == Access::Public;
}

Permission permissionFor(std::string_view role, Operation operation) {
    const Row& row = rowOf(operation);
    for (std::size_t column = 0; column < kRoles.size(); ++column)
        if (role == kRoles[column]) return row.byRole[column];
    return kNo;
}

bool maySee(const Principal& principal, const Permission& permission, std::int64_t situationId) {
    switch (permission.access) {
    case Access::Public:
    case Access::All:
        return true;
    case Access::Assigned:
        return principal.isAssignedTo(situationId);
    case Access::Denied:
        return false;
    }
    return false;
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

bool isScopedRole(std::string_view role) {
    return role == "case_manager" || role == "pedopsychiatrist" || role == "partner";
}

} // namespace caseflow::service
