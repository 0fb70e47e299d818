// Specification of optimistic concurrency between writers: two connections (as two processes
// or two service threads would hold) append to the same situation having read the same version;
// exactly one wins, the other is told to reload, and the log stays whole. On SQLite and on
// PostgreSQL alike (support/TestDatabase.h; there the writers are the application role).
#include "core/Errors.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "store/Migrations.h"
#include "support/TestDatabase.h"
#include "support/TestSupport.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <thread>

using caseflow::Conflict;
using caseflow::store::Database;
using caseflow::store::EventStore;
using caseflow::store::migrate;
using caseflow::store::NewEvent;
using caseflow::store::OpenMode;
using caseflow::store::Statement;
using caseflow::store::StoredEvent;
using caseflow::test::ScratchDir;
using caseflow::test::TestDatabase;

namespace {

void projectVersion(Database& db, const StoredEvent& stored) {
    db.prepare("INSERT INTO situations (id, version, registered_at, updated_at, document) VALUES (?, ?, ?, ?, '')"
               " ON CONFLICT (id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at")
        .bind(1, stored.situationId)
        .bind(2, stored.sequence)
        .bind(3, stored.recordedAt)
        .bind(4, stored.recordedAt)
        .step();
}

struct WriterOutcome {
    int wins = 0;
    int conflicts = 0;
    std::vector<int> wonRounds;
    std::string failure; // anything other than the expected Conflict
};

} // namespace

TEST_CASE("Two writers racing on one situation with the same expected version: exactly one wins", "[store]") {
    ScratchDir dir;
    const TestDatabase database(dir, "race.db");
    const std::string path = database.appAddress();
    {
        Database db = Database::open(database.address(), OpenMode::CreateIfMissing);
        migrate(db);
    }
    constexpr int rounds = 200;
    constexpr int64_t situation = 1;
    std::barrier sync(2);
    WriterOutcome outcomes[2];

    auto writer = [&](int who) {
        WriterOutcome& outcome = outcomes[who];
        try {
            Database db = Database::open(path, OpenMode::MustExist);
            EventStore store(db);
            for (int round = 0; round < rounds; ++round) {
                sync.arrive_and_wait(); // the previous round is over for both
                const int64_t seen = store.lastSequence(situation);
                sync.arrive_and_wait(); // both have read the same version before either writes
                try {
                    store.append(NewEvent{situation, "note.added", "writer" + std::to_string(who),
                                          "<round>" + std::to_string(round) + "</round>"},
                                 seen, projectVersion);
                    ++outcome.wins;
                    outcome.wonRounds.push_back(round);
                } catch (const Conflict& conflict) {
                    if (std::string(conflict.what()).find("changed: expected version") == std::string::npos) throw;
                    ++outcome.conflicts;
                }
            }
        } catch (const std::exception& error) {
            outcome.failure = error.what();
            sync.arrive_and_drop(); // let the other writer finish alone instead of waiting forever
        }
    };
    std::thread first(writer, 0);
    std::thread second(writer, 1);
    first.join();
    second.join();

    CHECK(outcomes[0].failure.empty());
    CHECK(outcomes[1].failure.empty());
    CHECK(outcomes[0].wins + outcomes[1].wins == rounds);
    CHECK(outcomes[0].conflicts + outcomes[1].conflicts == rounds);
    std::vector<int> winners(rounds, 0);
    for (const WriterOutcome& outcome : outcomes)
        for (int round : outcome.wonRounds) ++winners[round];
    CHECK(std::count(winners.begin(), winners.end(), 1) == rounds);

    Database db = Database::open(path, OpenMode::MustExist);
    EventStore store(db);
    const std::vector<StoredEvent> stored = store.events(situation);
    REQUIRE(stored.size() == static_cast<std::size_t>(rounds));
    for (int round = 0; round < rounds; ++round) {
        CHECK(stored[round].sequence == round + 1);
        CHECK(stored[round].payload == "<round>" + std::to_string(round) + "</round>");
    }
    Statement version = db.prepare("SELECT version FROM situations WHERE id = 1");
    REQUIRE(version.step());
    CHECK(version.columnInt(0) == rounds);
    CHECK(store.verify().intact);
}

TEST_CASE("Writers on different situations all get through and share one chain", "[store]") {
    ScratchDir dir;
    const TestDatabase database(dir, "many.db");
    const std::string path = database.appAddress();
    {
        Database db = Database::open(database.address(), OpenMode::CreateIfMissing);
        migrate(db);
    }
    constexpr int writers = 4;
    constexpr int perWriter = 40;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int who = 0; who < writers; ++who)
        threads.emplace_back([&path, &failures, who] {
            try {
                Database db = Database::open(path, OpenMode::MustExist);
                EventStore store(db);
                for (int n = 0; n < perWriter; ++n)
                    store.append(NewEvent{who + 1, "note.added", "w", std::to_string(n)}, n, projectVersion);
            } catch (const std::exception&) {
                ++failures;
            }
        });
    for (std::thread& thread : threads) thread.join();

    CHECK(failures == 0);
    Database db = Database::open(path, OpenMode::MustExist);
    EventStore store(db);
    CHECK(store.allEvents().size() == writers * perWriter);
    for (int who = 1; who <= writers; ++who) CHECK(store.lastSequence(who) == perWriter);
    const auto report = store.verify();
    CHECK(report.intact);
    CHECK(report.eventsChecked == writers * perWriter);
}
