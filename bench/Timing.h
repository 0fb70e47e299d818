// What the benchmarks time a step with: the median of a number of runs, with the fastest and the
// slowest, so a figure printed carries its own spread (this machine's neighbours vary).
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

namespace caseflow::bench {

struct Timing {
    double median = 0, low = 0, high = 0; // seconds
};

// The spread of `seconds`, one figure per run (at least one).
inline Timing spreadOf(std::vector<double> seconds) {
    std::sort(seconds.begin(), seconds.end());
    return {seconds[seconds.size() / 2], seconds.front(), seconds.back()};
}

inline Timing timed(int runs, const std::function<void()>& run) {
    std::vector<double> seconds;
    for (int index = 0; index < runs; ++index) {
        const auto start = std::chrono::steady_clock::now();
        run();
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return spreadOf(std::move(seconds));
}

} // namespace caseflow::bench
