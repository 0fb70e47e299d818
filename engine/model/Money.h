// Money is integer cents of EUR, always. These helpers parse and print amounts without
// ever passing through floating point.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace caseflow {

using Cents = std::int64_t;

// Accepts a canonical non-negative integer number of cents ("125000", "0"); refuses signs,
// spaces, leading zeros ("0100"), decimals, exponents and values of 10^15 or more.
std::optional<Cents> parseCents(std::string_view text);

// "1250.00" style, for logs, CSV and the CLI (locale-aware formatting lives in render/).
std::string formatCentsPlain(Cents amount);

} // namespace caseflow
