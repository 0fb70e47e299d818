// Money is integer cents of EUR, always. These helpers parse and print amounts without
// ever passing through floating point.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace caseflow {

using Cents = std::int64_t;

// Accepts a plain non-negative integer number of cents ("125000"); refuses signs, spaces,
// decimals and values above 10^15.
std::optional<Cents> parseCents(std::string_view text);

// True for the one spelling of an amount that input may use: digits only, no sign, no
// leading zero ("0" itself excepted), no spaces, at most 15 digits. parseCents stays more
// lenient (leading zeros) because it also reads what was stored before this rule.
bool isCanonicalCents(std::string_view text);

// "1250.00" style, for logs, CSV and the CLI (locale-aware formatting lives in render/).
std::string formatCentsPlain(Cents amount);

} // namespace caseflow
