// Specification of the event log: appends with optimistic concurrency, the global hash chain and
// its verification against tampering, projections that commit or fail with their event, and
// rebuilding the projections from the log. The same cases run on SQLite and on PostgreSQL
// (support/TestDatabase.h): on PostgreSQL the store works as the application role, and the
// attacker who tampers with the log is the database's owner, who may switch its triggers off.
#include "core/Errors.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "store/Migrations.h"
#include "store/Sha256.h"
#include "store/Transaction.h"
#include "support/TestDatabase.h"
#include "support/TestSupport.h"

#include "support/RawSqlite.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <thread>

using caseflow::Conflict;
using caseflow::Error;
using caseflow::UsageError;
using caseflow::store::computeEventHash;
using caseflow::store::Database;
using caseflow::store::EventStore;
using caseflow::store::genesisHash;
using caseflow::store::migrate;
using caseflow::store::NewEvent;
using caseflow::store::OpenMode;
using caseflow::store::Projector;
using caseflow::store::sha256Hex;
using caseflow::store::Statement;
using caseflow::store::StoredEvent;
using caseflow::store::VerifyReport;
using caseflow::test::Backend;
using caseflow::test::ScratchDir;
using caseflow::test::TestDatabase;

using caseflow::test::rawExec;

namespace {

// A database with the current schema (migrated by its owner), opened as the application role.
struct Fixture {
    ScratchDir dir;
    TestDatabase database{dir};
    std::filesystem::path path = database.address(); // the file, on SQLite
    Database db = caseflow::test::openMigrated(database);
    EventStore store{db};
};

// SQL run behind caseflow's back with the guards off: on SQLite by anyone who can write the file
// (the triggers dropped with the sqlite3 shell), on PostgreSQL by the owner (ALTER TABLE ...
// DISABLE TRIGGER; the application role cannot).
void tamper(const Fixture& f, const std::string& sql) {
    if (f.database.backend() == Backend::Sqlite) {
        rawExec(f.path, "DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete; " + sql);
        return;
    }
    Database owner = Database::open(f.database.address(), OpenMode::MustExist);
    owner.exec("ALTER TABLE events DISABLE TRIGGER USER; " + sql + "; ALTER TABLE events ENABLE TRIGGER USER");
}

NewEvent event(int64_t situationId, const std::string& type, const std::string& payload = "<data/>") {
    return NewEvent{situationId, type, "coordinator@namur", payload};
}

// A minimal projection: one row per situation, holding its version and latest payload.
void projectSituation(Database& db, const StoredEvent& stored) {
    db.prepare("INSERT INTO situations (id, version, registered_at, updated_at, document) VALUES (?, ?, ?, ?, ?)"
               " ON CONFLICT (id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at,"
               " document = excluded.document")
        .bind(1, stored.situationId)
        .bind(2, stored.sequence)
        .bind(3, stored.recordedAt)
        .bind(4, stored.recordedAt)
        .bind(5, stored.payload)
        .step();
}

const Projector noProjection = [](Database&, const StoredEvent&) {};

int64_t queryInt(Database& db, const std::string& sql) {
    Statement query = db.prepare(sql);
    REQUIRE(query.step());
    return query.columnInt(0);
}

// Appends events to three situations, interleaved, so that the global chain crosses situations.
void appendInterleaved(EventStore& store, int rounds) {
    for (int round = 0; round < rounds; ++round)
        for (int64_t situation = 1; situation <= 3; ++situation)
            store.append(event(situation, "note.added", "<note n='" + std::to_string(round) + "'/>"), round,
                         projectSituation);
}

// True when `text` has the shape of `pattern`, where '9' stands for any digit and 'f' for any
// lowercase hex digit; every other pattern character must appear as is.
bool hasShape(const std::string& text, const std::string& pattern) {
    if (text.size() != pattern.size()) return false;
    for (std::size_t index = 0; index < text.size(); ++index) {
        const char c = text[index];
        const bool digit = c >= '0' && c <= '9';
        if (pattern[index] == '9'   ? !digit
            : pattern[index] == 'f' ? !(digit || (c >= 'a' && c <= 'f'))
                                    : c != pattern[index])
            return false;
    }
    return true;
}

} // namespace

TEST_CASE("SHA-256 is the standard digest in lowercase hex", "[store]") {
    CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256Hex(std::string("a\0b", 3)) == sha256Hex(std::string("a\0b", 3)));
    CHECK(sha256Hex(std::string("a\0b", 3)) != sha256Hex("a"));
    // FIPS 180-2's long message (many blocks), then a short one again on the same thread's context.
    CHECK(sha256Hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // From several threads at once, each with its own context.
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&wrong] {
            for (int i = 0; i < 2000; ++i)
                if (sha256Hex("abc") != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") ++wrong;
        });
    for (auto& thread : threads) thread.join();
    CHECK(wrong == 0);
}

TEST_CASE("Each append to a situation takes the next sequence number", "[store]") {
    Fixture f;
    CHECK(f.store.lastSequence(7) == 0);
    const StoredEvent first = f.store.append(event(7, "situation.registered"), 0, projectSituation);
    const StoredEvent second = f.store.append(event(7, "consent.recorded"), 1, projectSituation);
    CHECK(first.sequence == 1);
    CHECK(second.sequence == 2);
    CHECK(first.situationId == 7);
    CHECK(second.position == first.position + 1);
    CHECK(f.store.lastSequence(7) == 2);
    CHECK(queryInt(f.db, "SELECT version FROM situations WHERE id = 7") == 2);

    const std::vector<StoredEvent> stored = f.store.events(7);
    REQUIRE(stored.size() == 2);
    CHECK(stored[0].type == "situation.registered");
    CHECK(stored[1].type == "consent.recorded");
    CHECK(stored[1].actor == "coordinator@namur");
    CHECK(stored[1].payload == "<data/>");
    CHECK(stored[1].hash == second.hash);
    CHECK(f.store.events(8).empty());
}

TEST_CASE("An append with a stale expected version is refused and stores nothing", "[store]") {
    Fixture f;
    f.store.append(event(3, "situation.registered"), 0, projectSituation);
    f.store.append(event(3, "consent.recorded"), 1, projectSituation);

    int projections = 0;
    auto counting = [&projections](Database&, const StoredEvent&) { ++projections; };
    CHECK_THROWS_AS(f.store.append(event(3, "plan.drafted"), 1, counting), Conflict);
    CHECK_THROWS_WITH(f.store.append(event(3, "plan.drafted"), 1, counting),
                      "situation 3 changed: expected version 1, found 2; reload and retry");
    CHECK_THROWS_WITH(f.store.append(event(3, "plan.drafted"), 5, counting),
                      "situation 3 changed: expected version 5, found 2; reload and retry");
    CHECK_THROWS_WITH(f.store.append(event(4, "plan.drafted"), 1, counting),
                      "situation 4 changed: expected version 1, found 0; reload and retry");
    CHECK(projections == 0);
    CHECK(f.store.lastSequence(3) == 2);
    CHECK(f.store.allEvents().size() == 2);
}

TEST_CASE("An event without type or actor, or for no situation, is refused", "[store]") {
    Fixture f;
    CHECK_THROWS_AS(f.store.append(NewEvent{1, "", "someone", ""}, 0, noProjection), UsageError);
    CHECK_THROWS_AS(f.store.append(NewEvent{1, "a.b", "", ""}, 0, noProjection), UsageError);
    CHECK_THROWS_AS(f.store.append(NewEvent{0, "a.b", "someone", ""}, 0, noProjection), UsageError);
    CHECK_THROWS_AS(f.store.append(NewEvent{1, "a.b", "someone", ""}, -1, noProjection), UsageError);
    CHECK(f.store.allEvents().empty());
}

TEST_CASE("A new situation gets the next free id and sequence 1", "[store]") {
    Fixture f;
    const StoredEvent first = f.store.appendNewSituation(event(99, "situation.registered"), projectSituation);
    const StoredEvent second = f.store.appendNewSituation(event(0, "situation.registered"), projectSituation);
    CHECK(first.situationId == 1);
    CHECK(second.situationId == 2);
    CHECK(first.sequence == 1);
    CHECK(second.sequence == 1);
    f.store.append(event(10, "situation.registered"), 0, projectSituation);
    CHECK(f.store.appendNewSituation(event(0, "situation.registered"), projectSituation).situationId == 11);
    CHECK(queryInt(f.db, "SELECT count(*) FROM situations") == 4);
}

TEST_CASE("The hash chain links every event and verify passes", "[store]") {
    Fixture f;
    CHECK(f.store.verify().intact);
    CHECK(f.store.verify().eventsChecked == 0);

    appendInterleaved(f.store, 4);
    const std::vector<StoredEvent> all = f.store.allEvents();
    REQUIRE(all.size() == 12);

    const std::string hex64(64, 'f');
    const std::string utcMillis = "9999-99-99T99:99:99.999Z";
    CHECK(all.front().previousHash == genesisHash);
    for (std::size_t index = 0; index < all.size(); ++index) {
        const StoredEvent& stored = all[index];
        INFO("position " << stored.position);
        CHECK(stored.position == static_cast<int64_t>(index) + 1);
        CHECK(hasShape(stored.hash, hex64));
        CHECK(hasShape(stored.recordedAt, utcMillis));
        CHECK(stored.hash == computeEventHash(stored));
        if (index > 0) CHECK(stored.previousHash == all[index - 1].hash);
    }

    const VerifyReport report = f.store.verify();
    CHECK(report.intact);
    CHECK(report.eventsChecked == 12);
    CHECK_FALSE(report.firstBrokenPosition);
    CHECK(report.problem.empty());
}

TEST_CASE("The event hash follows the documented length-prefixed encoding", "[store]") {
    StoredEvent stored;
    stored.position = 12;
    stored.situationId = 3;
    stored.sequence = 4;
    stored.type = "budget.approved";
    stored.actor = "ana";
    stored.recordedAt = "2026-11-26T09:17:12.123Z";
    stored.payload = "";
    stored.previousHash = std::string(genesisHash);
    CHECK(computeEventHash(stored) == sha256Hex("17:caseflow-event-v1,2:12,1:3,1:4,15:budget.approved,3:ana,"
                                                "24:2026-11-26T09:17:12.123Z,0:,64:" +
                                                std::string(genesisHash) + ","));

    // Moving bytes from one field to the next changes the hash: the encoding is unambiguous.
    StoredEvent shifted = stored;
    shifted.type = "budget.approvedan";
    shifted.actor = "a";
    CHECK(computeEventHash(shifted) != computeEventHash(stored));
}

TEST_CASE("The log refuses UPDATE and DELETE through SQL", "[store]") {
    Fixture f;
    f.store.append(event(1, "situation.registered"), 0, noProjection);
    // On PostgreSQL the application role has no such privilege at all, and the owner meets the triggers.
    const std::string refusal =
        f.database.backend() == Backend::Sqlite ? "events are append-only" : "permission denied for table events";
    CHECK_THROWS_WITH(f.db.exec("UPDATE events SET payload = 'x'"), Catch::Contains(refusal));
    CHECK_THROWS_WITH(f.db.exec("DELETE FROM events"), Catch::Contains(refusal));
    if (f.database.backend() == Backend::Postgres) {
        Database owner = Database::open(f.database.address(), OpenMode::MustExist);
        CHECK_THROWS_WITH(owner.exec("UPDATE events SET payload = 'x'"), Catch::Contains("events are append-only"));
        CHECK_THROWS_WITH(owner.exec("DELETE FROM events"), Catch::Contains("events are append-only"));
        CHECK_THROWS_WITH(owner.exec("TRUNCATE events"), Catch::Contains("events are append-only"));
    }
    CHECK(f.store.events(1).at(0).payload == "<data/>");
}

TEST_CASE("Changing one byte of any stored event makes verify fail and name that event", "[store]") {
    Fixture f;
    appendInterleaved(f.store, 3); // positions 1..9
    const int64_t position = GENERATE(1, 5, 9);
    const std::string column =
        GENERATE(as<std::string>{}, "payload", "type", "actor", "recorded_at", "previous_hash", "hash");
    INFO("column " << column << " of event " << position);

    // The attacker drops the guard, as anyone with write access to the file can.
    tamper(f, "UPDATE events SET " + column + " = CASE WHEN substr(" + column +
                  ", 1, 1) = 'x' THEN 'y' ELSE 'x' END || substr(" + column +
                  ", 2) WHERE position = " + std::to_string(position));

    const VerifyReport report = f.store.verify();
    CHECK_FALSE(report.intact);
    REQUIRE(report.firstBrokenPosition);
    CHECK(*report.firstBrokenPosition == position);
    CHECK(report.eventsChecked == position);
    CHECK_THAT(report.problem, Catch::StartsWith("event " + std::to_string(position) + " (situation "));
    CHECK_THAT(report.problem, Catch::EndsWith("hash mismatch"));
}

TEST_CASE("verify walks a log longer than its PostgreSQL walk reads at once, and names an edit far past the start",
          "[store]") {
    Fixture f;
    // 12 001 events: more than two of the pages PostgreSQL's walk fetches (5 000), so a page
    // boundary falls inside the chain twice; SQLite streams the same walk without pages.
    std::vector<NewEvent> events;
    for (int64_t n = 0; n < 12001; ++n)
        events.push_back(
            event(n % 7 + 1, n < 7 ? "situation.registered" : "note.added", "<note n=\"" + std::to_string(n) + "\"/>"));
    {
        caseflow::store::Transaction transaction(f.db);
        f.store.appendBulkInOpenTransaction(events, {});
        transaction.commit();
    }
    const VerifyReport clean = f.store.verify();
    CHECK(clean.intact);
    CHECK(clean.eventsChecked == 12001);
    CHECK(clean.headPosition == 12001);

    tamper(f, "UPDATE events SET payload = '<note n=\"forged\"/>' WHERE position = 10007");
    const VerifyReport report = f.store.verify();
    CHECK_FALSE(report.intact);
    REQUIRE(report.firstBrokenPosition);
    CHECK(*report.firstBrokenPosition == 10007);
    CHECK(report.eventsChecked == 10007);
    CHECK_THAT(report.problem, Catch::EndsWith("hash mismatch"));
}

TEST_CASE("Changing an event's numbers makes verify fail and name that event", "[store]") {
    Fixture f;
    appendInterleaved(f.store, 3);
    const std::string change =
        GENERATE(as<std::string>{}, "sequence = sequence + 100", "situation_id = situation_id + 100");
    INFO(change);
    tamper(f, "UPDATE events SET " + change + " WHERE position = 5");
    const VerifyReport report = f.store.verify();
    CHECK_FALSE(report.intact);
    CHECK(report.firstBrokenPosition == 5);
    CHECK_THAT(report.problem, Catch::EndsWith("hash mismatch"));
}

TEST_CASE("Deleting an event is detected", "[store]") {
    Fixture f;
    appendInterleaved(f.store, 3); // positions 1..9

    SECTION("in the middle of the log") {
        tamper(f, "DELETE FROM events WHERE position = 4");
        const VerifyReport report = f.store.verify();
        CHECK_FALSE(report.intact);
        CHECK(report.firstBrokenPosition == 5);
        CHECK(report.problem == "event 5 (situation 2, sequence 2): missing event(s) before it: expected position 4");
    }
    SECTION("at the start of the log") {
        tamper(f, "DELETE FROM events WHERE position = 1");
        const VerifyReport report = f.store.verify();
        CHECK_FALSE(report.intact);
        CHECK(report.firstBrokenPosition == 2);
    }
}

TEST_CASE("An event replaced by a forgery with a valid hash is detected at the next event", "[store]") {
    Fixture f;
    appendInterleaved(f.store, 3);
    StoredEvent forged = f.store.allEvents().at(3); // position 4
    forged.payload = "<note>forged</note>";
    forged.hash = computeEventHash(forged);
    tamper(f, "UPDATE events SET payload = '" + forged.payload + "', hash = '" + forged.hash + "' WHERE position = 4");

    const VerifyReport report = f.store.verify();
    CHECK_FALSE(report.intact);
    CHECK(report.firstBrokenPosition == 5);
    CHECK_THAT(report.problem, Catch::Contains("previous_hash does not match the hash of event 4"));
}

TEST_CASE("A throwing projector rolls the append back", "[store]") {
    Fixture f;
    f.store.append(event(1, "situation.registered"), 0, projectSituation);
    auto failing = [](Database& db, const StoredEvent& stored) {
        projectSituation(db, stored); // the projection is written, then the failure undoes it
        throw std::runtime_error("projection failed");
    };

    CHECK_THROWS_WITH(f.store.append(event(1, "consent.recorded"), 1, failing), "projection failed");
    CHECK_THROWS_WITH(f.store.appendNewSituation(event(0, "situation.registered"), failing), "projection failed");
    CHECK(f.store.lastSequence(1) == 1);
    CHECK(f.store.allEvents().size() == 1);
    CHECK(queryInt(f.db, "SELECT version FROM situations WHERE id = 1") == 1);
    CHECK(queryInt(f.db, "SELECT count(*) FROM situations") == 1);

    // The failed attempt left no lock and no gap behind.
    const StoredEvent next = f.store.append(event(1, "consent.recorded"), 1, projectSituation);
    CHECK(next.sequence == 2);
    CHECK(next.position == 2);
    CHECK(f.store.verify().intact);
}

TEST_CASE("The projector sees the event it projects, inside the append transaction", "[store]") {
    Fixture f;
    int64_t seenInside = -1;
    bool inTransaction = false;
    const StoredEvent stored =
        f.store.append(event(2, "situation.registered"), 0, [&](Database& db, const StoredEvent& e) {
            seenInside = queryInt(db, "SELECT count(*) FROM events WHERE position = " + std::to_string(e.position));
            inTransaction = db.inTransaction();
        });
    CHECK(seenInside == 1);
    CHECK(inTransaction);
    CHECK(stored.position == 1);
}

TEST_CASE("Rebuild clears the projections and replays every event in order", "[store]") {
    Fixture f;
    appendInterleaved(f.store, 3);
    f.db.exec("INSERT INTO funding_requests (situation_id, request_id, state, year) VALUES (1, 'r1', 'stale', 2026)");
    f.db.exec("INSERT INTO payments (situation_id, request_id, payment_id, paid_on, amount_cents)"
              " VALUES (1, 'r1', 'p1', '2026-01-01', 100)");
    f.db.exec("INSERT INTO deadlines (situation_id, send_id, event, due_at) VALUES (1, 's1', 'x', '2026-01-01')");
    f.db.exec("UPDATE situations SET version = 42, document = 'stale'");

    std::vector<int64_t> replayed;
    f.store.rebuild([&replayed](Database& db, const StoredEvent& stored) {
        replayed.push_back(stored.position);
        projectSituation(db, stored);
    });

    CHECK(replayed == std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9});
    for (const char* table : {"funding_requests", "payments", "deadlines"})
        CHECK(queryInt(f.db, std::string("SELECT count(*) FROM ") + table) == 0);
    CHECK(queryInt(f.db, "SELECT count(*) FROM situations") == 3);
    CHECK(queryInt(f.db, "SELECT count(*) FROM situations WHERE version = 3 AND document LIKE '<note%'") == 3);
    CHECK(f.store.allEvents().size() == 9);
}

TEST_CASE("A rebuild that fails half-way leaves the previous projections in place", "[store]") {
    Fixture f;
    appendInterleaved(f.store, 2);
    int calls = 0;
    CHECK_THROWS_WITH(f.store.rebuild([&calls](Database& db, const StoredEvent& stored) {
        if (++calls == 4) throw std::runtime_error("bad event");
        projectSituation(db, stored);
    }),
                      "bad event");
    CHECK(queryInt(f.db, "SELECT count(*) FROM situations WHERE version = 2") == 3);
    CHECK(f.store.verify().intact);
}

TEST_CASE("Events read back in sequence order per situation and in position order overall", "[store]") {
    Fixture f;
    appendInterleaved(f.store, 3);
    const std::vector<StoredEvent> second = f.store.events(2);
    REQUIRE(second.size() == 3);
    for (std::size_t index = 0; index < second.size(); ++index) {
        CHECK(second[index].sequence == static_cast<int64_t>(index) + 1);
        CHECK(second[index].situationId == 2);
        CHECK(second[index].payload == "<note n='" + std::to_string(index) + "'/>");
    }
    std::vector<int64_t> streamed;
    f.store.forEachEvent([&streamed](const StoredEvent& stored) { streamed.push_back(stored.situationId); });
    CHECK(streamed == std::vector<int64_t>{1, 2, 3, 1, 2, 3, 1, 2, 3});
}

TEST_CASE("Text is stored byte for byte, whatever it holds", "[store]") {
    Fixture f;
    static constexpr char text[] = "<p>Éléonore — ’t Kind\0 \n\t'\"";
    const std::string payload(text, sizeof text - 1);
    REQUIRE(payload.find('\0') != std::string::npos);
    if (f.database.backend() == Backend::Postgres) {
        // PostgreSQL text cannot hold a NUL: refused with a clear error, nothing stored; the rest
        // of the text goes through byte for byte.
        CHECK_THROWS_WITH(f.store.append(NewEvent{1, "note.added", "zoë", payload}, 0, noProjection),
                          Catch::Contains("cannot hold a NUL byte"));
        CHECK(f.store.allEvents().empty());
        const std::string withoutNul = payload.substr(0, payload.find('\0')) + payload.substr(payload.find('\0') + 1);
        f.store.append(NewEvent{1, "note.added", "zoë", withoutNul}, 0, noProjection);
        CHECK(f.store.events(1).at(0).payload == withoutNul);
        CHECK(f.store.verify().intact);
        return;
    }
    f.store.append(NewEvent{1, "note.added", "zoë", payload}, 0, noProjection);
    const StoredEvent stored = f.store.events(1).at(0);
    CHECK(stored.payload == payload);
    CHECK(stored.actor == "zoë");
    CHECK(f.store.verify().intact);
}
