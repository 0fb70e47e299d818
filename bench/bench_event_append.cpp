// Benchmark: how many durable events per second EventStore::append commits (WAL,
// synchronous=FULL, one transaction per event, with a projector that updates one row), next to
// the floor measured in the same run on the same disk: a plain SQLite INSERT + COMMIT loop with
// the same pragmas and the same rows on a fresh file. The ratio is what the log's guarantees
// (version check, hash chain, projection in the same transaction) cost over a bare insert.
//
//   bench_event_append [--events N] [--batch B] [--dir PATH]
//
// Results are only meaningful on the disk the database will live on: fsync dominates, and a
// tmpfs --dir measures memory, not durability.
#include "store/Database.h"
#include "store/EventStore.h"
#include "store/Migrations.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

using caseflow::store::Database;
using caseflow::store::EventStore;
using caseflow::store::NewEvent;
using caseflow::store::OpenMode;
using caseflow::store::Statement;
using caseflow::store::StoredEvent;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    int events = 2000;
    int batch = 50;
    std::filesystem::path dir = std::filesystem::temp_directory_path();
};

// A directory of its own for the benchmark files, removed with them at the end.
class WorkDir {
public:
    explicit WorkDir(const std::filesystem::path& parent) {
        std::random_device random;
        path_ = parent / ("caseflow-bench-" + std::to_string(random()));
        std::filesystem::create_directories(path_);
    }
    ~WorkDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    WorkDir(const WorkDir&) = delete;
    WorkDir& operator=(const WorkDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

[[noreturn]] void usage(int exitCode) {
    std::cerr << "usage: bench_event_append [--events N] [--batch B] [--dir PATH]\n"
                 "  --events N   durable appends measured for each of the two loops (default 2000)\n"
                 "  --batch B    the loops take turns every B events (default 50)\n"
                 "  --dir PATH   where the database files go (default: the system temp directory)\n";
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
            else if (argument == "--dir")
                options.dir = value;
            else
                usage(2);
        } catch (const std::logic_error&) {
            usage(2);
        }
    }
    if (options.events < 1 || options.batch < 1) usage(2);
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

// The floor: one INSERT per transaction, statements prepared once, nothing else.
class PlainInserts {
public:
    explicit PlainInserts(const std::filesystem::path& file)
        : db_(Database::open(file, OpenMode::CreateIfMissing)), begin_(prepareSchema(db_)),
          commit_(db_.prepare("COMMIT")),
          insert_(db_.prepare("INSERT INTO events (position, situation_id, sequence, type, actor, recorded_at,"
                              " payload, previous_hash, hash) VALUES (?, 1, ?, 'note.added', 'coordinator',"
                              " '2026-11-26T09:17:12.123Z', ?, ?, ?)")) {}

    void append(int n) {
        begin_.step();
        begin_.reset();
        insert_.bind(1, n).bind(2, n).bind(3, payloadFor(n)).bind(4, hash_).bind(5, hash_);
        insert_.step();
        insert_.reset();
        commit_.step();
        commit_.reset();
    }

private:
    // The same table as the event log, without its triggers; returns the BEGIN statement.
    static Statement prepareSchema(Database& db) {
        db.exec("CREATE TABLE events (position INTEGER PRIMARY KEY, situation_id INTEGER NOT NULL,"
                " sequence INTEGER NOT NULL, type TEXT NOT NULL, actor TEXT NOT NULL, recorded_at TEXT NOT NULL,"
                " payload TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL,"
                " UNIQUE (situation_id, sequence))");
        return db.prepare("BEGIN IMMEDIATE");
    }

    Database db_;
    Statement begin_;
    Statement commit_;
    Statement insert_;
    const std::string hash_ = std::string(64, 'a');
};

// The real thing: version check, hash chain, and a projector that updates one row.
class LoggedAppends {
public:
    explicit LoggedAppends(const std::filesystem::path& file)
        : db_(openMigrated(file)), store_(db_),
          situation_(store_.appendNewSituation(NewEvent{0, "situation.registered", "coordinator", payloadFor(0)},
                                               registerSituation)) {}

    void append(int n) {
        situation_.sequence = store_
                                  .append(NewEvent{situation_.situationId, "note.added", "coordinator", payloadFor(n)},
                                          situation_.sequence, updateVersion)
                                  .sequence;
    }

    bool verified() const { return store_.verify().intact; }

private:
    static Database openMigrated(const std::filesystem::path& file) {
        Database db = Database::open(file, OpenMode::CreateIfMissing);
        caseflow::store::migrate(db);
        return db;
    }
    static void registerSituation(Database& db, const StoredEvent& stored) {
        db.prepare("INSERT INTO situations (id, version, registered_at, updated_at, document) VALUES (?, ?, ?, ?, '')")
            .bind(1, stored.situationId)
            .bind(2, stored.sequence)
            .bind(3, stored.recordedAt)
            .bind(4, stored.recordedAt)
            .step();
    }
    static void updateVersion(Database& db, const StoredEvent& stored) {
        db.prepare("UPDATE situations SET version = ?, updated_at = ? WHERE id = ?")
            .bind(1, stored.sequence)
            .bind(2, stored.recordedAt)
            .bind(3, stored.situationId)
            .step();
    }

    Database db_;
    EventStore store_;
    StoredEvent situation_;
};

void printRow(const char* name, int events, double seconds) {
    std::printf("%-36s %8d %9.3f %11.0f %10.1f\n", name, events, seconds, events / seconds, seconds * 1e6 / events);
}

} // namespace

int main(int argc, char** argv) {
    const Options options = parse(argc, argv);
    try {
        WorkDir work(options.dir);
        PlainInserts plain(work.path() / "plain.db");
        LoggedAppends logged(work.path() / "events.db");
        // Small alternating batches: the disk of a shared machine has slow moments, and this way
        // they fall on both sides alike instead of on whichever ran second.
        double plainSeconds = 0;
        double loggedSeconds = 0;
        for (int done = 0; done < options.events; done += options.batch) {
            const int batch = std::min(options.batch, options.events - done);
            auto start = Clock::now();
            for (int n = done + 1; n <= done + batch; ++n) plain.append(n);
            plainSeconds += secondsSince(start);
            start = Clock::now();
            for (int n = done + 1; n <= done + batch; ++n) logged.append(n);
            loggedSeconds += secondsSince(start);
        }
        if (!logged.verified()) throw std::runtime_error("the log written by the benchmark does not verify");

        std::printf("Durable appends: WAL, synchronous=FULL, one transaction per event, fresh files in %s\n",
                    options.dir.string().c_str());
        std::printf("the two loops alternate in batches of %d events\n\n", options.batch);
        std::printf("%-36s %8s %9s %11s %10s\n", "", "events", "seconds", "events/s", "us/event");
        printRow("plain SQLite INSERT + COMMIT", options.events, plainSeconds);
        printRow("EventStore::append + projection", options.events, loggedSeconds);
        std::printf("\nEventStore throughput relative to plain SQLite: %.2fx (%.1f us extra per event)\n",
                    plainSeconds / loggedSeconds, (loggedSeconds - plainSeconds) * 1e6 / options.events);
    } catch (const std::exception& error) {
        std::cerr << "bench_event_append: " << error.what() << "\n";
        return 1;
    }
    return 0;
}
