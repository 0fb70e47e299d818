// Specifications of the read audit at scale (issue 19): the read log's chain checked from where
// an earlier walk ended, and the audit's filters answered from their indexes. On both backends.
#include "support/TestDatabase.h"
#include "support/TestSupport.h"

#include "store/Database.h"
#include "store/Migrations.h"
#include "store/ReadLogStore.h"
#include "web/AdminPages.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

using namespace caseflow::store;
using namespace caseflow::test;
using Catch::Matchers::Contains;

namespace {

struct AuditFixture {
    ScratchDir dir;
    TestDatabase database{dir};
    Database db = caseflow::test::openMigrated(database);

    void read(const std::string& user, int64_t situation, int times = 1) {
        std::vector<ReadRecord> rows;
        for (int i = 0; i < times; ++i)
            rows.push_back({"2026-11-30T09:00:00.000Z", user, "coordinator", situation, "situation"});
        ReadLogStore(db).append(rows);
    }

    // As the database's owner with the append-only guards off: what a person with the shell can do.
    void tamper(const std::string& sql) {
        if (database.backend() == Backend::Sqlite)
            database.tamper("DROP TRIGGER IF EXISTS read_log_no_update; DROP TRIGGER IF EXISTS read_log_no_delete; " +
                            sql);
        else
            database.tamper("ALTER TABLE read_log DISABLE TRIGGER USER; " + sql +
                            "; ALTER TABLE read_log ENABLE TRIGGER USER");
    }
};

} // namespace

TEST_CASE("a read log walked from an earlier walk's end checks only the rows written since, and counts them all",
          "[store]") {
    AuditFixture f;
    f.read("elodie", 1, 5);
    const ReadLogStore log(f.db);
    const ReadLogCheck first = log.verify();
    REQUIRE(first.intact);
    CHECK(first.rowsChecked == 5);
    CHECK(first.reached.id == 5);
    CHECK(first.reached.rows == 5);

    f.read("marc", 2, 3);
    const ReadLogCheck next = log.verifyFrom(first.reached);
    CHECK(next.intact);
    CHECK(next.rowsChecked == 8);
    CHECK(next.reached.id == 8);
    // Nothing new: the checkpoint stays where it was, still intact.
    const ReadLogCheck again = log.verifyFrom(next.reached);
    CHECK(again.intact);
    CHECK(again.rowsChecked == 8);
    CHECK(again.reached.id == 8);

    // A row before the checkpoint edited: the walk from the checkpoint does not read it again;
    // the whole walk finds it.
    f.tamper("UPDATE read_log SET what = 'edited' WHERE id = 3");
    CHECK(log.verifyFrom(next.reached).intact);
    const ReadLogCheck whole = log.verify();
    CHECK_FALSE(whole.intact);
    CHECK(whole.firstBrokenId == 3);
    CHECK(whole.reached.id == 2); // the newest row found intact
}

TEST_CASE("a walk from a checkpoint finds the checkpoint's row edited or removed, and a new row edited", "[store]") {
    AuditFixture f;
    f.read("elodie", 1, 4);
    const ReadLogStore log(f.db);
    const ReadLogCheckpoint checkpoint = log.verify().reached;
    REQUIRE(checkpoint.id == 4);

    SECTION("the checkpoint's row edited") {
        f.tamper("UPDATE read_log SET user_name = 'someone else', hash = 'forged' WHERE id = 4");
        const ReadLogCheck check = log.verifyFrom(checkpoint);
        CHECK_FALSE(check.intact);
        CHECK(check.firstBrokenId == 4);
        CHECK_THAT(check.problem, Contains("hash changed since it was found intact"));
    }
    SECTION("the checkpoint's row removed") {
        f.tamper("DELETE FROM read_log WHERE id = 4");
        const ReadLogCheck check = log.verifyFrom(checkpoint);
        CHECK_FALSE(check.intact);
        CHECK_THAT(check.problem, Contains("read log row 4: the row, found intact before, was removed"));
    }
    SECTION("a row written after the checkpoint edited") {
        f.read("marc", 2, 2);
        f.tamper("UPDATE read_log SET situation_id = 9 WHERE id = 6");
        const ReadLogCheck check = log.verifyFrom(checkpoint);
        CHECK_FALSE(check.intact);
        CHECK(check.firstBrokenId == 6);
        CHECK(check.reached.id == 5);
        CHECK(check.rowsChecked == 5);
    }
}

TEST_CASE("a view of the read audit that comes during the walk at start waits for it, then checks only the reads "
          "written since",
          "[store][web]") {
    using caseflow::web::ReadChainWatch;
    AuditFixture f;
    f.read("Ana", 1, 5);
    ReadChainWatch watch;
    watch.expectStartWalk();
    std::promise<void> walking, release;
    auto released = release.get_future();
    std::thread start([&] {
        watch.walkAtStart([&] {
            walking.set_value();
            released.wait();
            return ReadLogStore(f.db).verify();
        });
    });
    walking.get_future().wait();
    std::atomic<bool> viewed{false};
    ReadChainWatch::Finding finding;
    std::thread view([&] {
        finding = watch.check(f.db, false);
        viewed = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK_FALSE(viewed.load()); // still waiting for the walk at start
    release.set_value();
    start.join();
    view.join();
    CHECK_FALSE(finding.walkedInFull);
    CHECK(finding.check.intact);
    CHECK(finding.check.rowsChecked == 5);
    CHECK_FALSE(finding.fullWalkAt.empty());
}

TEST_CASE("a read record edited while the server was stopped is found by the walk at start and reported by the "
          "first view, which walks the whole log again",
          "[store][web]") {
    using caseflow::web::ReadChainWatch;
    AuditFixture f;
    f.read("Ana", 1, 5);
    f.tamper("UPDATE read_log SET what = 'edited' WHERE id = 2");
    ReadChainWatch watch;
    watch.expectStartWalk();
    watch.walkAtStart([&] { return ReadLogStore(f.db).verify(); });
    const auto first = watch.check(f.db, false);
    CHECK(first.walkedInFull);
    CHECK_FALSE(first.check.intact);
    CHECK(first.check.firstBrokenId == std::optional<int64_t>(2));
    CHECK(first.fullWalkAt.empty()); // no whole walk ever found it intact
}

TEST_CASE("a walk at start that fails leaves the first view of the read audit to walk the whole log", "[store][web]") {
    using caseflow::web::ReadChainWatch;
    AuditFixture f;
    f.read("Ana", 1, 3);
    ReadChainWatch watch;
    watch.expectStartWalk();
    CHECK_THROWS_AS(watch.walkAtStart([]() -> ReadLogCheck { throw std::runtime_error("the database is locked"); }),
                    std::runtime_error);
    const auto first = watch.check(f.db, false); // does not wait for a walk that ended
    CHECK(first.walkedInFull);
    CHECK(first.check.intact);
    CHECK(first.check.rowsChecked == 3);
}

TEST_CASE("the read audit's pages and counts are the same whichever filters are set, newest first", "[store]") {
    AuditFixture f;
    f.read("elodie", 1, 3); // ids 1-3
    f.read("marc", 1, 2);   // 4-5
    f.read("elodie", 2, 4); // 6-9
    const ReadLogStore log(f.db);
    const auto ids = [&](const ReadFilter& filter, int64_t limit, int64_t offset) {
        std::vector<int64_t> found;
        for (const auto& read : log.newestReads(filter, limit, offset)) found.push_back(read.id);
        return found;
    };
    CHECK(log.countReads({}) == 9);
    CHECK(ids({}, 3, 0) == std::vector<int64_t>{9, 8, 7});
    CHECK(log.countReads({1, ""}) == 5);
    CHECK(ids({1, ""}, 10, 1) == std::vector<int64_t>{4, 3, 2, 1});
    CHECK(log.countReads({std::nullopt, "elodie"}) == 7);
    CHECK(ids({std::nullopt, "elodie"}, 2, 4) == std::vector<int64_t>{3, 2});
    CHECK(log.countReads({1, "elodie"}) == 3);
    CHECK(ids({1, "elodie"}, 10, 0) == std::vector<int64_t>{3, 2, 1});
    CHECK(log.countReads({2, "marc"}) == 0);
    CHECK(ids({2, "marc"}, 10, 0).empty());
}

TEST_CASE("the read audit's filters are answered from an index, not by reading the whole log", "[store]") {
    if (!requireSqlite("EXPLAIN QUERY PLAN (PostgreSQL plans by its statistics)")) return;
    AuditFixture f;
    f.read("elodie", 1, 2);
    const auto plan = [&](const std::string& where) {
        Statement explain = f.db.prepare("EXPLAIN QUERY PLAN SELECT id FROM read_log " + where + " ORDER BY id DESC");
        std::string text;
        while (explain.step()) text += explain.columnText(3) + "\n";
        return text;
    };
    CHECK_THAT(plan("WHERE situation_id = 1"), Contains("USING COVERING INDEX read_log_by_situation"));
    CHECK_THAT(plan("WHERE user_name = 'elodie'"), Contains("USING COVERING INDEX read_log_by_user"));
    // Neither sorts the rows it found: the index gives the pages' order.
    CHECK_THAT(plan("WHERE situation_id = 1"), !Contains("TEMP B-TREE"));
    CHECK_THAT(plan("WHERE user_name = 'elodie'"), !Contains("TEMP B-TREE"));
}
