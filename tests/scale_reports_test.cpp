// Specifications of issue 19's reports at scale: `due`'s attention ages found through the birth-date
// index of migration 11, the committee report from one scan of the log and the projections, verify's
// one-pass chain check, and rebuild's single replay. Each fast result is held equal to the
// straightforward computation it replaces (kept here, or in the library as the reference) on the
// pilot's scenarios and on a few hundred generated situations; a tampered log still fails with the
// same message.
#include "core/Errors.h"
#include "model/Clock.h"
#include "process/CommitteeReport.h"
#include "process/FundingProcess.h"
#include "process/Projection.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "store/Migrations.h"
#include "store/Netstring.h"
#include "store/ProjectionCheck.h"
#include "store/Sha256.h"
#include "support/Pilot.h"
#include "support/RawSqlite.h"
#include "support/TestSupport.h"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <cstdio>
#include <map>
#include <memory>
#include <set>

using namespace caseflow;
using namespace caseflow::test;

namespace {

// The attention list as `caseflow due` computed it before migration 11: every open situation's
// document parsed for the youth's birth date.
std::vector<AttentionFlag> attentionByParsing(FundingProcess& process, const Date& at) {
    std::vector<AttentionFlag> flags;
    for (const auto& record : process.situations()) {
        if (record.state.rfind("redirected", 0) == 0 || record.state == "closed") continue;
        const Situation situation = Situation::fromStored(record.document);
        for (auto& flag : process.network().attentionFlags(situation.birthDate(), at))
            flags.push_back({record.id, std::move(flag)});
    }
    return flags;
}

std::vector<std::pair<std::int64_t, std::string>> pairs(const std::vector<AttentionFlag>& flags) {
    std::vector<std::pair<std::int64_t, std::string>> result;
    for (const auto& flag : flags) result.emplace_back(flag.situationId, flag.flag);
    return result;
}

std::string iso(int year, int month, int day) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
    return text;
}

// A sample registered again with another reference and birth date: the generated situations.
std::int64_t registerBorn(Pilot& pilot, const std::string& stem, int number, const std::string& birthDate) {
    FixedBusinessDate today("2026-01-05");
    std::string situation = withText(sampleSituation(stem), "/situation/youth/birthDate", birthDate);
    situation = withText(situation, "/situation/youth/reference", "GEN-" + std::to_string(number));
    return pilot.process().registerSituation(situation, stem + "-generated.xml", Actor{"partner", "test"}).id;
}

// The old verify walk, field by field through StoredEvent and a hash built from the documented
// encoding with Poco's SHA-256: the messages the one-pass walk must still give.
std::string referenceHash(const store::StoredEvent& event) {
    std::string encoded;
    store::appendNetstring(encoded, "caseflow-event-v1");
    store::appendNetstring(encoded, std::to_string(event.position));
    store::appendNetstring(encoded, std::to_string(event.situationId));
    store::appendNetstring(encoded, std::to_string(event.sequence));
    store::appendNetstring(encoded, event.type);
    store::appendNetstring(encoded, event.actor);
    store::appendNetstring(encoded, event.recordedAt);
    store::appendNetstring(encoded, event.payload);
    store::appendNetstring(encoded, event.previousHash);
    return store::sha256Hex(encoded);
}

std::string referenceChainProblem(store::Database& db) {
    std::int64_t expectedPosition = 1;
    std::string previousHash(store::genesisHash);
    std::map<std::int64_t, std::int64_t> lastSequences;
    for (const auto& event : store::EventStore(db).allEvents()) {
        const std::string where = "event " + std::to_string(event.position) + " (situation " +
                                  std::to_string(event.situationId) + ", sequence " + std::to_string(event.sequence) +
                                  "): ";
        std::int64_t& last = lastSequences[event.situationId];
        if (event.position != expectedPosition)
            return where + "missing event(s) before it: expected position " + std::to_string(expectedPosition);
        if (referenceHash(event) != event.hash) return where + "hash mismatch";
        if (event.previousHash != previousHash)
            return where + "previous_hash does not match the hash of event " + std::to_string(expectedPosition - 1);
        if (event.sequence != last + 1) return where + "sequence gap: expected sequence " + std::to_string(last + 1);
        expectedPosition = event.position + 1;
        previousHash = event.hash;
        last = event.sequence;
    }
    return "";
}

// The pilot's fourteen scenarios played through, and `generated` more situations: samples
// registered again with other birth dates, each played part of the way (a different number of
// steps each time, so that every phase is there), some corrected, redirected or closed.
void playPilotAndGenerated(Pilot& pilot, int generated) {
    const auto stems = sampleStems();
    for (const auto& stem : stems) pilot.runScenario(pilot.registerSample(stem), stem);
    for (int number = 0; number < generated; ++number) {
        const std::string& stem = stems[static_cast<std::size_t>(number) % stems.size()];
        const auto steps = scenarioSteps(stem);
        const auto id =
            registerBorn(pilot, stem, number, iso(2004 + number % 22, 1 + number % 12, 1 + (number * 7) % 28));
        const std::size_t played = static_cast<std::size_t>(number / 14) % (steps.size() + 1);
        // Another birth date can mean another path (another category, a rule that now refuses):
        // the situation stays where its path stopped.
        for (std::size_t step = 0; step < played; ++step) {
            try {
                if (!pilot.playStep(id, steps[step]).empty()) break;
            } catch (const Error&) {
                break;
            }
        }
    }
}

} // namespace

TEST_CASE("the attention ages found through the birth-date index are those read from every open situation's "
          "document, on any day",
          "[scale][due]") {
    Pilot pilot;
    const auto stems = sampleStems();
    // Redirected and closed situations among them: they carry no flag either way.
    for (const auto& stem : stems) pilot.runScenario(pilot.registerSample(stem), stem);
    // Three hundred youths born on every kind of day of 22 years, 29 February included.
    for (int number = 0; number < 300; ++number) {
        const int year = 2004 + number % 22;
        const int month = 1 + (number / 22) % 12;
        const int day = month == 2 && number % 5 == 0 ? (year % 4 == 0 ? 29 : 28) : 1 + (number * 11) % 28;
        registerBorn(pilot, stems[static_cast<std::size_t>(number) % 3], number, iso(year, month, day));
    }
    // A birth date corrected after registration: the index follows the stored document.
    const auto corrected = registerBorn(pilot, kEmma, 999, "2020-05-05");
    pilot.fire(corrected, "registration.corrected",
               R"(<correction id="k1" date="2026-01-20" kind="registration-corrected">)"
               R"(<birthDate>2014-03-01</birthDate><reason>Date de naissance mal recopiée.</reason></correction>)",
               "coordinator:Marc Lambert", "2026-01-20");
    REQUIRE_THAT(pilot.process().situation(corrected).document, Catch::Contains("<birthDate>2014-03-01</birthDate>"));

    FundingProcess& process = pilot.process();
    int flagged = 0;
    for (const std::string day : {"2026-01-05", "2026-02-28", "2026-03-01", "2026-06-30", "2026-12-31", "2027-02-28",
                                  "2028-02-29", "2028-03-01", "2030-09-15"}) {
        INFO("on " << day);
        const Date at = Date::parseOrThrow(day, "day");
        const auto fast = pairs(process.attention(at));
        CHECK(fast == pairs(attentionByParsing(process, at)));
        flagged += static_cast<int>(fast.size());
    }
    CHECK(flagged > 50); // the days above do meet youths at the watched ages
    // Born 2014 by the corrected date (2020 as registered): 12 on 2027-01-01, an attention age.
    const auto newYear = pairs(process.attention(Date::parseOrThrow("2027-01-01", "day")));
    CHECK(std::find(newYear.begin(), newYear.end(), std::pair<std::int64_t, std::string>(corrected, "age-11-12")) !=
          newYear.end());
}

TEST_CASE("migration 11 fills the birth and opening dates of the situations already stored", "[scale][due]") {
    Pilot pilot;
    for (const auto& stem : sampleStems()) pilot.runScenario(pilot.registerSample(stem), stem);
    const Date at = Date::parseOrThrow("2026-09-01", "day");
    const auto expected = pairs(attentionByParsing(pilot.process(), at));
    REQUIRE(!expected.empty());
    // The file as a caseflow before migration 11 left it: no column, no index, version 10.
    rawExec(pilot.databasePath(), "DROP INDEX situations_by_birth_date; ALTER TABLE situations DROP COLUMN birth_date; "
                                  "DROP INDEX situations_by_opened_on; ALTER TABLE situations DROP COLUMN opened_on; "
                                  "PRAGMA user_version = 10;");

    auto reopened = FundingProcess::open(pilot.databasePath());
    CHECK(store::currentSchemaVersion(reopened.database()) == store::latestSchemaVersion());
    CHECK(pairs(reopened.attention(at)) == expected);
    CHECK(reopened.projectionDrift().empty());
    const Date asOf = Date::parseOrThrow("2026-11-26", "asOf");
    CHECK(committeeFiguresXml(computeCommitteeFigures(reopened, 2026, asOf), 1, false) ==
          committeeFiguresXml(committeeFiguresByReplay(reopened, 2026, asOf), 1, false));
}

TEST_CASE("the committee report from the projections and one scan of the log equals the report replaying every "
          "situation, on every date and year, published or internal",
          "[scale][report]") {
    Pilot pilot;
    playPilotAndGenerated(pilot, 210);
    FundingProcess& process = pilot.process();
    REQUIRE(process.situations().size() == 224);
    int compared = 0;
    for (const int year : {2025, 2026, 2027}) {
        // Before, during and after the pilot's business dates: past dates replay the situations
        // with later events, today's date takes every situation from the projections.
        for (const std::string day :
             {"2026-01-04", "2026-01-20", "2026-03-15", "2026-06-30", "2026-11-26", "2027-01-31", "2030-01-01"}) {
            INFO("year " << year << " as of " << day);
            const Date asOf = Date::parseOrThrow(day, "asOf");
            const CommitteeFigures fast = computeCommitteeFigures(process, year, asOf);
            const CommitteeFigures replayed = committeeFiguresByReplay(process, year, asOf);
            CHECK(committeeFiguresXml(fast, 1, false) == committeeFiguresXml(replayed, 1, false));
            // Suppression is decided on the same figures, so it hides the same cells.
            CHECK(committeeFiguresXml(fast, 5, true) == committeeFiguresXml(replayed, 5, true));
            CHECK(committeeFiguresCsv(fast, 5, true) == committeeFiguresCsv(replayed, 5, true));
            CHECK(suppressedCells(fast, 5, true) == suppressedCells(replayed, 5, true));
            if (!fast.empty()) ++compared;
        }
    }
    CHECK(compared >= 5); // the pilot's situations open in 2026: the other years are empty reports
    const auto now = computeCommitteeFigures(process, 2026, Date::parseOrThrow("2030-01-01", "asOf"));
    CHECK(now.situations > 200); // the samples open in 2026
    CHECK(now.approvals > 0);
    CHECK(now.paid > 0);
}

TEST_CASE("a budget decided in the year after its request counts in each year as the replay counts it, on dates "
          "before, between and after the two",
          "[scale][report]") {
    Pilot pilot;
    const std::string stem = "09-rochefort-plan-revision";
    const auto id = pilot.registerSample(stem);
    // Requested on 16 February 2026 as written; decided and paid in the next January.
    for (auto step : scenarioSteps(stem)) {
        if (step.event == "budget.approved" || step.event == "payment.recorded") {
            const std::string day = step.event == "budget.approved" ? "2027-01-05" : "2027-01-12";
            step.date = day;
            step.data = withAttribute(step.data, "/*", "date", day);
        }
        INFO(step.event << " on " << step.date);
        REQUIRE(pilot.playStep(id, step).empty());
        if (step.event == "payment.recorded") break;
    }
    FundingProcess& process = pilot.process();
    int compared = 0;
    for (const int year : {2026, 2027})
        for (const std::string day : {"2026-06-30", "2026-12-31", "2027-01-06", "2027-01-31", "2028-01-01"}) {
            INFO("year " << year << " as of " << day);
            const Date asOf = Date::parseOrThrow(day, "asOf");
            const CommitteeFigures fast = computeCommitteeFigures(process, year, asOf);
            const CommitteeFigures replayed = committeeFiguresByReplay(process, year, asOf);
            CHECK(committeeFiguresXml(fast, 1, false) == committeeFiguresXml(replayed, 1, false));
            if (fast.approvals > 0) ++compared;
        }
    // The decision shows in 2027's figures once it is made, never in 2026's.
    CHECK(computeCommitteeFigures(process, 2027, Date::parseOrThrow("2027-01-31", "asOf")).approvals == 1);
    CHECK(computeCommitteeFigures(process, 2027, Date::parseOrThrow("2026-12-31", "asOf")).approvals == 0);
    CHECK(compared > 0);
}

namespace {

// Every committee fact and clock row of a database, as text, in key order.
std::vector<std::string> committeeFactRows(store::Database& db) {
    std::vector<std::string> rows;
    for (const auto& [columns, sql] : std::vector<std::pair<int, std::string>>{
             {11, "SELECT situation_id, kind, fact_key, valid_from, valid_until, day, day2, day3, amount, text1, text2"
                  " FROM committee_facts ORDER BY situation_id, kind, fact_key, valid_from"},
             {2, "SELECT situation_id, effective_day FROM committee_clock ORDER BY situation_id"}}) {
        store::Statement query = db.prepare(sql);
        while (query.step()) {
            std::string row;
            for (int column = 0; column < columns; ++column)
                row += (query.columnIsNull(column) ? std::string("NULL") : query.columnText(column)) + "|";
            rows.push_back(row);
        }
    }
    return rows;
}

} // namespace

TEST_CASE("migration 13 fills the committee facts of a database that already held situations from its log, row for "
          "row as the projector wrote them, and the report on past dates equals the replay",
          "[scale][report]") {
    Pilot pilot;
    playPilotAndGenerated(pilot, 300);
    const auto written = committeeFactRows(pilot.process().database());
    REQUIRE(written.size() > 1000);
    // The file as a caseflow before migration 13 left it: no facts, version 12.
    rawExec(pilot.databasePath(), "DROP TABLE committee_facts; DROP TABLE committee_clock; PRAGMA user_version = 12;");

    auto reopened = FundingProcess::open(pilot.databasePath());
    CHECK(store::currentSchemaVersion(reopened.database()) == store::latestSchemaVersion());
    CHECK(committeeFactRows(reopened.database()) == written);
    CHECK(reopened.projectionDrift().empty());
    // Dates before most events of the generated situations (registered on 2026-01-05, played on
    // the scenarios' later dates), a past one inside them, and after all of them.
    for (const std::string day : {"2026-01-05", "2026-02-10", "2026-04-30", "2026-09-15", "2031-01-01"}) {
        INFO("as of " << day);
        const Date asOf = Date::parseOrThrow(day, "asOf");
        const CommitteeFigures fast = computeCommitteeFigures(reopened, 2026, asOf);
        CHECK(committeeFiguresXml(fast, 1, false) ==
              committeeFiguresXml(committeeFiguresByReplay(reopened, 2026, asOf), 1, false));
    }
    // Opening it again finds them filled and leaves them as they are.
    auto again = FundingProcess::open(pilot.databasePath());
    CHECK(committeeFactRows(again.database()) == written);
}

TEST_CASE("a committee fact changed again on the day it opened is said again in place, one changed on a later day "
          "is closed and reopened, and the report on each of those days equals the replay",
          "[scale][report]") {
    Pilot pilot;
    const std::string stem = "09-rochefort-plan-revision";
    const auto id = pilot.registerSample(stem);
    std::set<std::string> days;
    for (const auto& step : scenarioSteps(stem)) {
        INFO(step.event << " on " << step.date);
        REQUIRE(pilot.playStep(id, step).empty());
        days.insert(step.date);
    }
    FundingProcess& process = pilot.process();
    // Each fact's rows, in order: every value but the last closed on the day the next one opened,
    // and none that held over no day (a value revised on its own day leaves one row, not two).
    store::Statement query =
        process.database().prepare("SELECT kind, fact_key, valid_from, valid_until, text1 FROM committee_facts"
                                   " WHERE situation_id = ?1 ORDER BY kind, fact_key, valid_from");
    query.bind(1, id);
    std::string previousKey, previousUntil;
    std::map<std::string, int> situationRows;
    std::string phaseOn11February;
    while (query.step()) {
        const std::string key = query.columnText(0) + "/" + query.columnText(1);
        const std::string from = query.columnText(2), until = query.columnText(3);
        INFO(key << " from " << from << " until " << until);
        CHECK(from < until);
        if (key == previousKey) CHECK(previousUntil == from);
        if (query.columnText(0) == "situation") {
            ++situationRows[from];
            if (from == "2026-02-11") phaseOn11February = query.columnText(4);
        }
        previousKey = key;
        previousUntil = until;
    }
    // plan.signed then need.identified on 11 February: the phase the day ends in, once.
    CHECK(situationRows["2026-02-11"] == 1);
    CHECK(phaseOn11February == phaseOfState(process.chart(), "dossier-in-preparation"));
    CHECK(situationRows.size() > 3); // the phase changed on several later days: closed and reopened
    for (const std::string& day : days)
        for (const auto& asOf : {Date::parseOrThrow(day, "asOf"), Date::parseOrThrow(day, "asOf").addDays(1)}) {
            INFO("as of " << asOf.iso());
            CHECK(committeeFiguresXml(computeCommitteeFigures(process, 2026, asOf), 1, false) ==
                  committeeFiguresXml(committeeFiguresByReplay(process, 2026, asOf), 1, false));
        }
}

TEST_CASE("a committee fact altered in the database is named by verify and put right by rebuild", "[scale][report]") {
    Pilot pilot;
    for (const auto& stem : sampleStems()) pilot.runScenario(pilot.registerSample(stem), stem);
    const Date asOf = Date::parseOrThrow("2030-01-01", "asOf");
    const CommitteeFigures before = computeCommitteeFigures(pilot.process(), 2026, asOf);
    REQUIRE(before.paid > 0);
    rawExec(pilot.databasePath(), "UPDATE committee_facts SET amount = amount + 100 WHERE kind = 'payment'");
    auto process = FundingProcess::open(pilot.databasePath());
    CHECK(computeCommitteeFigures(process, 2026, asOf).paid != before.paid);
    const auto drifts = process.projectionDrift();
    REQUIRE(!drifts.empty());
    CHECK(drifts.front().table == "committee_facts");
    process.rebuild();
    CHECK(process.projectionDrift().empty());
    CHECK(committeeFiguresXml(computeCommitteeFigures(process, 2026, asOf), 1, false) ==
          committeeFiguresXml(before, 1, false));
}

TEST_CASE("verify's one-pass walk gives the hashes and the messages of the field-by-field walk, tampered or not",
          "[scale][verify]") {
    Pilot pilot;
    for (const auto& stem : sampleStems()) pilot.runScenario(pilot.registerSample(stem), stem);
    const auto path = pilot.databasePath();
    {
        auto& db = pilot.process().database();
        for (const auto& event : store::EventStore(db).allEvents()) CHECK(store::computeEventHash(event) == event.hash);
        const auto report = store::EventStore(db).verify();
        CHECK(report.intact);
        CHECK(referenceChainProblem(db).empty());
        CHECK(report.headHash == store::EventStore(db).allEvents().back().hash);
    }
    const std::string tampering = GENERATE(
        as<std::string>{},
        "DROP TRIGGER events_no_update; UPDATE events SET payload = replace(payload, '2026', '2025') WHERE position = "
        "40",
        "DROP TRIGGER events_no_update; UPDATE events SET actor = 'coordinator:Someone Else' WHERE position = 77",
        "DROP TRIGGER events_no_update; UPDATE events SET sequence = sequence + 100 WHERE position = 12",
        "DROP TRIGGER events_no_delete; DELETE FROM events WHERE position = 25",
        "DROP TRIGGER events_no_update; UPDATE events SET previous_hash = hash WHERE position = 60");
    INFO(tampering);
    rawExec(path, tampering);
    auto process = FundingProcess::open(path);
    const auto report = store::EventStore(process.database()).verify();
    const std::string expected = referenceChainProblem(process.database());
    REQUIRE(!expected.empty());
    CHECK_FALSE(report.intact);
    CHECK(report.problem == expected);
    CHECK_FALSE(report.chainIntact);
    // The whole verify reports it first too.
    CHECK(process.verify().problem == expected);
}

TEST_CASE("rebuild replays the log once and leaves the tables the replay-twice rebuild left, reporting the same "
          "drifts",
          "[scale][rebuild]") {
    Pilot pilot;
    playPilotAndGenerated(pilot, 70);
    const auto original = pilot.databasePath();
    ScratchDir dir;
    const auto reference = dir / "reference.db";
    {
        // Tampered projections, the same in both copies.
        rawExec(original,
                "UPDATE situations SET state = 'closed' WHERE id = 3; DELETE FROM payments WHERE rowid = "
                "(SELECT min(rowid) FROM payments); UPDATE deadlines SET due_at = '2099-01-01' WHERE rowid = "
                "(SELECT min(rowid) FROM deadlines); UPDATE meta SET value = value || ' ' WHERE key = 'network'");
        // A consistent copy, the write-ahead log's pages included.
        rawExec(original, "VACUUM INTO '" + reference.string() + "'");
    }
    auto process = FundingProcess::open(original);
    const auto before = process.projectionDrift();
    REQUIRE(before.size() >= 4);
    const auto drifts = process.rebuild();
    REQUIRE(drifts.size() == before.size());
    for (std::size_t index = 0; index < drifts.size(); ++index)
        CHECK(drifts[index].describe() == before[index].describe());
    CHECK(process.projectionDrift().empty());
    CHECK(process.verify().intact);

    // The rebuild as it was: the log replayed straight into the emptied tables.
    auto old = FundingProcess::open(reference);
    store::EventStore(old.database())
        .rebuild(replayProjector(std::shared_ptr<const NetworkSettings>(std::shared_ptr<void>(), &old.network()),
                                 // not owned: the process keeps its chart alive meanwhile
                                 std::shared_ptr<const workflow::StateChart>(std::shared_ptr<void>(), &old.chart())));
    const auto differences = store::compareProjections(process.database(), old.database());
    std::string described;
    for (const auto& difference : differences) described += difference.describe() + "\n";
    INFO(described);
    CHECK(differences.empty());
    CHECK(old.projectionDrift().empty());
}

TEST_CASE("a rebuild that fails half-way leaves every projection as it was", "[scale][rebuild]") {
    Pilot pilot;
    for (const auto& stem : sampleStems()) pilot.runScenario(pilot.registerSample(stem), stem);
    const auto path = pilot.databasePath();
    rawExec(path, "UPDATE situations SET state = 'closed' WHERE id = 2");
    // A forged event whose payload no projection can read, appended with a valid hash.
    {
        auto db = store::Database::open(path, store::OpenMode::MustExist);
        store::EventStore(db).append({5, "note.added", "coordinator:x", "<not-an-event/>"},
                                     store::EventStore(db).lastSequence(5), store::Projector{});
    }
    auto process = FundingProcess::open(path);
    CHECK_THROWS(process.rebuild());
    CHECK(process.situation(2).state == "closed"); // the drift is still there: nothing was replaced
}

namespace caseflow::test {

TEST_CASE("a youth registered again is refused through migration 12's reference index, also for situations stored "
          "before it",
          "[scale][registration]") {
    Pilot pilot;
    const auto stems = sampleStems();
    for (const auto& stem : stems) pilot.registerSample(stem);
    // The file as a caseflow before migration 12 left it: no column, no index, version 11.
    rawExec(pilot.databasePath(), "DROP INDEX situations_by_youth_reference; "
                                  "ALTER TABLE situations DROP COLUMN youth_reference; PRAGMA user_version = 11;");
    auto reopened = FundingProcess::open(pilot.databasePath());
    CHECK(store::currentSchemaVersion(reopened.database()) == store::latestSchemaVersion());
    const auto records = reopened.situations();
    REQUIRE(records.size() == stems.size());
    for (std::size_t i = 0; i < stems.size(); ++i) {
        INFO(stems[i]);
        FixedBusinessDate today("2026-01-05");
        try {
            reopened.registerSituation(sampleSituation(stems[i]), "again.xml", Actor{"partner", "test"});
            FAIL("registered twice");
        } catch (const AlreadyRegistered& refusal) {
            CHECK(refusal.situationId() == records[i].id);
        }
    }
    // A reference that only starts like a registered one is another youth.
    std::string other = sampleSituation(stems.front());
    const auto end = other.find("</reference>");
    other.insert(end, "-B");
    FixedBusinessDate today("2026-01-05");
    CHECK(reopened.registerSituation(other, "other.xml", Actor{"partner", "test"}).id > records.back().id);
}

} // namespace caseflow::test
