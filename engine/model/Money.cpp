// Parsing and plain printing of integer cents. What must stay true: no floating point.
#include "model/Money.h"

namespace caseflow {

std::optional<Cents> parseCents(std::string_view text) {
    if (text.empty() || text.size() > 15) return std::nullopt;
    Cents value = 0;
    for (char ch : text) {
        if (ch < '0' || ch > '9') return std::nullopt;
        value = value * 10 + (ch - '0');
    }
    return value;
}

bool isCanonicalCents(std::string_view text) {
    return parseCents(text).has_value() && (text.size() == 1 || text.front() != '0');
}

std::string formatCentsPlain(Cents amount) {
    const bool negative = amount < 0;
    const Cents magnitude = negative ? -amount : amount;
    std::string cents = std::to_string(magnitude % 100);
    if (cents.size() < 2) cents.insert(0, "0");
    return (negative ? "-" : "") + std::to_string(magnitude / 100) + "." + cents;
}

} // namespace caseflow
