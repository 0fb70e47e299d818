// Benchmark (not a test): full durable workflow transitions per second — parse and
// validate the event's data, evaluate every guard of the SCXML workflow, append to the
// hash-chained log and update the projections in one synchronous WAL transaction —
// next to a bare SQLite insert-and-commit loop with the same durability settings,
// measured in the same run on the same disk, interleaved with it.
//
// usage: bench_transitions [--situations N]   (default 40; each runs Emma's 11 accepted steps)
#include "ScenarioSteps.h"
#include "model/Clock.h"
#include "process/FundingProcess.h"
#include "signature/ScenarioSigners.h"
#include "store/Database.h"
#include "xml/Xml.h"

#include <sqlite3.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

using namespace caseflow;
using Clock = std::chrono::steady_clock;
using bench::acceptedSteps;
using bench::readAll;

namespace {

// CPU time of this process so far, split: what it ran itself (user) and what the kernel ran for
// it (system: the WAL's pwrite calls and fdatasync's page-cache and block work).
struct CpuSplit {
    double user = 0;
    double system = 0;
    static CpuSplit now() {
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        const auto seconds = [](const timeval& time) { return time.tv_sec + time.tv_usec / 1e6; };
        return {seconds(usage.ru_utime), seconds(usage.ru_stime)};
    }
    CpuSplit operator-(const CpuSplit& other) const { return {user - other.user, system - other.system}; }
    CpuSplit& operator+=(const CpuSplit& other) {
        user += other.user;
        system += other.system;
        return *this;
    }
};

// The reference: one row inserted and committed per transaction, with the durability settings
// every caseflow connection has (store/Database.h).
class BareSqlite {
public:
    explicit BareSqlite(const std::filesystem::path& file) {
        sqlite3_open(file.c_str(), &db_);
        sqlite3_exec(
            db_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(id INTEGER PRIMARY KEY, p TEXT);",
            nullptr, nullptr, nullptr);
        sqlite3_prepare_v2(db_, "INSERT INTO t(p) VALUES(?1)", -1, &insert_, nullptr);
    }
    ~BareSqlite() {
        sqlite3_finalize(insert_);
        sqlite3_close(db_);
    }
    BareSqlite(const BareSqlite&) = delete;
    BareSqlite& operator=(const BareSqlite&) = delete;

    void insertAndCommit(const std::string& payload) {
        sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        sqlite3_bind_text(insert_, 1, payload.c_str(), static_cast<int>(payload.size()), SQLITE_STATIC);
        sqlite3_step(insert_);
        sqlite3_reset(insert_);
        sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    }

private:
    sqlite3* db_ = nullptr;
    sqlite3_stmt* insert_ = nullptr;
};

} // namespace

int main(int argc, char** argv) {
    int situations = 40;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--situations") == 0) situations = std::atoi(argv[i + 1]);
    const std::filesystem::path samples = std::filesystem::path(CASEFLOW_SOURCE_DATA_DIR) / "samples/namur";
    const auto dir = std::filesystem::temp_directory_path() / ("caseflow-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);

    FundingProcess::initialize(dir / "bench.db", samples / "network.xml");
    auto process = FundingProcess::open(dir / "bench.db");
    const auto steps = acceptedSteps(samples / "scenarios/01-namur-early-childhood.xml");
    const std::string registration = readAll(samples / "situations/01-namur-early-childhood.xml");

    // The envelope would refuse approvals after a few dozen situations (R18): spread them over years.
    test::ScenarioSigners signers(process);
    BareSqlite bare(dir / "bare.db");
    // The reference runs interleaved with caseflow, as many commits after each situation as
    // that situation took: both meet the same disk at the same moment, so a neighbour's load
    // on this shared machine weighs on both sides of the ratio alike.
    long transitions = 0;
    Clock::duration caseflowTime{}, bareTime{};
    // CPU time too: on a shared disk the wall-clock ratio drifts towards 1 when fsync waits
    // dominate both sides; the CPU spent per commit shows what caseflow itself adds.
    std::clock_t caseflowCpu = 0, bareCpu = 0;
    CpuSplit caseflowSplit, bareSplit;
    for (int n = 0; n < situations; ++n) {
        const long before = transitions;
        const auto start = Clock::now();
        const std::clock_t cpuStart = std::clock();
        const CpuSplit splitStart = CpuSplit::now();
        BusinessClock::fix(Date::parse("2026-01-07"));
        // A reference names one dossier (registration refuses a second one): one youth each.
        std::string youth = registration;
        const std::string reference = "<reference>KIR-26-001</reference>";
        youth.replace(youth.find(reference), reference.size(),
                      "<reference>BENCH-" + std::to_string(n + 1) + "</reference>");
        const auto id = process.registerSituation(youth, "bench.xml", Actor{"partner", "bench"}).id;
        ++transitions;
        for (const auto& step : steps) {
            FixedBusinessDate today(step.date);
            // Signed steps (R11, R16) are signed and verified as `caseflow plan sign` does it.
            if (!step.signedBy.empty()) {
                signers.fire(id, step.event, step.data, step.actor, step.signedBy);
                ++transitions;
                continue;
            }
            process.fire(id, step.event, step.data.empty() ? std::nullopt : std::optional<std::string>(step.data),
                         "bench", Actor::parse(step.actor));
            ++transitions;
        }
        caseflowTime += Clock::now() - start;
        caseflowCpu += std::clock() - cpuStart;
        caseflowSplit += CpuSplit::now() - splitStart;
        // A connection of the benchmark's own: the process keeps its database to itself.
        if ((n + 1) % 30 == 0)
            store::Database::open(dir / "bench.db", store::OpenMode::MustExist)
                .exec("UPDATE funding_requests SET year = year - 100");
        const auto bareStart = Clock::now();
        const std::clock_t bareCpuStart = std::clock();
        const CpuSplit bareSplitStart = CpuSplit::now();
        for (long i = before; i < transitions; ++i) bare.insertAndCommit(steps[3].data);
        bareTime += Clock::now() - bareStart;
        bareCpu += std::clock() - bareCpuStart;
        bareSplit += CpuSplit::now() - bareSplitStart;
    }
    const double seconds = std::chrono::duration<double>(caseflowTime).count();
    const double transitionRate = transitions / seconds;
    const double bareRate = transitions / std::chrono::duration<double>(bareTime).count();
    std::filesystem::remove_all(dir);

    std::printf("%-58s %12s\n", "measure (same run, same disk, WAL + synchronous=FULL)", "per second");
    std::printf("%-58s %12.0f\n", "bare SQLite INSERT + COMMIT (reference)", bareRate);
    std::printf("%-58s %12.0f\n", "caseflow transitions (data + guards + log + projections)", transitionRate);
    std::printf("%-58s %12.2f\n", "ratio caseflow / bare SQLite", transitionRate / bareRate);
    const auto cpuMilliseconds = [&](std::clock_t cpu) { return 1000.0 * cpu / CLOCKS_PER_SEC / transitions; };
    std::printf("%-58s %12.3f\n", "CPU ms per bare commit (reference)", cpuMilliseconds(bareCpu));
    std::printf("%-58s %12.3f\n", "CPU ms per caseflow transition", cpuMilliseconds(caseflowCpu));
    const auto splitMilliseconds = [&](double spent) { return 1000.0 * spent / transitions; };
    std::printf("%-58s %12s\n", "of which (getrusage, ms per commit)", "user / kernel");
    std::printf("%-58s %5.3f / %5.3f\n", "  bare commit (reference)", splitMilliseconds(bareSplit.user),
                splitMilliseconds(bareSplit.system));
    std::printf("%-58s %5.3f / %5.3f\n", "  caseflow transition", splitMilliseconds(caseflowSplit.user),
                splitMilliseconds(caseflowSplit.system));
    std::printf("(%ld transitions over %d situations in %.2f s)\n", transitions, situations, seconds);
    return 0;
}
