// Specification of caseflow behind a reverse proxy (docs/deployment.md, service/ForwardedFor.h)
// and of its stop under systemd: X-Forwarded-For and X-Forwarded-Proto are believed only from a
// peer listed in server.trustedProxies, and then only their last hop, by the access log, the
// login throttle and the cookies; `caseflow serve` stops on SIGTERM having written the access
// log and the read log of every request it answered. The whole chain with a real nginx in front
// is tests/deploy/nginx-test.sh (label deploy).
#include "core/Errors.h"
#include "service/ForwardedFor.h"
#include "service/ServiceConfig.h"
#include "web/WebFixture.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>

#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <thread>

using caseflow::service::ServiceConfig;
using caseflow::test::http::jsonString;
using caseflow::test::http::Response;
using caseflow::test::http::ServiceFixture;
using caseflow::test::web::Browser;
using caseflow::test::web::csrfIn;
using caseflow::test::web::passwordOf;
using caseflow::test::web::WebFixture;
using namespace caseflow::test::http::people;

namespace {

std::vector<Poco::JSON::Object::Ptr> accessRecords(const std::filesystem::path& file) {
    std::ifstream log(file);
    std::vector<Poco::JSON::Object::Ptr> records;
    for (std::string line; std::getline(log, line);) {
        Poco::JSON::Parser parser;
        records.push_back(parser.parse(line).extract<Poco::JSON::Object::Ptr>());
    }
    return records;
}

// The `remote` of the access log's line for `path` (the log is written once the answer is out:
// the line may trail the answer by a moment).
std::string remoteOf(const std::filesystem::path& log, const std::string& path) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        for (const auto& record : accessRecords(log))
            if (record->getValue<std::string>("path") == path) return record->getValue<std::string>("remote");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return "(no line for " + path + ")";
}

Poco::Net::IPAddress address(const std::string& text) {
    return Poco::Net::IPAddress(text);
}

void trustLoopback(ServiceConfig& config) {
    config.trustedProxies = {"127.0.0.1"};
}

} // namespace

TEST_CASE("server.trustedProxies is read as a list of addresses and networks and a malformed entry is refused",
          "[service][deploy]") {
    caseflow::test::ScratchDir dir;
    const auto file = dir / "caseflow.properties";
    std::ofstream(file) << "server.trustedProxies = 127.0.0.1, 10.0.0.0/8 ,::1\n";
    CHECK(ServiceConfig::load(file).trustedProxies == std::vector<std::string>{"127.0.0.1", "10.0.0.0/8", "::1"});
    const auto json = dir / "caseflow.json";
    std::ofstream(json) << R"({"server": {"trustedProxies": "192.168.1.4"}})";
    CHECK(ServiceConfig::load(json).trustedProxies == std::vector<std::string>{"192.168.1.4"});
    CHECK(ServiceConfig().trustedProxies.empty()); // nobody is believed unless named

    for (const std::string bad : {"10.0.0.0/33", "nginx", "10.0.0.1/", "::1/129"}) {
        INFO(bad);
        std::ofstream(file) << "server.trustedProxies = " << bad << "\n";
        CHECK_THROWS_WITH(ServiceConfig::load(file), Catch::Contains("server.trustedProxies: '" + bad + "'"));
    }
}

TEST_CASE("a trusted proxy is an address or a network and an IPv4 peer seen through IPv6 counts as its IPv4 address",
          "[deploy]") {
    using caseflow::service::isTrustedProxy;
    const std::vector<std::string> proxies = {"10.1.0.0/16", "192.168.7.3", "fd00::/8"};
    CHECK(isTrustedProxy(address("10.1.200.9"), proxies));
    CHECK_FALSE(isTrustedProxy(address("10.2.0.1"), proxies));
    CHECK(isTrustedProxy(address("192.168.7.3"), proxies));
    CHECK_FALSE(isTrustedProxy(address("192.168.7.4"), proxies));
    CHECK(isTrustedProxy(address("fd12::1"), proxies));
    CHECK_FALSE(isTrustedProxy(address("fe80::1"), proxies));
    CHECK(isTrustedProxy(address("::ffff:10.1.0.1"), proxies));
    CHECK_FALSE(isTrustedProxy(address("127.0.0.1"), {}));
    CHECK(isTrustedProxy(address("10.0.0.7"), {"10.0.0.0/31", "0.0.0.0/0"})); // /0: anyone, said plainly
    CHECK(isTrustedProxy(address("10.1.0.129"), {"10.1.0.128/25"}));
    CHECK_FALSE(isTrustedProxy(address("10.1.0.127"), {"10.1.0.128/25"}));
}

TEST_CASE("a forged X-Forwarded-For from a peer that is not a trusted proxy is ignored by the access log",
          "[service][deploy]") {
    ServiceFixture service;
    REQUIRE(service.get("/health", "", {{"X-Forwarded-For", "203.0.113.9"}}).status == 200);
    CHECK(remoteOf(service.dir() / "access.log", "/health") == "127.0.0.1");
}

TEST_CASE("behind a trusted proxy the access log names the last hop of X-Forwarded-For when it is an address",
          "[service][deploy]") {
    ServiceFixture service(trustLoopback);
    // The client wrote the first hop; the proxy appended the second, the address it saw.
    REQUIRE(service.get("/api/v1/situations/12", "case_manager", {{"X-Forwarded-For", "203.0.113.9, 198.51.100.7"}})
                .status == 200);
    CHECK(remoteOf(service.dir() / "access.log", "/api/v1/situations/12") == "198.51.100.7");
    REQUIRE(service.get("/api/v1/situations/12/events", "case_manager", {{"X-Forwarded-For", "2001:db8::5"}}).status ==
            200);
    CHECK(remoteOf(service.dir() / "access.log", "/api/v1/situations/12/events") == "2001:db8::5");
    // Not an address: the peer stays the client, nothing the header says is written down.
    REQUIRE(service.get("/health", "", {{"X-Forwarded-For", "198.51.100.7, <script>"}}).status == 200);
    CHECK(remoteOf(service.dir() / "access.log", "/health") == "127.0.0.1");
}

TEST_CASE("the login throttle counts the forwarded client behind a trusted proxy and the peer when the header is "
          "forged",
          "[service][web][deploy]") {
    SECTION("behind a trusted proxy, one client's guesses do not lock out another client") {
        WebFixture web({}, trustLoopback);
        Browser guesser(web.port());
        guesser.setHeader("X-Forwarded-For", "198.51.100.7");
        for (int attempt = 0; attempt < 20; ++attempt)
            CHECK(guesser.signIn("guess " + std::to_string(attempt), "not the password").status == 401);
        CHECK(guesser.signIn(kCoordinator, passwordOf(kCoordinator)).status == 429);
        Browser colleague(web.port());
        colleague.setHeader("X-Forwarded-For", "198.51.100.8");
        CHECK(colleague.signIn(kCoordinator, passwordOf(kCoordinator)).status == 303);
        REQUIRE(colleague.get("/caseload").status == 200);
        CHECK(remoteOf(web.accessLog(), "/caseload") == "198.51.100.8");
    }
    SECTION("from an untrusted peer, a new forged address for every guess changes nothing") {
        WebFixture web;
        Browser guesser(web.port());
        for (int attempt = 0; attempt < 20; ++attempt) {
            guesser.setHeader("X-Forwarded-For", "198.51.100." + std::to_string(attempt));
            CHECK(guesser.signIn("guess " + std::to_string(attempt), "not the password").status == 401);
        }
        guesser.setHeader("X-Forwarded-For", "198.51.100.99");
        CHECK(guesser.signIn(kCoordinator, passwordOf(kCoordinator)).status == 429);
    }
}

TEST_CASE(
    "X-Forwarded-Proto https from a trusted proxy makes the cookies Secure and __Host- and from anyone else does not",
    "[service][web][deploy]") {
    SECTION("a trusted proxy that terminated TLS") {
        WebFixture web({}, trustLoopback);
        Browser browser(web.port());
        browser.setHeader("X-Forwarded-Proto", "https");
        const auto page = browser.get("/sign-in");
        CHECK(browser.setCookieHeader("__Host-caseflow_signin").find("; Secure") != std::string::npos);
        REQUIRE(browser
                    .post("/sign-in", {{"csrf", csrfIn(page.body)},
                                       {"name", kCoordinator},
                                       {"password", passwordOf(kCoordinator)},
                                       {"next", "/caseload"}})
                    .status == 303);
        CHECK(browser.setCookieHeader("__Host-caseflow_session").find("; Path=/; HttpOnly; SameSite=Strict; Secure") !=
              std::string::npos);
        CHECK(browser.get("/caseload").status == 200);
    }
    SECTION("the same header from a peer nobody trusts") {
        WebFixture web;
        Browser browser(web.port());
        browser.setHeader("X-Forwarded-Proto", "https");
        browser.get("/sign-in");
        CHECK(browser.setCookieHeader("__Host-caseflow_signin").empty());
        CHECK(browser.setCookieHeader("caseflow_signin").find("Secure") == std::string::npos);
    }
    SECTION("a trusted proxy that says the client spoke plain HTTP") {
        WebFixture web({}, trustLoopback);
        Browser browser(web.port());
        browser.setHeader("X-Forwarded-Proto", "http");
        browser.get("/sign-in");
        CHECK(browser.setCookieHeader("caseflow_signin").find("Secure") == std::string::npos);
    }
}

TEST_CASE("caseflow serve stops on SIGTERM with exit code 0 having logged every request it answered in the access "
          "log and the read log",
          "[service][deploy]") {
    caseflow::test::ScratchDir dir;
    const caseflow::test::TestDatabase copy(dir, "sigterm.db", caseflow::test::http::templateDatabase());
    const std::string& database = copy.address();
    std::string token;
    {
        auto process = caseflow::FundingProcess::open(database);
        caseflow::service::Accounts accounts(process.accounts());
        accounts.addUser("Reader", "coordinator", {});
        token = accounts.issueToken("Reader", std::nullopt).secret;
    }
    const auto accessLog = dir / "access.log";
    const auto count = [&](const std::string& sql) {
        auto db = caseflow::store::Database::open(database, caseflow::store::OpenMode::MustExist);
        auto query = db.prepare(sql);
        query.step();
        return query.columnInt(0);
    };
    const auto readsBefore = count("SELECT count(*) FROM read_log");
    const auto eventsBefore = count("SELECT count(*) FROM events");

    Poco::Pipe output, errors;
    Poco::Process::Args args = {
        "serve",     "--db", copy.appAddress(), "--bind", "127.0.0.1:0", "--access-log", accessLog.string(),
        "--threads", "4"};
    auto handle = Poco::Process::launch(caseflow::test::cliPath().string(), args, nullptr, &output, &errors);
    // A failed REQUIRE must not leave the server running after the test.
    struct Reaper {
        Poco::ProcessHandle& server;
        ~Reaper() {
            if (Poco::Process::isRunning(server)) {
                Poco::Process::kill(server);
                server.wait();
            }
        }
    } reaper{handle};
    Poco::PipeInputStream out(output);
    std::string line;
    std::getline(out, line); // "caseflow: listening on http://127.0.0.1:PORT (...)"
    const auto colon = line.find(':', line.find("127.0.0.1"));
    REQUIRE(colon != std::string::npos);
    const auto port = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));

    constexpr int reads = 12;
    for (int read = 0; read < reads; ++read)
        REQUIRE(caseflow::test::http::send(port, {"GET", "/api/v1/situations/" + std::to_string(1 + read % 4), token})
                    .status == 200);
    // An event whose body is half sent when SIGTERM arrives: it is answered, and logged.
    const std::string body =
        "{\"event\": \"consent.recorded\", \"data\": " +
        jsonString(R"(<consent type="informed" given="true" date="2026-05-01" recordedBy="T">At stop.</consent>)") +
        "}";
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
    socket.setReceiveTimeout(Poco::Timespan(20, 0));
    const std::string head = "POST /api/v1/situations/12/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                             "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                             "\r\n\r\n";
    const std::string first = head + body.substr(0, 20);
    socket.sendBytes(first.data(), static_cast<int>(first.size()));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ::kill(handle.id(), SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const std::string rest = body.substr(20);
    socket.sendBytes(rest.data(), static_cast<int>(rest.size()));
    const std::string answer = caseflow::test::http::receiveUntilClosed(socket);
    CHECK(handle.wait() == 0);
    CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);
    Poco::PipeInputStream err(errors);
    std::string said;
    for (std::string message; said.find("caseflow: stopped") == std::string::npos && std::getline(err, message);)
        said += message + "\n";
    CHECK(said.find("finishing the requests in progress") != std::string::npos);
    CHECK(said.find("caseflow: stopped") != std::string::npos);

    const auto records = accessRecords(accessLog);
    REQUIRE(records.size() == reads + 1);
    for (int read = 0; read < reads; ++read)
        CHECK(records[static_cast<std::size_t>(read)]->getValue<int>("status") == 200);
    CHECK(records.back()->getValue<std::string>("route") == "fireEvent");
    CHECK(records.back()->getValue<int>("status") == 200);
    CHECK(count("SELECT count(*) FROM read_log") == readsBefore + reads);
    CHECK(count("SELECT count(*) FROM events") == eventsBefore + 1);
    CHECK(caseflow::test::runCli({"verify", "--db", database}).exitCode == 0);
}
