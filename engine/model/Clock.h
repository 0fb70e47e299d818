// The business clock: the day the rules, deadlines, payments and documents see. It is the
// civil date in Europe/Brussels, unless the process fixed it: the CLI (and so the server it
// starts) once at startup from CASEFLOW_TODAY, for replays and scripts/drive-scenarios.sh;
// tests and benchmarks with a FixedBusinessDate scope.
// What must stay true: reading the date is safe from any thread at any moment (server workers
// read it while a test fixes another day), and nothing but process startup reads CASEFLOW_TODAY
// from the environment, so no thread ever races a setenv.
#pragma once

#include "model/Date.h"

#include <optional>
#include <string_view>

namespace caseflow {

class BusinessClock {
public:
    // The fixed date, or else today in Europe/Brussels.
    static Date today();
    static std::optional<Date> fixedDate();
    // Fixes the date for the whole process; nullopt goes back to the system clock.
    static void fix(std::optional<Date> date);
    // Called once by the CLI's main, before any thread starts: CASEFLOW_TODAY=YYYY-MM-DD fixes the
    // date, unset or empty leaves the system clock, anything else throws UsageError naming it.
    static void fixFromEnvironment();
};

// Fixes the business date for a scope (a test, a scenario step, a benchmark), then restores
// the one before it; nullopt means the system clock for the scope.
class FixedBusinessDate {
public:
    explicit FixedBusinessDate(std::optional<Date> date);
    // "YYYY-MM-DD", or "" for the system clock (as an empty CASEFLOW_TODAY); anything else
    // throws UsageError.
    explicit FixedBusinessDate(std::string_view iso);
    ~FixedBusinessDate();
    FixedBusinessDate(const FixedBusinessDate&) = delete;
    FixedBusinessDate& operator=(const FixedBusinessDate&) = delete;

private:
    std::optional<Date> previous_;
};

} // namespace caseflow
