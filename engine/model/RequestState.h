// Where a funding request stands in the finance tables, written once: the projection sets it,
// the store computes the paid states, the finance endpoint filters by it. What must stay true:
// these names are stored in the database and shown in the API (`state`), so they only ever
// change together with a migration.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace caseflow {

// Withdrawn: taken back while under budget check; Closed: a grant closed at what was paid,
// the rest of the approved amount given back to the envelope (R18).
enum class RequestState {
    InPreparation,
    BudgetCheck,
    Approved,
    Returned,
    Rejected,
    PartiallyPaid,
    Paid,
    Withdrawn,
    Closed
};

inline constexpr std::array<RequestState, 9> kRequestStates = {
    RequestState::InPreparation, RequestState::BudgetCheck, RequestState::Approved,
    RequestState::Returned,      RequestState::Rejected,    RequestState::PartiallyPaid,
    RequestState::Paid,          RequestState::Withdrawn,   RequestState::Closed};

// "in-preparation", "budget-check", "approved", "returned", "rejected", "partially-paid", "paid",
// "withdrawn", "closed".
constexpr std::string_view requestStateName(RequestState state) {
    switch (state) {
    case RequestState::InPreparation:
        return "in-preparation";
    case RequestState::BudgetCheck:
        return "budget-check";
    case RequestState::Approved:
        return "approved";
    case RequestState::Returned:
        return "returned";
    case RequestState::Rejected:
        return "rejected";
    case RequestState::PartiallyPaid:
        return "partially-paid";
    case RequestState::Paid:
        return "paid";
    case RequestState::Withdrawn:
        return "withdrawn";
    case RequestState::Closed:
        return "closed";
    }
    return "in-preparation";
}

constexpr std::optional<RequestState> parseRequestState(std::string_view name) {
    for (const RequestState state : kRequestStates)
        if (requestStateName(state) == name) return state;
    return std::nullopt;
}

} // namespace caseflow
