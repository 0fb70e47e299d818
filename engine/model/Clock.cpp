// The business clock's one shared value: the fixed day as a count of days since 1970, in an
// atomic so that server threads may read it while a test or the CLI's startup sets it. What
// must stay true: CASEFLOW_TODAY is read here only, in fixFromEnvironment, at process start.
#include "model/Clock.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <limits>

namespace caseflow {
using namespace std::chrono;

namespace {

// No day is this far from 1970: it stands for "not fixed, read the system clock".
constexpr long long kNotFixed = std::numeric_limits<long long>::min();
std::atomic<long long> fixedDay{kNotFixed};

long long encode(const std::optional<Date>& date) {
    return date ? static_cast<long long>(sys_days{date->ymd()}.time_since_epoch().count()) : kNotFixed;
}

std::optional<Date> decode(long long day) {
    if (day == kNotFixed) return std::nullopt;
    return Date(year_month_day{sys_days{days{day}}});
}

} // namespace

Date BusinessClock::today() {
    if (auto fixed = fixedDate()) return *fixed;
    // The network works on Brussels time: shortly after midnight UTC it is already tomorrow there.
    const auto now = system_clock::now();
    const auto local = now + seconds(brusselsUtcOffsetSeconds(now));
    return Date(year_month_day{floor<days>(local)});
}

std::optional<Date> BusinessClock::fixedDate() {
    return decode(fixedDay.load(std::memory_order_acquire));
}

void BusinessClock::fix(std::optional<Date> date) {
    fixedDay.store(encode(date), std::memory_order_release);
}

void BusinessClock::fixFromEnvironment() {
    const char* fixed = std::getenv("CASEFLOW_TODAY");
    fix(fixed && *fixed ? std::optional<Date>(Date::parseOrThrow(fixed, "CASEFLOW_TODAY")) : std::nullopt);
}

FixedBusinessDate::FixedBusinessDate(std::optional<Date> date) : previous_(BusinessClock::fixedDate()) {
    BusinessClock::fix(date);
}

FixedBusinessDate::FixedBusinessDate(std::string_view iso)
    : FixedBusinessDate(iso.empty() ? std::nullopt : std::optional<Date>(Date::parseOrThrow(iso, "business date"))) {}

FixedBusinessDate::~FixedBusinessDate() {
    BusinessClock::fix(previous_);
}

} // namespace caseflow
