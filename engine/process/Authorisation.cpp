// The authorisation matrix as data (see Authorisation.h and docs/authorisation.md). What must
// stay true: this file is the only one that decides who may do what; every enumerator of
// Operation has exactly one row.
#include "process/Authorisation.h"

#include <stdexcept>

namespace caseflow {
namespace {

struct Row {
    Operation operation;
    const char* name;
    std::array<Permission, kUserRoles.size()> byRole;
};

constexpr Permission kNo{Access::Denied, View::Full};
constexpr Permission kAll{Access::All, View::Full};
constexpr Permission kAssigned{Access::Assigned, View::Full};
constexpr Permission kFinance{Access::All, View::Finance};
constexpr Permission kCommittee{Access::All, View::Committee};
constexpr Permission kPublic{Access::Public, View::Full};

// clang-format off
const std::array<Row, 27> kMatrix = {{
    //                                                   coordinator case_manager pedopsychiatrist finance partner  committee
    {Operation::Health,               "health",               {kPublic, kPublic,   kPublic,   kPublic,  kPublic,   kPublic}},
    {Operation::OpenApi,              "openApi",              {kPublic, kPublic,   kPublic,   kPublic,  kPublic,   kPublic}},
    {Operation::Metrics,              "metrics",              {kAll,    kNo,       kNo,       kAll,     kNo,       kAll}},
    {Operation::ListSituations,       "listSituations",       {kAll,    kAssigned, kAssigned, kFinance, kAssigned, kCommittee}},
    {Operation::RegisterSituation,    "registerSituation",    {kAll,    kAll,      kNo,       kNo,      kAll,      kNo}},
    {Operation::ReadSituation,        "getSituation",         {kAll,    kAssigned, kAssigned, kFinance, kAssigned, kCommittee}},
    {Operation::FireEvent,            "fireEvent",            {kAll,    kAssigned, kAssigned, kNo,      kAssigned, kNo}},
    {Operation::ReadHistory,          "listEvents",           {kAll,    kAssigned, kAssigned, kNo,      kAssigned, kNo}},
    {Operation::RenderDocument,       "renderDocument",       {kAll,    kAssigned, kAssigned, kFinance, kAssigned, kNo}},
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
    {Operation::ReadProof,            "getProof",             {kAll,    kNo,       kNo,       kAll,     kNo,       kNo}},
    {Operation::ExportAccounting,     "exportAccounting",     {kAll,    kNo,       kNo,       kAll,     kNo,       kNo}},
    // Issue 17: finance pays; the coordinator reads what is due, the runs and their files.
    {Operation::ListPaymentsDue,      "listPaymentsDue",      {kAll,    kNo,       kNo,       kAll,     kNo,       kNo}},
    {Operation::FindPayment,          "findPayment",          {kAll,    kNo,       kNo,       kAll,     kNo,       kNo}},
    {Operation::ListPaymentRuns,      "listPaymentRuns",      {kAll,    kNo,       kNo,       kAll,     kNo,       kNo}},
    {Operation::BuildPaymentRun,      "buildPaymentRun",      {kNo,     kNo,       kNo,       kAll,     kNo,       kNo}},
    {Operation::ReadPaymentRun,       "getPaymentRun",        {kAll,    kNo,       kNo,       kAll,     kNo,       kNo}},
    {Operation::ExportPaymentRun,     "exportPaymentRun",     {kAll,    kNo,       kNo,       kAll,     kNo,       kNo}},
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
    for (std::size_t column = 0; column < kUserRoles.size(); ++column)
        if (role == kUserRoles[column]) return row.byRole[column];
    return kNo;
}

bool maySee(const Permission& permission, bool assigned) {
    switch (permission.access) {
    case Access::Public:
    case Access::All:
        return true;
    case Access::Assigned:
        return assigned;
    case Access::Denied:
        return false;
    }
    return false;
}

namespace {

struct AdministrationRow {
    Administration part;
    const char* name;
    std::array<bool, kUserRoles.size()> byRole;
};

// Only the coordinator runs the network's service (docs/domain.md, "Roles"); there is no
// administrator role: giving these pages to finance or the committee would let them issue
// themselves a coordinator's token or read who consulted which youth's file.
// clang-format off
constexpr std::array<AdministrationRow, 4> kAdministration = {{
    //                                        coordinator case_manager pedopsychiatrist finance partner committee
    {Administration::Signers,  "signers",  {true,       false,       false,           false,  false,  false}},
    {Administration::Accounts, "accounts", {true,       false,       false,           false,  false,  false}},
    {Administration::Tokens,   "tokens",   {true,       false,       false,           false,  false,  false}},
    {Administration::ReadLog,  "reads",    {true,       false,       false,           false,  false,  false}},
}};
// clang-format on

const AdministrationRow& administrationRowOf(Administration part) {
    for (const auto& row : kAdministration)
        if (row.part == part) return row;
    throw std::logic_error("administration part missing from its table");
}

} // namespace

const std::vector<Administration>& allAdministration() {
    static const std::vector<Administration> parts = [] {
        std::vector<Administration> all;
        for (const auto& row : kAdministration) all.push_back(row.part);
        return all;
    }();
    return parts;
}

std::string administrationName(Administration part) {
    return administrationRowOf(part).name;
}

bool mayAdminister(std::string_view role, Administration part) {
    const AdministrationRow& row = administrationRowOf(part);
    for (std::size_t column = 0; column < kUserRoles.size(); ++column)
        if (role == kUserRoles[column]) return row.byRole[column];
    return false;
}

bool mayAdministerAnything(std::string_view role) {
    for (const auto part : allAdministration())
        if (mayAdminister(role, part)) return true;
    return false;
}

bool isScopedRole(std::string_view role) {
    return permissionFor(role, Operation::ReadSituation).access == Access::Assigned;
}

} // namespace caseflow
