// Benchmark (not a test): issue 19's reports at scale, each next to the straightforward computation
// it replaced, measured in the same run on a copy of a large database (bench_scale --keep FILE):
//   - `due`'s attention ages through migration 11's birth-date index vs every open document parsed;
//   - the committee report from one scan of the log and the projections vs every situation replayed;
//   - verify's one-pass chain check vs the field-by-field walk (StoredEvent copies, Poco's SHA-256),
//     and reading the rows without hashing them;
//   - the full verify (chain, projections replayed and compared, read log);
//   - rebuild with one replay vs the replay-twice rebuild.
// Each figure is the median of `--runs` runs (3 by default) with its spread.
//
// usage: bench_reports --db FILE [--runs N] [--year Y] [--as-of DATE] [--at DATE] [--no-replay] [--no-full]
//   --no-replay   skip the committee report by replay (minutes at 100 000 situations)
//   --no-full     skip the full verify and the rebuilds (each replays the whole log)
#include "Timing.h"
#include "model/Date.h"
#include "process/CommitteeReport.h"
#include "process/FundingProcess.h"
#include "process/Projection.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "store/Netstring.h"
#include "store/Sha256.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

using namespace caseflow;
using Clock = std::chrono::steady_clock;

namespace {

using bench::timed;
using bench::Timing;

void print(const std::string& what, const Timing& timing, const std::string& unit = "", double perSecondOf = 0) {
    std::printf("%-58s %9.1f ms  (%.1f–%.1f)", what.c_str(), timing.median * 1000, timing.low * 1000,
                timing.high * 1000);
    if (perSecondOf > 0) std::printf("  %10.0f %s/s", perSecondOf / timing.median, unit.c_str());
    std::printf("\n");
}

// The attention ages as `due` found them before migration 11.
std::size_t attentionByParsing(FundingProcess& process, const Date& at) {
    std::size_t flags = 0;
    for (const auto& record : process.situations()) {
        if (record.state.rfind("redirected", 0) == 0 || record.state == "closed") continue;
        flags += process.network().attentionFlags(Situation::fromStored(record.document).birthDate(), at).size();
    }
    return flags;
}

// The chain walk as verify did it before: every row copied into a StoredEvent, the encoding built
// in a string, Poco's SHA-256, sequences in a std::map.
std::int64_t chainByCopies(store::Database& db) {
    std::int64_t expected = 1, checked = 0;
    std::string previous(store::genesisHash);
    std::map<std::int64_t, std::int64_t> last;
    store::EventStore(db).forEachEvent([&](const store::StoredEvent& event) {
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
        if (event.position != expected || store::sha256Hex(encoded) != event.hash || event.previousHash != previous ||
            event.sequence != last[event.situationId] + 1)
            throw std::runtime_error("the reference walk found a broken chain at " + std::to_string(event.position));
        expected = event.position + 1;
        previous = event.hash;
        last[event.situationId] = event.sequence;
        ++checked;
    });
    return checked;
}

} // namespace

int main(int argc, char** argv) {
    std::filesystem::path source;
    int runs = 3, year = 2025;
    std::string asOf = "2026-11-29", at = "2026-06-30";
    bool replay = true, full = true;
    for (int index = 1; index < argc; ++index) {
        const std::string arg = argv[index];
        const auto next = [&]() -> std::string {
            if (index + 1 >= argc) throw std::runtime_error(arg + " needs a value");
            return argv[++index];
        };
        if (arg == "--db")
            source = next();
        else if (arg == "--runs")
            runs = std::stoi(next());
        else if (arg == "--year")
            year = std::stoi(next());
        else if (arg == "--as-of")
            asOf = next();
        else if (arg == "--at")
            at = next();
        else if (arg == "--no-replay")
            replay = false;
        else if (arg == "--no-full")
            full = false;
        else {
            std::cerr << "usage: bench_reports --db FILE [--runs N] [--year Y] [--as-of DATE] [--at DATE] "
                         "[--no-replay] [--no-full]\n";
            return 2;
        }
    }
    if (source.empty()) {
        std::cerr << "bench_reports: --db FILE is required (bench_scale --keep FILE makes one)\n";
        return 2;
    }
    try {
        // A copy: rebuild writes, and the first open runs the migrations.
        const auto file =
            std::filesystem::temp_directory_path() / ("bench_reports-" + std::to_string(::getpid()) + ".db");
        std::filesystem::copy_file(source, file, std::filesystem::copy_options::overwrite_existing);
        // The write-ahead log too, if the builder left one.
        const auto wal = std::filesystem::path(source.string() + "-wal");
        if (std::filesystem::exists(wal))
            std::filesystem::copy_file(wal, file.string() + "-wal", std::filesystem::copy_options::overwrite_existing);
        std::optional<FundingProcess> opened(FundingProcess::open(file));
        FundingProcess& process = *opened;
        // The connection closed first, so that it leaves no -wal or -shm file behind.
        const auto removeCopy = [&] {
            opened.reset();
            for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
        };
        const auto situations = process.situationCount();
        std::int64_t events = 0;
        {
            auto count = process.database().prepare("SELECT count(*) FROM events");
            count.step();
            events = count.columnInt(0);
        }
        std::printf("%s: %lld situations, %lld events; median of %d runs (low–high)\n\n", source.c_str(),
                    static_cast<long long>(situations), static_cast<long long>(events), runs);

        const Date day = Date::parseOrThrow(at, "--at");
        std::size_t flags = 0;
        print("due: attention ages by the birth-date index",
              timed(runs, [&] { flags = process.attention(day).size(); }));
        print("due: reference, every open document parsed", timed(runs, [&] { attentionByParsing(process, day); }));
        print("due: deadlines pending until the date", timed(runs, [&] { process.due(day); }));
        std::printf("  (%zu attention flags on %s)\n", flags, at.c_str());

        const Date reportDate = Date::parseOrThrow(asOf, "--as-of");
        print("committee report " + std::to_string(year) + " as of " + asOf + ": scan + projections",
              timed(runs, [&] { computeCommitteeFigures(process, year, reportDate); }));
        if (replay)
            print("committee report: reference, every situation replayed",
                  timed(1, [&] { committeeFiguresByReplay(process, year, reportDate); }));

        const auto eventsD = static_cast<double>(events);
        print("verify, hash chain alone (one pass, no copies)",
              timed(runs, [&] { store::EventStore(process.database()).verifyChain(); }), "events", eventsD);
        print("verify, hash chain and integrity_check",
              timed(runs, [&] { store::EventStore(process.database()).verify(); }), "events", eventsD);
        print("verify: reference, the field-by-field walk", timed(runs, [&] { chainByCopies(process.database()); }),
              "events", eventsD);
        print("verify: reading the rows without hashing",
              timed(runs,
                    [&] {
                        auto scan = process.database().prepare("SELECT payload FROM events ORDER BY position");
                        while (scan.step()) scan.columnText(0);
                    }),
              "events", eventsD);
        if (!full) {
            removeCopy();
            return 0;
        }
        print("verify, full (chain, projections replayed, read log)", timed(1, [&] { process.verify(); }), "events",
              eventsD);
        print("rebuild, one replay", timed(1, [&] { process.rebuild(); }), "events", eventsD);
        print(
            "rebuild: reference, drift replay then the replay-twice rebuild",
            timed(1,
                  [&] {
                      process.projectionDrift();
                      store::EventStore(process.database())
                          .rebuild(replayProjector(
                              std::shared_ptr<const NetworkSettings>(std::shared_ptr<void>(), &process.network()),
                              std::shared_ptr<const workflow::StateChart>(std::shared_ptr<void>(), &process.chart())));
                  }),
            "events", eventsD);
        removeCopy();
    } catch (const std::exception& error) {
        std::cerr << "bench_reports: " << error.what() << "\n";
        return 1;
    }
    return 0;
}
