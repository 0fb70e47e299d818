// Builds the XML data element of a finance event (budgetDecision, payment) from checked JSON
// input, with libxml2 doing every escape. What must stay true: values are placed as
// attributes or text nodes through the XML API, never pasted into markup, so no input can
// change the structure of the element; the schema and the workflow then judge the values.
#pragma once

#include "model/Money.h"
#include "store/ProofRepository.h"

#include <optional>
#include <string>
#include <vector>

namespace caseflow::service {

struct BudgetDecisionInput {
    std::string requestId;
    std::string date;
    std::string outcome; // approved, returned, rejected
    std::optional<Cents> amount;
    std::string by;
    std::vector<std::string> reasons;
};

struct PaymentInput {
    std::string paymentId;
    std::string requestId;
    std::string date;
    Cents amount = 0;
    std::string reference;
    std::string supplier;         // "" when not given
    std::string invoiceReference; // "" when not given
    std::vector<store::ProofFacts> proofs;
};

std::string budgetDecisionXml(const BudgetDecisionInput& input);
std::string paymentXml(const PaymentInput& input);

} // namespace caseflow::service
