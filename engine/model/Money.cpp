// Parsing and plain printing of integer cents. What must stay true: no floating point.
#include "model/Money.h"

namespace caseflow {

std::optional<Cents> parseCents(std::string_view text) {
    // Canonical only: one spelling per amount, so "0100" cannot pass where "100" is compared.
    if (text.empty() || text.size() > 15 || (text.size() > 1 && text.front() == '0')) return std::nullopt;
    Cents value = 0;
    for (char ch : text) {
        if (ch < '0' || ch > '9') return std::nullopt;
        value = value * 10 + (ch - '0');
    }
    return value;
}

std::string formatCentsPlain(Cents amount) {
    const bool negative = amount < 0;
    const Cents magnitude = negative ? -amount : amount;
    std::string cents = std::to_string(magnitude % 100);
    if (cents.size() < 2) cents.insert(0, "0");
    return (negative ? "-" : "") + std::to_string(magnitude / 100) + "." + cents;
}

} // namespace caseflow
