// ISO 8601 durations and date-times for deadlines. What must stay true: no input string can
// make these functions throw or read out of bounds (workflow authors type them), and a
// duration accepted at load can always be applied later.
#include "workflow/IsoDuration.h"

#include "core/Errors.h"
#include "model/Date.h"

#include <array>
#include <cstdlib>
#include <string>

namespace caseflow::workflow {
namespace {

bool isDigit(char ch) {
    return ch >= '0' && ch <= '9';
}

// Exactly `count` digits at `position`, or -1.
int digits(std::string_view text, size_t position, size_t count) {
    if (position + count > text.size()) return -1;
    int value = 0;
    for (size_t i = position; i < position + count; ++i) {
        if (!isDigit(text[i])) return -1;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

} // namespace

bool isIsoDateOrDateTime(std::string_view text) {
    if (text.size() < 10 || !Date::parse(text.substr(0, 10))) return false;
    if (text.size() == 10) return true;
    size_t position = 10;
    if (text[position++] != 'T') return false;
    const int hours = digits(text, position, 2);
    if (hours < 0 || hours > 23 || position + 2 >= text.size() || text[position + 2] != ':') return false;
    const int minutes = digits(text, position + 3, 2);
    if (minutes < 0 || minutes > 59) return false;
    position += 5;
    if (position < text.size() && text[position] == ':') {
        const int seconds = digits(text, position + 1, 2);
        if (seconds < 0 || seconds > 59) return false;
        position += 3;
        if (position < text.size() && text[position] == '.') {
            const size_t start = ++position;
            while (position < text.size() && isDigit(text[position])) ++position;
            if (position == start) return false;
        }
    }
    if (position == text.size()) return true;
    if (text[position] == 'Z') return position + 1 == text.size();
    if ((text[position] != '+' && text[position] != '-') || text.size() != position + 6 || text[position + 3] != ':')
        return false;
    const int offsetHours = digits(text, position + 1, 2), offsetMinutes = digits(text, position + 4, 2);
    return offsetHours >= 0 && offsetHours <= 14 && offsetMinutes >= 0 && offsetMinutes <= 59;
}

std::optional<IsoDuration> IsoDuration::parse(std::string_view text) {
    if (text.size() < 3 || text.front() != 'P') return std::nullopt;
    struct Field {
        char designator;
        bool timePart;
        long long IsoDuration::*member;
    };
    // Components must come in this order, each at most once; 'M' means months before the
    // 'T' and minutes after it.
    static constexpr std::array<Field, 7> fields{{{'Y', false, &IsoDuration::years},
                                                  {'M', false, &IsoDuration::months},
                                                  {'W', false, &IsoDuration::weeks},
                                                  {'D', false, &IsoDuration::days},
                                                  {'H', true, &IsoDuration::hours},
                                                  {'M', true, &IsoDuration::minutes},
                                                  {'S', true, &IsoDuration::seconds}}};
    IsoDuration duration;
    size_t next = 0;
    bool inTime = false, anyField = false, anyTimeField = false;
    size_t position = 1;
    while (position < text.size()) {
        if (text[position] == 'T') {
            if (inTime) return std::nullopt;
            inTime = true;
            ++position;
            continue;
        }
        const size_t start = position;
        while (position < text.size() && isDigit(text[position])) ++position;
        // Six digits (a million years, months or seconds) are plenty and keep sums far
        // from overflow.
        if (position == start || position - start > 6 || position == text.size()) return std::nullopt;
        const long long value = std::atoll(std::string(text.substr(start, position - start)).c_str());
        const char designator = text[position++];
        while (next < fields.size() && (fields[next].designator != designator || fields[next].timePart != inTime))
            ++next;
        if (next == fields.size()) return std::nullopt;
        duration.*(fields[next].member) = value;
        ++next;
        anyField = true;
        anyTimeField = anyTimeField || inTime;
    }
    if (!anyField || (inTime && !anyTimeField)) return std::nullopt;
    return duration;
}

std::chrono::sys_seconds IsoDuration::addTo(std::chrono::sys_seconds start) const {
    using namespace std::chrono;
    const sys_days startDay = floor<std::chrono::days>(start);
    const auto timeOfDay = start - startDay;
    const long long totalMonths = years * 12 + months;
    const long long totalDays = weeks * 7 + days;
    if (totalMonths > 12 * 10000 || totalDays > 4'000'000) throw Error("a duration moves a date beyond the year 9999");
    const Date moved =
        Date(year_month_day{startDay}).addMonths(static_cast<int>(totalMonths)).addDays(static_cast<int>(totalDays));
    if (moved.year() > 9999) throw Error("a duration moves a date beyond the year 9999");
    return sys_days{moved.ymd()} + timeOfDay + std::chrono::hours{hours} + std::chrono::minutes{minutes} +
           std::chrono::seconds{seconds};
}

} // namespace caseflow::workflow
