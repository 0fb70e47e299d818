// Specification of a backup taken while the HTTP service is writing: the operator runs
// `caseflow backup` beside a live server, and the copy restores to a verified database that
// holds every write acknowledged before the backup began, without disturbing the writers.
#include "service/ServiceFixture.h"
#include "support/TestDatabase.h"

#include <atomic>
#include <mutex>
#include <thread>

using caseflow::test::http::jsonString;
using caseflow::test::http::Response;
using caseflow::test::http::ServiceFixture;

TEST_CASE("A backup taken while the server writes restores every acknowledged write, and writers never notice",
          "[service][backup]") {
    if (!caseflow::test::requireSqlite("caseflow backup copies SQLite's pages; PostgreSQL is backed up with pg_dump"))
        return;
    ServiceFixture service;
    const std::string body =
        "{\"event\": \"consent.recorded\", \"data\": " +
        jsonString(
            R"(<consent type="informed" given="true" date="2026-05-01" recordedBy="Backup test">Told again.</consent>)") +
        "}";
    constexpr std::int64_t kSituation = 1;

    std::atomic<bool> stop{false};
    std::atomic<std::int64_t> lastAcknowledged{0};
    std::mutex mutex;
    std::vector<int> unexpectedStatuses;
    std::thread writer([&] {
        while (!stop) {
            Response response =
                service.post("/api/v1/situations/" + std::to_string(kSituation) + "/events", "coordinator", body);
            if (response.status == 200) {
                lastAcknowledged = response.json()->getValue<std::int64_t>("version");
            } else {
                std::lock_guard<std::mutex> lock(mutex);
                unexpectedStatuses.push_back(response.status);
            }
        }
    });
    while (lastAcknowledged < 20) std::this_thread::sleep_for(std::chrono::milliseconds(5));

    const auto database = service.database();
    const std::int64_t acknowledgedBeforeBackups = lastAcknowledged;
    for (int round = 0; round < 4; ++round) {
        const std::int64_t acknowledgedBefore = lastAcknowledged;
        const auto backup = (service.dir() / ("backup-" + std::to_string(round) + ".db")).string();
        const auto restored = (service.dir() / ("restored-" + std::to_string(round) + ".db")).string();
        auto backedUp = caseflow::test::runCli({"backup", backup, "--db", database});
        INFO("round " << round << ": " << backedUp.err);
        REQUIRE(backedUp.exitCode == 0);
        REQUIRE(caseflow::test::runCli({"restore", backup, "--db", restored}).exitCode == 0);
        CHECK(caseflow::test::runCli({"verify", "--db", restored}).exitCode == 0);
        auto copy = caseflow::FundingProcess::open(restored);
        CHECK(copy.situation(kSituation).version >= acknowledgedBefore);
        CHECK(copy.situations().size() == caseflow::FundingProcess::open(database).situations().size());
    }
    const std::int64_t acknowledgedDuringBackups = lastAcknowledged;
    stop = true;
    writer.join();

    CHECK(unexpectedStatuses.empty());
    CHECK(acknowledgedDuringBackups > acknowledgedBeforeBackups); // the server wrote while the copies were taken
    CHECK(caseflow::test::runCli({"verify", "--db", database}).exitCode == 0);
}
