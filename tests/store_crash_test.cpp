// Specification of durability under a crash: a writer process is killed with SIGKILL in the
// middle of a stream of appends. Every append it acknowledged (its commit had returned) must be
// in the log afterwards, the chain must verify, and the projection must match the log: nothing
// half-written survives. (SIGKILL stops the process, not the machine; surviving power loss
// rests on synchronous=FULL, which the database tests check is set, and on PostgreSQL on fsync
// and synchronous_commit, which the throwaway cluster keeps on.) On both backends
// (support/TestDatabase.h); on PostgreSQL the writer is the application role.
#include "store/Database.h"
#include "store/EventStore.h"
#include "store/Migrations.h"
#include "support/TestDatabase.h"
#include "support/TestSupport.h"

#include <catch2/catch.hpp>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <random>
#include <sys/types.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

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

constexpr int64_t situation = 1;
constexpr int64_t maximumAppendsPerChild = 20000;

void projectVersion(Database& db, const StoredEvent& stored) {
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

// The child's whole life: append until killed, acknowledging each committed sequence on the pipe.
// It never returns into Catch2; _exit skips the parent's atexit handlers and buffered output.
// SIGKILL ends the writer, not its PostgreSQL backend: a COMMIT it had sent may still complete on
// the server a moment later (as a commit SQLite had written stays). What is checked must be the
// log once that is settled, so wait until no other session is left in the database.
void waitForOtherSessionsToEnd(Database& db) {
    if (db.dialect() != caseflow::store::Dialect::Postgres) return;
    const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
        Statement others = db.prepare("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                      "AND pid <> pg_backend_pid()");
        REQUIRE(others.step());
        if (others.columnInt(0) == 0) return;
        REQUIRE(std::chrono::steady_clock::now() < giveUp);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

[[noreturn]] void appendUntilKilled(const std::string& path, int acknowledgements) {
    try {
        Database db = Database::open(path, OpenMode::MustExist);
        EventStore store(db);
        int64_t sequence = store.lastSequence(situation);
        for (int64_t n = 0; n < maximumAppendsPerChild; ++n) {
            const std::string payload =
                "<note>" + std::string(200 + static_cast<std::size_t>(n % 300), 'x') + "</note>";
            sequence = store.append(NewEvent{situation, "note.added", "crash-test", payload}, sequence, projectVersion)
                           .sequence;
            if (write(acknowledgements, &sequence, sizeof sequence) != static_cast<ssize_t>(sizeof sequence)) _exit(3);
        }
        _exit(0);
    } catch (...) {
        _exit(2);
    }
}

// Reads one acknowledgement; false at end of stream (the child is gone).
bool readAcknowledgement(int fd, int64_t& sequence) {
    char* into = reinterpret_cast<char*>(&sequence);
    std::size_t got = 0;
    while (got < sizeof sequence) {
        const ssize_t n = read(fd, into + got, sizeof sequence - got);
        if (n == 0) return false;
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        got += static_cast<std::size_t>(n);
    }
    return true;
}

} // namespace

TEST_CASE("A writer killed mid-stream loses no acknowledged event and leaves a verifiable log", "[store]") {
    ScratchDir dir;
    const TestDatabase database(dir, "crash.db");
    const std::string path = database.appAddress();
    {
        Database db = Database::open(database.address(), OpenMode::CreateIfMissing);
        migrate(db);
    }
    std::mt19937 random(std::random_device{}());
    int64_t highestAcknowledged = 0;

    // Several kills on the same file: each recovery must also survive the next crash.
    for (int crash = 0; crash < 8; ++crash) {
        INFO("crash " << crash);
        int fds[2];
        REQUIRE(pipe(fds) == 0);
        // No Database may be open across fork(): SQLite's locks and handles do not survive it.
        const pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            close(fds[0]);
            appendUntilKilled(path, fds[1]);
        }
        close(fds[1]);

        // Let a random number of appends through, then kill the writer wherever it is.
        const int before = std::uniform_int_distribution<int>(50, 250)(random);
        int64_t sequence = 0;
        int received = 0;
        bool childAlive = true;
        while (received < before && (childAlive = readAcknowledgement(fds[0], sequence))) {
            CHECK(sequence == highestAcknowledged + 1);
            highestAcknowledged = sequence;
            ++received;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, 3000)(random)));
        kill(child, SIGKILL);
        // Acknowledgements already in the pipe were sent after their commit returned: they count.
        while (childAlive && readAcknowledgement(fds[0], sequence)) {
            CHECK(sequence == highestAcknowledged + 1);
            highestAcknowledged = sequence;
            ++received;
        }
        close(fds[0]);
        int status = 0;
        REQUIRE(waitpid(child, &status, 0) == child);
        INFO("child status " << status);
        REQUIRE(WIFSIGNALED(status));
        CHECK(WTERMSIG(status) == SIGKILL);
        CHECK(received >= before);

        Database db = Database::open(path, OpenMode::MustExist);
        waitForOtherSessionsToEnd(db);
        migrate(db);
        EventStore store(db);
        const auto report = store.verify();
        INFO(report.problem);
        CHECK(report.intact);
        // At most the one append that committed but was not yet acknowledged may be extra.
        const int64_t last = store.lastSequence(situation);
        CHECK(last >= highestAcknowledged);
        CHECK(last <= highestAcknowledged + 1);
        const std::vector<StoredEvent> stored = store.events(situation);
        REQUIRE(stored.size() == static_cast<std::size_t>(last));
        for (std::size_t index = 0; index < stored.size(); ++index)
            REQUIRE(stored[index].sequence == static_cast<int64_t>(index) + 1);
        Statement version = db.prepare("SELECT version FROM situations WHERE id = 1");
        REQUIRE(version.step());
        CHECK(version.columnInt(0) == last);
        highestAcknowledged = last; // the next writer continues from what is really there
    }
}
