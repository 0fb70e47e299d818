// Specification of durability through the HTTP service: the real `caseflow serve` is killed
// with SIGKILL while clients are writing. Every write it acknowledged (answered 200) is in
// the log afterwards, `caseflow verify` passes, and the restarted server serves the same data.
#include "service/ServerProcess.h"
#include "service/ServiceFixture.h"

#include <atomic>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>

using caseflow::test::cliPath;
using caseflow::test::http::jsonString;
using caseflow::test::http::Response;
using caseflow::test::http::ServerProcess;
namespace http = caseflow::test::http;

TEST_CASE("A server killed with SIGKILL during writes loses no acknowledged write", "[service]") {
    caseflow::test::ScratchDir dir;
    const caseflow::test::TestDatabase copy(dir, "crash.db", http::templateDatabase());
    const std::string& database = copy.address();
    std::string token;
    {
        auto process = caseflow::FundingProcess::open(database);
        caseflow::service::Accounts accounts(process.accounts());
        accounts.addUser("Writer", "coordinator", {});
        token = accounts.issueToken("Writer", std::nullopt).secret;
    }

    // Acknowledged writes, as (situation, version) pairs the server answered with.
    std::mutex mutex;
    std::set<std::pair<std::int64_t, std::int64_t>> acknowledged;
    {
        ServerProcess server(copy.appAddress()); // the application role on PostgreSQL, as deployed
        std::atomic<bool> stop{false};
        std::vector<std::thread> writers;
        for (std::int64_t situation : {1, 3, 5, 12}) {
            writers.emplace_back([&, situation] {
                const std::string body =
                    "{\"event\": \"consent.recorded\", \"data\": " +
                    jsonString(
                        R"(<consent type="informed" given="true" date="2026-05-01" recordedBy="Crash test">Told again.</consent>)") +
                    "}";
                while (!stop) {
                    try {
                        Response response = http::send(
                            server.port(),
                            {"POST", "/api/v1/situations/" + std::to_string(situation) + "/events", token, body});
                        if (response.status != 200) continue;
                        std::lock_guard<std::mutex> lock(mutex);
                        acknowledged.insert({situation, response.json()->getValue<std::int64_t>("version")});
                    } catch (const std::exception&) {
                        return; // the server is gone
                    }
                }
            });
        }
        // Let writes flow, then kill the server in the middle of them.
        for (int waited = 0; waited < 100; ++waited) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            std::lock_guard<std::mutex> lock(mutex);
            if (acknowledged.size() >= 40) break;
        }
        server.kill();
        stop = true;
        for (auto& writer : writers) writer.join();
    }
    REQUIRE(acknowledged.size() >= 10);

    // Every acknowledged version is in the log with its event, and the chain is whole.
    {
        auto process = caseflow::FundingProcess::open(database);
        CHECK(process.verify().intact);
        for (const auto& [situation, version] : acknowledged) {
            const auto history = process.history(situation);
            INFO("situation " << situation << " version " << version);
            REQUIRE(static_cast<std::int64_t>(history.size()) >= version);
            CHECK(history[static_cast<std::size_t>(version - 1)].type == "consent.recorded");
            CHECK(history[static_cast<std::size_t>(version - 1)].actor == "coordinator:Writer");
        }
    }
    const auto verified = caseflow::test::runCli({"verify", "--db", database});
    CHECK(verified.exitCode == 0);
    INFO(verified.out << verified.err);

    // The restarted server serves the data and stops cleanly on SIGTERM.
    ServerProcess restarted(copy.appAddress());
    Response situation = http::send(restarted.port(), {"GET", "/api/v1/situations/12", token});
    CHECK(situation.status == 200);
    std::int64_t last = 0;
    for (const auto& [id, version] : acknowledged)
        if (id == 12) last = std::max(last, version);
    CHECK(situation.json()->getValue<std::int64_t>("version") >= last);
    CHECK(restarted.terminate() == 0);
}
