// Counters for GET /metrics, in the Prometheus text format (version 0.0.4): requests by
// route, method and status, a latency histogram by route, events appended by type, and the
// envelope figures read from the database at scrape time. What must stay true: labels come
// from the route table and the event names the workflow accepted, never from raw request
// paths, so a client cannot blow up the number of series; updates are thread-safe.
#pragma once

#include "process/FundingProcess.h"

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace caseflow::service {

class Metrics {
public:
    void observeRequest(const std::string& route, const std::string& method, int status, double seconds);
    void eventAppended(const std::string& type);
    // The whole exposition; `envelopes` are the figures to publish as gauges.
    std::string render(const std::vector<EnvelopeFigures>& envelopes) const;

    static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                        0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

private:
    struct Histogram {
        std::array<std::uint64_t, kBuckets.size()> buckets{}; // non-cumulative here, cumulated on render
        std::uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
    std::map<std::string, Histogram> latency_;
    std::map<std::string, std::uint64_t> events_;
};

} // namespace caseflow::service
