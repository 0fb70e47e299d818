// Specifications of backup and restore as an operator uses them.
#include "support/Pilot.h"
#include "support/TestSupport.h"

#include <catch2/catch.hpp>

#include <thread>

using namespace caseflow::test;

namespace {

std::vector<std::string> withDb(std::vector<std::string> args, const std::string& db) {
    args.push_back("--db");
    args.push_back(db);
    return args;
}

} // namespace

TEST_CASE("a backup restores to an identical, verified database", "[cli][backup]") {
    ScratchDir dir;
    const std::string db = (dir / "live.db").string(), copy = (dir / "copy.db").string(),
                      restored = (dir / "restored.db").string();
    REQUIRE(runCli(withDb({"init", "--network", (projectDir() / "samples/namur/network.xml").string()}, db)).exitCode ==
            0);
    for (const char* stem : {"01-namur-early-childhood", "07-couvin-institution-ceiling"})
        REQUIRE(runCli(withDb({"situation", "new",
                               (projectDir() / "samples/namur/situations" / (std::string(stem) + ".xml")).string()},
                              db))
                    .exitCode == 0);
    auto backup = runCli(withDb({"backup", copy}, db));
    REQUIRE(backup.exitCode == 0);
    CHECK_THAT(backup.out, Catch::Contains("3 events")); // the network settings event and two registrations
    auto restore = runCli(withDb({"restore", copy}, restored));
    REQUIRE(restore.exitCode == 0);
    CHECK(runCli(withDb({"verify"}, restored)).exitCode == 0);
    CHECK(runCli(withDb({"situation", "list", "--json"}, restored)).out ==
          runCli(withDb({"situation", "list", "--json"}, db)).out);
    // Replacing a database that holds events needs --force.
    auto again = runCli(withDb({"restore", copy}, restored));
    CHECK(again.exitCode == 2);
    CHECK_THAT(again.err, Catch::Contains("--force"));
    CHECK(runCli(withDb({"restore", copy, "--force"}, restored)).exitCode == 0);
}

TEST_CASE("a backup to an unwritable place fails clearly and leaves the database untouched", "[cli][backup]") {
    ScratchDir dir;
    const std::string db = (dir / "live.db").string();
    REQUIRE(runCli(withDb({"init", "--network", (projectDir() / "samples/namur/network.xml").string()}, db)).exitCode ==
            0);
    REQUIRE(runCli(withDb({"situation", "new",
                           (projectDir() / "samples/namur/situations/02-dinant-five-before-six.xml").string()},
                          db))
                .exitCode == 0);
    auto missingDir = runCli(withDb({"backup", (dir / "no/such/dir/b.db").string()}, db));
    CHECK(missingDir.exitCode == 4);
    CHECK_THAT(missingDir.err, Catch::Contains("does not exist"));
    std::filesystem::create_directories(dir / "readonly");
    std::filesystem::permissions(dir / "readonly",
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    auto readOnly = runCli(withDb({"backup", (dir / "readonly/b.db").string()}, db));
    std::filesystem::permissions(dir / "readonly", std::filesystem::perms::owner_all);
    if (geteuid() != 0) { // root writes anywhere; the check only means something for other users
        CHECK(readOnly.exitCode == 1);
        CHECK_THAT(readOnly.err, Catch::Contains("cannot write the backup"));
    }
    CHECK((std::filesystem::is_empty(dir / "readonly") || geteuid() == 0));
    CHECK(runCli(withDb({"verify"}, db)).exitCode == 0);
    CHECK_THAT(runCli(withDb({"situation", "list"}, db)).out, Catch::Contains("KIR-26-002"));
}

TEST_CASE("restore refuses a file that is not a caseflow database or is of a newer schema", "[cli][backup]") {
    ScratchDir dir;
    const std::string db = (dir / "live.db").string();
    REQUIRE(runCli(withDb({"init", "--network", (projectDir() / "samples/namur/network.xml").string()}, db)).exitCode ==
            0);
    writeFile(dir / "notes.txt", "these are not the pages you are looking for\n");
    auto text = runCli(withDb({"restore", (dir / "notes.txt").string()}, db));
    CHECK(text.exitCode == 2);
    CHECK_THAT(text.err, Catch::Contains("not a caseflow database"));
    const std::string other = (dir / "other.db").string();
    REQUIRE(std::system(("sqlite3 '" + other + "' 'CREATE TABLE t(x);'").c_str()) == 0);
    CHECK(runCli(withDb({"restore", other}, db)).exitCode == 2);
    const std::string newer = (dir / "newer.db").string();
    REQUIRE(runCli(withDb({"backup", newer}, db)).exitCode == 0);
    REQUIRE(std::system(("sqlite3 '" + newer + "' 'PRAGMA user_version = 999;'").c_str()) == 0);
    auto future = runCli(withDb({"restore", newer, "--force"}, db));
    CHECK(future.exitCode == 2);
    CHECK_THAT(future.err, Catch::Contains("newer"));
}

TEST_CASE("a backup taken while events are being written is consistent", "[cli][backup]") {
    Pilot pilot;
    const auto id = pilot.registerSample("03-andenne-eleven-transition");
    ScratchDir dir;
    // The writer asserts nothing itself (Catch2 v2 is not thread-safe): the main thread judges
    // how its scenario went once it has joined.
    std::string writerDivergence;
    std::thread writer([&] {
        try {
            writerDivergence = pilot.playScenario(id, "03-andenne-eleven-transition");
        } catch (const std::exception& error) {
            writerDivergence = error.what();
        }
    });
    std::vector<std::string> backups;
    for (int n = 0; n < 5; ++n) {
        backups.push_back((dir / ("b" + std::to_string(n) + ".db")).string());
        CHECK(runCli({"backup", backups.back(), "--db", pilot.databasePath().string()}).exitCode == 0);
    }
    writer.join();
    CHECK(writerDivergence == "");
    for (const auto& backup : backups) {
        const auto restored = (dir / "r.db").string();
        INFO(backup);
        CHECK(runCli({"restore", backup, "--force", "--db", restored}).exitCode == 0);
        CHECK(runCli({"verify", "--db", restored}).exitCode == 0);
    }
}

TEST_CASE("backup and restore on a PostgreSQL address are refused, pointing to pg_dump, and no file is written",
          "[cli][backup]") {
    ScratchDir dir;
    const std::string address = "postgresql:///caseflow?host=" + (dir / "no-cluster").string();
    for (const std::string command : {"backup", "restore"}) {
        auto refused = runCli(withDb({command, (dir / "copy.db").string()}, address));
        INFO(command << ": " << refused.err);
        CHECK(refused.exitCode == 2);
        CHECK_THAT(refused.err, Catch::Contains("pg_dump") && Catch::Contains("verify --expect-head"));
    }
    CHECK_FALSE(std::filesystem::exists(dir / "copy.db"));
}
