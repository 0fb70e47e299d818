// The time expressions of <send>: ISO 8601 durations for `delay` (P6M, P14D, PT48H) and the
// ISO date or date-time that a `cf:at` expression must produce. What must stay true: parsing
// never throws and never accepts a field that does not exist (month 13, 25 o'clock); the
// arithmetic clamps to month ends exactly like caseflow::Date::addMonths, so a deadline of
// "P1M" after 31 January falls on the last day of February.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace caseflow::workflow {

// `YYYY-MM-DD`, or `YYYY-MM-DDThh:mm[:ss[.fff]]` with an optional `Z` or `(+|-)hh:mm`.
bool isIsoDateOrDateTime(std::string_view text);

// An ISO 8601 duration with whole-number components: P[nY][nM][nW][nD][T[nH][nM][nS]].
struct IsoDuration {
    long long years = 0, months = 0, weeks = 0, days = 0, hours = 0, minutes = 0, seconds = 0;

    static std::optional<IsoDuration> parse(std::string_view text);
    // Calendar arithmetic in UTC: years and months first (clamped to the month's end), then
    // weeks and days, then the time part. Throws Error beyond the year 9999.
    std::chrono::sys_seconds addTo(std::chrono::sys_seconds start) const;
};

} // namespace caseflow::workflow
