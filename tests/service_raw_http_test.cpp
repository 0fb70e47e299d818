// Specification of the connection layer facing slow and malformed clients, each over a raw
// TCP socket on loopback against the real server: slow clients cannot starve an
// authenticated one; unauthenticated bodies are not waited for; head and body deadlines hold
// while bytes trickle in; ambiguous framing is refused and closes the connection, so no
// smuggled request ever runs; status lines carry their reason; HEAD works wherever GET does;
// an absurd Content-Length is answered; problem bodies are valid UTF-8 whatever was sent.
#include "service/JsonBody.h"
#include "service/ServiceFixture.h"
#include "service/SlowClients.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

using caseflow::test::http::ServiceFixture;
using Clock = std::chrono::steady_clock;

namespace {

Poco::Net::StreamSocket connectTo(std::uint16_t port) {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
    socket.setReceiveTimeout(Poco::Timespan(0, 200 * 1000));
    return socket;
}

void sendText(Poco::Net::StreamSocket& socket, const std::string& bytes) {
    for (std::size_t at = 0; at < bytes.size();)
        at += static_cast<std::size_t>(socket.sendBytes(bytes.data() + at, static_cast<int>(bytes.size() - at)));
}

struct Received {
    std::string bytes;
    bool closed = false; // the server closed the connection
    double seconds = 0;  // until the first byte, or until we gave up
};

// Reads until the server closes, or until `quiet` passes with nothing new, or `limit` passes.
Received readAll(Poco::Net::StreamSocket& socket, std::chrono::milliseconds limit,
                 std::chrono::milliseconds quiet = std::chrono::milliseconds(1500)) {
    Received received;
    const auto start = Clock::now();
    auto lastByte = start;
    char buffer[8192];
    while (Clock::now() - start < limit && Clock::now() - lastByte < quiet) {
        try {
            const int n = socket.receiveBytes(buffer, sizeof buffer);
            if (n <= 0) {
                received.closed = true;
                break;
            }
            if (received.bytes.empty()) received.seconds = std::chrono::duration<double>(Clock::now() - start).count();
            received.bytes.append(buffer, static_cast<std::size_t>(n));
            lastByte = Clock::now();
        } catch (const Poco::TimeoutException&) {
            if (received.bytes.empty()) lastByte = Clock::now() - quiet / 2; // idle before anything: keep waiting
        } catch (const Poco::Exception&) {
            received.closed = true; // reset
            break;
        }
    }
    if (received.bytes.empty()) received.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return received;
}

// Sends `bytes` one at a time, 300 ms apart (well inside any per-read timeout), until the
// server answers or closes, or 10 s pass; returns what it answered.
std::string trickle(Poco::Net::StreamSocket& socket, const std::string& bytes) {
    const auto start = Clock::now();
    std::string answer;
    for (std::size_t n = 0; n < bytes.size() && Clock::now() - start < std::chrono::seconds(10); ++n) {
        try {
            socket.sendBytes(bytes.data() + n, 1);
        } catch (const Poco::Exception&) {
            break;
        }
        const Received got = readAll(socket, std::chrono::milliseconds(300), std::chrono::milliseconds(300));
        answer += got.bytes;
        if (!answer.empty() || got.closed) break;
    }
    return answer;
}

int statusOf(const std::string& response) {
    if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12) return 0;
    return std::stoi(response.substr(9, 3));
}

std::string statusLine(const std::string& response) {
    return response.substr(0, response.find("\r\n"));
}

std::string headerOf(const std::string& response, const std::string& name);

// Status lines in what the server sent ("HTTP/1.1 " and three digits).
int responsesIn(const std::string& bytes) {
    int count = 0;
    for (auto at = bytes.find("HTTP/1.1 "); at != std::string::npos; at = bytes.find("HTTP/1.1 ", at + 1))
        if (at + 12 <= bytes.size() && std::isdigit(static_cast<unsigned char>(bytes[at + 9])) &&
            std::isdigit(static_cast<unsigned char>(bytes[at + 10])) &&
            std::isdigit(static_cast<unsigned char>(bytes[at + 11])))
            ++count;
    return count;
}

bool closes(const std::string& response) {
    std::string value = headerOf(response, "Connection");
    std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::tolower(c); });
    return value == "close";
}

std::string bodyOf(const std::string& response) {
    const auto end = response.find("\r\n\r\n");
    return end == std::string::npos ? "" : response.substr(end + 4);
}

std::string headerOf(const std::string& response, const std::string& name) {
    const std::string head = response.substr(0, response.find("\r\n\r\n"));
    std::string lowerHead = head, lowerName = name + ":";
    std::transform(lowerHead.begin(), lowerHead.end(), lowerHead.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    std::transform(lowerName.begin(), lowerName.end(), lowerName.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    const auto at = lowerHead.find("\r\n" + lowerName);
    if (at == std::string::npos) return "";
    const auto start = at + 2 + lowerName.size();
    std::string value = head.substr(start, head.find("\r\n", start) - start);
    value.erase(0, value.find_first_not_of(' '));
    return value;
}

// One exchange on a fresh connection: the bytes, then everything until the server closes.
Received exchange(std::uint16_t port, const std::string& bytes,
                  std::chrono::milliseconds limit = std::chrono::milliseconds(8000)) {
    auto socket = connectTo(port);
    sendText(socket, bytes);
    return readAll(socket, limit);
}

std::string authorised(const ServiceFixture& service, const std::string& role) {
    return "Authorization: Bearer " + service.token(role) + "\r\n";
}

} // namespace

TEST_CASE("Sixty-four slow clients do not starve an authenticated client", "[service][slow]") {
    ServiceFixture service; // 8 workers: the slow clients outnumber them eight to one
    caseflow::test::SlowClients slow(service.port(), 64);
    std::this_thread::sleep_for(std::chrono::milliseconds(2500)); // every slow client has started its head
    std::vector<double> latencies;
    const auto giveUp = Clock::now() + std::chrono::seconds(60);
    for (int n = 0; n < 20 && Clock::now() < giveUp; ++n) {
        const auto start = Clock::now();
        // A new connection each time: it has to get past the slow ones to be served.
        auto socket = connectTo(service.port());
        sendText(socket, "GET /api/v1/envelopes/2026 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
                             authorised(service, "finance") + "\r\n");
        const Received answer = readAll(socket, std::chrono::seconds(10));
        latencies.push_back(std::chrono::duration<double>(Clock::now() - start).count());
        INFO("request " << n << ": " << statusLine(answer.bytes));
        CHECK(statusOf(answer.bytes) == 200);
        CHECK(latencies.back() < 10.0); // not starved: a bound on waiting, not a speed
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(latencies.size() == 20);
    std::sort(latencies.begin(), latencies.end());
    WARN("authenticated client under 64 slow clients: p50 " << latencies[9] * 1000 << " ms, max "
                                                            << latencies.back() * 1000 << " ms");
    CHECK(service.get("/health", "").status == 200);
}

TEST_CASE("An unauthenticated request is answered 401 without its body being waited for", "[service]") {
    ServiceFixture service;
    // The head announces a body that never comes: the answer cannot depend on it.
    auto socket = connectTo(service.port());
    sendText(socket, "POST /api/v1/situations/12/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Content-Length: 100000\r\n\r\n{\"event\":");
    const Received answer = readAll(socket, std::chrono::seconds(3));
    INFO(answer.bytes);
    CHECK(statusOf(answer.bytes) == 401);
    CHECK(answer.seconds < 2.0);
    CHECK(closes(answer.bytes));
    // The same with a token that does not exist.
    auto forged = connectTo(service.port());
    sendText(forged, "POST /api/v1/situations/12/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
                     "Authorization: Bearer cfk_000000000000_" +
                         std::string(64, 'a') + "\r\n\r\n");
    CHECK(statusOf(readAll(forged, std::chrono::seconds(3)).bytes) == 401);
}

TEST_CASE("A head that trickles in is cut at the head deadline", "[service]") {
    ServiceFixture service([](caseflow::service::ServiceConfig& config) { config.headTimeoutSeconds = 2; });
    auto socket = connectTo(service.port());
    const std::string head = "GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(100, 'p');
    const auto start = Clock::now();
    const std::string answer = trickle(socket, head);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    INFO(answer);
    CHECK(statusOf(answer) == 408);
    CHECK(answer.find("urn:caseflow:problem:request-timeout") != std::string::npos);
    CHECK(seconds < 5.0);
}

TEST_CASE("A body that trickles in is cut at the body deadline, however small its pieces", "[service]") {
    ServiceFixture service([](caseflow::service::ServiceConfig& config) {
        config.bodyTimeoutSeconds = 2;
        config.socketTimeoutSeconds = 10;
    });
    const auto before = service.storedState();
    auto socket = connectTo(service.port());
    sendText(socket, "POST /api/v1/situations/12/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
                         authorised(service, "case_manager") + "Content-Length: 1000\r\n\r\n");
    const auto start = Clock::now();
    const std::string answer = trickle(socket, std::string(1000, ' '));
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    INFO(answer);
    CHECK(statusOf(answer) == 408);
    CHECK(seconds < 5.0);
    CHECK(service.storedState() == before);
}

TEST_CASE("Ambiguous body lengths are refused with 400 and no smuggled request runs", "[service]") {
    ServiceFixture service;
    const std::string smuggled =
        "GET /api/v1/envelopes/2026 HTTP/1.1\r\nHost: x\r\n" + authorised(service, "finance") + "\r\n";
    const std::string head =
        "POST /api/v1/situations/12/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
        authorised(service, "case_manager");
    const std::string body = "{}" + smuggled;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"two different Content-Length",
         head + "Content-Length: 2\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body},
        {"Content-Length with Transfer-Encoding",
         head + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n" + body},
        {"Transfer-Encoding with Content-Length",
         head + "Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n" + body},
        {"a Content-Length list", head + "Content-Length: 2, 2\r\n\r\n" + body},
        {"a space before the colon", head + "Content-Length : 2\r\n\r\n" + body},
        {"a transfer coding that is not chunked", head + "Transfer-Encoding: gzip, chunked\r\n\r\n" + body},
        {"a signed Content-Length", head + "Content-Length: +2\r\n\r\n" + body},
        {"a folded header", head + "X-Folded: a\r\n b\r\nContent-Length: 2\r\n\r\n" + body},
    };
    for (const auto& [what, bytes] : cases) {
        INFO(what);
        const Received answer = exchange(service.port(), bytes);
        INFO(answer.bytes);
        CHECK(statusOf(answer.bytes) == 400);
        CHECK(closes(answer.bytes));
        CHECK(answer.closed);
        CHECK(responsesIn(answer.bytes) == 1); // the smuggled GET was never answered
    }
}

TEST_CASE("A body left unread by an early answer never runs as a second request", "[service]") {
    ServiceFixture service;
    const std::string smuggled =
        "GET /api/v1/envelopes/2026 HTTP/1.1\r\nHost: x\r\n" + authorised(service, "finance") + "\r\n";
    // Answered before the body is read (no such path; then a refused role): the body is the
    // next request's bytes, which must be thrown away with the connection.
    for (const std::string path : {"/api/v1/nowhere", "/api/v1/funding-requests/15/fr1/decision"}) {
        INFO(path);
        const Received answer =
            exchange(service.port(), "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
                                         authorised(service, "partner") +
                                         "Content-Length: " + std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled);
        INFO(answer.bytes);
        CHECK(statusOf(answer.bytes) >= 400);
        CHECK(responsesIn(answer.bytes) == 1);
        CHECK(answer.closed);
    }
}

TEST_CASE("Every status line carries the reason phrase of its status", "[service]") {
    ServiceFixture service;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "HTTP/1.1 200 OK"},
        {"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "HTTP/1.1 404 Not Found"},
        {"GET /api/v1/situations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "HTTP/1.1 401 Unauthorized"},
        {"DELETE /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "HTTP/1.1 405 Method Not Allowed"},
        {"GET /api/v1/situations/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + authorised(service, "case_manager") +
             "\r\n",
         "HTTP/1.1 403 Forbidden"},
        {"POST /api/v1/situations/12/events HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n" +
             authorised(service, "case_manager") + "\r\n",
         "HTTP/1.1 413 Request Entity Too Large"},
    };
    for (const auto& [request, expected] : cases) {
        INFO(request);
        CHECK(statusLine(exchange(service.port(), request).bytes) == expected);
    }
}

TEST_CASE("HEAD is answered wherever GET is, with the same headers and no body", "[service]") {
    ServiceFixture service;
    for (const auto& [path, role] :
         std::vector<std::pair<std::string, std::string>>{{"/health", ""},
                                                          {"/api/v1/envelopes/2026", "finance"},
                                                          {"/api/v1/situations/12", "coordinator"},
                                                          {"/nowhere", ""}}) {
        INFO(path);
        const std::string auth = role.empty() ? "" : authorised(service, role);
        const Received get =
            exchange(service.port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth + "\r\n");
        // HEAD, then GET on the same connection once HEAD is answered: the second answer must
        // be the next bytes, which it can only be if HEAD sent no body.
        auto socket = connectTo(service.port());
        sendText(socket, "HEAD " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
        const Received first = readAll(socket, std::chrono::seconds(5), std::chrono::milliseconds(500));
        sendText(socket, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth + "\r\n");
        const Received second = readAll(socket, std::chrono::seconds(5));
        const std::string both = first.bytes + second.bytes;
        INFO(both);
        const auto headEnd = both.find("\r\n\r\n");
        REQUIRE(headEnd != std::string::npos);
        CHECK(headEnd + 4 == first.bytes.size()); // nothing after the head
        const std::string head = both.substr(0, headEnd + 4);
        CHECK(statusLine(head) == statusLine(get.bytes));
        CHECK(headerOf(head, "Content-Type") == headerOf(get.bytes, "Content-Type"));
        CHECK(headerOf(head, "Content-Length") == headerOf(get.bytes, "Content-Length"));
        CHECK(std::stoul(headerOf(head, "Content-Length")) > 0);
        CHECK(both.compare(headEnd + 4, 9, "HTTP/1.1 ") == 0);
        CHECK(bodyOf(both.substr(headEnd + 4)) == bodyOf(get.bytes));
    }
    // A path that takes only POST names HEAD nowhere; one that takes GET names it in Allow.
    const Received allow = exchange(service.port(), "PUT /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(headerOf(allow.bytes, "Allow") == "GET, HEAD");
}

TEST_CASE("An absurd Content-Length is answered 413 and the connection closed", "[service]") {
    ServiceFixture service;
    for (const std::string length : {"99999999999999999999999999999", "18446744073709551616", "10000000000"}) {
        INFO(length);
        const Received answer =
            exchange(service.port(), "POST /api/v1/situations/12/events HTTP/1.1\r\nHost: x\r\n" +
                                         authorised(service, "case_manager") + "Content-Length: " + length +
                                         "\r\nContent-Type: application/json\r\n\r\n{}");
        INFO(answer.bytes);
        CHECK(statusOf(answer.bytes) == 413);
        CHECK(answer.bytes.find("urn:caseflow:problem:payload-too-large") != std::string::npos);
        CHECK(answer.closed);
    }
    const Received notANumber = exchange(service.port(), "POST /api/v1/situations/12/events HTTP/1.1\r\nHost: x\r\n"
                                                         "Content-Length: twelve\r\n\r\n{}");
    CHECK(statusOf(notANumber.bytes) == 400);
    CHECK(service.get("/health", "").status == 200);
}

TEST_CASE("Problem bodies are valid UTF-8 whatever bytes the request held", "[service]") {
    ServiceFixture service;
    const std::string auth = authorised(service, "coordinator");
    const std::vector<std::string> requests = {
        "GET /api/v1/situations/\xff\xfe\xc3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth + "\r\n",
        "GET /api/v1/situations?\xff\xc0=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth + "\r\n",
        "GET /api/v1/situations?st\xe9=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth + "\r\n",
        "POST /api/v1/situations HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/\xff\xfe\r\n"
        "Content-Length: 2\r\n" +
            auth + "\r\n{}",
        "GET /\xed\xa0\x80/\xff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    };
    for (const auto& request : requests) {
        INFO(request);
        const Received answer = exchange(service.port(), request);
        const std::string body = bodyOf(answer.bytes);
        INFO(answer.bytes);
        CHECK(statusOf(answer.bytes) >= 400);
        CHECK(headerOf(answer.bytes, "Content-Type").rfind("application/problem+json", 0) == 0);
        CHECK(caseflow::service::isValidUtf8(body));
        CHECK_NOTHROW(caseflow::test::http::Response{200, body, {}}.json());
    }
}

TEST_CASE("Waiting connections are bounded per address and a head too large is 431", "[service]") {
    ServiceFixture service([](caseflow::service::ServiceConfig& config) { config.maxWaitingPerAddress = 4; });
    std::vector<Poco::Net::StreamSocket> idle;
    for (int n = 0; n < 4; ++n) idle.push_back(connectTo(service.port()));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto fifth = connectTo(service.port());
    const Received busy = readAll(fifth, std::chrono::seconds(3));
    INFO(busy.bytes);
    CHECK(statusOf(busy.bytes) == 503);
    CHECK(busy.bytes.find("urn:caseflow:problem:server-busy") != std::string::npos);
    idle.clear();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const Received large = exchange(
        service.port(), "GET /health HTTP/1.1\r\nHost: x\r\nX-Large: " + std::string(40 * 1024, 'l') + "\r\n\r\n");
    CHECK(statusOf(large.bytes) == 431);
    CHECK(service.get("/health", "").status == 200);
}
