// Where a funding request stands in the finance tables, written once: the projection sets it,
// the store computes the paid states, the finance endpoint filters by it. What must stay true:
// these names are stored in the database and shown in the API (`state`), so they only ever
// change together with a migration.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace caseflow {

enum class RequestState { InPreparation, BudgetCheck, Approved, Returned, Rejected, PartiallyPaid, Paid };

inline constexpr std::array<RequestState, 7> kRequestStates = {
    RequestState::InPreparation, RequestState::BudgetCheck,   RequestState::Approved, RequestState::Returned,
    RequestState::Rejected,      RequestState::PartiallyPaid, RequestState::Paid};

// "in-preparation", "budget-check", "approved", "returned", "rejected", "partially-paid", "paid".
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
    }
    return "in-preparation";
}

constexpr std::optional<RequestState> parseRequestState(std::string_view name) {
    for (const RequestState state : kRequestStates)
        if (requestStateName(state) == name) return state;
    return std::nullopt;
}

} // namespace caseflow
