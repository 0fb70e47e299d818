// Specification of the PostgreSQL backend's foundation (issue 18, docs/postgresql.md): libpq
// wrapped with the surface of the SQLite store, and store::EventStore's append-only chained log
// on it (caseflow's own schema, migrated by the owner), under several connections at once and a
// writer killed mid-transaction. Every case tagged [.postgres] runs on the throwaway cluster that
// ctest's `postgres` fixture starts (scripts/pg-cluster.sh) and finds through
// CASEFLOW_TEST_POSTGRES (the application role) and CASEFLOW_TEST_POSTGRES_OWNER (the owner);
// each case works in a PostgreSQL schema or database of its own, dropped at its end, so cases are
// independent and may run in parallel. The placeholder translation needs no server and runs with
// the fast tests.
#include "core/Errors.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "store/IdempotencyKeys.h"
#include "store/Migrations.h"
#include "store/postgres/PgConnection.h"
#include "store/postgres/PgError.h"
#include "store/postgres/PgPlaceholders.h"
#include "store/postgres/PgTransaction.h"
#include "support/TestDatabase.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <latch>
#include <random>
#include <set>
#include <sys/types.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using caseflow::Conflict;
using caseflow::Error;
using caseflow::UsageError;
using caseflow::store::Database;
using caseflow::store::EventStore;
using caseflow::store::NewEvent;
using caseflow::store::OpenMode;
using caseflow::store::StoredEvent;
using caseflow::store::postgres::Isolation;
using caseflow::store::postgres::PgConnection;
using caseflow::store::postgres::PgConnectionLost;
using caseflow::store::postgres::PgStatement;
using caseflow::store::postgres::PgTransaction;
using caseflow::store::postgres::toPostgresPlaceholders;
using Catch::Matchers::Contains;

namespace {

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || value[0] == '\0')
        FAIL(name << " is not set: run the postgres tests through ctest (ctest -L postgres), whose fixture starts"
                     " the throwaway cluster (scripts/pg-cluster.sh start DIR)");
    return value;
}

// A schema of its own on the test cluster, for one test case of the connection's own behaviour.
class PgTestSchema {
public:
    PgTestSchema() : owner_(PgConnection::connect(environment("CASEFLOW_TEST_POSTGRES_OWNER"))) {
        std::random_device random;
        name_ = "t_" + std::to_string(getpid()) + "_" + std::to_string(random() % 1000000000u);
        owner_.exec("CREATE SCHEMA " + name_ + "; SET search_path TO " + name_);
        PgConnection probe = connectApp();
        PgStatement role = probe.prepare("SELECT current_user");
        role.step();
        appRole_ = role.columnText(0);
        owner_.exec("GRANT USAGE ON SCHEMA " + name_ + " TO " + appRole_);
    }
    ~PgTestSchema() {
        try {
            owner_.exec("DROP SCHEMA " + name_ + " CASCADE");
        } catch (const Error&) {
            // The cluster is thrown away at the end of the run anyway.
        }
    }
    PgTestSchema(const PgTestSchema&) = delete;
    PgTestSchema& operator=(const PgTestSchema&) = delete;

    // A connection as the application role, working in this schema.
    PgConnection connectApp() const {
        PgConnection connection = PgConnection::connect(environment("CASEFLOW_TEST_POSTGRES"));
        connection.exec("SET search_path TO " + name_);
        return connection;
    }
    PgConnection& owner() { return owner_; }
    // Another connection as the owner, working in this schema.
    PgConnection connectOwner() const {
        PgConnection connection = PgConnection::connect(environment("CASEFLOW_TEST_POSTGRES_OWNER"));
        connection.exec("SET search_path TO " + name_);
        return connection;
    }

private:
    PgConnection owner_;
    std::string name_;
    std::string appRole_;
};

// A PostgreSQL database of its own with caseflow's schema, migrated by its owner as `caseflow
// init` does: the event log exactly as a deployment has it.
class PgLog {
public:
    PgLog() : database_(scratch_, caseflow::test::Backend::Postgres) {
        Database owner = Database::open(database_.address(), OpenMode::CreateIfMissing);
        caseflow::store::migrate(owner);
    }
    // A connection as the application role (what the servers use).
    Database app() const { return Database::open(database_.appAddress(), OpenMode::MustExist); }
    Database owner() const { return Database::open(database_.address(), OpenMode::MustExist); }
    const std::string& appAddress() const { return database_.appAddress(); }

private:
    caseflow::test::ScratchDir scratch_;
    caseflow::test::TestDatabase database_;
};

NewEvent note(int64_t situationId, const std::string& text) {
    return NewEvent{situationId, "note.added", "Élodie Massart", "<note>" + text + "</note>"};
}

// Runs the same statements on either backend and writes down everything read back, so that the
// two transcripts can be compared as wholes.
template <typename Connection> std::vector<std::string> statementTranscript(Connection& db) {
    std::vector<std::string> seen;
    auto row = [&seen](auto& statement, int columns) {
        std::string line;
        for (int column = 0; column < columns; ++column)
            line +=
                (statement.columnIsNull(column) ? std::string("NULL") : "[" + statement.columnText(column) + "]") + " ";
        seen.push_back(line);
    };
    db.exec("CREATE TABLE samples (id BIGINT PRIMARY KEY, label TEXT, amount BIGINT)");
    auto insert = db.prepare("INSERT INTO samples (id, label, amount) VALUES (?, ?, ?)");
    insert.bind(1, 1)
        .bind(2, std::string("Élodie — 日本語 🙂 ß"))
        .bind(3, int64_t{9223372036854775807})
        .step();
    insert.reset();
    insert.bind(1, 2).bind(2, nullptr).bind(3, int64_t{-9223372036854775807 - 1}).step();
    insert.reset();
    insert.bind(1, 3).bind(2, std::string()).bind(3, nullptr).step();
    insert.reset();
    // Bindings survive reset(): only the id changes.
    insert.bind(1, 4).step();

    auto all = db.prepare("SELECT id, label, amount FROM samples ORDER BY id");
    while (all.step()) {
        row(all, 3);
        seen.push_back("amount=" + std::to_string(all.columnInt(2)) + " label?" +
                       (all.columnOptionalText(1) ? "'" + *all.columnOptionalText(1) + "'" : "nullopt"));
    }
    // A step() after the end runs the statement again, as sqlite3_step does after SQLITE_DONE.
    seen.push_back(all.step() ? "runs again" : "stays done");

    // A ? inside a string literal or a comment is text, not a parameter; ?N are numbered slots.
    auto literal = db.prepare("SELECT '?', 'it''s ?' /* ? */, ?2, ?1, ? -- ?\n");
    literal.bind(1, std::string("first")).bind(2, std::string("second")).bind(3, int64_t{42});
    REQUIRE(literal.step());
    row(literal, 5);
    seen.push_back("columnInt=" + std::to_string(literal.columnInt(4)));
    REQUIRE_FALSE(literal.step());

    auto none = db.prepare("SELECT label FROM samples WHERE id = ?");
    none.bind(1, 99);
    seen.push_back(none.step() ? "a row" : "no row");
    return seen;
}

} // namespace

TEST_CASE("SQLite's ? parameters become PostgreSQL's $n, never inside literals, identifiers or comments", "[store]") {
    CHECK(toPostgresPlaceholders("SELECT a FROM t WHERE b = ? AND c = ?").sql ==
          "SELECT a FROM t WHERE b = $1 AND c = $2");
    CHECK(toPostgresPlaceholders("SELECT '?', 'it''s ?', E'\\'?', \"odd?name\" FROM t WHERE x = ?").sql ==
          "SELECT '?', 'it''s ?', E'\\'?', \"odd?name\" FROM t WHERE x = $1");
    CHECK(toPostgresPlaceholders("SELECT ? -- why?\n, /* a ? /* nested ? */ */ ?").sql ==
          "SELECT $1 -- why?\n, /* a ? /* nested ? */ */ $2");
    CHECK(toPostgresPlaceholders("SELECT $$ ? $$, $body$ it's ? $body$, ?").sql ==
          "SELECT $$ ? $$, $body$ it's ? $body$, $1");
    // SQLite's numbering: ?N is slot N, and a bare ? is one more than the largest before it.
    const auto numbered = toPostgresPlaceholders("SELECT ?2, ?1, ?, ?2");
    CHECK(numbered.sql == "SELECT $2, $1, $3, $2");
    CHECK(numbered.parameterCount == 3);
    CHECK(toPostgresPlaceholders("SELECT 1").parameterCount == 0);
    CHECK_THROWS_WITH(toPostgresPlaceholders("SELECT 'open ?"), Contains("unterminated string literal"));
    CHECK_THROWS_WITH(toPostgresPlaceholders("SELECT /* open"), Contains("unterminated comment"));
}

TEST_CASE(
    "a PostgreSQL statement reads back NULLs, UTF-8 text and 64-bit integers exactly as the SQLite statement does",
    "[.postgres]") {
    PgTestSchema schema;
    PgConnection& pg = schema.owner(); // the application role may not create tables
    Database sqlite = Database::openScratch();

    const std::vector<std::string> onSqlite = statementTranscript(sqlite);
    const std::vector<std::string> onPostgres = statementTranscript(pg);
    CHECK(onPostgres == onSqlite);
    // And the transcript says what it should, so that both being wrong alike cannot pass.
    REQUIRE(onSqlite.size() == 12);
    CHECK(onSqlite[0] == "[1] [Élodie — 日本語 🙂 ß] [9223372036854775807] ");
    CHECK(onSqlite[1] == "amount=9223372036854775807 label?'Élodie — 日本語 🙂 ß'");
    CHECK(onSqlite[3] == "amount=-9223372036854775808 label?nullopt");
    CHECK(onSqlite[5] == "amount=0 label?''");
    CHECK(onSqlite[6] == "[4] [] NULL ");
    CHECK(onSqlite[8] == "runs again");
    CHECK(onSqlite[9] == "[?] [it's ?] [second] [first] [42] ");
    CHECK(onSqlite[10] == "columnInt=42");
    CHECK(onSqlite[11] == "no row");
}

TEST_CASE("PostgreSQL refuses what SQLite would store loosely, each with a clear error", "[.postgres]") {
    PgTestSchema schema;
    PgConnection& pg = schema.owner(); // the application role may not create tables
    pg.exec("CREATE TABLE samples (id BIGINT PRIMARY KEY, label TEXT)");
    auto insert = pg.prepare("INSERT INTO samples (id, label) VALUES (?, ?)");
    // Text holding a NUL byte is refused, never cut short at it.
    CHECK_THROWS_MATCHES(insert.bind(2, std::string("before\0after", 12)), UsageError,
                         Catch::Matchers::Message(
                             "PostgreSQL text cannot hold a NUL byte (parameter 2 of [INSERT INTO samples (id, label)"
                             " VALUES (?, ?)])"));
    CHECK_THROWS_WITH(insert.bind(3, 1), Contains("parameter 3 out of range (the statement has 2)"));
    insert.bind(1, 1).bind(2, std::string("one")).step();
    insert.reset();
    // A duplicate key is a Conflict, as on SQLite a busy writer is: another writer got there first.
    CHECK_THROWS_MATCHES(insert.step(), Conflict, Catch::Matchers::Predicate<Conflict>([](const Conflict& conflict) {
                             return std::string(conflict.what()).find("samples_pkey") != std::string::npos;
                         }));
    auto text = pg.prepare("SELECT label FROM samples");
    REQUIRE(text.step());
    CHECK_THROWS_WITH(text.columnInt(0), Contains("holds 'one', not an integer"));
    CHECK_THROWS_WITH(text.columnText(1), Contains("no column 1"));
    CHECK_FALSE(text.step());
    CHECK_THROWS_WITH(text.columnText(0), Contains("no row to read"));
    CHECK_THROWS_AS(pg.prepare("SELECT 1; SELECT 2"), Error);

    // A failed statement spoils its transaction: COMMIT then rolls back, and says so.
    {
        PgTransaction transaction(pg, Isolation::ReadCommitted);
        insert.bind(1, 2).bind(2, std::string("two")).step();
        insert.reset();
        CHECK_THROWS_AS(pg.prepare("SELECT no_such_column FROM samples").step(), Error);
        CHECK_THROWS_WITH(transaction.commit(), Contains("rolled back, nothing was stored"));
    }
    auto count = pg.prepare("SELECT count(*) FROM samples");
    count.step();
    CHECK(count.columnInt(0) == 1);
}

TEST_CASE("a serialization failure and a deadlock are each refused with a Conflict that a caller may retry",
          "[.postgres]") {
    PgTestSchema schema;
    schema.owner().exec("CREATE TABLE commitments (year BIGINT NOT NULL, amount_cents BIGINT NOT NULL);"
                        " CREATE TABLE rows_to_lock (id BIGINT PRIMARY KEY); INSERT INTO rows_to_lock VALUES (1), (2)");

    // Write skew: both read the year's sum, both add to it; SERIALIZABLE lets one of them through.
    PgConnection first = schema.connectOwner(), second = schema.connectOwner();
    auto commit = [](PgConnection& connection, PgTransaction& transaction) -> std::string {
        try {
            connection.prepare("INSERT INTO commitments (year, amount_cents) VALUES (2026, 60000)").step();
            transaction.commit();
            return "committed";
        } catch (const Conflict& conflict) {
            return conflict.what();
        }
    };
    std::string firstOutcome, secondOutcome;
    {
        PgTransaction one(first, Isolation::Serializable), two(second, Isolation::Serializable);
        for (PgConnection* connection : {&first, &second}) {
            PgStatement sum =
                connection->prepare("SELECT COALESCE(SUM(amount_cents), 0) FROM commitments WHERE year = ?");
            sum.bind(1, 2026);
            REQUIRE(sum.step());
            REQUIRE(sum.columnInt(0) == 0);
        }
        firstOutcome = commit(first, one);
        secondOutcome = commit(second, two);
    }
    CHECK(firstOutcome == "committed");
    CHECK_THAT(secondOutcome, Contains("retry (could not serialize access"));

    // A deadlock: two connections lock two rows in opposite orders; the server ends one of them.
    std::vector<std::string> outcomes(2);
    std::latch bothHoldOne(2);
    std::vector<std::thread> threads;
    for (int writer = 0; writer < 2; ++writer)
        threads.emplace_back([&, writer] {
            std::string& outcome = outcomes[static_cast<std::size_t>(writer)];
            try {
                PgConnection connection = schema.connectOwner();
                PgTransaction transaction(connection, Isolation::ReadCommitted);
                auto lock = [&connection](int64_t id) {
                    PgStatement row = connection.prepare("SELECT id FROM rows_to_lock WHERE id = ? FOR UPDATE");
                    row.bind(1, id);
                    row.step();
                };
                lock(writer == 0 ? 1 : 2);
                bothHoldOne.arrive_and_wait();
                lock(writer == 0 ? 2 : 1);
                transaction.commit();
                outcome = "committed";
            } catch (const Conflict& conflict) {
                outcome = conflict.what();
            } catch (const std::exception& error) {
                outcome = std::string("not a Conflict: ") + error.what();
            }
        });
    for (auto& thread : threads) thread.join();
    const int deadlocked = (outcomes[0].find("retry (deadlock detected") != std::string::npos ? 1 : 0) +
                           (outcomes[1].find("retry (deadlock detected") != std::string::npos ? 1 : 0);
    const int committed = (outcomes[0] == "committed" ? 1 : 0) + (outcomes[1] == "committed" ? 1 : 0);
    INFO(outcomes[0] << " | " << outcomes[1]);
    CHECK(deadlocked == 1);
    CHECK(committed == 1);
}

TEST_CASE("a lost PostgreSQL connection says so, naming the socket, database and user, and never a password",
          "[.postgres]") {
    PgTestSchema schema;
    PgConnection victim = schema.connectApp();
    PgConnection killer = schema.connectApp();
    auto terminate = killer.prepare("SELECT pg_terminate_backend(?)");
    terminate.bind(1, victim.backendPid());
    REQUIRE(terminate.step());
    try {
        auto query = victim.prepare("SELECT 1");
        query.step();
        FAIL("a statement on a terminated connection succeeded");
    } catch (const PgConnectionLost& lost) {
        const std::string message = lost.what();
        CHECK_THAT(message, Contains("the PostgreSQL connection (socket /") && Contains("database caseflow") &&
                                Contains("user caseflow_app") && Contains(") was lost"));
    }

    const std::string secret = "s3cret-Passw0rd";
    try {
        PgConnection::connect("postgresql://caseflow_app:" + secret + "@/caseflow?host=/nonexistent-caseflow-socket");
        FAIL("connected to a socket that does not exist");
    } catch (const UsageError&) {
        FAIL("a well-formed address was refused as malformed");
    } catch (const Error& error) {
        const std::string message = error.what();
        CHECK_THAT(message, Contains("cannot connect to PostgreSQL (socket /nonexistent-caseflow-socket, database "
                                     "caseflow, user caseflow_app)"));
        CHECK_THAT(message, !Contains(secret));
    }
    CHECK_THROWS_MATCHES(PgConnection::connect("postgresql://caseflow_app:" + secret + "@/caseflow?bogus=%zz"),
                         UsageError, Catch::Matchers::Predicate<UsageError>([&secret](const UsageError& error) {
                             const std::string message = error.what();
                             return message.find("not a valid PostgreSQL address") != std::string::npos &&
                                    message.find(secret) == std::string::npos;
                         }));
    CHECK_THROWS_AS(PgConnection::connect("/var/lib/caseflow.db"), UsageError);
}

TEST_CASE("the application role cannot update, delete or truncate an event, and the triggers refuse it to the owner",
          "[.postgres]") {
    PgLog pg;
    Database app = pg.app();
    EventStore log(app);
    const StoredEvent first = log.appendNewSituation(note(0, "first"), {});
    log.append(note(first.situationId, "second"), 1, {});

    for (const char* sql :
         {"UPDATE events SET payload = 'forged' WHERE position = 1", "DELETE FROM events", "TRUNCATE events"})
        CHECK_THROWS_WITH(app.exec(sql), Contains("permission denied for table events"));
    Database owner = pg.owner();
    for (const char* sql : {"UPDATE events SET payload = 'forged' WHERE position = 1",
                            "DELETE FROM events WHERE position = 2", "TRUNCATE events, idempotency_keys"})
        CHECK_THROWS_WITH(owner.exec(sql), Contains("events are append-only"));
    CHECK_THROWS_WITH(owner.exec("DELETE FROM chain_head"), Contains("the chain head is never removed"));
    // Even the owner cannot insert an event that does not follow the chain.
    CHECK_THROWS_WITH(owner.exec("INSERT INTO events VALUES (7, 1, 3, 't', 'a', 'now', '', 'x', 'y')"),
                      Contains("event 7 does not follow the chain head (position 2)"));

    const auto events = log.allEvents();
    REQUIRE(events.size() == 2);
    CHECK(events[0].payload == "<note>first</note>");
    const auto report = log.verify();
    CHECK(report.intact);
    CHECK(report.headPosition == 2);
    // No integrity_check on PostgreSQL: the report says what checks the storage instead.
    REQUIRE(report.notes.size() == 1);
    CHECK_THAT(report.notes.front(), Contains("pg_amcheck"));
    // The hash is store::computeEventHash's: the same event verifies on either backend.
    CHECK(events[1].hash == caseflow::store::computeEventHash(events[1]));
}

TEST_CASE("four connections appending at once build one gap-free chain, and on one situation only the writers that "
          "raced are refused",
          "[.postgres]") {
    PgLog pg;
    constexpr int writers = 4, appendsEach = 200;

    // Each writer's own situation: no writer ever waits for a version, only for the chain.
    {
        std::vector<std::string> failures(writers);
        std::latch start(writers);
        std::vector<std::thread> threads;
        for (int writer = 0; writer < writers; ++writer)
            threads.emplace_back([&, writer] {
                try {
                    Database connection = pg.app();
                    EventStore log(connection);
                    start.arrive_and_wait();
                    const StoredEvent created = log.appendNewSituation(note(0, "w" + std::to_string(writer)), {});
                    for (int64_t sequence = 1; sequence < appendsEach; ++sequence)
                        log.append(note(created.situationId, std::to_string(sequence)), sequence, {});
                } catch (const std::exception& error) {
                    failures[static_cast<std::size_t>(writer)] = error.what();
                }
            });
        for (auto& thread : threads) thread.join();
        for (const auto& failure : failures) CHECK(failure.empty());
    }

    // One situation for all: each writer reads the version, appends on it, and retries when refused.
    Database reader = pg.app();
    EventStore readerLog(reader);
    const int64_t shared = readerLog.appendNewSituation(note(0, "shared"), {}).situationId;
    struct Tally {
        int stored = 0;
        int refused = 0;
        std::vector<std::string> problems; // asserted on the main thread: Catch2 v2 is not thread-safe
    };
    std::vector<Tally> tallies(writers);
    {
        std::latch start(writers);
        std::vector<std::thread> threads;
        for (int writer = 0; writer < writers; ++writer)
            threads.emplace_back([&, writer] {
                Tally& tally = tallies[static_cast<std::size_t>(writer)];
                try {
                    Database connection = pg.app();
                    EventStore log(connection);
                    start.arrive_and_wait();
                    while (tally.stored < appendsEach) {
                        const int64_t expected = log.lastSequence(shared);
                        try {
                            const StoredEvent stored =
                                log.append(note(shared, "w" + std::to_string(writer)), expected, {});
                            if (stored.sequence != expected + 1)
                                tally.problems.push_back("stored at sequence " + std::to_string(stored.sequence) +
                                                         " on version " + std::to_string(expected));
                            ++tally.stored;
                        } catch (const Conflict& conflict) {
                            ++tally.refused;
                            // Refused exactly when it raced: someone else moved the version first.
                            if (log.lastSequence(shared) <= expected)
                                tally.problems.push_back(std::string("refused without a race: ") + conflict.what());
                            if (std::string(conflict.what()).find("expected version " + std::to_string(expected)) ==
                                std::string::npos)
                                tally.problems.push_back(std::string("refusal without its version: ") +
                                                         conflict.what());
                        }
                    }
                } catch (const std::exception& error) {
                    tally.problems.push_back(error.what());
                }
            });
        for (auto& thread : threads) thread.join();
    }
    int refused = 0;
    for (const Tally& tally : tallies) {
        CHECK(tally.problems.empty());
        for (const auto& problem : tally.problems) UNSCOPED_INFO(problem);
        CHECK(tally.stored == appendsEach);
        refused += tally.refused;
    }
    INFO(refused << " appends were refused for a stale version and retried");

    CHECK(readerLog.lastSequence(shared) == 1 + writers * appendsEach);
    const auto events = readerLog.allEvents();
    REQUIRE(events.size() == static_cast<std::size_t>(2 * writers * appendsEach + 1));
    for (std::size_t index = 0; index < events.size(); ++index)
        REQUIRE(events[index].position == static_cast<int64_t>(index + 1));
    const auto report = readerLog.verify();
    CHECK(report.intact);
    CHECK(report.problem.empty());
    CHECK(report.eventsChecked == static_cast<int64_t>(events.size()));
    CHECK(report.headHash == events.back().hash);
}

TEST_CASE("a writer waiting for the chain head past the lock timeout is refused with a Conflict it may retry",
          "[.postgres]") {
    PgLog pg;
    Database holder = pg.app();
    EventStore holderLog(holder);
    const int64_t situation = holderLog.appendNewSituation(note(0, "registered"), {}).situationId;
    Database waiter = pg.app();
    waiter.exec("SET lock_timeout = '200ms'"); // 5 s by default, as SQLite's busy timeout
    EventStore waiterLog(waiter);
    {
        caseflow::store::Transaction holding(holder);
        holderLog.appendInOpenTransaction(note(situation, "holds the head"), 1, {});
        CHECK_THROWS_MATCHES(waiterLog.append(note(situation, "waits"), 2, {}), Conflict,
                             Catch::Matchers::Predicate<Conflict>([](const Conflict& conflict) {
                                 return std::string(conflict.what())
                                            .find("retry (canceling statement due to lock "
                                                  "timeout") != std::string::npos;
                             }));
        CHECK_FALSE(waiter.inTransaction()); // the refused append left nothing open
        holding.commit();
    }
    const StoredEvent retried = waiterLog.append(note(situation, "retried"), 2, {});
    CHECK(retried.position == 3);
    CHECK(retried.sequence == 3);
    CHECK(waiterLog.verify().intact);
}

namespace {

// What the service does with an Idempotency-Key (service/FinanceEndpoints.cpp): a key already
// stored answers its first use's event; otherwise the event is appended and the key stored by
// the projector, inside the append's transaction and so under the chain head's lock; a key that
// another request stored meanwhile undoes this append.
struct KeyAlreadyStored {};

StoredEvent payOnce(Database& db, const std::string& key, const NewEvent& event, int64_t expected) {
    caseflow::store::IdempotencyKeys keys(db);
    const auto stored = [&]() -> std::optional<StoredEvent> {
        const auto record = keys.find(key);
        if (!record) return std::nullopt;
        if (record->userName != event.actor || record->situationId != event.situationId)
            throw UsageError("idempotency key '" + key + "' was already used by " + record->userName +
                             " for situation " + std::to_string(record->situationId));
        for (const auto& candidate : EventStore(db).events(record->situationId))
            if (candidate.position == record->eventPosition) return candidate;
        throw Error("idempotency key '" + key + "' names no event");
    };
    if (auto first = stored()) return *first;
    try {
        return EventStore(db).append(event, expected, [&](Database& database, const StoredEvent& appended) {
            if (!caseflow::store::IdempotencyKeys(database).storeOnce({key, event.actor, "fingerprint",
                                                                       event.situationId, appended.position, 201, "{}",
                                                                       appended.recordedAt}))
                throw KeyAlreadyStored{};
        });
    } catch (...) {
        if (auto first = stored()) return *first;
        throw;
    }
}

} // namespace

TEST_CASE("one idempotency key used from eight connections at once stores one event", "[.postgres]") {
    PgLog pg;
    Database setup = pg.app();
    EventStore setupLog(setup);
    const int64_t situation = setupLog.appendNewSituation(note(0, "registered"), {}).situationId;

    constexpr int clients = 8;
    std::vector<StoredEvent> answers(clients);
    std::vector<std::string> failures(clients);
    std::latch start(clients);
    std::vector<std::thread> threads;
    for (int client = 0; client < clients; ++client)
        threads.emplace_back([&, client] {
            try {
                Database connection = pg.app();
                start.arrive_and_wait();
                answers[static_cast<std::size_t>(client)] = payOnce(
                    connection, "payment-2026-0042",
                    NewEvent{situation, "payment.recorded", "Finance Officer", "<payment amount='125000'/>"}, 1);
            } catch (const std::exception& error) {
                failures[static_cast<std::size_t>(client)] = error.what();
            }
        });
    for (auto& thread : threads) thread.join();
    for (const auto& failure : failures) CHECK(failure.empty());

    for (const auto& answer : answers) {
        CHECK(answer.position == 2);
        CHECK(answer.hash == answers.front().hash);
    }
    CHECK(setupLog.allEvents().size() == 2);
    CHECK(setupLog.lastSequence(situation) == 2);
    CHECK(setupLog.verify().intact);
    // The key is the first user's: another user, or another situation, is told so.
    CHECK_THROWS_WITH(
        payOnce(setup, "payment-2026-0042", NewEvent{situation, "payment.recorded", "Someone Else", ""}, 2),
        Contains("already used by Finance Officer for situation " + std::to_string(situation)));
    // The keys only grow, for the application role and (by the triggers) for the owner.
    CHECK_THROWS_WITH(setup.exec("DELETE FROM idempotency_keys"), Contains("permission denied"));
    Database owner = pg.owner();
    CHECK_THROWS_WITH(owner.exec("UPDATE idempotency_keys SET status = 500"),
                      Contains("idempotency keys are never changed"));
}

namespace {

// A child process's whole life: append, and say on the pipe how far it got. It never returns
// into Catch2; _exit skips the parent's atexit handlers and buffered output.
[[noreturn]] void appendInChild(const std::string& appUrl, int64_t situation, bool holdOpenTransaction,
                                int acknowledgements) {
    try {
        Database connection = Database::open(appUrl, OpenMode::MustExist);
        EventStore log(connection);
        int64_t sequence = log.lastSequence(situation);
        if (holdOpenTransaction) {
            caseflow::store::Transaction transaction(connection);
            log.appendInOpenTransaction(note(situation, "never committed"), sequence, {});
            const int64_t inside = -1;
            if (write(acknowledgements, &inside, sizeof inside) != static_cast<ssize_t>(sizeof inside)) _exit(3);
            pause(); // killed here, between the insert and the COMMIT
            _exit(4);
        }
        for (;;) {
            sequence =
                log.append(note(situation, "acknowledged " + std::to_string(sequence + 1)), sequence, {}).sequence;
            if (write(acknowledgements, &sequence, sizeof sequence) != static_cast<ssize_t>(sizeof sequence)) _exit(3);
        }
    } catch (...) {
        _exit(2);
    }
}

} // namespace

TEST_CASE("an appender killed with SIGKILL mid-transaction leaves nothing half-written and the chain intact",
          "[.postgres]") {
    PgLog pg;
    Database connection = pg.app();
    EventStore log(connection);
    const int64_t situation = log.appendNewSituation(note(0, "registered"), {}).situationId;

    for (const bool holdOpenTransaction : {true, false}) {
        int pipeEnds[2];
        REQUIRE(pipe(pipeEnds) == 0);
        const pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            close(pipeEnds[0]);
            appendInChild(pg.appAddress(), situation, holdOpenTransaction, pipeEnds[1]);
        }
        close(pipeEnds[1]);
        // The child is killed once it holds an uncommitted event, or once it has acknowledged 30
        // appends and is somewhere inside the next one.
        int64_t acknowledged = 0, lastAcknowledged = 0;
        int64_t message = 0;
        while (read(pipeEnds[0], &message, sizeof message) == static_cast<ssize_t>(sizeof message)) {
            if (message < 0) break;
            lastAcknowledged = message;
            if (++acknowledged == 30) break;
        }
        REQUIRE(kill(child, SIGKILL) == 0);
        int status = 0;
        REQUIRE(waitpid(child, &status, 0) == child);
        CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
        // Acknowledgements written before the kill still sit in the pipe.
        while (read(pipeEnds[0], &message, sizeof message) == static_cast<ssize_t>(sizeof message))
            if (message > 0) lastAcknowledged = message;
        close(pipeEnds[0]);

        // The server ends the dead client's transaction; the next append waits for that, then goes on.
        const int64_t version = log.lastSequence(situation);
        if (holdOpenTransaction) {
            CHECK(version == 1);
        } else {
            CHECK(acknowledged == 30);
            // Every acknowledged append is there; at most the one in flight at the kill committed unseen.
            CHECK(version >= lastAcknowledged);
            CHECK(version <= lastAcknowledged + 1);
        }
        const StoredEvent after = log.append(note(situation, "after the kill"), version, {});
        CHECK(after.sequence == version + 1);
        for (const auto& event : log.allEvents()) CHECK(event.payload != "<note>never committed</note>");
        const auto report = log.verify();
        CHECK(report.intact);
        CHECK(report.headPosition == after.position);
    }
}
