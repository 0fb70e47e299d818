// Specifications of migration 14 (issue 19, WAL pages per transition): the situation's birth
// date, opening date and youth reference are plain columns the projector writes, holding exactly
// what the generated columns of migrations 11 and 12 computed from the document; an update sets
// only the columns whose value changed; the projection takes the firing path's candidate only
// while the row is at the version the candidate was built on. The old expressions are written
// here once more, verbatim, as the reference the new values are held equal to.
#include "core/Errors.h"
#include "model/Clock.h"
#include "process/FundingProcess.h"
#include "process/Projection.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "store/Migrations.h"
#include "store/ProjectionCheck.h"
#include "store/SituationRepository.h"
#include "store/Transaction.h"
#include "support/Pilot.h"
#include "support/RawSqlite.h"
#include "support/TestDatabase.h"
#include "support/TestSupport.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <set>

using namespace caseflow;
using namespace caseflow::test;

namespace {

// The generated columns' expressions of migrations 11 and 12 (SQLite) and of PostgreSQL's
// baseline, over the text bound as ?1.
store::SituationKeys keysByOldSql(store::Database& db, const std::string& document) {
    const bool pg = db.dialect() == store::Dialect::Postgres;
    const std::string find = pg ? "strpos" : "instr";
    const std::string doc = pg ? "CAST(?1 AS TEXT)" : "?1";
    const auto at = [&](const std::string& needle) { return find + "(" + doc + ", '" + needle + "')"; };
    const std::string referenceLength =
        "CAST(" + find + "(substr(" + doc + ", " + at("<reference>") + " + 11), '</reference>') - 1 AS INTEGER)";
    auto query = db.prepare("SELECT CASE WHEN " + at("<birthDate>") + " > 0 THEN substr(" + doc + ", " +
                            at("<birthDate>") + " + 11, 10) END, CASE WHEN " + at("openedOn=\"") + " > 0 THEN substr(" +
                            doc + ", " + at("openedOn=\"") + " + 10, 10) END, CASE WHEN " + at("<reference>") +
                            " > 0 THEN substr(" + doc + ", " + at("<reference>") + " + 11, " +
                            (pg ? "GREATEST(" + referenceLength + ", 0)" : referenceLength) + ") END");
    query.bind(1, document);
    REQUIRE(query.step());
    return {query.columnOptionalText(0), query.columnOptionalText(1), query.columnOptionalText(2)};
}

std::string describe(const store::SituationKeys& keys) {
    const auto text = [](const std::optional<std::string>& value) { return value ? "'" + *value + "'" : "NULL"; };
    return text(keys.birthDate) + " " + text(keys.openedOn) + " " + text(keys.youthReference);
}

// A sample registered again with another reference and birth date.
std::int64_t registerBorn(Pilot& pilot, const std::string& stem, const std::string& reference,
                          const std::string& birthDate) {
    FixedBusinessDate today("2026-01-05");
    std::string situation = withText(sampleSituation(stem), "/situation/youth/birthDate", birthDate);
    situation = withText(situation, "/situation/youth/reference", reference);
    return pilot.process().registerSituation(situation, stem + "-generated.xml", Actor{"partner", "test"}).id;
}

const std::string kCorrection = R"(<correction id="k1" date="2026-01-20" kind="registration-corrected">)"
                                R"(<birthDate>2014-03-01</birthDate><reason>Date mal recopiée.</reason></correction>)";

// The pilot's scenarios played through, and `generated` samples registered again with other
// birth dates and references, played part of the way; one birth date
// corrected after registration.
void playPilotAndGenerated(Pilot& pilot, int generated) {
    const auto stems = sampleStems();
    for (const auto& stem : stems) pilot.runScenario(pilot.registerSample(stem), stem);
    for (int number = 0; number < generated; ++number) {
        const std::string& stem = stems[static_cast<std::size_t>(number) % stems.size()];
        const std::string reference = (number % 3 == 0 ? "Gen_x." : "GEN-") + std::to_string(number);
        char born[16];
        std::snprintf(born, sizeof born, "%04d-%02d-%02d", 2004 + number % 22, 1 + number % 12, 1 + (number * 7) % 28);
        const auto id = registerBorn(pilot, stem, reference, born);
        const auto steps = scenarioSteps(stem);
        const std::size_t played = static_cast<std::size_t>(number / 14) % (steps.size() + 1);
        for (std::size_t step = 0; step < played; ++step) {
            try {
                if (!pilot.playStep(id, steps[step]).empty()) break;
            } catch (const Error&) {
                break;
            }
        }
    }
    const auto corrected = registerBorn(pilot, "01-namur-early-childhood", "CORR-1", "2020-05-05");
    pilot.fire(corrected, "registration.corrected", kCorrection, "coordinator:Marc Lambert", "2026-01-20");
}

// Migration 14's columns of every row, next to the old expressions over its document.
void checkEveryRowAgainstOldSql(store::Database& db, int atLeast) {
    auto rows = db.prepare("SELECT id, document, birth_date, opened_on, youth_reference FROM situations ORDER BY id");
    int compared = 0;
    while (rows.step()) {
        INFO("situation " << rows.columnInt(0));
        const std::string document = rows.columnText(1);
        const store::SituationKeys stored{rows.columnOptionalText(2), rows.columnOptionalText(3),
                                          rows.columnOptionalText(4)};
        const store::SituationKeys old = keysByOldSql(db, document);
        CHECK(describe(stored) == describe(old));
        CHECK(describe(store::situationKeys(document, db.dialect())) == describe(old));
        ++compared;
    }
    CHECK(compared >= atLeast);
}

} // namespace

TEST_CASE("the situation's birth date, opening date and youth reference the projector writes are what migration 11's "
          "and 12's generated columns computed, for the pilot, generated and odd situations",
          "[store][situations]") {
    Pilot pilot;
    playPilotAndGenerated(pilot, 300);
    store::Database& db = pilot.process().database();
    checkEveryRowAgainstOldSql(db, 315);
    const std::string stored = pilot.process().situations().back().document;
    REQUIRE(stored.find("CORR-1") != std::string::npos);
    // Documents no schema-valid situation is, which the columns must still read the old way.
    const std::string longAccents = "<situation openedOn=\"éééééééééééé\"><youth><birthDate>ÀÀÀÀÀÀÀÀÀÀÀÀ</birthDate>"
                                    "<reference>Zoë</reference></youth></situation>";
    for (const std::string& odd :
         {std::string("<situation><youth><name>x</name></youth></situation>"), std::string(""),
          std::string("<situation openedOn=\"2026\"><youth><birthDate>2010"),
          std::string("<situation><youth><reference>never closed"), std::string("<reference></reference>"),
          std::string("<reference>a</reference><reference>b</reference><birthDate>1</birthDate>"
                      "<birthDate>2001-02-03</birthDate>"),
          longAccents, stored}) {
        INFO(odd);
        CHECK(describe(store::situationKeys(odd, db.dialect())) == describe(keysByOldSql(db, odd)));
    }
}

TEST_CASE("migration 14 turns the generated columns of a database at version 13 into plain ones holding the same "
          "values, which verify then compares",
          "[scale][situations]") {
    Pilot pilot;
    playPilotAndGenerated(pilot, 40);
    const auto path = pilot.databasePath();
    // The file as migration 13 left it: the three columns generated from the document, indexed.
    rawExec(path, "DROP INDEX situations_by_birth_date; DROP INDEX situations_by_opened_on; "
                  "DROP INDEX situations_by_youth_reference; ALTER TABLE situations DROP COLUMN birth_date; "
                  "ALTER TABLE situations DROP COLUMN opened_on; ALTER TABLE situations DROP COLUMN youth_reference;");
    // A caseflow at version 13 would have added them thus (store/Migrations.cpp, migrations 11, 12).
    rawExec(path,
            "ALTER TABLE situations ADD COLUMN birth_date TEXT GENERATED ALWAYS AS (CASE WHEN instr(document, "
            "'<birthDate>') > 0 THEN substr(document, instr(document, '<birthDate>') + 11, 10) END) VIRTUAL; "
            "ALTER TABLE situations ADD COLUMN opened_on TEXT GENERATED ALWAYS AS (CASE WHEN instr(document, "
            "'openedOn=\"') > 0 THEN substr(document, instr(document, 'openedOn=\"') + 10, 10) END) VIRTUAL; "
            "CREATE INDEX situations_by_birth_date ON situations(birth_date, state, id); "
            "CREATE INDEX situations_by_opened_on ON situations(opened_on, id); "
            "ALTER TABLE situations ADD COLUMN youth_reference TEXT GENERATED ALWAYS AS (CASE WHEN instr(document, "
            "'<reference>') > 0 THEN substr(document, instr(document, '<reference>') + 11, instr(substr(document, "
            "instr(document, '<reference>') + 11), '</reference>') - 1) END) VIRTUAL; "
            "CREATE INDEX situations_by_youth_reference ON situations(youth_reference, id); "
            "PRAGMA user_version = 13;");
    std::set<std::string> generated;
    {
        auto db = store::Database::open(path, store::OpenMode::MustExist);
        auto columns = db.prepare("SELECT name FROM pragma_table_xinfo('situations') WHERE hidden IN (2, 3)");
        while (columns.step()) generated.insert(columns.columnText(0));
    }
    REQUIRE(generated == std::set<std::string>{"birth_date", "opened_on", "youth_reference"});

    auto reopened = FundingProcess::open(path);
    store::Database& db = reopened.database();
    CHECK(store::currentSchemaVersion(db) == store::latestSchemaVersion());
    {
        // Scoped: a statement left on a row would keep its read snapshot open.
        auto plain = db.prepare("SELECT name FROM pragma_table_info('situations') WHERE name IN "
                                "('birth_date', 'opened_on', 'youth_reference') ORDER BY cid");
        std::vector<std::string> names;
        while (plain.step()) names.push_back(plain.columnText(0));
        CHECK(names == std::vector<std::string>{"birth_date", "opened_on", "youth_reference"});
        auto indexes = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                                  "('situations_by_birth_date', 'situations_by_opened_on', "
                                  "'situations_by_youth_reference')");
        indexes.step();
        CHECK(indexes.columnInt(0) == 3);
    }
    checkEveryRowAgainstOldSql(db, 55);
    CHECK(reopened.projectionDrift().empty());

    // Plain columns are compared by verify like any other: a tampered one is named.
    rawExec(path, "UPDATE situations SET birth_date = '1999-01-01' WHERE id = 2");
    REQUIRE(store::SituationRepository(db).head(2)->keys.birthDate == std::optional<std::string>("1999-01-01"));
    const auto drifts = reopened.projectionDrift();
    REQUIRE(drifts.size() == 1);
    CHECK(drifts[0].table == "situations");
    CHECK(drifts[0].key == "id=2");
    CHECK(drifts[0].column == "birth_date");
    CHECK(drifts[0].stored == "1999-01-01");
    // And rebuild writes it back.
    reopened.rebuild();
    CHECK(reopened.projectionDrift().empty());
}

TEST_CASE("an event sets in the situation's row only the indexed columns whose value it changes",
          "[scale][situations]") {
    if (!requireSqlite("SQLite triggers tell which columns an UPDATE sets")) return;
    Pilot pilot;
    const std::string stem = "01-namur-early-childhood";
    const auto id = pilot.registerSample(stem);
    store::Database& db = pilot.process().database();
    // A trigger AFTER UPDATE OF a column fires only when the column is in the SET list.
    db.exec("CREATE TEMP TABLE touched (step INTEGER, column_name TEXT)");
    db.exec("CREATE TEMP TABLE current_step (step INTEGER)");
    db.exec("INSERT INTO current_step VALUES (0)");
    for (const std::string column :
         {"state", "category", "municipality", "birth_date", "opened_on", "youth_reference", "document"})
        db.exec("CREATE TEMP TRIGGER touched_" + column + " AFTER UPDATE OF " + column +
                " ON main.situations BEGIN INSERT INTO touched SELECT step, '" + column + "' FROM current_step; END");
    const auto steps = scenarioSteps(stem);
    std::vector<std::string> states{pilot.state(id)};
    std::vector<std::int64_t> versions{pilot.process().situation(id).version};
    for (std::size_t step = 1; step <= 5; ++step) {
        db.exec("UPDATE current_step SET step = " + std::to_string(step));
        pilot.runSteps(id, stem, step, step);
        states.push_back(pilot.state(id));
        versions.push_back(pilot.process().situation(id).version);
    }
    const auto touchedAt = [&](std::size_t step) {
        std::set<std::string> columns;
        auto query = db.prepare("SELECT column_name FROM touched WHERE step = ?1");
        query.bind(1, static_cast<std::int64_t>(step));
        while (query.step()) columns.insert(query.columnText(0));
        return columns;
    };
    int unchangedState = 0;
    for (std::size_t step = 1; step < states.size(); ++step) {
        INFO("step " << step << ": " << states[step - 1] << " -> " << states[step]);
        std::set<std::string> expected{"document"};
        if (versions[step] == versions[step - 1])
            expected.clear(); // a step the scenario expects refused
        else if (states[step] != states[step - 1])
            expected.insert("state");
        else
            ++unchangedState;
        CHECK(touchedAt(step) == expected);
    }
    CHECK(unchangedState > 0); // the scenario has a step that keeps the state
    // A correction of the birth date sets that column, and only that one besides the document.
    db.exec("UPDATE current_step SET step = 99");
    pilot.fire(id, "registration.corrected", kCorrection, "coordinator:Marc Lambert", "2026-01-20");
    const auto corrected = store::SituationRepository(db).head(id);
    REQUIRE(corrected);
    if (corrected->keys.birthDate == std::optional<std::string>("2014-03-01"))
        CHECK(touchedAt(99) == std::set<std::string>{"document", "birth_date"});
    else
        CHECK(touchedAt(99) == std::set<std::string>{"document"});
    CHECK(pilot.process().projectionDrift().empty());
}

TEST_CASE("the projection does not take a candidate built on an older version of the situation's row",
          "[store][situations]") {
    Pilot pilot;
    const std::string stem = "01-namur-early-childhood";
    const auto id = pilot.registerSample(stem);
    pilot.runSteps(id, stem, 1, 2);
    FundingProcess& process = pilot.process();
    store::Database& db = process.database();
    const auto version = store::SituationRepository(db).head(id)->row.version;
    store::EventStore events(db);
    const auto last = events.events(id).back();
    REQUIRE(last.sequence == version);
    // The last event once more, as the next one, with a candidate the stored row never was.
    store::StoredEvent next = last;
    next.sequence = version + 1;
    const auto projected = [&](std::int64_t baseVersion) {
        Situation candidate = Situation::fromStored(process.situation(id).document);
        xmlSetProp(xml::root(candidate.document()), BAD_CAST "openedOn", BAD_CAST "1999-09-09");
        PreparedProjection prepared{next.payload, EventPayload::parse(next.payload), baseVersion, std::move(candidate)};
        store::Transaction transaction(db);
        projectEvent(db, next, process.network(), process.chart(), nullptr, &prepared);
        const auto row = store::SituationRepository(db).head(id);
        const std::string document = *store::SituationRepository(db).document(id);
        // Rolled back: the row stays as the log says.
        return std::make_pair(document.find("1999-09-09") != std::string::npos, row->keys.openedOn);
    };
    // On the row's own version the candidate is taken (so the case below can tell)...
    CHECK(projected(version) == std::make_pair(true, std::optional<std::string>("1999-09-09")));
    // ...on an older one it is not: the stored document is read and the data applied to it.
    CHECK(projected(version - 1).first == false);
    CHECK(projected(version - 1).second != std::optional<std::string>("1999-09-09"));
    CHECK(process.projectionDrift().empty());
}
