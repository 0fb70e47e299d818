// Specification of the HTTP side of the shared use cases (issue 12, step 3): the service maps
// the process's EventNotAllowed to its 409 problem with the events the process named, without
// asking the workflow again, and a refused event stores nothing.
#include "service/ServiceFixture.h"

#include <Poco/JSON/Array.h>

using caseflow::test::http::ServiceFixture;

namespace {

std::vector<std::string> allowedEventsOf(const caseflow::test::http::Response& response) {
    std::vector<std::string> events;
    const auto array = response.json()->getArray("allowedEvents");
    if (!array) return events;
    for (std::size_t i = 0; i < array->size(); ++i) events.push_back(array->getElement<std::string>(i));
    return events;
}

} // namespace

TEST_CASE("an event the state does not take is a 409 naming the state and the events the process named", "[service]") {
    ServiceFixture service;
    const auto id = caseflow::test::http::kBudgetCheckSituation;
    const auto [state, taken] = [&] {
        auto process = caseflow::FundingProcess::open(service.database());
        return std::pair(process.situation(id).state, process.allowedEvents(id));
    }();
    REQUIRE_FALSE(taken.empty());
    const auto before = service.storedState();
    const std::string events = "/api/v1/situations/" + std::to_string(id) + "/events";

    for (const char* event : {"payment.recorded", "dossier.teleported", "situation.registered"}) {
        INFO(event);
        const auto refused = service.post(events, "coordinator", std::string(R"({"event": ")") + event + "\"}");
        CHECK(refused.status == 409);
        CHECK(refused.json()->getValue<std::string>("type") == "urn:caseflow:problem:event-not-allowed");
        CHECK_THAT(refused.json()->getValue<std::string>("detail"),
                   Catch::Contains("'" + state + "'") && Catch::Contains(event));
        CHECK(allowedEventsOf(refused) == taken);
    }

    // A signed decision whose outcome no event stands for is refused the same way.
    caseflow::test::http::Request signedDecision{
        "POST", "/api/v1/situations/" + std::to_string(id) + "/signatures", service.token("coordinator"),
        R"(<budgetDecision request="fr1" outcome="postponed" date="2026-06-20" amount="1250.00"/>)", "application/xml"};
    const auto postponed = service.send(signedDecision);
    CHECK(postponed.status == 409);
    CHECK(postponed.json()->getValue<std::string>("type") == "urn:caseflow:problem:event-not-allowed");
    CHECK(allowedEventsOf(postponed) == taken);
    CHECK(service.storedState() == before);
}

TEST_CASE("GET /api/v1/due lists the attention ages of the caller's situations, as `caseflow due` does (R2)",
          "[service]") {
    ServiceFixture service;
    // A day on which some youth of the fixture is at an attention age, found by the process.
    std::string day;
    std::vector<caseflow::AttentionFlag> expected;
    {
        auto process = caseflow::FundingProcess::open(service.database());
        for (int year = 2026; year <= 2040 && expected.empty(); ++year) {
            day = std::to_string(year) + "-06-30";
            expected = process.attention(caseflow::Date::parseOrThrow(day, "day"));
        }
    }
    REQUIRE_FALSE(expected.empty());
    const auto flagsIn = [](const caseflow::test::http::Response& response) {
        std::vector<std::pair<std::int64_t, std::string>> flags;
        const auto array = response.json()->getArray("attention");
        REQUIRE(array);
        for (std::size_t i = 0; i < array->size(); ++i) {
            const auto item = array->getObject(static_cast<unsigned>(i));
            flags.emplace_back(item->getValue<std::int64_t>("situationId"), item->getValue<std::string>("attention"));
        }
        return flags;
    };
    const auto coordinator = service.get("/api/v1/due?at=" + day, "coordinator");
    REQUIRE(coordinator.status == 200);
    std::vector<std::pair<std::int64_t, std::string>> all;
    for (const auto& flag : expected) all.emplace_back(flag.situationId, flag.flag);
    CHECK(flagsIn(coordinator) == all);
    // A case manager sees the flags of their own situations only (situation 12).
    const auto caseManager = service.get("/api/v1/due?at=" + day, "case_manager");
    REQUIRE(caseManager.status == 200);
    for (const auto& [situationId, flag] : flagsIn(caseManager)) CHECK(situationId == 12);
}
