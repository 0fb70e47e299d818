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
