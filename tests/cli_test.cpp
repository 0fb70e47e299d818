// Specifications of the command line as a user meets it: the real `caseflow` binary on a
// real database of the run's backend (an SQLite file, or PostgreSQL: support/TestDatabase.h), its output and its exit
// codes (0 ok, 1 error, 2 usage, 3 refused by a rule, 4 not found).
#include "support/Pilot.h"
#include "support/TestDatabase.h"
#include "support/TestSupport.h"

#include <catch2/catch.hpp>

#include <regex>
#include <set>

using namespace caseflow::test;

namespace {

struct CliDatabase {
    ScratchDir dir;
    TestDatabase database{dir, "cli.db"};
    std::string db = database.address();
    CliDatabase() {
        auto init = runCli({"init", "--db", db, "--network", (projectDir() / "samples/namur/network.xml").string()});
        REQUIRE(init.exitCode == 0);
    }
    CommandResult run(std::vector<std::string> args, const std::string& input = "",
                      const ChildEnvironment& environment = {}) {
        args.push_back("--db");
        args.push_back(db);
        return runCli(args, input, environment);
    }
    std::string registerSample(const std::string& stem) {
        auto result = run({"situation", "new", (projectDir() / "samples/namur/situations" / (stem + ".xml")).string()});
        REQUIRE(result.exitCode == 0);
        return result.out.substr(0, result.out.find('\n'));
    }
};

// SQL run with the sqlite3 shell, as a person at the server would.
int runSqlite(const std::string& db, const std::string& sql) {
    const std::string command = "sqlite3 '" + db + "' \"" + sql + "\" 2>&1";
    return std::system(command.c_str());
}

} // namespace

TEST_CASE("registering a situation prints its id and the list shows it with its derived category", "[cli]") {
    CliDatabase cli;
    CHECK(cli.registerSample("03-andenne-eleven-transition") == "1");
    auto list = cli.run({"situation", "list"});
    REQUIRE(list.exitCode == 0);
    CHECK_THAT(list.out,
               Catch::Contains("KIR-26-003") && Catch::Contains("Andenne") && Catch::Contains("awaiting-request"));
    CHECK(std::regex_search(list.out, std::regex(R"(KIR-26-003\s+2\s)")));
    auto json = cli.run({"situation", "show", "1", "--json"});
    CHECK_THAT(json.out, Catch::Contains("\"category\": 2"));
}

TEST_CASE("an invalid situation file is refused with file, line and problem, and nothing is written", "[cli]") {
    CliDatabase cli;
    ScratchDir dir;
    std::string text = readFile(projectDir() / "samples/namur/situations/01-namur-early-childhood.xml");
    text = std::regex_replace(text, std::regex("<birthDate>[^<]*</birthDate>"), "<birthDate>yesterday</birthDate>");
    writeFile(dir / "broken.xml", text);
    auto result = cli.run({"situation", "new", (dir / "broken.xml").string()});
    CHECK(result.exitCode == 2);
    CHECK_THAT(result.err, Catch::Contains("broken.xml:") && Catch::Contains("birthDate"));
    CHECK(cli.run({"situation", "list", "--json"}).out.find("KIR") == std::string::npos);
    CHECK(cli.run({"verify"}).exitCode == 0);
}

TEST_CASE("hostile XML given to the CLI is refused and the database is untouched", "[cli][security]") {
    CliDatabase cli;
    cli.registerSample("02-dinant-five-before-six");
    const std::string bomb =
        R"(<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><situation>&b;</situation>)";
    auto result = cli.run({"situation", "new", "-"}, bomb);
    CHECK(result.exitCode == 2);
    CHECK_THAT(result.err, Catch::Contains("DOCTYPE"));
    auto notUtf8 = cli.run({"event", "1", "concertation.requested", "--data", "-"},
                           "<request date=\"2026-01-10\" requestedBy=\"p1\"><reason>Fran\xe7oise</reason></request>");
    CHECK(notUtf8.exitCode == 2);
    CHECK(cli.run({"state", "1"}).out.rfind("awaiting-request", 0) == 0);
}

TEST_CASE("a refused event exits 3 and names every failed rule", "[cli][rules]") {
    CliDatabase cli;
    cli.registerSample("01-namur-early-childhood");
    const auto steps = scenarioSteps("01-namur-early-childhood");
    REQUIRE(cli.run({"event", "1", steps[0].event, "--data", "-", "--as", steps[0].actor}, steps[0].data).exitCode ==
            0);
    auto refused =
        cli.run({"event", "1", steps[2].event, "--data", "-", "--as", steps[2].actor, "--lang", "fr"}, steps[2].data);
    CHECK(refused.exitCode == 3);
    CHECK_THAT(refused.err,
               Catch::Contains("R5:") && Catch::Contains("R9:") && Catch::Contains("partenaires présents"));
    auto notAllowed = cli.run({"event", "1", "budget.approved"});
    CHECK(notAllowed.exitCode == 2);
    CHECK_THAT(notAllowed.err, Catch::Contains("not allowed"));
    auto unknown = cli.run({"event", "1", "budget.aproved"});
    CHECK(unknown.exitCode == 2);
    CHECK_THAT(unknown.err, Catch::Contains("unknown event budget.aproved") && Catch::Contains("allowed here:"));
}

TEST_CASE("what does not exist exits 4", "[cli]") {
    CliDatabase cli;
    CHECK(cli.run({"situation", "show", "42"}).exitCode == 4);
    CHECK(cli.run({"events", "42"}).exitCode == 4);
    CHECK(runCli({"situation", "list", "--db", "/nonexistent/dir/x.db"}).exitCode == 4);
}

TEST_CASE("a database that is not caseflow's is refused", "[cli][store]") {
    ScratchDir dir;
    TestDatabase other(dir, "other.db");
    const std::string& db = other.address();
    other.tamper("CREATE TABLE invoices(id INTEGER); INSERT INTO invoices VALUES (1);");
    auto result = runCli({"situation", "list", "--db", db});
    CHECK(result.exitCode == 2);
    CHECK_THAT(result.err, Catch::Contains("not a caseflow database"));
    other.tamper("SELECT count(*) FROM invoices;");
}

TEST_CASE("changing one byte of a stored event with the sqlite3 shell makes verify fail and name it",
          "[cli][store][security]") {
    CliDatabase cli;
    cli.registerSample("01-namur-early-childhood");
    cli.registerSample("02-dinant-five-before-six");
    CHECK(cli.run({"verify"}).exitCode == 0);
    // An attacker with the shell can drop the append-only trigger; the hash chain still tells.
    if (cli.database.backend() == Backend::Sqlite) {
        REQUIRE(runSqlite(cli.db,
                          "DROP TRIGGER IF EXISTS events_no_update; "
                          "UPDATE events SET payload = replace(payload, 'Dinant', 'Dinanx') WHERE position = 3;") == 0);
    } else {
        cli.database.tamper("ALTER TABLE events DISABLE TRIGGER USER; "
                            "UPDATE events SET payload = replace(payload, 'Dinant', 'Dinanx') WHERE position = 3;");
    }
    auto verify = cli.run({"verify"});
    CHECK(verify.exitCode == 1);
    CHECK_THAT(verify.out, Catch::Contains("event 3")); // event 1 is the network settings'
}

TEST_CASE("removing the newest events is caught when the head noted earlier is given back", "[cli][store][security]") {
    CliDatabase cli;
    cli.registerSample("01-namur-early-childhood");
    cli.registerSample("02-dinant-five-before-six");
    cli.registerSample("03-andenne-eleven-transition");
    auto before = cli.run({"verify", "--json"});
    REQUIRE(before.exitCode == 0);
    std::smatch head;
    REQUIRE(std::regex_search(before.out, head, std::regex(R"re("headHash": "([0-9a-f]{64})")re")));
    const std::string noted = "4:" + head[1].str(); // event 1 is the network settings'
    CHECK_THAT(cli.run({"verify"}).out, Catch::Contains("head:   " + noted));

    // Someone with the shell drops the append-only trigger and removes the newest event.
    if (cli.database.backend() == Backend::Sqlite)
        REQUIRE(runSqlite(cli.db, "DROP TRIGGER IF EXISTS events_no_delete; DELETE FROM events WHERE position = 4;") ==
                0);
    else
        cli.database.tamper("ALTER TABLE events DISABLE TRIGGER USER; DELETE FROM events WHERE position = 4;");
    // What remains still links up, but the projections still hold what the removed event made...
    auto projections = cli.run({"verify"});
    CHECK(projections.exitCode == 1);
    CHECK_THAT(projections.out, Catch::Contains("situations id=3: stored, but the log does not produce it"));
    auto checked = cli.run({"verify", "--expect-head", noted});
    CHECK(checked.exitCode == 1); // ...and the log no longer reaches the head noted before
    CHECK_THAT(checked.out, Catch::Contains("events were removed"));
    // A clean cut, projections rebuilt too, is still caught by the head alone.
    REQUIRE(cli.run({"rebuild"}).exitCode == 0);
    if (cli.database.backend() == Backend::Sqlite) {
        CHECK(cli.run({"verify"}).exitCode == 0);
    } else {
        // PostgreSQL keeps the head in its own row, which the cut did not move: caught without the note.
        const auto cut = cli.run({"verify"});
        CHECK(cut.exitCode == 1);
        CHECK_THAT(cut.out, Catch::Contains("the chain head does not name the newest event 3: events were removed"));
    }
    CHECK(cli.run({"verify", "--expect-head", noted}).exitCode == 1);

    auto malformed = cli.run({"verify", "--expect-head", "3:abc"});
    CHECK(malformed.exitCode == 2);
    CHECK_THAT(malformed.err, Catch::Contains("POSITION:HASH"));
}

TEST_CASE("removing the newest read records is caught when the read log's head noted earlier is given back",
          "[cli][store][security]") {
    CliDatabase cli;
    cli.registerSample("01-namur-early-childhood");
    for (int read = 0; read < 3; ++read) REQUIRE(cli.run({"situation", "show", "1"}).exitCode == 0);
    auto before = cli.run({"verify", "--json"});
    REQUIRE(before.exitCode == 0);
    std::smatch head;
    REQUIRE(std::regex_search(before.out, head, std::regex(R"re("readHeadHash": "([0-9a-f]{64})")re")));
    CHECK_THAT(before.out, Catch::Contains("\"readHeadId\": 3"));
    const std::string noted = "3:" + head[1].str();
    CHECK_THAT(cli.run({"verify"}).out, Catch::Contains("reads:  " + noted));
    CHECK(cli.run({"verify", "--expect-read-head", noted}).exitCode == 0);

    // Someone with the shell removes the newest read record, to hide that they opened the file.
    if (cli.database.backend() == Backend::Sqlite) {
        REQUIRE(runSqlite(cli.db, "DROP TRIGGER IF EXISTS read_log_no_delete; DELETE FROM read_log WHERE id = 3;") ==
                0);
        // What remains still links up: the chain alone cannot tell...
        CHECK(cli.run({"verify"}).exitCode == 0);
        // ...the head noted before can.
        const auto checked = cli.run({"verify", "--expect-read-head", noted});
        CHECK(checked.exitCode == 1);
        CHECK_THAT(checked.out, Catch::Contains("the read log ends at row 2, but row 3 was written when its head was "
                                                "noted: read records were removed"));
        // A later read takes the removed row's number, not its hash.
        REQUIRE(cli.run({"situation", "show", "1"}).exitCode == 0);
        const auto rewritten = cli.run({"verify", "--expect-read-head", noted});
        CHECK(rewritten.exitCode == 1);
        CHECK_THAT(rewritten.out, Catch::Contains("read log row 3 no longer has the hash noted for it"));
    } else {
        cli.database.tamper("ALTER TABLE read_log DISABLE TRIGGER USER; DELETE FROM read_log WHERE id = 3; "
                            "ALTER TABLE read_log ENABLE TRIGGER USER");
        // PostgreSQL keeps the read log's head in its own row, which the cut did not move.
        const auto cut = cli.run({"verify", "--expect-read-head", noted});
        CHECK(cut.exitCode == 1);
        CHECK_THAT(cut.out, Catch::Contains("the read log's head names row 3"));
    }

    const auto malformed = cli.run({"verify", "--expect-read-head", "3:xyz"});
    CHECK(malformed.exitCode == 2);
    CHECK_THAT(malformed.err, Catch::Contains("--expect-read-head needs ID:HASH"));
}

TEST_CASE("rebuild gives back exactly the live projections", "[cli][store]") {
    Pilot pilot; // the returned-then-approved dossier of scenario 04, signatures included
    const auto id = pilot.registerSample("04-ciney-twelve-returned");
    pilot.runScenario(id, "04-ciney-twelve-returned");
    const std::string db = pilot.databasePath().string();
    const auto before = runCli({"situation", "show", std::to_string(id), "--json", "--db", db}).out;
    const auto deadlinesBefore = runCli({"due", "--at", "2027-12-31", "--json", "--db", db}).out;
    const auto envelopeBefore = runCli({"envelope", "--year", "2026", "--json", "--db", db}).out;
    REQUIRE(runCli({"rebuild", "--db", db}).exitCode == 0);
    CHECK(runCli({"situation", "show", std::to_string(id), "--json", "--db", db}).out == before);
    CHECK(runCli({"due", "--at", "2027-12-31", "--json", "--db", db}).out == deadlinesBefore);
    CHECK(runCli({"envelope", "--year", "2026", "--json", "--db", db}).out == envelopeBefore);
    CHECK_THAT(before, Catch::Contains("follow-up"));
}

TEST_CASE("every command answers --help without a database", "[cli]") {
    auto overview = runCli({"--help"});
    REQUIRE(overview.exitCode == 0);
    std::set<std::string> commands;
    const std::regex line(R"(^  ([a-z][a-z-]*(?: [a-z][a-z-]*)?)(?: [A-Z]|\s{2}))");
    std::istringstream in(overview.out);
    for (std::string text; std::getline(in, text);) {
        std::smatch match;
        if (std::regex_search(text, match, line)) commands.insert(match[1]);
    }
    REQUIRE(commands.size() >= 10);
    for (const auto& command : commands) {
        INFO(command);
        std::vector<std::string> args;
        std::istringstream words(command);
        for (std::string word; words >> word;) args.push_back(word);
        args.push_back("--help");
        auto help = runCli(args);
        CHECK(help.exitCode == 0);
        CHECK_THAT(help.out, Catch::StartsWith("usage: caseflow " + command));
    }
}

TEST_CASE("usage mistakes exit 2 and say what was wrong", "[cli]") {
    CHECK(runCli({}).exitCode == 2);
    auto unknown = runCli({"situaton", "list"});
    CHECK(unknown.exitCode == 2);
    CHECK_THAT(unknown.err, Catch::Contains("unknown command 'situaton'"));
    auto option = runCli({"situation", "list", "--colour"});
    CHECK(option.exitCode == 2);
    CHECK_THAT(option.err, Catch::Contains("unknown option '--colour'"));
    auto id = runCli({"situation", "show", "../../etc/passwd"});
    CHECK(id.exitCode == 2);
    CHECK_THAT(id.err, Catch::Contains("is not a situation id"));
}

TEST_CASE("workflow check lists states and events and reports unreachable states and unknown data", "[cli][workflow]") {
    auto good = runCli({"workflow", "check", (projectDir() / "workflows/funding.scxml").string()});
    CHECK(good.exitCode == 0);
    CHECK_THAT(good.out,
               Catch::Contains("budget-check") && Catch::Contains("payment.recorded") && Catch::EndsWith("ok\n"));
    auto clinical = runCli({"workflow", "check", (projectDir() / "workflows/clinical-concertation.scxml").string()});
    CHECK(clinical.exitCode == 0);
    auto typo = runCli({"workflow", "check", (testsDir() / "workflows/typo.scxml").string()});
    CHECK(typo.exitCode == 1);
    CHECK_THAT(typo.out, Catch::Contains("unreachable state: forgotten") && Catch::Contains("'yuoth'"));
    auto broken = runCli({"workflow", "check", (testsDir() / "scxml/unsupported-parallel.scxml").string()});
    CHECK(broken.exitCode == 2);
    CHECK_THAT(broken.err, Catch::Contains("unsupported-parallel.scxml:"));
}

TEST_CASE("workflow diagram draws the process with the situation's state highlighted", "[cli][workflow]") {
    CliDatabase cli;
    cli.registerSample("02-dinant-five-before-six");
    auto dot =
        cli.run({"workflow", "diagram", (projectDir() / "workflows/funding.scxml").string(), "--situation", "1"});
    REQUIRE(dot.exitCode == 0);
    CHECK_THAT(dot.out, Catch::StartsWith("digraph"));
    CHECK(std::regex_search(dot.out, std::regex(R"("awaiting-request"[^\n]*fill)")));
    if (std::filesystem::exists("/usr/bin/dot")) {
        const auto svg = (cli.dir / "funding.svg").string();
        REQUIRE(
            cli.run({"workflow", "diagram", (projectDir() / "workflows/funding.scxml").string(), "-o", svg}).exitCode ==
            0);
        CHECK_THAT(readFile(svg), Catch::Contains("<svg"));
    }
}

TEST_CASE("firing due deadlines is idempotent", "[cli][deadlines]") {
    CliDatabase cli;
    cli.registerSample("01-namur-early-childhood");
    const auto steps = scenarioSteps("01-namur-early-childhood");
    for (std::size_t n : {0, 1, 3}) {
        REQUIRE(cli.run({"event", "1", steps[n].event, "--as", steps[n].actor, "--data", "-"}, steps[n].data,
                        {{"CASEFLOW_TODAY", steps[n].date}})
                    .exitCode == 0);
    }
    auto listed = cli.run({"due", "--at", "2026-09-08"});
    CHECK_THAT(listed.out, Catch::Contains("followup.due") && Catch::Contains("OVERDUE"));
    // Without --at, `due` looks at the business date, which CASEFLOW_TODAY fixes for the run.
    CHECK(cli.run({"due"}, "", {{"CASEFLOW_TODAY", "2026-09-08"}}).out == listed.out);
    auto first = cli.run({"due", "--at", "2026-09-08", "--fire"});
    CHECK_THAT(first.out, Catch::Contains("fired"));
    auto second = cli.run({"due", "--at", "2026-09-08", "--fire"});
    CHECK_THAT(second.out, Catch::Contains("nothing due"));
    auto events = cli.run({"events", "1"});
    std::size_t fired = 0;
    for (auto at = events.out.find("followup.due"); at != std::string::npos;
         at = events.out.find("followup.due", at + 1))
        ++fired;
    CHECK(fired == 2); // the deadline set by the concertation, and its firing: once
}

TEST_CASE("a malformed CASEFLOW_TODAY stops the CLI before it does anything, naming the variable", "[cli]") {
    CliDatabase cli;
    const auto sample = (projectDir() / "samples/namur/situations/01-namur-early-childhood.xml").string();
    const auto refused = cli.run({"situation", "new", sample}, "", {{"CASEFLOW_TODAY", "29/02/2024"}});
    CHECK(refused.exitCode == 2);
    CHECK_THAT(refused.err, Catch::Contains("CASEFLOW_TODAY") && Catch::Contains("'29/02/2024' is not an ISO date"));
    CHECK(cli.run({"situation", "list"}).out.find("KIR-26-001") == std::string::npos);
    // An empty value is no date at all: the system clock, as when it is unset.
    CHECK(cli.run({"situation", "new", sample}, "", {{"CASEFLOW_TODAY", ""}}).exitCode == 0);
}

TEST_CASE("docs/cli.md is the binary's own help, so the reference cannot drift", "[cli][docs]") {
    auto reference = runCli({"help", "--markdown"});
    REQUIRE(reference.exitCode == 0);
    INFO("run scripts/generate-cli-doc.sh to update docs/cli.md");
    CHECK(reference.out == readFile(projectDir() / "docs/cli.md"));
}
