// Specification of the event log's bulk append (EventStore::appendBulkInOpenTransaction, the
// loader of bench_scale): the same events give the same chain whether appended one by one or
// in bulk, the projector sees every event in order, and a refused batch leaves nothing behind;
// on SQLite and on PostgreSQL alike (support/TestDatabase.h).
#include "core/Errors.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "store/Migrations.h"
#include "store/Transaction.h"
#include "support/TestDatabase.h"
#include "support/TestSupport.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using caseflow::UsageError;
using caseflow::store::Database;
using caseflow::store::EventStore;
using caseflow::store::NewEvent;
using caseflow::store::OpenMode;
using caseflow::store::StoredEvent;
using caseflow::store::Transaction;
using caseflow::test::ScratchDir;
using caseflow::test::TestDatabase;

namespace {

// Three situations' events interleaved, as a network's day mixes them; situation 1 already has
// an event before the batch, so the batch continues a chain and a sequence.
std::vector<NewEvent> batch() {
    std::vector<NewEvent> events;
    for (int round = 0; round < 4; ++round)
        for (int64_t id = 1; id <= 3; ++id)
            events.push_back({id, round == 0 && id > 1 ? "situation.registered" : "consent.recorded",
                              "case_manager:ana", "<consent n=\"" + std::to_string(round) + "\">é</consent>"});
    return events;
}

} // namespace

TEST_CASE("the same events appended one by one and in bulk give the same chain, head hash and verify") {
    ScratchDir dir;
    const TestDatabase singleDatabase(dir, "single.db");
    Database single = openMigrated(singleDatabase);
    const TestDatabase bulkDatabase(dir, "bulk.db");
    Database bulk = openMigrated(bulkDatabase);
    const NewEvent opening{1, "situation.registered", "partner:amo", "<situation/>"};

    EventStore one(single);
    one.append(opening, 0, {});
    std::vector<int64_t> last(4, 0);
    last[1] = 1;
    for (const auto& event : batch()) {
        one.append(event, last[static_cast<std::size_t>(event.situationId)], {});
        ++last[static_cast<std::size_t>(event.situationId)];
    }
    const std::vector<StoredEvent> expected = one.allEvents();

    EventStore many(bulk);
    std::size_t next = 0;
    // The bulk log is recorded at the instants the one-by-one log was: only then can hashes agree.
    const auto replayedClock = [&expected, &next] { return expected.at(next++).recordedAt; };
    std::vector<StoredEvent> returned;
    {
        Transaction transaction(bulk);
        many.appendBulkInOpenTransaction({opening}, {}, replayedClock);
        transaction.commit();
    }
    {
        Transaction transaction(bulk);
        returned = many.appendBulkInOpenTransaction(batch(), {}, replayedClock);
        transaction.commit();
    }
    const std::vector<StoredEvent> actual = many.allEvents();

    REQUIRE(actual.size() == expected.size());
    REQUIRE(returned.size() == expected.size() - 1);
    for (std::size_t n = 0; n < expected.size(); ++n) {
        INFO("event " << n + 1);
        CHECK(actual[n].position == expected[n].position);
        CHECK(actual[n].situationId == expected[n].situationId);
        CHECK(actual[n].sequence == expected[n].sequence);
        CHECK(actual[n].previousHash == expected[n].previousHash);
        CHECK(actual[n].hash == expected[n].hash);
        if (n > 0) CHECK(returned[n - 1].hash == actual[n].hash);
    }
    const auto singleReport = one.verify();
    const auto bulkReport = many.verify();
    CHECK(singleReport.intact);
    CHECK(bulkReport.intact);
    CHECK(bulkReport.headHash == singleReport.headHash);
    CHECK(bulkReport.headPosition == 13);
    CHECK(many.lastSequence(1) == 5);
    CHECK(many.lastSequence(3) == 4);
}

TEST_CASE("a bulk append with the system clock still verifies and projects every event in order") {
    ScratchDir dir;
    const TestDatabase dbDatabase(dir, "caseflow.db");
    Database db = openMigrated(dbDatabase);
    EventStore log(db);
    std::vector<std::pair<int64_t, int64_t>> projected; // position, sequence
    Transaction transaction(db);
    std::vector<NewEvent> events = batch();
    events.insert(events.begin(), NewEvent{1, "situation.registered", "partner:amo", "<situation/>"});
    log.appendBulkInOpenTransaction(events, [&projected](Database&, const StoredEvent& event) {
        projected.emplace_back(event.position, event.sequence);
    });
    transaction.commit();
    REQUIRE(projected.size() == events.size());
    for (std::size_t n = 0; n < projected.size(); ++n) CHECK(projected[n].first == static_cast<int64_t>(n + 1));
    CHECK(log.verify().intact);
}

TEST_CASE("a bulk batch holding one bad event stores none of the batch and leaves the chain as it was") {
    ScratchDir dir;
    const TestDatabase dbDatabase(dir, "caseflow.db");
    Database db = openMigrated(dbDatabase);
    EventStore log(db);
    log.append({1, "situation.registered", "partner:amo", "<situation/>"}, 0, {});
    const auto head = log.verify().headHash;

    std::vector<NewEvent> events = batch();
    events.push_back({2, "consent.recorded", "", "<consent/>"}); // no actor
    {
        Transaction transaction(db);
        CHECK_THROWS_AS(log.appendBulkInOpenTransaction(events, {}), UsageError);
    }
    std::vector<NewEvent> failing = batch();
    {
        Transaction transaction(db);
        const auto refuse = [](Database&, const StoredEvent& event) {
            if (event.sequence == 3) throw std::runtime_error("projection refused");
        };
        CHECK_THROWS_WITH(log.appendBulkInOpenTransaction(failing, refuse), "projection refused");
    }
    CHECK(log.allEvents().size() == 1);
    const auto report = log.verify();
    CHECK(report.intact);
    CHECK(report.headHash == head);
}
