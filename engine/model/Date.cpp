// Date arithmetic on std::chrono civil calendars. What must stay true: an invalid date is
// never produced silently, and age/month counts match how people count them.
#include "model/Date.h"

#include "core/Errors.h"
#include "model/Clock.h"
#include <array>
#include <ctime>
#include <iomanip>
#include <limits>
#include <memory>
#include <sstream>

namespace caseflow {
using namespace std::chrono;

std::optional<Date> Date::parse(std::string_view iso) {
    if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
    auto digits = [&](size_t from, size_t count) -> std::optional<int> {
        int value = 0;
        for (size_t i = from; i < from + count; ++i) {
            if (iso[i] < '0' || iso[i] > '9') return std::nullopt;
            value = value * 10 + (iso[i] - '0');
        }
        return value;
    };
    auto y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
    if (!y || !m || !d) return std::nullopt;
    year_month_day day{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*m)},
                       std::chrono::day{static_cast<unsigned>(*d)}};
    if (!day.ok()) return std::nullopt;
    return Date(day);
}

Date Date::parseOrThrow(std::string_view iso, const std::string& what) {
    auto date = parse(iso);
    if (!date) throw UsageError(what + ": '" + std::string(iso) + "' is not an ISO date (YYYY-MM-DD)");
    return *date;
}

Date Date::today() {
    return BusinessClock::today();
}

std::string Date::iso() const {
    std::ostringstream out;
    out << std::setfill('0') << std::setw(4) << year() << '-' << std::setw(2) << month() << '-' << std::setw(2)
        << day();
    return out.str();
}

Date Date::addDays(int count) const {
    return Date(year_month_day{sys_days{day_} + days{count}});
}

Date Date::addMonths(int count) const {
    year_month_day moved = day_ + months{count};
    if (!moved.ok()) moved = moved.year() / moved.month() / last;
    return Date(moved);
}

int ageOn(const Date& birth, const Date& on) {
    year_month_day birthday{on.ymd().year(), birth.ymd().month(), birth.ymd().day()};
    // A 29 February birthday is reached on 1 March in common years.
    if (!birthday.ok()) birthday = year_month_day{on.ymd().year(), March, std::chrono::day{1}};
    int years = on.year() - birth.year();
    if (on.ymd() < birthday) --years;
    return years;
}

int monthsBetween(const Date& from, const Date& to) {
    if (to < from) return -monthsBetween(to, from);
    int count = (to.year() - from.year()) * 12 + static_cast<int>(to.month()) - static_cast<int>(from.month());
    // A month is complete only once the same day (or the month's end) is reached.
    if (from.addMonths(count) > to) --count;
    return count;
}

int daysBetween(const Date& from, const Date& to) {
    return static_cast<int>((sys_days{to.ymd()} - sys_days{from.ymd()}).count());
}

Date addIsoDuration(const Date& date, std::string_view duration) {
    auto refuse = [&]() -> Date {
        throw UsageError("'" + std::string(duration) +
                         "' is not a supported ISO 8601 duration (e.g. P6M, P14D, PT48H)");
    };
    if (duration.size() < 3 || duration[0] != 'P') return refuse();
    Date result = date;
    bool inTime = false;
    long value = -1;
    for (size_t i = 1; i < duration.size(); ++i) {
        const char ch = duration[i];
        if (ch >= '0' && ch <= '9') {
            value = (value < 0 ? 0 : value) * 10 + (ch - '0');
            if (value > 100000) return refuse();
            continue;
        }
        if (ch == 'T' && !inTime && value < 0) {
            inTime = true;
            continue;
        }
        if (value < 0) return refuse();
        const int amount = static_cast<int>(value);
        if (!inTime && ch == 'Y')
            result = result.addMonths(12 * amount);
        else if (!inTime && ch == 'M')
            result = result.addMonths(amount);
        else if (!inTime && ch == 'W')
            result = result.addDays(7 * amount);
        else if (!inTime && ch == 'D')
            result = result.addDays(amount);
        else if (inTime && ch == 'H')
            result = result.addDays((amount + 23) / 24);
        else
            return refuse();
        value = -1;
    }
    if (value >= 0) return refuse();
    return result;
}

std::string utcNowIso() {
    return utcIso(system_clock::now());
}

std::string utcIso(system_clock::time_point instant) {
    const auto sinceEpoch = duration_cast<milliseconds>(instant.time_since_epoch()).count();
    // Floor division: an instant before 1970 still belongs to the second that starts before it.
    const long long millis = ((sinceEpoch % 1000) + 1000) % 1000;
    const std::time_t seconds = static_cast<std::time_t>((sinceEpoch - millis) / 1000);
    // Every served read and every request's token check writes an instant: the date and time of
    // day change once a second, so each thread formats them once a second and adds the
    // milliseconds (an ostringstream with put_time cost ~5 % of a situation read).
    thread_local std::time_t formattedSecond = std::numeric_limits<std::time_t>::min(); // none yet
    thread_local std::array<char, 20> dateAndTime{};
    if (seconds != formattedSecond) {
        std::tm utc{};
        gmtime_r(&seconds, &utc);
        const auto put = [&](std::size_t at, int value, int width) {
            for (int digit = width - 1; digit >= 0; --digit, value /= 10)
                dateAndTime[at + digit] = static_cast<char>('0' + value % 10);
        };
        put(0, utc.tm_year + 1900, 4);
        put(5, utc.tm_mon + 1, 2);
        put(8, utc.tm_mday, 2);
        put(11, utc.tm_hour, 2);
        put(14, utc.tm_min, 2);
        put(17, utc.tm_sec, 2);
        dateAndTime[4] = dateAndTime[7] = '-';
        dateAndTime[10] = 'T';
        dateAndTime[13] = dateAndTime[16] = ':';
        formattedSecond = seconds;
    }
    std::string text(dateAndTime.data(), 19);
    text += '.';
    text += static_cast<char>('0' + millis / 100);
    text += static_cast<char>('0' + millis / 10 % 10);
    text += static_cast<char>('0' + millis % 10);
    text += 'Z';
    return text;
}

} // namespace caseflow
