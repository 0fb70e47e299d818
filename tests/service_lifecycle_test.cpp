// Specification of the server's life: a request in progress when shutdown starts is answered
// and its write kept; TLS with a certificate from the configuration; the configuration file
// and its mistakes; the metrics (Prometheus text) and the access log (one JSON line per
// request) say what happened.
#include "service/ServiceConfig.h"
#include "service/ServiceFixture.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Pipe.h>
#include <Poco/Process.h>

#include <fstream>
#include <future>
#include <thread>

using caseflow::test::http::jsonString;
using caseflow::test::http::Response;
using caseflow::test::http::ServiceFixture;

TEST_CASE("Shutdown answers the request in progress and keeps its write", "[service]") {
    ServiceFixture service;
    const auto eventsBefore = service.count("SELECT count(*) FROM events");
    const std::string body =
        "{\"event\": \"consent.recorded\", \"data\": " +
        jsonString(
            R"(<consent type="informed" given="true" date="2026-05-01" recordedBy="T">During shutdown.</consent>)") +
        "}";
    // The request is sent in two halves: the server has started on it when stop() begins.
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", service.port()));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    const std::string head = "POST /api/v1/situations/12/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                             service.token("case_manager") +
                             "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                             "\r\n\r\n";
    const std::string first = head + body.substr(0, 20);
    socket.sendBytes(first.data(), static_cast<int>(first.size()));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));

    auto stopping = std::async(std::launch::async, [&] { service.server().stop(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(stopping.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout); // still waiting for us
    const std::string rest = body.substr(20);
    socket.sendBytes(rest.data(), static_cast<int>(rest.size()));
    const std::string answer = caseflow::test::http::receiveUntilClosed(socket);
    stopping.get();
    CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(service.count("SELECT count(*) FROM events") == eventsBefore + 1);
    // And nothing listens any more.
    CHECK_THROWS(Poco::Net::StreamSocket(Poco::Net::SocketAddress("127.0.0.1", service.port())));
}

TEST_CASE("TLS is served when the configuration names a certificate and a key", "[service]") {
    caseflow::test::ScratchDir keys;
    const auto certificate = keys / "cert.pem";
    const auto key = keys / "key.pem";
    Poco::Process::Args args = {"req",     "-x509",      "-newkey",      "rsa:2048",           "-nodes",
                                "-keyout", key.string(), "-out",         certificate.string(), "-days",
                                "1",       "-subj",      "/CN=127.0.0.1"};
    Poco::Pipe quiet;
    REQUIRE(Poco::Process::launch("openssl", args, nullptr, &quiet, &quiet).wait() == 0);

    ServiceFixture service([&](caseflow::service::ServiceConfig& config) {
        config.tlsCertificate = certificate;
        config.tlsPrivateKey = key;
    });
    REQUIRE(service.server().tls());
    // The test trusts this self-signed certificate on purpose; clients in production verify.
    auto context = Poco::makeAuto<Poco::Net::Context>(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                                      Poco::Net::Context::VERIFY_NONE);
    Poco::Net::HTTPSClientSession session("127.0.0.1", service.port(), context);
    Poco::Net::HTTPRequest request("GET", "/api/v1/envelopes/2026");
    request.set("Authorization", "Bearer " + service.token("finance"));
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    CHECK(response.getStatus() == 200);
    CHECK(body.find("\"amountCents\":6000000") != std::string::npos);
    // Plain HTTP on the TLS port gets nothing useful.
    CHECK_THROWS(caseflow::test::http::send(service.port(), {"GET", "/health"}));
}

TEST_CASE("The configuration file sets the limits and refuses what it does not know", "[service]") {
    caseflow::test::ScratchDir dir;
    caseflow::test::writeFile(dir / "service.json", R"({
        "server": {"bind": "127.0.0.1:0", "threads": 4, "maxBodyBytes": 4096, "shutdownGraceSeconds": 3},
        "database": {"path": "pilot.db"},
        "log": {"access": "off"}
    })");
    const auto config = caseflow::service::ServiceConfig::load(dir / "service.json");
    CHECK(config.port == 0);
    CHECK(config.threads == 4);
    CHECK(config.maxBodyBytes == 4096);
    CHECK(config.shutdownGraceSeconds == 3);
    CHECK(config.database == dir / "pilot.db"); // relative to the file
    CHECK(config.accessLog == "off");
    CHECK_FALSE(config.tls());

    // A PostgreSQL address is no path to anchor beside the file: the server gets it as written.
    const std::string address = "postgresql:///caseflow?host=/run/postgresql&user=caseflow_app";
    caseflow::test::writeFile(dir / "postgres.json", R"({"database": {"path": ")" + address + R"("}})");
    CHECK(caseflow::service::ServiceConfig::load(dir / "postgres.json").database.string() == address);

    caseflow::test::writeFile(dir / "service.properties", "server.bind = [::1]:8443\nserver.threads = 2\n");
    const auto properties = caseflow::service::ServiceConfig::load(dir / "service.properties");
    CHECK(properties.host == "::1");
    CHECK(properties.port == 8443);

    caseflow::test::writeFile(dir / "typo.json", R"({"server": {"maxBodyByte": 10}})");
    CHECK_THROWS_WITH(caseflow::service::ServiceConfig::load(dir / "typo.json"),
                      Catch::Contains("unknown key 'server.maxBodyByte'"));
    caseflow::test::writeFile(dir / "half-tls.json", R"({"tls": {"certificate": "c.pem"}})");
    CHECK_THROWS_WITH(caseflow::service::ServiceConfig::load(dir / "half-tls.json"), Catch::Contains("both"));
    caseflow::test::writeFile(dir / "zero.json", R"({"server": {"threads": 0}})");
    CHECK_THROWS_WITH(caseflow::service::ServiceConfig::load(dir / "zero.json"), Catch::Contains("server.threads"));
    caseflow::service::ServiceConfig bind;
    CHECK_THROWS(bind.setBind("localhost"));
    CHECK_THROWS(bind.setBind("127.0.0.1:99999"));
}

TEST_CASE("Metrics and the access log say what happened", "[service]") {
    ServiceFixture service;
    REQUIRE(service.get("/health", "").status == 200);
    REQUIRE(service.get("/api/v1/situations/3", "case_manager").status == 403);
    const std::string consent =
        "{\"event\": \"consent.recorded\", \"data\": " +
        jsonString(R"(<consent type="informed" given="true" date="2026-05-01" recordedBy="T">x</consent>)") + "}";
    REQUIRE(service.post("/api/v1/situations/12/events", "case_manager", consent).status == 200);

    Response metrics = service.get("/metrics", "coordinator");
    REQUIRE(metrics.status == 200);
    CHECK(metrics.header("content-type").rfind("text/plain; version=0.0.4", 0) == 0);
    const std::string& text = metrics.body;
    CHECK(text.find("caseflow_http_requests_total{route=\"health\",method=\"GET\",status=\"200\"} 1\n") !=
          std::string::npos);
    CHECK(text.find("caseflow_http_requests_total{route=\"getSituation\",method=\"GET\",status=\"403\"} 1\n") !=
          std::string::npos);
    CHECK(text.find("caseflow_http_request_duration_seconds_bucket{route=\"fireEvent\",le=\"+Inf\"} 1\n") !=
          std::string::npos);
    CHECK(text.find("caseflow_events_appended_total{type=\"consent.recorded\"} 1\n") != std::string::npos);
    CHECK(text.find("caseflow_envelope_amount_cents{year=\"2026\"} 6000000\n") != std::string::npos);
    CHECK(text.find("# TYPE caseflow_envelope_remaining_cents gauge\n") != std::string::npos);
    // Every sample line is "name{labels} value".
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#') continue;
        INFO(line);
        CHECK(line.find("} ") != std::string::npos);
    }

    // The log is written by its own thread: a clean stop writes out every line.
    service.server().stop();
    std::ifstream log(service.dir() / "access.log");
    std::vector<Poco::JSON::Object::Ptr> records;
    for (std::string line; std::getline(log, line);) {
        Poco::JSON::Parser parser;
        records.push_back(parser.parse(line).extract<Poco::JSON::Object::Ptr>());
    }
    REQUIRE(records.size() == 4); // the metrics request too
    const auto& forbidden = records[1];
    CHECK(forbidden->getValue<std::string>("method") == "GET");
    CHECK(forbidden->getValue<std::string>("path") == "/api/v1/situations/3");
    CHECK(forbidden->getValue<std::string>("route") == "getSituation");
    CHECK(forbidden->getValue<int>("status") == 403);
    CHECK(forbidden->getValue<std::string>("user") == "Élodie Massart");
    CHECK(forbidden->getValue<std::string>("role") == "case_manager");
    CHECK(forbidden->has("durationMs"));
    CHECK(forbidden->has("time"));
    CHECK_FALSE(records[0]->has("user")); // /health is anonymous
    for (const auto& record : records) {
        std::ostringstream line;
        record->stringify(line);
        CHECK(line.str().find("cfk_") == std::string::npos); // no token is ever logged
    }
}
