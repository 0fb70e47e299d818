// The payment runs' projection (tables `payment_runs` and `payment_run_transfers`, migration 7):
// which run carried which payment, for the bank file and the lists. What must stay true: a
// payment belongs to at most one run (UNIQUE on the payment, so a second run carrying it fails
// inside the transaction that would record it); rows are written only by the projection of a
// `payment-run.built` event, so a rebuild from the log gives them back exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace caseflow::store {

class Database;

struct PaymentRunTransferRow {
    int line = 0; // 1-based, the transfer's place in its run
    std::int64_t situationId = 0;
    std::string requestId;
    std::string paymentId;
    int ordinal = 0; // the payment's place among its situation's payments (communicationOf)
    std::string executionDate;
    std::int64_t amountCents = 0;
    std::string payeeName;
    std::string payeeIban;     // compact
    std::string communication; // the twelve digits
};

struct PaymentRunRow {
    std::string runId;
    std::int64_t position = 0; // of its payment-run.built event in the log
    std::string createdAt;     // UTC, seconds: the bank file's CreDtTm
    std::string createdBy;
    // The network's account when the run was built: a re-export names the same debtor even
    // after the settings change.
    std::string debtorName;
    std::string debtorIban;
    std::string debtorBic;
    int transferCount = 0;
    std::int64_t totalCents = 0;
    std::vector<PaymentRunTransferRow> transfers; // filled by run(), empty in runs()
};

class PaymentRunRepository {
public:
    explicit PaymentRunRepository(Database& db);

    void saveRun(const PaymentRunRow& run);
    // Oldest first, without their transfers.
    std::vector<PaymentRunRow> runs() const;
    std::optional<PaymentRunRow> run(const std::string& runId) const;
    // The number of runs so far: the next run is number count() + 1.
    std::int64_t count() const;
    // The run that carried this payment, if one did.
    std::optional<std::string> runOfPayment(std::int64_t situationId, const std::string& paymentId) const;

private:
    Database& db_;
};

} // namespace caseflow::store
