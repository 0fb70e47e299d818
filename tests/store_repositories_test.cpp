// Specification of the repositories that keep the database behind store/: what they add to
// the rows they replace (an idempotency key stored once, an event's hash by position, a
// situation found by one of its states), and that rows written through several repositories
// inside one event's transaction commit or vanish with it.
#include "store/Database.h"
#include "store/EventStore.h"
#include "store/FinanceRepository.h"
#include "store/IdempotencyKeys.h"
#include "store/Migrations.h"
#include "store/SituationRepository.h"
#include "support/TestSupport.h"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace caseflow::store;
using caseflow::test::ScratchDir;

namespace {

struct Fixture {
    ScratchDir dir;
    Database db = open(dir / "caseflow.db");

    static Database open(const std::filesystem::path& path) {
        Database db = Database::open(path, OpenMode::CreateIfMissing);
        migrate(db);
        return db;
    }
};

IdempotencyRecord keyRecord(const std::string& key, const std::string& response) {
    return {key, "Finn Finance", "fingerprint-" + key, 1, 1, 201, response, "2026-03-01T10:00:00.000Z"};
}

SituationRow situationRow(std::int64_t id, const std::string& state) {
    return {id, 1, state, 2, "Namur", "2026-01-07T09:00:00.000Z", "2026-01-07T09:00:00.000Z", "<situation/>"};
}

} // namespace

TEST_CASE("an idempotency key is stored once, and the first response is the one kept", "[store]") {
    Fixture fixture;
    IdempotencyKeys keys(fixture.db);
    CHECK_FALSE(keys.find("pay-1"));
    CHECK(keys.storeOnce(keyRecord("pay-1", "{\"first\": true}")));
    CHECK_FALSE(keys.storeOnce(keyRecord("pay-1", "{\"second\": true}")));
    const auto stored = keys.find("pay-1");
    REQUIRE(stored);
    CHECK(stored->response == "{\"first\": true}");
    CHECK(stored->userName == "Finn Finance");
    CHECK(stored->status == 201);
}

TEST_CASE("an event's hash is read by its position, and a position past the log has none", "[store]") {
    Fixture fixture;
    EventStore events(fixture.db);
    const auto first = events.appendNewSituation({0, "situation.registered", "partner:A", "<a/>"}, Projector());
    const auto second = events.append({first.situationId, "consent.recorded", "partner:A", "<b/>"}, 1, Projector());
    CHECK(events.hashAt(first.position) == first.hash);
    CHECK(events.hashAt(second.position) == second.hash);
    CHECK_FALSE(events.hashAt(second.position + 1));
}

TEST_CASE("a situation is listed under each of its active states, never under part of a state's name", "[store]") {
    Fixture fixture;
    SituationRepository situations(fixture.db);
    situations.insert(situationRow(1, "budget-check followup"));
    situations.insert(situationRow(2, "budget"));
    CHECK(situations.count() == 2);
    const auto inBudgetCheck = situations.list("budget-check");
    REQUIRE(inBudgetCheck.size() == 1);
    CHECK(inBudgetCheck.front().id == 1);
    CHECK(situations.list("followup").size() == 1);
    const auto inBudget = situations.list("budget");
    REQUIRE(inBudget.size() == 1);
    CHECK(inBudget.front().id == 2);
    CHECK(situations.list().size() == 2);
}

TEST_CASE("rows of several repositories written in an event's transaction vanish with the event when it fails",
          "[store]") {
    Fixture fixture;
    EventStore events(fixture.db);
    const auto refused = [&](Database& db, const StoredEvent& event) {
        SituationRepository(db).insert(situationRow(event.situationId, "preparation"));
        FinanceRepository(db).saveRequest(event.situationId, "fr-1", caseflow::RequestState::BudgetCheck, 2026, 150000,
                                          "2026-02-01");
        IdempotencyKeys(db).storeOnce(keyRecord("pay-1", "{}"));
        throw std::runtime_error("the projection refuses");
    };
    CHECK_THROWS_WITH(events.appendNewSituation({0, "situation.registered", "partner:A", "<a/>"}, refused),
                      "the projection refuses");
    CHECK(events.allEvents().empty());
    CHECK(SituationRepository(fixture.db).count() == 0);
    CHECK(FinanceRepository(fixture.db).requests().empty());
    CHECK_FALSE(IdempotencyKeys(fixture.db).find("pay-1"));

    // The same writes with a projection that succeeds are all there.
    const auto accepted = [&](Database& db, const StoredEvent& event) {
        SituationRepository(db).insert(situationRow(event.situationId, "preparation"));
        FinanceRepository(db).saveRequest(event.situationId, "fr-1", caseflow::RequestState::BudgetCheck, 2026, 150000,
                                          "2026-02-01");
        IdempotencyKeys(db).storeOnce(keyRecord("pay-1", "{}"));
    };
    events.appendNewSituation({0, "situation.registered", "partner:A", "<a/>"}, accepted);
    CHECK(SituationRepository(fixture.db).count() == 1);
    CHECK(FinanceRepository(fixture.db).submittedInYear(2026).requestedCents == 150000);
    CHECK(IdempotencyKeys(fixture.db).find("pay-1"));
}
