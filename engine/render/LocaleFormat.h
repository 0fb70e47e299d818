// Dates, instants and numbers written the way a French- or Dutch-speaking Belgian reads
// them, by ICU (fr_BE, nl_BE). Amounts go through i18n::formatMoney (integer cents, never
// floating point). What must stay true: instants are stored in UTC and shown in
// Europe/Brussels, summer time included; a value that cannot be read gives nullopt, never
// a guess, so the document shows "not provided" instead.
#pragma once

#include "model/Date.h"

#include <optional>
#include <string>
#include <string_view>

namespace caseflow::render {

enum class DateStyle {
    Long,    // 11 février 2026 / 11 februari 2026
    Medium,  // 11 févr. 2026 / 11 feb 2026
    Full,    // mercredi 11 février 2026 / woensdag 11 februari 2026
    Numeric, // 11/02/2026
};
std::optional<DateStyle> parseDateStyle(std::string_view name); // "long", "medium", "full", "numeric"

std::string formatDate(const Date& date, const std::string& language, DateStyle style = DateStyle::Long);
// An ISO date ("2026-02-11", surrounding whitespace allowed); nullopt when it is not one.
std::optional<std::string> formatIsoDate(std::string_view iso, const std::string& language,
                                         DateStyle style = DateStyle::Long);

// A UTC instant as the store writes it ("2026-02-11T09:15:00.000Z", also without
// milliseconds, or "2026-02-11 09:15:00"), shown as a Brussels date and time:
// "11 février 2026 à 10:15". nullopt when it is not such an instant.
std::optional<std::string> formatInstant(std::string_view utcIso, const std::string& language);

// Milliseconds since 1970 for such an instant.
std::optional<double> parseUtcInstant(std::string_view utcIso);

// An integer with the locale's grouping ("12 345" in fr_BE, "12.345" in nl_BE).
std::string formatInteger(long long value, const std::string& language);

} // namespace caseflow::render
