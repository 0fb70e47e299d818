// The SQLite side of PaymentRunRepository (see PaymentRunRepository.h). What must stay true:
// every statement binds its values; transfers are read in their run's line order, so a
// re-export writes them in the order the run recorded.
#include "store/PaymentRunRepository.h"

#include "store/Database.h"

namespace caseflow::store {

PaymentRunRepository::PaymentRunRepository(Database& db) : db_(db) {}

void PaymentRunRepository::saveRun(const PaymentRunRow& run) {
    db_.prepare("INSERT INTO payment_runs(run_id, position, created_at, created_by, debtor_name, debtor_iban, "
                "debtor_bic, transfer_count, total_cents) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .bind(1, run.runId)
        .bind(2, run.position)
        .bind(3, run.createdAt)
        .bind(4, run.createdBy)
        .bind(5, run.debtorName)
        .bind(6, run.debtorIban)
        .bind(7, run.debtorBic)
        .bind(8, run.transferCount)
        .bind(9, run.totalCents)
        .step();
    for (const auto& transfer : run.transfers)
        db_.prepare("INSERT INTO payment_run_transfers(run_id, line, situation_id, request_id, payment_id, ordinal, "
                    "execution_date, amount_cents, payee_name, payee_iban, communication) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
            .bind(1, run.runId)
            .bind(2, transfer.line)
            .bind(3, transfer.situationId)
            .bind(4, transfer.requestId)
            .bind(5, transfer.paymentId)
            .bind(6, transfer.ordinal)
            .bind(7, transfer.executionDate)
            .bind(8, transfer.amountCents)
            .bind(9, transfer.payeeName)
            .bind(10, transfer.payeeIban)
            .bind(11, transfer.communication)
            .step();
}

namespace {

constexpr const char* kRunColumns =
    "run_id, position, created_at, created_by, debtor_name, debtor_iban, debtor_bic, transfer_count, total_cents";

PaymentRunRow runOf(Statement& row) {
    PaymentRunRow run;
    run.runId = row.columnText(0);
    run.position = row.columnInt(1);
    run.createdAt = row.columnText(2);
    run.createdBy = row.columnText(3);
    run.debtorName = row.columnText(4);
    run.debtorIban = row.columnText(5);
    run.debtorBic = row.columnText(6);
    run.transferCount = static_cast<int>(row.columnInt(7));
    run.totalCents = row.columnInt(8);
    return run;
}

} // namespace

std::vector<PaymentRunRow> PaymentRunRepository::runs() const {
    auto select = db_.prepare(std::string("SELECT ") + kRunColumns + " FROM payment_runs ORDER BY position");
    std::vector<PaymentRunRow> found;
    while (select.step()) found.push_back(runOf(select));
    return found;
}

std::optional<PaymentRunRow> PaymentRunRepository::run(const std::string& runId) const {
    auto select = db_.prepare(std::string("SELECT ") + kRunColumns + " FROM payment_runs WHERE run_id = ?1");
    select.bind(1, runId);
    if (!select.step()) return std::nullopt;
    PaymentRunRow run = runOf(select);
    auto transfers = db_.prepare("SELECT line, situation_id, request_id, payment_id, ordinal, execution_date, "
                                 "amount_cents, payee_name, payee_iban, communication FROM payment_run_transfers "
                                 "WHERE run_id = ?1 ORDER BY line");
    transfers.bind(1, runId);
    while (transfers.step())
        run.transfers.push_back(
            {static_cast<int>(transfers.columnInt(0)), transfers.columnInt(1), transfers.columnText(2),
             transfers.columnText(3), static_cast<int>(transfers.columnInt(4)), transfers.columnText(5),
             transfers.columnInt(6), transfers.columnText(7), transfers.columnText(8), transfers.columnText(9)});
    return run;
}

std::int64_t PaymentRunRepository::count() const {
    auto select = db_.prepare("SELECT count(*) FROM payment_runs");
    select.step();
    return select.columnInt(0);
}

std::optional<std::string> PaymentRunRepository::runOfPayment(std::int64_t situationId,
                                                              const std::string& paymentId) const {
    auto select = db_.prepare("SELECT run_id FROM payment_run_transfers WHERE situation_id = ?1 AND payment_id = ?2");
    select.bind(1, situationId).bind(2, paymentId);
    if (!select.step()) return std::nullopt;
    return select.columnText(0);
}

} // namespace caseflow::store
