// Specification of the service under concurrent writers: budget approvals racing for the last
// of the envelope (exactly those that fit are approved, the others are refused with R18, the
// envelope never goes negative), two writers on one situation (one wins, the other is told
// 412 or 409), and one payment sent many times at once with one Idempotency-Key (one payment).
#include "service/ServiceFixture.h"

#include <Poco/JSON/Array.h>

#include <barrier>
#include <thread>

using caseflow::test::http::jsonString;
using caseflow::test::http::Response;
using caseflow::test::http::ServiceFixture;
namespace http = caseflow::test::http;

namespace {} // namespace

TEST_CASE("Concurrent budget approvals never overspend the envelope (R18)", "[service]") {
    ServiceFixture service;
    const auto before = service.get("/api/v1/envelopes/2026", "coordinator").json();
    const auto remaining = before->getValue<std::int64_t>("remainingCents");
    const std::int64_t fit = remaining / http::kLargeRequestCents;
    REQUIRE(http::kLargeRequests * http::kLargeRequestCents > remaining); // together they do not fit
    REQUIRE(fit >= 1);

    // Each decision is prepared and signed first; then they all arrive at once.
    std::vector<caseflow::test::http::Request> decisions;
    for (int n = 0; n < http::kLargeRequests; ++n)
        decisions.push_back(
            service.signedDecision(http::kFirstLargeRequest + n, "fr1",
                                   R"({"outcome": "approved", "amountCents": 900000, "date": "2026-06-20"})", true));
    std::vector<Response> responses(http::kLargeRequests);
    std::barrier start(http::kLargeRequests);
    std::vector<std::thread> coordinators;
    for (int n = 0; n < http::kLargeRequests; ++n) {
        coordinators.emplace_back([&, n] {
            start.arrive_and_wait();
            responses[static_cast<std::size_t>(n)] = service.send(decisions[static_cast<std::size_t>(n)]);
        });
    }
    for (auto& thread : coordinators) thread.join();

    std::int64_t approved = 0;
    for (const auto& response : responses) {
        INFO(response.body);
        if (response.status == 200) {
            ++approved;
        } else {
            CHECK(response.status == 422);
            CHECK(response.namesRule("R18"));
        }
    }
    CHECK(approved == fit);
    const auto after = service.get("/api/v1/envelopes/2026", "coordinator").json();
    CHECK(after->getValue<std::int64_t>("remainingCents") >= 0);
    CHECK(after->getValue<std::int64_t>("committedCents") ==
          before->getValue<std::int64_t>("committedCents") + fit * http::kLargeRequestCents);
    CHECK(service.count("SELECT count(*) FROM funding_requests WHERE state = 'approved' AND situation_id >= 15") ==
          fit);
    CHECK(service.count("SELECT count(*) FROM funding_requests WHERE state = 'budget-check' AND situation_id >= 15") ==
          http::kLargeRequests - fit);
}

TEST_CASE("Two writers on one situation: one wins, the other gets 412 or 409", "[service]") {
    ServiceFixture service;
    const std::string body =
        "{\"event\": \"consent.recorded\", \"data\": " +
        jsonString(R"(<consent type="informed" given="true" date="2026-05-01" recordedBy="Test">Again.</consent>)") +
        "}";
    const std::string path = "/api/v1/situations/12/events";

    SECTION("with If-Match: the loser gets 412 and the current ETag") {
        for (int round = 0; round < 10; ++round) {
            const std::string etag = service.get("/api/v1/situations/12", "coordinator").header("etag");
            Response results[2];
            std::barrier start(2);
            std::thread writers[2];
            for (int w = 0; w < 2; ++w)
                writers[w] = std::thread([&, w] {
                    start.arrive_and_wait();
                    results[w] =
                        service.post(path, w == 0 ? "coordinator" : "case_manager", body, {{"If-Match", etag}});
                });
            for (auto& writer : writers) writer.join();
            INFO(results[0].body << "\n" << results[1].body);
            const int wins = (results[0].status == 200) + (results[1].status == 200);
            CHECK(wins == 1);
            for (const auto& result : results) {
                if (result.status == 200) continue;
                CHECK(result.status == 412);
                CHECK(result.json()->getValue<std::string>("type") == "urn:caseflow:problem:precondition-failed");
                CHECK(result.header("etag") != etag);
            }
        }
    }
    SECTION("with expectedVersion in the body: the loser gets 409") {
        const auto version =
            service.get("/api/v1/situations/12", "coordinator").json()->getValue<std::int64_t>("version");
        const std::string expecting =
            body.substr(0, body.size() - 1) + ", \"expectedVersion\": " + std::to_string(version) + "}";
        Response results[2];
        std::barrier start(2);
        std::thread writers[2];
        for (int w = 0; w < 2; ++w)
            writers[w] = std::thread([&, w] {
                start.arrive_and_wait();
                results[w] = service.post(path, "coordinator", expecting);
            });
        for (auto& writer : writers) writer.join();
        CHECK(((results[0].status == 200) + (results[1].status == 200)) == 1);
        CHECK(((results[0].status == 409) + (results[1].status == 409)) == 1);
    }
    // Whatever happened, the log is whole.
    auto process = caseflow::FundingProcess::open(service.database());
    CHECK(process.verify().intact);
}

TEST_CASE("One payment sent many times at once with one Idempotency-Key is recorded once", "[service]") {
    ServiceFixture service;
    const auto id = http::kFirstLargeRequest + 1;
    const std::string base = "/api/v1/funding-requests/" + std::to_string(id) + "/fr1";
    REQUIRE(service.approve(id, "fr1", R"({"outcome": "approved", "amountCents": 900000, "date": "2026-06-20"})", true)
                .status == 200);
    const std::string payment = R"({"amountCents": 300000, "date": "2026-06-30", "reference": "VIR-RACE"})";
    constexpr int senders = 6;
    std::vector<Response> responses(senders);
    std::barrier start(senders);
    std::vector<std::thread> threads;
    for (int n = 0; n < senders; ++n)
        threads.emplace_back([&, n] {
            start.arrive_and_wait();
            responses[static_cast<std::size_t>(n)] =
                service.post(base + "/payments", "finance", payment, {{"Idempotency-Key", "race-1"}});
        });
    for (auto& thread : threads) thread.join();
    for (const auto& response : responses) {
        INFO(response.body);
        CHECK(response.status == 201);
        CHECK(response.body == responses.front().body);
    }
    CHECK(service.count("SELECT count(*) FROM payments WHERE situation_id = " + std::to_string(id)) == 1);
    CHECK(service.count("SELECT paid_cents FROM funding_requests WHERE situation_id = " + std::to_string(id)) ==
          300000);
    CHECK(service.count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = 'race-1'") == 1);
}
