// Benchmark (not a test): the read audit page (/admin/reads) with a large read log (issue 19:
// every interactive query < 50 ms). The read log grows by every situation read, so after a year
// of a network's work it holds millions of rows. A view of the page counts the reads its filters
// keep, reads one page of 50 of them newest first, and says whether the chain verifies. Each of
// those is measured on a real SQLite file next to what the page did before, in the same run:
//   - the whole chain walked at every view, against the walk from the last view's end over the
//     reads written since (100 of them here);
//   - the filters as one "?1 IS NULL OR column = ?1" statement (a scan of the log), against the
//     statement of the filters set, answered from migration 15's indexes.
// Each figure is the median of `--runs` runs with its spread.
//
// usage: bench_read_audit [--reads N] [--runs N] [--keep FILE]
//   --reads  rows in the read log (1 000 000 by default: a year of a large network's reads)
//   --keep   build the database at FILE and keep it (default: a temporary file, removed)
#include "Timing.h"
#include "store/Database.h"
#include "store/Migrations.h"
#include "store/ReadLogStore.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace caseflow;
using Clock = std::chrono::steady_clock;

namespace {

using bench::timed;
using bench::Timing;

void row(const std::string& what, const Timing& now, const Timing& before) {
    std::printf("%-54s %9.2f ms (%.2f–%.2f) %10.2f ms %9.0fx   %s\n", what.c_str(), now.median * 1000, now.low * 1000,
                now.high * 1000, before.median * 1000, before.median / std::max(now.median, 1e-9),
                now.median < 0.050 ? "met" : "MISSED");
}

constexpr int kUsers = 40;
constexpr int kSituations = 20000;

// Reads as a network makes them: 40 users of whom a few read most, situations in a long tail.
store::ReadRecord readNumber(std::int64_t n) {
    const std::int64_t user = (n * 7919) % 100 < 60 ? n % 4 : n % kUsers;
    const std::int64_t situation = 1 + (n * 104729 + (n / 13) * 7) % kSituations;
    static const char* const what[] = {"situation", "history", "document:care-plan", "list"};
    return {"2026-11-30T09:00:00.000Z", "user " + std::to_string(user), "coordinator", situation,
            what[static_cast<std::size_t>(n % 4)]};
}

void appendReads(store::Database& db, std::int64_t from, std::int64_t count) {
    std::vector<store::ReadRecord> batch;
    for (std::int64_t n = from; n < from + count; ++n) {
        batch.push_back(readNumber(n));
        if (batch.size() == 5000 || n + 1 == from + count) {
            store::ReadLogStore(db).append(batch);
            batch.clear();
        }
    }
}

// The page's statements as they were before migration 15 and its filter clause.
constexpr const char* kOldFilter =
    " WHERE (CAST(?1 AS BIGINT) IS NULL OR situation_id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR user_name = ?2)";

void oldPage(store::Database& db, const store::ReadFilter& filter, std::int64_t offset) {
    const auto bind = [&](store::Statement& statement) {
        statement.bind(1, filter.situationId);
        if (filter.userName.empty())
            statement.bind(2, nullptr);
        else
            statement.bind(2, filter.userName);
    };
    auto count = db.prepare(std::string("SELECT count(*) FROM read_log") + kOldFilter);
    bind(count);
    count.step();
    auto page =
        db.prepare("SELECT id, read_at, user_name, role, situation_id, what, previous_hash, hash FROM read_log" +
                   std::string(kOldFilter) + " ORDER BY id DESC LIMIT 50 OFFSET ?3");
    bind(page);
    page.bind(3, offset);
    while (page.step()) {
    }
}

void newPage(store::Database& db, const store::ReadFilter& filter, std::int64_t offset) {
    const store::ReadLogStore log(db);
    if (log.countReads(filter) > 0) log.newestReads(filter, 50, offset);
}

} // namespace

int main(int argc, char** argv) {
    std::int64_t reads = 1000000;
    int runs = 9;
    std::string keep;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--reads" && i + 1 < argc)
            reads = std::stoll(argv[++i]);
        else if (arg == "--runs" && i + 1 < argc)
            runs = std::max(1, std::stoi(argv[++i]));
        else if (arg == "--keep" && i + 1 < argc)
            keep = argv[++i];
        else {
            std::cerr << "usage: bench_read_audit [--reads N] [--runs N] [--keep FILE]\n";
            return 2;
        }
    }
    const std::filesystem::path file =
        keep.empty() ? std::filesystem::temp_directory_path() / ("bench-read-audit-" + std::to_string(getpid()) + ".db")
                     : std::filesystem::path(keep);
    try {
        std::filesystem::remove(file);
        auto db = store::Database::open(file.string(), store::OpenMode::CreateIfMissing);
        store::migrate(db);
        const auto buildStart = Clock::now();
        for (std::int64_t done = 0; done < reads; done += 100000) {
            appendReads(db, done, std::min<std::int64_t>(100000, reads - done));
            std::fprintf(stderr, "\rbuilding the read log: %lld of %lld rows", static_cast<long long>(done),
                         static_cast<long long>(reads));
        }
        std::fprintf(stderr, "\r%60s\r", "");
        std::printf("== read log of %lld rows (%d users, %d situations), built in %.1f s; %s, %lld MB\n",
                    static_cast<long long>(reads), kUsers, kSituations,
                    std::chrono::duration<double>(Clock::now() - buildStart).count(), file.c_str(),
                    static_cast<long long>(std::filesystem::file_size(file) / 1000000));
        std::printf("%-54s %28s %10s %9s   %s\n", "one view of /admin/reads, its part", "now (median, spread)",
                    "before", "ratio", "< 50 ms");

        const store::ReadLogStore log(db);
        store::ReadLogCheck whole;
        const Timing wholeWalk = timed(std::min(runs, 3), [&] { whole = log.verify(); });
        if (!whole.intact) throw std::runtime_error("the benchmark's read log does not verify: " + whole.problem);
        // A later view: the reads written since the last one walked from where it ended.
        std::int64_t next = reads;
        store::ReadLogCheckpoint checkpoint = whole.reached;
        std::vector<double> sinceSeconds;
        for (int run = 0; run < runs; ++run) {
            appendReads(db, next, 100);
            next += 100;
            const auto start = Clock::now();
            const auto since = log.verifyFrom(checkpoint);
            sinceSeconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
            if (!since.intact) throw std::runtime_error("the walk since the last view failed: " + since.problem);
            checkpoint = since.reached;
        }
        row("chain check (100 reads since the last view)", bench::spreadOf(sinceSeconds), wholeWalk);

        const std::vector<std::pair<std::string, store::ReadFilter>> filters = {
            {"no filter", {}},
            {"one situation", {std::int64_t{4242}, ""}},
            {"a frequent user", {std::nullopt, "user 1"}},
            {"a rare user", {std::nullopt, "user 39"}},
            {"one situation, a rare user", {std::int64_t{4242}, "user 39"}},
        };
        for (const auto& [name, filter] : filters) {
            const Timing now = timed(runs, [&] { newPage(db, filter, 0); });
            const Timing before = timed(std::min(runs, 3), [&] { oldPage(db, filter, 0); });
            row("count + first page, " + name, now, before);
        }
        const store::ReadFilter frequent{std::nullopt, "user 1"};
        row("count + page 100, a frequent user", timed(runs, [&] { newPage(db, frequent, 99 * 50); }),
            timed(std::min(runs, 3), [&] { oldPage(db, frequent, 99 * 50); }));
    } catch (const std::exception& error) {
        std::cerr << "bench_read_audit: " << error.what() << "\n";
        if (keep.empty()) std::filesystem::remove(file);
        return 1;
    }
    if (keep.empty()) {
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
    }
    return 0;
}
