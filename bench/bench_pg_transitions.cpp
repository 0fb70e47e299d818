// Benchmark (not a test, issue 18): durable workflow transitions per second on PostgreSQL through
// the engine (as bench_transitions does on SQLite: parse and validate the event's data, evaluate
// every guard, append to the one global hash chain under its row lock, update the projections, in
// one READ COMMITTED transaction), next to a bare INSERT + COMMIT loop on the same cluster in the
// same run, interleaved with it so that a neighbour's load on a shared disk weighs on both alike;
// the issue's target is at least 0.5x. Then writes over HTTP: C clients posting events through one
// `caseflow serve`, and the same clients spread over three servers on the same database.
//
//   bench_pg_transitions [--situations N] [--clients C] [--writes W] [--caseflow PATH]
//                        [--owner-url URL --app-url URL]
//
// Without addresses it starts a throwaway cluster of its own (scripts/pg-cluster.sh, fsync on) and
// stops it at the end; with them, the database must be empty (the owner initialises it). The engine
// and the servers connect as the application role, as in production. Results mean something only
// on the disk the database lives on: every commit waits for an fsync.
#include "ScenarioSteps.h"
#include "ThrowawayCluster.h"
#include "model/Clock.h"
#include "process/FundingProcess.h"
#include "service/Accounts.h"
#include "service/ServerProcess.h"
#include "signature/ScenarioSigners.h"
#include "store/Database.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace caseflow;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    int situations = 20;
    int clients = 12;
    int writes = 40;
    std::filesystem::path caseflow;
    std::string ownerUrl;
    std::string appUrl;
};

[[noreturn]] void usage(int exitCode) {
    std::cerr << "usage: bench_pg_transitions [--situations N] [--clients C] [--writes W] [--caseflow PATH]\n"
                 "                            [--owner-url URL --app-url URL]\n"
                 "  --situations N  situations driven through Emma's accepted steps (default 20)\n"
                 "  --clients C     HTTP clients writing at once, each to its own situation (default 12, at most N)\n"
                 "  --writes W      events each client posts per measured round (default 40)\n"
                 "  --caseflow PATH the caseflow binary the servers run (default: the build's)\n"
                 "  --owner-url, --app-url   an empty database: its owner and the application role;\n"
                 "                  without them a throwaway cluster is started\n";
    std::exit(exitCode);
}

Options parse(int argc, char** argv) {
    Options options;
    options.caseflow = std::filesystem::canonical("/proc/self/exe").parent_path().parent_path() / "caseflow";
    for (int index = 1; index < argc; ++index) {
        const std::string argument = argv[index];
        if (argument == "--help" || argument == "-h") usage(0);
        if (index + 1 >= argc) usage(2);
        const std::string value = argv[++index];
        try {
            if (argument == "--situations")
                options.situations = std::stoi(value);
            else if (argument == "--clients")
                options.clients = std::stoi(value);
            else if (argument == "--writes")
                options.writes = std::stoi(value);
            else if (argument == "--caseflow")
                options.caseflow = value;
            else if (argument == "--owner-url")
                options.ownerUrl = value;
            else if (argument == "--app-url")
                options.appUrl = value;
            else
                usage(2);
        } catch (const std::logic_error&) {
            usage(2);
        }
    }
    // Each client writes to a situation of its own: two on one would race for its versions.
    if (options.situations < 1 || options.clients < 1 || options.writes < 1 || options.clients > options.situations ||
        options.ownerUrl.empty() != options.appUrl.empty())
        usage(2);
    return options;
}

double secondsOf(Clock::duration duration) {
    return std::chrono::duration<double>(duration).count();
}

// The reference: one row inserted and committed per transaction by the application role, on the
// same cluster with the same durability; no lock, no check, no trigger.
class BarePostgres {
public:
    explicit BarePostgres(const std::string& appUrl)
        : db_(store::Database::open(appUrl, store::OpenMode::MustExist)),
          insert_(db_.prepare("INSERT INTO bench_bare (payload) VALUES (?)")) {}
    void insertAndCommit(const std::string& payload) {
        db_.exec("BEGIN");
        insert_.bind(1, payload);
        insert_.step();
        insert_.reset();
        db_.exec("COMMIT");
    }

private:
    store::Database db_;
    store::Statement insert_;
};

struct TransitionFigures {
    long transitions = 0;
    double caseflowSeconds = 0, bareSeconds = 0;
    double caseflowCpu = 0, bareCpu = 0; // seconds of this process's CPU
    std::vector<std::int64_t> situations;
};

// Emma's accepted steps for `situations` youths through the engine, each followed by as many bare
// commits as it took transitions.
TransitionFigures measureTransitions(FundingProcess& process, const Options& options, const std::string& ownerUrl,
                                     const std::string& appUrl) {
    const std::filesystem::path samples = std::filesystem::path(CASEFLOW_SOURCE_DATA_DIR) / "samples/namur";
    const auto steps = bench::acceptedSteps(samples / "scenarios/01-namur-early-childhood.xml");
    const std::string registration = bench::readAll(samples / "situations/01-namur-early-childhood.xml");
    test::ScenarioSigners signers(process);
    BarePostgres bare(appUrl);
    TransitionFigures figures;
    std::clock_t caseflowCpu = 0, bareCpu = 0;
    for (int n = 0; n < options.situations; ++n) {
        const long before = figures.transitions;
        const auto start = Clock::now();
        const std::clock_t cpuStart = std::clock();
        BusinessClock::fix(Date::parse("2026-01-07"));
        std::string youth = registration;
        const std::string reference = "<reference>KIR-26-001</reference>";
        youth.replace(youth.find(reference), reference.size(),
                      "<reference>BENCH-" + std::to_string(n + 1) + "</reference>");
        const auto id = process.registerSituation(youth, "bench.xml", Actor{"partner", "bench"}).id;
        figures.situations.push_back(id);
        ++figures.transitions;
        for (const auto& step : steps) {
            FixedBusinessDate today(step.date);
            if (!step.signedBy.empty())
                signers.fire(id, step.event, step.data, step.actor, step.signedBy);
            else
                process.fire(id, step.event, step.data.empty() ? std::nullopt : std::optional<std::string>(step.data),
                             "bench", Actor::parse(step.actor));
            ++figures.transitions;
        }
        figures.caseflowSeconds += secondsOf(Clock::now() - start);
        caseflowCpu += std::clock() - cpuStart;
        // The envelope would refuse approvals after a few dozen situations (R18): move the
        // approved ones to another year, with the owner's connection.
        if ((n + 1) % 20 == 0)
            store::Database::open(ownerUrl, store::OpenMode::MustExist)
                .exec("UPDATE funding_requests SET year = year - 100");
        const auto bareStart = Clock::now();
        const std::clock_t bareCpuStart = std::clock();
        for (long i = before; i < figures.transitions; ++i) bare.insertAndCommit(steps[3].data);
        figures.bareSeconds += secondsOf(Clock::now() - bareStart);
        bareCpu += std::clock() - bareCpuStart;
    }
    figures.caseflowCpu = static_cast<double>(caseflowCpu) / CLOCKS_PER_SEC;
    figures.bareCpu = static_cast<double>(bareCpu) / CLOCKS_PER_SEC;
    return figures;
}

// `clients` threads, each posting `writes` consent events to its own situation over kept-alive
// connections, request i of client c to server (c + i) mod servers.size(). Writes per second.
double httpWrites(const std::vector<std::unique_ptr<test::http::ServerProcess>>& servers, std::size_t used,
                  const std::vector<std::int64_t>& situations, const std::string& token, int clients, int writes) {
    const std::string body =
        R"({"event": "consent.recorded", "data": "<consent type=\"informed\" given=\"true\" date=\"2026-05-01\" )"
        R"(recordedBy=\"bench\">Told again.</consent>"})";
    std::atomic<long> refused{0};
    std::string firstRefusal;
    std::mutex refusalMutex;
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&, c] {
            std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> sessions;
            for (std::size_t s = 0; s < used; ++s) {
                sessions.push_back(std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", servers[s]->port()));
                sessions.back()->setKeepAlive(true);
                sessions.back()->setTimeout(Poco::Timespan(60, 0));
            }
            const std::string path = "/api/v1/situations/" +
                                     std::to_string(situations[static_cast<std::size_t>(c) % situations.size()]) +
                                     "/events";
            for (int i = 0; i < writes; ++i) {
                auto& session = *sessions[static_cast<std::size_t>(c + i) % used];
                Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path,
                                               Poco::Net::HTTPMessage::HTTP_1_1);
                request.set("Authorization", "Bearer " + token);
                request.setContentType("application/json");
                request.setContentLength(static_cast<std::streamsize>(body.size()));
                session.sendRequest(request) << body;
                Poco::Net::HTTPResponse response;
                std::string answer;
                Poco::StreamCopier::copyToString(session.receiveResponse(response), answer);
                if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
                    ++refused;
                    std::lock_guard<std::mutex> lock(refusalMutex);
                    if (firstRefusal.empty()) firstRefusal = answer;
                }
            }
        });
    for (auto& thread : threads) thread.join();
    const double seconds = secondsOf(Clock::now() - start);
    if (refused > 0)
        throw std::runtime_error(std::to_string(refused.load()) +
                                 " writes were not accepted, the first: " + firstRefusal);
    return clients * writes / seconds;
}

} // namespace

int main(int argc, char** argv) {
    const Options options = parse(argc, argv);
    try {
        std::optional<bench::ThrowawayCluster> cluster;
        std::string ownerUrl = options.ownerUrl, appUrl = options.appUrl;
        if (ownerUrl.empty()) {
            cluster.emplace();
            ownerUrl = cluster->url("owner");
            appUrl = cluster->url("app");
        }
        const std::filesystem::path samples = std::filesystem::path(CASEFLOW_SOURCE_DATA_DIR) / "samples/namur";
        FundingProcess::initialize(ownerUrl, samples / "network.xml");
        const char* chosenRole = std::getenv("CASEFLOW_PG_APP_ROLE");
        const std::string appRole = chosenRole != nullptr && chosenRole[0] != '\0' ? chosenRole : "caseflow_app";
        store::Database::open(ownerUrl, store::OpenMode::MustExist)
            .exec("CREATE TABLE bench_bare (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL); GRANT SELECT, INSERT ON"
                  " bench_bare TO " +
                  appRole + "; GRANT USAGE ON SEQUENCE bench_bare_id_seq TO " + appRole);
        auto process = FundingProcess::open(appUrl);
        const auto transitions = measureTransitions(process, options, ownerUrl, appUrl);

        // The same database through HTTP: one server, then three, in turns.
        std::string token;
        {
            service::Accounts accounts(process.accounts());
            accounts.addUser("Bench Coordinator", "coordinator", {});
            token = accounts.issueToken("Bench Coordinator", std::nullopt).secret;
        }
        std::vector<std::unique_ptr<test::http::ServerProcess>> servers;
        for (int n = 0; n < 3; ++n)
            servers.push_back(std::make_unique<test::http::ServerProcess>(appUrl, 8, options.caseflow));
        double oneServer = 0, threeServers = 0;
        constexpr int rounds = 2;
        for (int round = 0; round < rounds; ++round) {
            oneServer += httpWrites(servers, 1, transitions.situations, token, options.clients, options.writes);
            threeServers += httpWrites(servers, 3, transitions.situations, token, options.clients, options.writes);
        }
        oneServer /= rounds;
        threeServers /= rounds;
        servers.clear();
        // The chain, not the projections: the year shift above moved funding_requests on purpose,
        // so the replayed projections differ from the stored ones.
        const bool intact = process.verify().chainIntact;
        store::Database::open(ownerUrl, store::OpenMode::MustExist).exec("DROP TABLE bench_bare");

        const double transitionRate = transitions.transitions / transitions.caseflowSeconds;
        const double bareRate = transitions.transitions / transitions.bareSeconds;
        std::printf("%-62s %12s\n", "measure (same run, same cluster, fsync on)", "per second");
        std::printf("%-62s %12.0f\n", "bare PostgreSQL INSERT + COMMIT (reference)", bareRate);
        std::printf("%-62s %12.0f\n", "caseflow transitions on PostgreSQL (data+guards+log+projections)",
                    transitionRate);
        std::printf("%-62s %12.2f\n", "ratio caseflow / bare PostgreSQL (target >= 0.5)", transitionRate / bareRate);
        std::printf("%-62s %12.3f\n", "CPU ms per bare commit (reference)",
                    1000.0 * transitions.bareCpu / transitions.transitions);
        std::printf("%-62s %12.3f\n", "CPU ms per caseflow transition",
                    1000.0 * transitions.caseflowCpu / transitions.transitions);
        const std::string clients = std::to_string(options.clients) + " clients";
        std::printf("%-62s %12.0f\n", ("HTTP event writes, 1 server, " + clients).c_str(), oneServer);
        std::printf("%-62s %12.0f\n", ("HTTP event writes, 3 servers, " + clients).c_str(), threeServers);
        std::printf("%-62s %12.2f\n", "ratio 3 servers / 1 server", threeServers / oneServer);
        std::printf("(%ld transitions over %d situations in %.2f s; %d HTTP writes per configuration and round, %d "
                    "rounds; hash chain %s)\n",
                    transitions.transitions, options.situations, transitions.caseflowSeconds,
                    options.clients * options.writes, rounds, intact ? "intact" : "BROKEN");
        return intact ? 0 : 1;
    } catch (const std::exception& error) {
        std::cerr << "bench_pg_transitions: " << error.what() << "\n";
        return 1;
    }
}
