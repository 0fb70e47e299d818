// The business clock: fixed by a scope or once from CASEFLOW_TODAY at process start, read
// safely from any thread, and never read from the environment while the process runs.
#include "core/Errors.h"
#include "model/Clock.h"
#include "support/TestSupport.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

using namespace caseflow;
using caseflow::test::ScopedEnvironment;

TEST_CASE("a fixed business date holds for its scope and the one before it comes back, innermost first", "[model]") {
    FixedBusinessDate outer("2026-01-05");
    CHECK(BusinessClock::today().iso() == "2026-01-05");
    {
        FixedBusinessDate inner("2024-02-29");
        CHECK(BusinessClock::today().iso() == "2024-02-29");
        CHECK(Date::today().iso() == "2024-02-29");
        {
            FixedBusinessDate system(std::nullopt);
            CHECK_FALSE(BusinessClock::fixedDate());
        }
        CHECK(BusinessClock::today().iso() == "2024-02-29");
    }
    CHECK(BusinessClock::today().iso() == "2026-01-05");
    CHECK_THROWS_WITH(FixedBusinessDate("2026-02-30"), Catch::Contains("'2026-02-30' is not an ISO date"));
    CHECK(BusinessClock::today().iso() == "2026-01-05");
}

TEST_CASE("setting CASEFLOW_TODAY while the process runs changes nothing: it is read once, at startup", "[model]") {
    FixedBusinessDate fixed("2026-03-02");
    ScopedEnvironment later("CASEFLOW_TODAY", "2001-01-01");
    CHECK(BusinessClock::today().iso() == "2026-03-02");
    {
        FixedBusinessDate system(std::nullopt);
        CHECK(BusinessClock::today().iso() != "2001-01-01");
    }
    // What the CLI's main does before anything else.
    BusinessClock::fixFromEnvironment();
    CHECK(BusinessClock::today().iso() == "2001-01-01");
}

TEST_CASE("a malformed CASEFLOW_TODAY at startup is an error naming it, and the clock stays as it was", "[model]") {
    FixedBusinessDate fixed("2026-03-02");
    ScopedEnvironment malformed("CASEFLOW_TODAY", "29/02/2024");
    CHECK_THROWS_AS(BusinessClock::fixFromEnvironment(), UsageError);
    CHECK_THROWS_WITH(BusinessClock::fixFromEnvironment(), Catch::Contains("CASEFLOW_TODAY"));
    CHECK(BusinessClock::today().iso() == "2026-03-02");
    ScopedEnvironment empty("CASEFLOW_TODAY", "");
    BusinessClock::fixFromEnvironment();
    CHECK_FALSE(BusinessClock::fixedDate());
}

TEST_CASE("threads reading the business date while another fixes it only ever see one of the dates fixed", "[model]") {
    FixedBusinessDate start("2026-01-05");
    std::atomic<bool> stop{false};
    std::atomic<long> reads{0}, strange{0};
    std::vector<std::thread> readers;
    for (int n = 0; n < 3; ++n)
        readers.emplace_back([&] {
            while (!stop.load()) {
                const auto day = BusinessClock::today().iso();
                if (day != "2026-01-05" && day != "2024-02-29") ++strange;
                ++reads;
            }
        });
    for (int n = 0; n < 20000; ++n) BusinessClock::fix(Date::parse(n % 2 ? "2026-01-05" : "2024-02-29"));
    BusinessClock::fix(Date::parse("2026-01-05"));
    while (reads.load() < 1000) std::this_thread::yield();
    stop = true;
    for (auto& reader : readers) reader.join();
    CHECK(strange.load() == 0);
}

TEST_CASE("an instant is written as ISO 8601 UTC to the millisecond, whether its second was written before or not",
          "[model]") {
    using namespace std::chrono;
    const auto at = [](int year, unsigned month, unsigned day, int hours, int minutes, int seconds, int millis) {
        return system_clock::time_point(sys_days{std::chrono::year{year} / month / day} + hours * 1h + minutes * 1min +
                                        seconds * 1s + millis * 1ms);
    };
    CHECK(utcIso(at(2026, 11, 26, 9, 17, 12, 123)) == "2026-11-26T09:17:12.123Z");
    // The same second again (its date and time are kept by the thread), then the next, then back.
    CHECK(utcIso(at(2026, 11, 26, 9, 17, 12, 7)) == "2026-11-26T09:17:12.007Z");
    CHECK(utcIso(at(2026, 11, 26, 9, 17, 13, 0)) == "2026-11-26T09:17:13.000Z");
    CHECK(utcIso(at(2026, 11, 26, 9, 17, 12, 999)) == "2026-11-26T09:17:12.999Z");
    CHECK(utcIso(at(2028, 2, 29, 23, 59, 59, 999)) == "2028-02-29T23:59:59.999Z");
    CHECK(utcIso(at(2029, 1, 1, 0, 0, 0, 0)) == "2029-01-01T00:00:00.000Z");
    // Before 1970 the milliseconds still count forward from the second they belong to.
    CHECK(utcIso(system_clock::time_point(-500ms)) == "1969-12-31T23:59:59.500Z");
    CHECK(utcIso(system_clock::time_point(0ms)) == "1970-01-01T00:00:00.000Z");
    // Now is between the instants read around it, and instants compare as text.
    const auto before = utcIso(system_clock::now());
    const auto now = utcNowIso();
    const auto after = utcIso(system_clock::now());
    CHECK(now.size() == 24);
    CHECK(before <= now);
    CHECK(now <= after);
}
