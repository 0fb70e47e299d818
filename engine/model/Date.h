// Calendar dates as the rules need them: ISO 8601 parsing that refuses impossible dates,
// whole years of age (R1, R2) and whole months between dates (R8). A date is a civil day
// with no time zone; instants are UTC strings produced by the store.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace caseflow {

class Date {
public:
    Date() = default;
    explicit Date(std::chrono::year_month_day day) : day_(day) {}
    static std::optional<Date> parse(std::string_view iso); // "YYYY-MM-DD" only, a real day
    static Date parseOrThrow(std::string_view iso, const std::string& what);
    static Date today(); // the business clock's date (model/Clock.h): Brussels, unless fixed

    std::string iso() const;
    int year() const { return static_cast<int>(day_.year()); }
    unsigned month() const { return static_cast<unsigned>(day_.month()); }
    unsigned day() const { return static_cast<unsigned>(day_.day()); }
    std::chrono::year_month_day ymd() const { return day_; }

    Date addDays(int days) const;
    // Adding months clamps to the month's last day (31 January + 1 month = 28/29 February).
    Date addMonths(int months) const;

    auto operator<=>(const Date&) const = default;

private:
    std::chrono::year_month_day day_{std::chrono::year{1970}, std::chrono::month{1}, std::chrono::day{1}};
};

// Completed years on `on`; a birthday counts on its day, 29 February birthdays count on
// 1 March in common years.
int ageOn(const Date& birth, const Date& on);

// Whole calendar months from `from` to `to` (negative when `to` is earlier): a month is
// complete when the same day is reached, or the month's last day when it has no such day
// (2026-01-31 to 2026-02-28 is 1 month, to 2026-02-27 is 0), consistent with addMonths.
int monthsBetween(const Date& from, const Date& to);

// Days from `from` to `to` (negative when `to` is earlier).
int daysBetween(const Date& from, const Date& to);

// Adds an ISO 8601 duration made of years, months, weeks and days ("P6M", "P1Y2M",
// "P14D", "P2W"); hours ("PT48H") round up to whole days. Throws UsageError otherwise.
Date addIsoDuration(const Date& date, std::string_view duration);

// Offset of Europe/Brussels from UTC at `instant`, in seconds (3600 in winter, 7200 in summer).
long brusselsUtcOffsetSeconds(std::chrono::system_clock::time_point instant);

// Current UTC instant as ISO 8601 with milliseconds, e.g. 2026-11-26T09:17:12.123Z.
std::string utcNowIso();
// `instant` written as utcNowIso() writes the current one.
std::string utcIso(std::chrono::system_clock::time_point instant);

} // namespace caseflow
