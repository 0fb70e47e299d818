// Benchmark (issue 18): how many durable events per second the PostgreSQL event log
// (store::EventStore on a PostgreSQL Database, caseflow's migrated schema) commits, next to the floor measured in the
// same run on the same cluster: a bare INSERT + COMMIT loop of the same rows into a table without triggers, locks or
// checks. Once with one writer (the two loops alternating in small batches, so that the slow
// moments of a shared disk fall on both alike), then with W writers on W connections at once,
// where the bare inserts share fsyncs (group commit) and the chained appends queue on the chain
// head's lock, which each holds through its commit. The ratio is what the log's guarantees
// (one total order, version check, hash chain, database-enforced link) cost over a bare insert;
// the target for full transitions is at least 0.5x.
//
//   bench_pg_append [--events N] [--batch B] [--writers W] [--owner-url URL --app-url URL]
//
// Without addresses it starts a throwaway cluster of its own (scripts/pg-cluster.sh, fsync on)
// in the system temp directory and stops it at the end. Results mean something only on the disk
// the database will live on: fsync dominates.
#include "ThrowawayCluster.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "store/Migrations.h"
#include "store/postgres/PgConnection.h"
#include "store/postgres/PgTransaction.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using caseflow::bench::ThrowawayCluster;
using caseflow::store::Database;
using caseflow::store::EventStore;
using caseflow::store::NewEvent;
using caseflow::store::StoredEvent;
using caseflow::store::postgres::PgConnection;
using caseflow::store::postgres::PgStatement;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    int events = 1000;
    int batch = 50;
    int writers = 4;
    std::string ownerUrl;
    std::string appUrl;
};

[[noreturn]] void usage(int exitCode) {
    std::cerr << "usage: bench_pg_append [--events N] [--batch B] [--writers W] [--owner-url URL --app-url URL]\n"
                 "  --events N     durable appends measured per loop and per writer (default 1000)\n"
                 "  --batch B      the single-writer loops take turns every B events (default 50)\n"
                 "  --writers W    connections appending at once in the concurrent part (default 4)\n"
                 "  --owner-url, --app-url   an existing database: the owner (creates a scratch schema) and the\n"
                 "                 application role; without them a throwaway cluster is started\n";
    std::exit(exitCode);
}

Options parse(int argc, char** argv) {
    Options options;
    for (int index = 1; index < argc; ++index) {
        const std::string argument = argv[index];
        if (argument == "--help" || argument == "-h") usage(0);
        if (index + 1 >= argc) usage(2);
        const std::string value = argv[++index];
        try {
            if (argument == "--events")
                options.events = std::stoi(value);
            else if (argument == "--batch")
                options.batch = std::stoi(value);
            else if (argument == "--writers")
                options.writers = std::stoi(value);
            else if (argument == "--owner-url")
                options.ownerUrl = value;
            else if (argument == "--app-url")
                options.appUrl = value;
            else
                usage(2);
        } catch (const std::logic_error&) {
            usage(2);
        }
    }
    if (options.events < 1 || options.batch < 1 || options.writers < 1 ||
        options.ownerUrl.empty() != options.appUrl.empty())
        usage(2);
    return options;
}

// The same payload for both contenders, of a realistic size for a situation event.
std::string payloadFor(int n) {
    return "<event><note author='coordinator'>" + std::string(300 + static_cast<std::size_t>(n % 200), 'x') +
           "</note><amount currency='EUR'>" + std::to_string(12345 + n) + "</amount></event>";
}

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// A connection as the application role in the benchmark's scratch schema.
PgConnection connectIn(const std::string& url, const std::string& schema) {
    PgConnection connection = PgConnection::connect(url);
    connection.exec("SET search_path TO " + schema);
    return connection;
}

// The floor: BEGIN, one INSERT of the same row, COMMIT; no lock, no check, no trigger.
class BareInserts {
public:
    BareInserts(const std::string& url, const std::string& schema, int64_t firstId)
        : connection_(connectIn(url, schema)), nextId_(firstId) {}
    void append(int n) {
        connection_.exec("BEGIN");
        connection_
            .prepare("INSERT INTO bare_events (position, situation_id, sequence, type, actor, recorded_at, payload,"
                     " previous_hash, hash) VALUES (?, 1, ?, 'note.added', 'coordinator',"
                     " '2026-11-26T09:17:12.123Z', ?, ?, ?)")
            .bind(1, nextId_)
            .bind(2, nextId_)
            .bind(3, payloadFor(n))
            .bind(4, hash_)
            .bind(5, hash_)
            .step();
        ++nextId_;
        connection_.exec("COMMIT");
    }

private:
    PgConnection connection_;
    int64_t nextId_;
    const std::string hash_ = std::string(64, 'a');
};

// The real thing: the global chain's lock, the version check, the hash, the linking trigger.
class ChainedAppends {
public:
    ChainedAppends(const std::string& url, const std::string& schema)
        : connection_(databaseIn(url, schema)), log_(connection_),
          situation_(log_.appendNewSituation(NewEvent{0, "situation.registered", "coordinator", payloadFor(0)}, {})) {}
    void append(int n) {
        situation_ = log_.append(NewEvent{situation_.situationId, "note.added", "coordinator", payloadFor(n)},
                                 situation_.sequence, {});
    }
    bool verified() { return log_.verify().intact; }

private:
    static Database databaseIn(const std::string& url, const std::string& schema) {
        Database db = Database::open(url, caseflow::store::OpenMode::MustExist);
        db.exec("SET search_path TO " + schema);
        return db;
    }
    Database connection_;
    EventStore log_;
    StoredEvent situation_;
};

// Runs `writers` threads each doing `events` appends on its own contender; the wall time.
template <typename Contender, typename Make> double concurrently(int writers, int events, Make make) {
    // Held by pointer: a ChainedAppends' log refers to its own connection, which must not move.
    std::vector<std::unique_ptr<Contender>> contenders;
    for (int writer = 0; writer < writers; ++writer) contenders.push_back(make(writer));
    std::vector<std::string> failures(static_cast<std::size_t>(writers));
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int writer = 0; writer < writers; ++writer)
        threads.emplace_back([&, writer] {
            try {
                for (int n = 1; n <= events; ++n) contenders[static_cast<std::size_t>(writer)]->append(n);
            } catch (const std::exception& error) {
                failures[static_cast<std::size_t>(writer)] = error.what();
            }
        });
    for (auto& thread : threads) thread.join();
    const double seconds = secondsSince(start);
    for (const auto& failure : failures)
        if (!failure.empty()) throw std::runtime_error(failure);
    return seconds;
}

void printRow(const std::string& name, int events, double seconds) {
    std::printf("%-44s %8d %9.3f %11.0f %10.1f\n", name.c_str(), events, seconds, events / seconds,
                seconds * 1e6 / events);
}

} // namespace

int main(int argc, char** argv) {
    const Options options = parse(argc, argv);
    try {
        std::optional<ThrowawayCluster> cluster;
        std::string ownerUrl = options.ownerUrl, appUrl = options.appUrl;
        if (ownerUrl.empty()) {
            cluster.emplace();
            ownerUrl = cluster->url("owner");
            appUrl = cluster->url("app");
        }
        PgConnection owner = PgConnection::connect(ownerUrl);
        std::random_device random;
        const std::string schema = "bench_" + std::to_string(random() % 1000000000u);
        owner.exec("CREATE SCHEMA " + schema + "; SET search_path TO " + schema);
        struct DropSchema {
            PgConnection& owner;
            std::string schema;
            ~DropSchema() {
                try {
                    owner.exec("SET client_min_messages = warning; DROP SCHEMA " + schema + " CASCADE");
                } catch (const std::exception&) {
                }
            }
        } dropSchema{owner, schema};
        PgConnection probe = connectIn(appUrl, schema);
        PgStatement role = probe.prepare("SELECT current_user");
        role.step();
        owner.exec("GRANT USAGE ON SCHEMA " + schema + " TO " + role.columnText(0));
        {
            // caseflow's schema, as `caseflow init` makes it, in the scratch schema.
            Database migrator = Database::open(ownerUrl, caseflow::store::OpenMode::MustExist);
            migrator.exec("SET search_path TO " + schema);
            caseflow::store::migrate(migrator);
        }
        owner.exec("CREATE TABLE bare_events (position BIGINT PRIMARY KEY, situation_id BIGINT NOT NULL,"
                   " sequence BIGINT NOT NULL, type TEXT NOT NULL, actor TEXT NOT NULL, recorded_at TEXT NOT NULL,"
                   " payload TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL,"
                   " UNIQUE (situation_id, sequence)); GRANT SELECT, INSERT ON bare_events TO " +
                   role.columnText(0));

        // One writer, alternating batches.
        BareInserts bare(appUrl, schema, 1);
        ChainedAppends chained(appUrl, schema);
        double bareSeconds = 0, chainedSeconds = 0;
        for (int done = 0; done < options.events; done += options.batch) {
            const int batch = std::min(options.batch, options.events - done);
            auto start = Clock::now();
            for (int n = done + 1; n <= done + batch; ++n) bare.append(n);
            bareSeconds += secondsSince(start);
            start = Clock::now();
            for (int n = done + 1; n <= done + batch; ++n) chained.append(n);
            chainedSeconds += secondsSince(start);
        }

        // W writers at once, each on its own connection and situation.
        const int writers = options.writers, total = writers * options.events;
        const double bareConcurrent = concurrently<BareInserts>(writers, options.events, [&](int writer) {
            return std::make_unique<BareInserts>(appUrl, schema, int64_t{1000000} * (writer + 1));
        });
        const double chainedConcurrent = concurrently<ChainedAppends>(
            writers, options.events, [&](int) { return std::make_unique<ChainedAppends>(appUrl, schema); });
        if (!chained.verified()) throw std::runtime_error("the log written by the benchmark does not verify");

        std::printf("Durable appends on PostgreSQL (fsync on, synchronous_commit on), one transaction per event\n");
        std::printf("one writer: the two loops alternate in batches of %d events\n\n", options.batch);
        std::printf("%-44s %8s %9s %11s %10s\n", "", "events", "seconds", "events/s", "us/event");
        printRow("bare INSERT + COMMIT, 1 writer", options.events, bareSeconds);
        printRow("EventStore::append, 1 writer", options.events, chainedSeconds);
        printRow("bare INSERT + COMMIT, " + std::to_string(writers) + " writers", total, bareConcurrent);
        printRow("EventStore::append, " + std::to_string(writers) + " writers", total, chainedConcurrent);
        std::printf("\nchained appends relative to bare inserts: %.2fx with 1 writer, %.2fx with %d writers\n",
                    bareSeconds / chainedSeconds, bareConcurrent / chainedConcurrent, writers);
    } catch (const std::exception& error) {
        std::cerr << "bench_pg_append: " << error.what() << "\n";
        return 1;
    }
    return 0;
}
