// The shortcuts of the HTTP read path (issue 19, item 2, second round) against what they
// must never do: the envelope's cached answer served after an approval or a payment changed
// it (in this server or through another process), a kept-alive connection whose next head
// comes in pieces served before it is whole or not at all, an access log line lost on a
// clean stop, a read the read log cannot record answered with data while other reads share
// its commit.
#include "finance/FinanceFixture.h"

#include "process/FundingProcess.h"
#include "service/AccessLog.h"
#include "service/EventData.h"
#include "store/Database.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/StreamSocket.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

using namespace caseflow::test::http;
using namespace caseflow::test::finance;

namespace {

constexpr const char* kEnvelope = "/api/v1/envelopes/2026";

// The envelope's figures computed the straightforward way, by a process of its own.
caseflow::EnvelopeFigures envelopeFromStore(const ServiceFixture& service) {
    auto process = caseflow::FundingProcess::open(service.database());
    return process.envelope(2026);
}

void checkEnvelopeIsCurrent(const ServiceFixture& service) {
    const Response envelope = service.get(kEnvelope, "finance");
    REQUIRE(envelope.status == 200);
    const auto figures = envelopeFromStore(service);
    CHECK(envelope.json()->getValue<std::int64_t>("committedCents") == figures.committed);
    CHECK(envelope.json()->getValue<std::int64_t>("paidCents") == figures.paid);
    CHECK(envelope.json()->getValue<std::int64_t>("remainingCents") == figures.remaining());
}

std::string rawGet(const std::string& path, const std::string& token) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n";
}

// Reads one response with a Content-Length body from a kept-alive connection.
std::string readResponse(Poco::Net::StreamSocket& socket) {
    std::string bytes;
    char buffer[8192];
    for (;;) {
        const auto end = bytes.find("\r\n\r\n");
        if (end != std::string::npos) {
            const auto field = bytes.find("Content-Length: ");
            REQUIRE(field != std::string::npos);
            const auto length = std::stoul(bytes.substr(field + 16));
            if (bytes.size() >= end + 4 + length) return bytes.substr(0, end + 4 + length);
        }
        const int got = socket.receiveBytes(buffer, sizeof buffer);
        REQUIRE(got > 0);
        bytes.append(buffer, static_cast<std::size_t>(got));
    }
}

} // namespace

TEST_CASE("an envelope changed by an approval or a payment in this server is never served stale",
          "[service][cache][finance]") {
    ServiceFixture service;
    const Response before = service.get(kEnvelope, "finance");
    REQUIRE(before.status == 200);
    REQUIRE(service.get(kEnvelope, "finance").body == before.body); // cached now

    approveRequest(service);
    const Response approved = service.get(kEnvelope, "finance");
    REQUIRE(approved.status == 200);
    CHECK(approved.json()->getValue<std::int64_t>("committedCents") ==
          before.json()->getValue<std::int64_t>("committedCents") + 125000);
    checkEnvelopeIsCurrent(service);

    const Response paid =
        pay(service, "fast-paths-1", R"({"amountCents": 40000, "date": "2026-06-25", "reference": "FP-1"})");
    INFO(paid.body);
    REQUIRE(paid.status == 201);
    const Response after = service.get(kEnvelope, "finance");
    CHECK(after.json()->getValue<std::int64_t>("paidCents") ==
          approved.json()->getValue<std::int64_t>("paidCents") + 40000);
    checkEnvelopeIsCurrent(service);
}

TEST_CASE("an envelope changed by a payment recorded through another process is never served stale",
          "[service][cache][finance]") {
    ServiceFixture service;
    approveRequest(service);
    const Response cached = service.get(kEnvelope, "finance");
    REQUIRE(cached.status == 200);
    {
        // Another process (as the CLI would be): this server's memory cannot know of it.
        auto process = caseflow::FundingProcess::open(service.database());
        caseflow::service::PaymentInput payment;
        payment.paymentId = "p-other-process";
        payment.requestId = "fr1";
        payment.amount = 25000;
        payment.date = "2026-06-26";
        payment.reference = "FP-CLI";
        process.fire(kSituation, "payment.recorded", caseflow::service::paymentXml(payment), "payment",
                     caseflow::Actor::parse("finance:Other Process"));
    }
    const Response after = service.get(kEnvelope, "finance");
    CHECK(after.json()->getValue<std::int64_t>("paidCents") ==
          cached.json()->getValue<std::int64_t>("paidCents") + 25000);
    checkEnvelopeIsCurrent(service);
    // Each language gets its own formatted figures, from the same current data.
    const Response dutch = service.get(kEnvelope, "finance", {{"Accept-Language", "nl"}});
    CHECK(dutch.json()->getValue<std::int64_t>("paidCents") == after.json()->getValue<std::int64_t>("paidCents"));
    CHECK(dutch.body != after.body);
}

TEST_CASE("a kept-alive connection whose next head arrives in pieces is answered once it is whole",
          "[service][slow-clients]") {
    ServiceFixture service;
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", service.port()));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    const std::string request = rawGet("/api/v1/situations/12", service.token("coordinator"));
    socket.sendBytes(request.data(), static_cast<int>(request.size()));
    const std::string first = readResponse(socket);
    REQUIRE(first.rfind("HTTP/1.1 200", 0) == 0);
    // The next head in two pieces, the second long after the worker stopped waiting for it.
    const auto half = request.size() / 2;
    socket.sendBytes(request.data(), static_cast<int>(half));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    socket.sendBytes(request.data() + half, static_cast<int>(request.size() - half));
    const std::string second = readResponse(socket);
    CHECK(second.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(second.substr(second.find("\r\n\r\n")) == first.substr(first.find("\r\n\r\n")));
    // And at once: the worker that answered serves it.
    socket.sendBytes(request.data(), static_cast<int>(request.size()));
    CHECK(readResponse(socket).rfind("HTTP/1.1 200", 0) == 0);
}

TEST_CASE("every request answered is in the access log once the server has stopped", "[service]") {
    ServiceFixture service;
    constexpr int kClients = 4, kEach = 25;
    std::vector<std::thread> clients;
    for (int n = 0; n < kClients; ++n)
        clients.emplace_back([&] {
            for (int k = 0; k < kEach; ++k) CHECK(service.get(kEnvelope, "finance").status == 200);
        });
    for (auto& client : clients) client.join();
    service.server().stop();
    std::ifstream log(service.dir() / "access.log");
    int lines = 0;
    for (std::string line; std::getline(log, line);) {
        Poco::JSON::Parser parser;
        const auto record = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
        CHECK(record->getValue<std::string>("path") == kEnvelope);
        CHECK(record->getValue<std::string>("user") == people::kFinance);
        ++lines;
    }
    CHECK(lines == kClients * kEach);
}

TEST_CASE("an access log line escapes what a path or a name could smuggle into JSON", "[service]") {
    caseflow::service::AccessRecord record;
    record.time = "2026-06-01T10:00:00Z";
    record.path = "/a\"b\\c\x01";
    record.user = "Élodie \"E\" Massart";
    record.role = "case_manager";
    record.durationMs = 12.3456;
    const std::string line = caseflow::service::accessLine(record);
    REQUIRE(line.back() == '\n');
    Poco::JSON::Parser parser;
    const auto parsed = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
    CHECK(parsed->getValue<std::string>("path") == record.path);
    CHECK(parsed->getValue<std::string>("user") == record.user);
    CHECK(parsed->getValue<double>("durationMs") == Approx(12.345));
}

TEST_CASE("reads sharing group commits while the read log cannot record them all get no data",
          "[service][security][cache]") {
    ServiceFixture service;
    const std::string situation = "/api/v1/situations/12";
    REQUIRE(service.get(situation, "coordinator").status == 200); // cached view
    service.setReadLogFull(true);
    std::vector<std::thread> readers;
    std::atomic<int> leaked{0}, refused{0};
    for (int n = 0; n < 8; ++n)
        readers.emplace_back([&] {
            for (int k = 0; k < 5; ++k) {
                const Response answer = service.get(situation, "coordinator");
                if (answer.status == 500) ++refused;
                if (answer.body.find("KIR-26-012") != std::string::npos) ++leaked;
            }
        });
    for (auto& reader : readers) reader.join();
    CHECK(leaked == 0);
    CHECK(refused == 40);
}
