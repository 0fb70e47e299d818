// Specifications of `caseflow verify` over everything stored (issue 11, part 6): the log is
// replayed in memory and every projection row and the stored network settings are compared
// with the stored ones; settings changes are events of the chain; rebuild says what it
// changed; the read log is chained; every CLI read of personal data is recorded. Edits are
// made the way an attacker with the shell would: SQL straight into the real database, behind
// caseflow's back (the run's backend: support/TestDatabase.h).
#include "support/Pilot.h"
#include "support/TestDatabase.h"
#include "support/TestSupport.h"

#include "store/Database.h"
#include "store/Migrations.h"

#include <catch2/catch.hpp>

#include <pwd.h>
#include <regex>
#include <unistd.h>

using namespace caseflow;
using namespace caseflow::test;

namespace {

void execSql(const std::string& db, const std::string& sql) {
    auto database = store::Database::open(db, store::OpenMode::MustExist);
    database.exec(sql);
}

std::string querySql(const std::string& db, const std::string& sql) {
    auto database = store::Database::open(db, store::OpenMode::MustExist);
    auto query = database.prepare(sql);
    std::string rows;
    while (query.step()) rows += query.columnText(0) + "\n";
    return rows;
}

// The head `verify` printed, as --expect-head takes it.
std::string headOf(const std::string& db) {
    const auto verified = runCli({"verify", "--json", "--db", db});
    REQUIRE(verified.exitCode == 0);
    std::smatch position, hash;
    REQUIRE(std::regex_search(verified.out, position, std::regex(R"re("headPosition": (\d+))re")));
    REQUIRE(std::regex_search(verified.out, hash, std::regex(R"re("headHash": "([0-9a-f]{64})")re")));
    return position[1].str() + ":" + hash[1].str();
}

std::string osLogin() {
    const passwd* account = ::getpwuid(::geteuid());
    REQUIRE(account != nullptr);
    return account->pw_name;
}

struct CliDatabase {
    ScratchDir dir;
    TestDatabase database{dir, "verify.db"};
    std::string db = database.address();
    CliDatabase() {
        REQUIRE(
            runCli({"init", "--db", db, "--network", (projectDir() / "samples/namur/network.xml").string()}).exitCode ==
            0);
    }
    CommandResult run(std::vector<std::string> args, const std::string& input = "") {
        args.push_back("--db");
        args.push_back(db);
        return runCli(args, input);
    }
    void registerSample(const std::string& stem) {
        REQUIRE(run({"situation", "new", (projectDir() / "samples/namur/situations" / (stem + ".xml")).string()})
                    .exitCode == 0);
    }
};

} // namespace

TEST_CASE("verify names each direct edit of situations, funding requests, payments, deadlines and the stored "
          "settings, and --expect-head no longer passes such a database",
          "[cli][store][security]") {
    if (!requireSqlite("each edit is made on a copy taken with caseflow backup, which copies SQLite's pages")) return;
    Pilot pilot; // scenario 04: a funding request returned, then approved and paid, with deadlines
    const auto id = pilot.registerSample("04-ciney-twelve-returned");
    pilot.runScenario(id, "04-ciney-twelve-returned");
    const std::string live = pilot.databasePath().string();
    REQUIRE(querySql(live, "SELECT count(*) FROM payments") != "0\n");
    REQUIRE(querySql(live, "SELECT count(*) FROM deadlines") != "0\n");
    const std::string head = headOf(live);

    struct Edit {
        std::string sql;
        std::string named; // what verify must say
    };
    const std::vector<Edit> edits = {
        {"UPDATE situations SET state = 'closed'", "situations id=1, column state: stored 'closed', replayed"},
        {"UPDATE funding_requests SET approved_cents = approved_cents + 100000000",
         "funding_requests situation_id=1, request_id="},
        {"UPDATE payments SET amount_cents = 1", ", column amount_cents: stored '1', replayed"},
        {"UPDATE deadlines SET due_at = '2099-01-01'", ", column due_at: stored '2099-01-01', replayed"},
        // A bigger envelope, so that more could be approved.
        {"UPDATE meta SET value = replace(value, 'amount=\"6000000\"', 'amount=\"96000000\"') WHERE key = 'network'",
         "meta key=network, column value: stored"},
        // Settings that are not settings at all: the engine runs on the log's, and verify says so.
        {"UPDATE meta SET value = 'nothing' WHERE key = 'network'",
         "meta key=network, column value: stored 'nothing', replayed"},
        {"DELETE FROM payments", "produced by the log, but missing from the stored table"},
        {"INSERT INTO payments(situation_id, request_id, payment_id, paid_on, amount_cents) "
         "VALUES(1, 'fr1', 'forged', '2026-06-30', 500000)",
         "payments situation_id=1, payment_id=forged: stored, but the log does not produce it"},
    };
    for (const auto& edit : edits) {
        INFO(edit.sql);
        ScratchDir scratch;
        const std::string copy = (scratch / "edited.db").string();
        REQUIRE(runCli({"backup", copy, "--db", live}).exitCode == 0);
        execSql(copy, edit.sql);
        const auto verified = runCli({"verify", "--db", copy});
        CHECK(verified.exitCode == 1);
        CHECK_THAT(verified.out, Catch::Contains("BROKEN") && Catch::Contains(edit.named));
        const auto withHead = runCli({"verify", "--expect-head", head, "--db", copy});
        CHECK(withHead.exitCode == 1);
        const auto json = runCli({"verify", "--json", "--db", copy});
        CHECK_THAT(json.out, Catch::Contains("\"intact\": false") && Catch::Contains("\"drifts\": ["));
    }
    CHECK(runCli({"verify", "--expect-head", head, "--db", live}).exitCode == 0);
}

TEST_CASE("rebuild lists every value that had drifted, then repairs it", "[cli][store]") {
    Pilot pilot;
    const auto id = pilot.registerSample("04-ciney-twelve-returned");
    pilot.runScenario(id, "04-ciney-twelve-returned");
    const std::string db = pilot.databasePath().string();
    execSql(db, "UPDATE payments SET amount_cents = 7; UPDATE situations SET municipality = 'Nowhere'");
    const auto rebuilt = runCli({"rebuild", "--db", db});
    REQUIRE(rebuilt.exitCode == 0);
    CHECK_THAT(rebuilt.out, Catch::Contains("changed 2 values") &&
                                Catch::Contains("column amount_cents: stored '7', replayed") &&
                                Catch::Contains("situations id=1, column municipality: stored 'Nowhere', replayed "
                                                "'Ciney'"));
    const auto again = runCli({"rebuild", "--db", db});
    CHECK_THAT(again.out, Catch::Contains("nothing had drifted"));
    CHECK(runCli({"verify", "--db", db}).exitCode == 0);
}

TEST_CASE("changed settings of the same network are a network.settings event in the chain, and the stored settings "
          "its projection",
          "[cli][store]") {
    CliDatabase cli;
    cli.registerSample("01-namur-early-childhood");
    const std::string settingsEvents = "SELECT count(*) FROM events WHERE situation_id = 0";
    CHECK(querySql(cli.db, settingsEvents) == "1\n");
    CHECK(querySql(cli.db, "SELECT type FROM events WHERE position = 1") == "network.settings\n");

    // The same settings again record nothing.
    const std::string original = (projectDir() / "samples/namur/network.xml").string();
    REQUIRE(cli.run({"init", "--network", original}).exitCode == 0);
    CHECK(querySql(cli.db, settingsEvents) == "1\n");

    // Changed settings (another ceiling) are appended to the same hash chain.
    std::string text = readFile(original);
    const auto ceiling = text.find("<ceilingPerIntervention");
    REQUIRE(ceiling != std::string::npos);
    text.insert(ceiling, "<!-- the ceiling reviewed by the committee -->\n    ");
    const std::string changed = (cli.dir / "network.xml").string();
    writeFile(changed, text);
    REQUIRE(cli.run({"init", "--network", changed, "--as", "coordinator:Anne"}).exitCode == 0);
    CHECK(querySql(cli.db, settingsEvents) == "2\n");
    CHECK(querySql(cli.db, "SELECT actor || ' ' || sequence || ' ' || position FROM events "
                           "ORDER BY position DESC LIMIT 1") == "coordinator:Anne 2 3\n");
    // CASE rather than a bare comparison: PostgreSQL prints a boolean as t or f.
    CHECK(querySql(cli.db, "SELECT CASE WHEN value = (SELECT payload FROM events WHERE position = 3) THEN 1 ELSE 0 END "
                           "FROM meta WHERE key = 'network'") == "1\n");
    CHECK(cli.run({"verify"}).exitCode == 0);

    // A bigger envelope written straight into the stored settings changes nothing the engine
    // does: it runs on the settings of the log.
    const auto envelope = [&] { return cli.run({"envelope", "--year", "2026", "--json"}).out; };
    const std::string envelopeBefore = envelope();
    execSql(cli.db, "UPDATE meta SET value = replace(value, 'amount=\"6000000\"', 'amount=\"96000000\"') "
                    "WHERE key = 'network'");
    CHECK(envelope() == envelopeBefore);

    // The stored settings put back to the old ones no longer match the log.
    execSql(cli.db, "UPDATE meta SET value = (SELECT payload FROM events WHERE position = 1) WHERE key = 'network'");
    const auto verified = cli.run({"verify"});
    CHECK(verified.exitCode == 1);
    CHECK_THAT(verified.out, Catch::Contains("meta key=network, column value"));
    REQUIRE(cli.run({"rebuild"}).exitCode == 0);
    CHECK(cli.run({"verify"}).exitCode == 0);
    CHECK(querySql(cli.db, "SELECT CASE WHEN value LIKE '%reviewed by the committee%' THEN 1 ELSE 0 END FROM meta "
                           "WHERE key = 'network'") == "1\n");
}

TEST_CASE("a database from before migration 4 gets its settings recorded as an event and its read log chained",
          "[cli][store]") {
    // Back to schema 3: no settings event (the log is emptied: it only held this one), read log
    // rows without chain columns.
    if (!requireSqlite("schema 3 exists only on SQLite: PostgreSQL's schema starts at version 12")) return;
    CliDatabase old;
    execSql(old.db, "DROP TRIGGER events_no_delete; DELETE FROM events; "
                    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN "
                    "SELECT RAISE(ABORT, 'events are append-only'); END; "
                    "ALTER TABLE read_log DROP COLUMN previous_hash; ALTER TABLE read_log DROP COLUMN hash; "
                    "INSERT INTO read_log(read_at, user_name, role, situation_id, what) "
                    "VALUES('2026-01-01T10:00:00.000Z', 'Marie', 'coordinator', 1, 'situation'), "
                    "('2026-01-01T10:01:00.000Z', 'Marie', 'coordinator', 1, 'history'); "
                    "PRAGMA user_version = 3;");
    REQUIRE(querySql(old.db, "SELECT count(*) FROM events") == "0\n");

    const auto verified = old.run({"verify"});
    CHECK(verified.exitCode == 0);
    CHECK_THAT(verified.out, Catch::Contains("intact: 1 event, hash chain") && Catch::Contains("2 read log rows"));
    CHECK(querySql(old.db, "SELECT type || ' ' || situation_id || ' ' || actor FROM events") ==
          "network.settings 0 system:schema-migration-4\n");
    // Every later migration runs too: the file ends at the latest version.
    CHECK(querySql(old.db, "PRAGMA user_version") == std::to_string(caseflow::store::latestSchemaVersion()) + "\n");
    CHECK(querySql(old.db, "SELECT previous_hash FROM read_log WHERE id = 2") ==
          querySql(old.db, "SELECT hash FROM read_log WHERE id = 1"));
    // Chained rows are append-only again.
    CHECK_THROWS(execSql(old.db, "UPDATE read_log SET what = 'x'"));
}

TEST_CASE("deleting or editing a read log row once its triggers are dropped is found by verify, which names the "
          "first broken row",
          "[cli][store][security]") {
    if (!requireSqlite("the broken copies are taken with caseflow backup and their SQLite triggers dropped")) return;
    CliDatabase cli;
    cli.registerSample("01-namur-early-childhood");
    for (const char* command : {"situation show", "events", "situation show"}) {
        std::vector<std::string> args;
        if (std::string(command) == "events")
            args = {"events", "1"};
        else
            args = {"situation", "show", "1"};
        REQUIRE(cli.run(args).exitCode == 0);
    }
    REQUIRE(cli.run({"verify"}).exitCode == 0);
    CHECK_THAT(cli.run({"verify"}).out, Catch::Contains("3 read log rows"));

    ScratchDir scratch;
    const std::string deleted = (scratch / "deleted.db").string();
    const std::string edited = (scratch / "edited.db").string();
    REQUIRE(cli.run({"backup", deleted}).exitCode == 0);
    REQUIRE(cli.run({"backup", edited}).exitCode == 0);

    execSql(deleted, "DROP TRIGGER read_log_no_delete; DELETE FROM read_log WHERE id = 2;");
    const auto afterDelete = runCli({"verify", "--db", deleted});
    CHECK(afterDelete.exitCode == 1);
    CHECK_THAT(afterDelete.out, Catch::Contains("read log row 3: previous_hash does not match the hash of row 1"));

    execSql(edited, "DROP TRIGGER read_log_no_update; UPDATE read_log SET user_name = 'someone else' WHERE id = 1;");
    const auto afterEdit = runCli({"verify", "--db", edited});
    CHECK(afterEdit.exitCode == 1);
    CHECK_THAT(afterEdit.out, Catch::Contains("read log row 1: hash mismatch"));
}

TEST_CASE("each CLI read of personal data leaves a read log row naming the reader and what was read",
          "[cli][security]") {
    CliDatabase cli;
    cli.registerSample("01-namur-early-childhood");
    cli.registerSample("02-dinant-five-before-six");
    const std::string lastRead =
        "SELECT user_name || '|' || role || '|' || situation_id || '|' || what FROM read_log ORDER BY id DESC LIMIT 1";
    const auto countReads = [&] { return querySql(cli.db, "SELECT count(*) FROM read_log"); };

    REQUIRE(cli.run({"situation", "show", "1", "--xml"}).exitCode == 0);
    CHECK(querySql(cli.db, lastRead) == osLogin() + "|os-user|1|situation\n");

    REQUIRE(cli.run({"situation", "show", "2", "--as", "case_manager:Luc"}).exitCode == 0);
    CHECK(querySql(cli.db, lastRead) == "Luc|case_manager|2|situation\n");

    REQUIRE(cli.run({"events", "2", "--as", "coordinator:Marie Dupont"}).exitCode == 0);
    CHECK(querySql(cli.db, lastRead) == "Marie Dupont|coordinator|2|history\n");

    REQUIRE(cli.run({"situation", "list", "--as", "coordinator:Marie Dupont"}).exitCode == 0);
    CHECK(querySql(cli.db, "SELECT group_concat(situation_id || ':' || what) FROM read_log WHERE id > 3") ==
          "1:list,2:list\n");

    const auto step = scenarioSteps("01-namur-early-childhood").front();
    REQUIRE(cli.run({"event", "1", step.event, "--data", "-", "--as", step.actor}, step.data).exitCode == 0);
    const std::string output = (cli.dir / "request.html").string();
    REQUIRE(cli.run({"render", "1", "concertation-request", "--output", output, "--as", "partner:Ana"}).exitCode == 0);
    CHECK(querySql(cli.db, lastRead) == "Ana|partner|1|document:concertation-request\n");

    // Nothing read, nothing recorded: an unknown situation is not found and leaves no row.
    const auto before = countReads();
    CHECK(cli.run({"situation", "show", "9"}).exitCode == 4);
    CHECK(countReads() == before);
    CHECK(cli.run({"verify"}).exitCode == 0);
}
