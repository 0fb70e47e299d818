// Specification of several caseflow servers on one PostgreSQL database (issue 18, "How it is
// proven"): three real `caseflow serve` processes on loopback, each connected as the application
// role to the same database of the throwaway cluster, after its owner ran the migrations. Signed
// approvals racing for the year's envelope across the three never overspend it (R18 holds across
// servers), one payment sent fifty times over the three with one Idempotency-Key is recorded once,
// and a server killed with SIGKILL among a stream of writes loses nothing it acknowledged while
// the two others go on serving; `caseflow verify` passes after each. Tagged [.postgres]: run by
// ctest under the caseflow_postgres fixture (ctest -L postgres).
#include "service/ServerProcess.h"
#include "service/ServiceFixture.h"
#include "support/TestDatabase.h"

#include <Poco/JSON/Array.h>

#include <array>
#include <atomic>
#include <barrier>
#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

namespace http = caseflow::test::http;
using caseflow::Actor;
using caseflow::Cents;
using caseflow::FundingProcess;
using caseflow::test::Backend;
using caseflow::test::ScratchDir;
using caseflow::test::TestDatabase;
using http::jsonString;
using http::Request;
using http::Response;
using http::ServerProcess;

namespace {

constexpr int kServers = 3;
const std::string kCoordinator = "coordinator:" + http::people::kCoordinator;

// One network on a fresh PostgreSQL database: initialised by the owner, `requests` copies of
// sample 12 driven to budget check (each asking 2 × `lineCents`), a coordinator and a finance
// officer with tokens, the coordinator's signing key in the trust store; then three servers
// connected as the application role.
class ThreeServers {
public:
    ThreeServers(int requests, Cents lineCents) {
        FundingProcess::initialize(database_.address(), http::samplesDir() / "network.xml");
        process_.emplace(FundingProcess::open(database_.address()));
        signers_ = std::make_unique<caseflow::test::ScenarioSigners>(*process_);
        for (int n = 0; n < requests; ++n)
            requests_.push_back(
                http::driveToBudgetCheck(*process_, *signers_, "KIR-26-" + std::to_string(500 + n), lineCents));
        signers_->keyFor(kCoordinator);
        caseflow::service::Accounts accounts(process_->accounts());
        for (const auto& [name, role] :
             {std::pair{http::people::kCoordinator, "coordinator"}, std::pair{http::people::kFinance, "finance"}}) {
            accounts.addUser(name, role, {});
            tokens_[role] = accounts.issueToken(name, std::nullopt).secret;
        }
        for (int n = 0; n < kServers; ++n) servers_.push_back(std::make_unique<ServerProcess>(database_.appAddress()));
    }

    const std::vector<std::int64_t>& requests() const { return requests_; }
    FundingProcess& process() { return *process_; }
    const std::string& ownerAddress() const { return database_.address(); }
    ServerProcess& server(std::size_t n) { return *servers_.at(n % servers_.size()); }
    const std::string& token(const std::string& role) const { return tokens_.at(role); }

    Response send(std::size_t server, Request request) { return http::send(this->server(server).port(), request); }

    // The coordinator's decision on request fr1 of `situation`, prepared by `server` and signed
    // on the coordinator's machine: ready to be sent to any server.
    Request signedApproval(std::size_t server, std::int64_t situation, Cents amount) {
        const std::string base = "/api/v1/funding-requests/" + std::to_string(situation) + "/fr1";
        const Response toSign = send(server, {"POST", base + "/decision/document-to-sign", token("coordinator"),
                                              R"({"outcome": "approved", "amountCents": )" + std::to_string(amount) +
                                                  R"(, "date": "2026-06-20"})"});
        INFO(toSign.body);
        REQUIRE(toSign.status == 200);
        const auto signedXml = caseflow::signature::signDocument(toSign.json()->getValue<std::string>("document"),
                                                                 signers_->keyFor(kCoordinator), "document to sign");
        return {"POST", base + "/decision", token("coordinator"), signedXml, "application/xml"};
    }

    std::int64_t count(const std::string& sql) const {
        auto db = caseflow::store::Database::open(database_.address(), caseflow::store::OpenMode::MustExist);
        auto query = db.prepare(sql);
        query.step();
        return query.columnInt(0);
    }

    // `caseflow verify` on the database, as an operator runs it: exit code 0 and what it said.
    void requireVerified() const {
        const auto verified = caseflow::test::runCli({"verify", "--db", database_.address()});
        INFO(verified.out << verified.err);
        REQUIRE(verified.exitCode == 0);
    }

private:
    ScratchDir dir_;
    TestDatabase database_{dir_, Backend::Postgres};
    std::optional<FundingProcess> process_;
    std::unique_ptr<caseflow::test::ScenarioSigners> signers_;
    std::vector<std::int64_t> requests_;
    std::map<std::string, std::string> tokens_;
    std::vector<std::unique_ptr<ServerProcess>> servers_;
};

// Sends every request at once (a barrier), request n to server n mod 3; the answers in order.
std::vector<Response> allAtOnce(ThreeServers& servers, const std::vector<Request>& requests) {
    std::vector<Response> responses(requests.size());
    std::vector<std::string> failures(requests.size());
    std::barrier start(static_cast<std::ptrdiff_t>(requests.size()));
    std::vector<std::thread> clients;
    for (std::size_t n = 0; n < requests.size(); ++n)
        clients.emplace_back([&, n] {
            start.arrive_and_wait();
            try {
                responses[n] = servers.send(n, requests[n]);
            } catch (const std::exception& error) {
                failures[n] = error.what();
            }
        });
    for (auto& client : clients) client.join();
    for (const auto& failure : failures) REQUIRE(failure.empty());
    return responses;
}

} // namespace

TEST_CASE("forty signed approvals racing over three servers on one PostgreSQL database never overspend the "
          "year's envelope, and every refusal names R18",
          "[.postgres][servers]") {
    constexpr int approvals = 40;
    // 25 of the 40 fit exactly in a fresh network's envelope: the others must be refused.
    const Cents envelope = [] {
        ScratchDir probeDir;
        TestDatabase probe(probeDir, Backend::Postgres);
        FundingProcess::initialize(probe.address(), http::samplesDir() / "network.xml");
        return FundingProcess::open(probe.address()).envelope(2026).remaining();
    }();
    const Cents amount = envelope / 25;
    REQUIRE(amount * approvals > envelope);
    ThreeServers servers(approvals, amount / 2);
    REQUIRE(servers.process().envelope(2026).remaining() == envelope);

    std::vector<Request> decisions;
    for (std::size_t n = 0; n < servers.requests().size(); ++n)
        decisions.push_back(servers.signedApproval(n, servers.requests()[n], amount));
    const auto responses = allAtOnce(servers, decisions);

    std::int64_t approved = 0;
    std::set<std::size_t> approvingServers;
    for (std::size_t n = 0; n < responses.size(); ++n) {
        INFO("decision " << n << " sent to server " << n % kServers << ": " << responses[n].body);
        if (responses[n].status == 200) {
            ++approved;
            approvingServers.insert(n % kServers);
        } else {
            CHECK(responses[n].status == 422);
            CHECK(responses[n].namesRule("R18"));
        }
    }
    const std::int64_t fit = envelope / amount;
    CHECK(approved == fit);
    CHECK(approvingServers.size() == kServers);
    // Every server reads the same envelope, and it is not overspent.
    for (std::size_t n = 0; n < kServers; ++n) {
        const auto figures = servers.send(n, {"GET", "/api/v1/envelopes/2026", servers.token("coordinator")}).json();
        CHECK(figures->getValue<std::int64_t>("committedCents") == approved * amount);
        CHECK(figures->getValue<std::int64_t>("remainingCents") >= 0);
    }
    CHECK(servers.count("SELECT COALESCE(SUM(approved_cents), 0) FROM funding_requests WHERE state = 'approved'") <=
          envelope);
    CHECK(servers.count("SELECT count(*) FROM funding_requests WHERE state = 'approved'") == approved);
    CHECK(servers.count("SELECT count(*) FROM funding_requests WHERE state = 'budget-check'") == approvals - approved);
    servers.requireVerified();
}

TEST_CASE("fifty payments sent at once over three servers with one Idempotency-Key record one payment, and every "
          "server gives the same answer",
          "[.postgres][servers]") {
    // Below the stronger-validation threshold (R14): one signature decides.
    ThreeServers servers(1, 200000);
    const auto situation = servers.requests().front();
    const Response approval = servers.send(0, servers.signedApproval(0, situation, 400000));
    INFO(approval.body);
    REQUIRE(approval.status == 200);

    const std::string path = "/api/v1/funding-requests/" + std::to_string(situation) + "/fr1/payments";
    const Request payment{"POST",
                          path,
                          servers.token("finance"),
                          R"({"amountCents": 300000, "date": "2026-06-30", "reference": "VIR-THREE-SERVERS"})",
                          "application/json",
                          {{"Idempotency-Key", "three-servers-1"}}};
    const auto responses = allAtOnce(servers, std::vector<Request>(50, payment));
    for (const auto& response : responses) {
        INFO(response.body);
        CHECK(response.status == 201);
        CHECK(response.body == responses.front().body);
    }
    const std::string of = " WHERE situation_id = " + std::to_string(situation);
    CHECK(servers.count("SELECT count(*) FROM events" + of + " AND type = 'payment.recorded'") == 1);
    CHECK(servers.count("SELECT count(*) FROM payments" + of) == 1);
    CHECK(servers.count("SELECT paid_cents FROM funding_requests" + of) == 300000);
    CHECK(servers.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = 'three-servers-1'") == 1);
    servers.requireVerified();
}

TEST_CASE("a server killed with SIGKILL among three on one PostgreSQL database loses no acknowledged write, and the "
          "two others go on serving",
          "[.postgres][servers]") {
    constexpr int writers = 6;
    constexpr std::size_t killed = 1;
    ThreeServers servers(writers, 60000);
    const std::string body =
        "{\"event\": \"consent.recorded\", \"data\": " +
        jsonString(
            R"(<consent type="informed" given="true" date="2026-05-01" recordedBy="Three servers">Told again.</consent>)") +
        "}";

    const auto eventsBefore = servers.count("SELECT count(*) FROM events");
    // Acknowledged writes as (situation, version), and how many each server acknowledged after the kill.
    std::mutex mutex;
    std::set<std::pair<std::int64_t, std::int64_t>> acknowledged;
    std::atomic<bool> serverKilled{false}, stop{false};
    std::array<std::atomic<int>, kServers> afterKill{};
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w)
        threads.emplace_back([&, w] {
            const auto situation = servers.requests()[static_cast<std::size_t>(w)];
            const Request write{"POST", "/api/v1/situations/" + std::to_string(situation) + "/events",
                                servers.token("coordinator"), body};
            // Each writer goes round the three servers, one request each in turn.
            for (std::size_t turn = static_cast<std::size_t>(w); !stop; ++turn) {
                const std::size_t server = turn % kServers;
                if (server == killed && serverKilled) continue; // nginx would stop sending it requests
                try {
                    const Response response = servers.send(server, write);
                    if (response.status != 200) continue;
                    std::lock_guard<std::mutex> lock(mutex);
                    acknowledged.insert({situation, response.json()->getValue<std::int64_t>("version")});
                    if (serverKilled) ++afterKill[server];
                } catch (const std::exception&) {
                    // A request to the server being killed: neither acknowledged nor counted.
                }
            }
        });
    const auto waitFor = [&](const std::function<bool()>& done) {
        for (int waited = 0; waited < 1500 && !done(); ++waited)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    };
    waitFor([&] {
        std::lock_guard<std::mutex> lock(mutex);
        return acknowledged.size() >= 60;
    });
    servers.server(killed).kill();
    serverKilled = true;
    waitFor([&] { return afterKill[0] >= 20 && afterKill[2] >= 20; });
    stop = true;
    for (auto& thread : threads) thread.join();

    INFO(acknowledged.size() << " writes acknowledged; after the kill: " << afterKill[0] << " by server 0, "
                             << afterKill[2] << " by server 2");
    REQUIRE(acknowledged.size() >= 60);
    CHECK(afterKill[0] >= 20);
    CHECK(afterKill[2] >= 20);
    CHECK(afterKill[killed] == 0);

    // Every acknowledged write is in the log, as the event it was.
    std::map<std::int64_t, std::int64_t> newest;
    for (const auto& [situation, version] : acknowledged) {
        const auto history = servers.process().history(situation);
        INFO("situation " << situation << " version " << version);
        REQUIRE(static_cast<std::int64_t>(history.size()) >= version);
        CHECK(history[static_cast<std::size_t>(version - 1)].type == "consent.recorded");
        CHECK(history[static_cast<std::size_t>(version - 1)].actor == kCoordinator);
        newest[situation] = std::max(newest[situation], version);
    }
    // The log only grew, by at least every acknowledged write.
    CHECK(servers.count("SELECT count(*) FROM events") >=
          eventsBefore + static_cast<std::int64_t>(acknowledged.size()));
    servers.requireVerified();

    // The two others serve what the killed one wrote too, and stop cleanly.
    for (std::size_t survivor : {std::size_t{0}, std::size_t{2}}) {
        for (const auto& [situation, version] : newest) {
            const Response read = servers.send(
                survivor, {"GET", "/api/v1/situations/" + std::to_string(situation), servers.token("coordinator")});
            INFO(read.body);
            REQUIRE(read.status == 200);
            CHECK(read.json()->getValue<std::int64_t>("version") >= version);
        }
        CHECK(servers.server(survivor).terminate() == 0);
    }
}
