// The pool of per-request processes (see ProcessPool.h).
#include "service/ProcessPool.h"

namespace caseflow::service {

ProcessPool::ProcessPool(std::filesystem::path database, std::optional<std::filesystem::path> workflow)
    : database_(std::move(database)), workflow_(std::move(workflow)) {}

ProcessPool::Lease::~Lease() {
    if (process_) pool_->giveBack(std::move(process_));
}

ProcessPool::Lease ProcessPool::acquire() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!idle_.empty()) {
            auto process = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(process));
        }
    }
    // Opened outside the lock: loading the workflow takes milliseconds and others may proceed.
    // FundingProcess::open migrates the schema, the service's tables included (migration 3).
    auto process = std::make_unique<FundingProcess>(FundingProcess::open(database_, workflow_));
    return Lease(*this, std::move(process));
}

void ProcessPool::warmUp() {
    acquire();
}

void ProcessPool::giveBack(std::unique_ptr<FundingProcess> process) {
    // The next request chooses its own language; reset so no state leaks between callers.
    process->setLanguage("en");
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(std::move(process));
}

} // namespace caseflow::service
