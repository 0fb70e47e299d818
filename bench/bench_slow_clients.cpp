// Benchmark: an authenticated client's latency while 64 slow clients hold connections open
// (each sends one byte of a request head every two seconds and never finishes it), next to
// the same server without them, in the same run on the same machine: p50 and p99 of both and
// their ratio. What it shows is that slow clients cost the others nothing but a little CPU:
// the acceptor holds them without a worker, and cuts each at the head deadline.
//
//   bench_slow_clients [--requests N] [--slow N] [--threads N]
//
// The authenticated client opens a new connection for every request (GET /api/v1/envelopes/2026
// as finance), so each of its requests has to get past the slow ones to be served.
#include "process/FundingProcess.h"
#include "service/Accounts.h"
#include "service/Server.h"
#include "service/SlowClients.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

using namespace caseflow;
using Clock = std::chrono::steady_clock;

namespace {

Poco::Net::StreamSocket connectTo(std::uint16_t port) {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
    socket.setReceiveTimeout(Poco::Timespan(30, 0));
    socket.setNoDelay(true);
    return socket;
}

// One request on a new connection; its latency in milliseconds, or -1 when it was not a 200.
double timedRequest(std::uint16_t port, const std::string& request) {
    const auto start = Clock::now();
    try {
        auto socket = connectTo(port);
        socket.sendBytes(request.data(), static_cast<int>(request.size()));
        std::string answer;
        char buffer[8192];
        for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;)
            answer.append(buffer, static_cast<std::size_t>(n));
        if (answer.rfind("HTTP/1.1 200", 0) != 0) return -1;
    } catch (const Poco::Exception&) {
        return -1;
    }
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Figures {
    double p50 = 0, p99 = 0, max = 0;
    int failed = 0;
};

Figures measure(std::uint16_t port, const std::string& request, int requests) {
    std::vector<double> latencies;
    Figures figures;
    for (int n = 0; n < requests; ++n) {
        const double ms = timedRequest(port, request);
        if (ms < 0)
            ++figures.failed;
        else
            latencies.push_back(ms);
    }
    if (latencies.empty()) return figures;
    std::sort(latencies.begin(), latencies.end());
    const auto at = [&](double q) {
        return latencies[std::min(latencies.size() - 1,
                                  static_cast<std::size_t>(q * static_cast<double>(latencies.size())))];
    };
    figures.p50 = at(0.50);
    figures.p99 = at(0.99);
    figures.max = latencies.back();
    return figures;
}

} // namespace

int main(int argc, char** argv) {
    int requests = 400, slow = 64, threads = 16;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--requests") == 0) requests = std::atoi(argv[i + 1]);
        if (std::strcmp(argv[i], "--slow") == 0) slow = std::atoi(argv[i + 1]);
        if (std::strcmp(argv[i], "--threads") == 0) threads = std::atoi(argv[i + 1]);
    }
    const std::filesystem::path samples = std::filesystem::path(CASEFLOW_SOURCE_DATA_DIR) / "samples/namur";
    const auto dir = std::filesystem::temp_directory_path() / ("caseflow-bench-slow-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    FundingProcess::initialize(dir / "bench.db", samples / "network.xml");
    std::string token;
    {
        auto process = FundingProcess::open(dir / "bench.db");
        service::Accounts accounts(process.accounts());
        accounts.addUser("Bench Finance", "finance", {});
        token = accounts.issueToken("Bench Finance", std::nullopt).secret;
    }
    service::ServiceConfig config;
    config.port = 0;
    config.database = dir / "bench.db";
    config.threads = threads;
    config.accessLog = "off";
    service::Server server(config);
    server.start();
    const std::string request = "GET /api/v1/envelopes/2026 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                "Authorization: Bearer " +
                                token + "\r\n\r\n";

    measure(server.port(), request, 20); // warm-up: the process pool, the page cache
    const Figures alone = measure(server.port(), request, requests);
    Figures crowded;
    int reconnections = 0;
    {
        test::SlowClients clients(server.port(), slow, std::chrono::seconds(600));
        std::this_thread::sleep_for(std::chrono::seconds(3)); // every slow client has begun its head
        crowded = measure(server.port(), request, requests);
        reconnections = clients.reconnections();
    }
    server.stop();
    std::filesystem::remove_all(dir);

    std::printf("%d requests, new connection each, %d worker threads, %u CPUs\n", requests, threads,
                std::thread::hardware_concurrency());
    std::printf("%-34s p50 %8.2f ms  p99 %8.2f ms  max %8.2f ms  failed %d\n", "alone", alone.p50, alone.p99, alone.max,
                alone.failed);
    std::printf("%-34s p50 %8.2f ms  p99 %8.2f ms  max %8.2f ms  failed %d\n",
                ("with " + std::to_string(slow) + " slow clients").c_str(), crowded.p50, crowded.p99, crowded.max,
                crowded.failed);
    std::printf("ratio (with / alone)               p50 %8.2f     p99 %8.2f   (slow clients reconnected %d times)\n",
                alone.p50 > 0 ? crowded.p50 / alone.p50 : 0.0, alone.p99 > 0 ? crowded.p99 / alone.p99 : 0.0,
                reconnections);
    return crowded.failed == 0 && alone.failed == 0 ? 0 : 1;
}
