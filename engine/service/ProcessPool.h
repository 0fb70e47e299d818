// One FundingProcess (and so one SQLite connection) per concurrently running request: a
// request leases one, uses it alone, and gives it back when the lease ends. What must stay
// true: a FundingProcess is never used by two threads at once (a SQLite connection belongs
// to one thread at a time, store/Database.h); the pool never holds more processes than the
// most requests that ever ran at once, i.e. at most the server's thread count.
#pragma once

#include "process/FundingProcess.h"

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace caseflow::service {

class ProcessPool {
public:
    ProcessPool(std::filesystem::path database, std::optional<std::filesystem::path> workflow);

    class Lease {
    public:
        Lease(ProcessPool& pool, std::unique_ptr<FundingProcess> process)
            : pool_(&pool), process_(std::move(process)) {}
        Lease(Lease&& other) noexcept = default;
        Lease& operator=(Lease&&) = delete;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease();
        FundingProcess& operator*() const { return *process_; }
        FundingProcess* operator->() const { return process_.get(); }

    private:
        ProcessPool* pool_;
        std::unique_ptr<FundingProcess> process_;
    };

    // Reuses an idle process or opens a new one (schema checks, workflow load); throws what
    // FundingProcess::open throws.
    Lease acquire();
    // Opens one process now, so that a missing or foreign database fails at start-up.
    void warmUp();

private:
    void giveBack(std::unique_ptr<FundingProcess> process);

    std::filesystem::path database_;
    std::optional<std::filesystem::path> workflow_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<FundingProcess>> idle_;
};

} // namespace caseflow::service
