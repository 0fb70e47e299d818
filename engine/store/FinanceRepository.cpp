// The SQLite side of FinanceRepository (see FinanceRepository.h). What must stay true: every
// statement binds its values, and kPaymentInYear is the only place the year of a payment is
// decided.
#include "store/FinanceRepository.h"

#include "store/Database.h"

namespace caseflow::store {
namespace {

// The one rule by which a payment counts in a year, everywhere (envelope, payments export,
// committee report): the year of the payment's own date. SQL over `payments p`, ?1 the year.
constexpr const char* kPaymentInYear = "substr(p.paid_on, 1, 4) = ?1";

} // namespace

FinanceRepository::FinanceRepository(Database& db) : db_(db) {}

void FinanceRepository::saveRequest(std::int64_t situationId, const std::string& requestId, RequestState state,
                                    int year, std::int64_t requestedCents,
                                    const std::optional<std::string>& submittedAt) {
    auto upsert = db_.prepare(
        "INSERT INTO funding_requests(situation_id, request_id, state, year, requested_cents, submitted_at) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(situation_id, request_id) DO UPDATE SET "
        "state = excluded.state, year = excluded.year, requested_cents = excluded.requested_cents, "
        "submitted_at = COALESCE(excluded.submitted_at, funding_requests.submitted_at)");
    upsert.bind(1, situationId)
        .bind(2, requestId)
        .bind(3, std::string(requestStateName(state)))
        .bind(4, year)
        .bind(5, requestedCents);
    upsert.bind(6, submittedAt);
    upsert.step();
}

void FinanceRepository::decideRequest(std::int64_t situationId, const std::string& requestId, RequestState outcome,
                                      const std::string& decidedAt, std::int64_t amountCents, int commitmentYear) {
    const bool approved = outcome == RequestState::Approved;
    db_.prepare("UPDATE funding_requests SET state = ?1, decided_at = ?2, approved_cents = ?3, "
                "year = CASE WHEN ?6 = 1 THEN ?7 ELSE year END WHERE situation_id = ?4 AND request_id = ?5")
        .bind(1, std::string(requestStateName(outcome)))
        .bind(2, decidedAt)
        .bind(3, approved ? amountCents : 0)
        .bind(4, situationId)
        .bind(5, requestId)
        .bind(6, approved ? 1 : 0)
        .bind(7, commitmentYear)
        .step();
}

void FinanceRepository::recordPayment(std::int64_t situationId, const std::string& requestId,
                                      const std::string& paymentId, const std::string& paidOn,
                                      std::int64_t amountCents) {
    if (db_.dialect() == Dialect::Postgres)
        db_.prepare("SELECT paid_cents FROM funding_requests WHERE situation_id = ?1 AND request_id = ?2 FOR UPDATE")
            .bind(1, situationId)
            .bind(2, requestId)
            .step();
    db_.prepare("INSERT INTO payments(situation_id, request_id, payment_id, paid_on, amount_cents) "
                "VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind(1, situationId)
        .bind(2, requestId)
        .bind(3, paymentId)
        .bind(4, paidOn)
        .bind(5, amountCents)
        .step();
    db_.prepare("UPDATE funding_requests SET paid_cents = paid_cents + ?1, "
                "state = CASE WHEN paid_cents + ?1 >= approved_cents THEN ?4 ELSE ?5 END "
                "WHERE situation_id = ?2 AND request_id = ?3")
        .bind(1, amountCents)
        .bind(2, situationId)
        .bind(3, requestId)
        .bind(4, std::string(requestStateName(RequestState::Paid)))
        .bind(5, std::string(requestStateName(RequestState::PartiallyPaid)))
        .step();
}

// The one rule of a closed grant, in SQL: it commits what was paid (the workflow's guard made
// the final amount equal the payments); a withdrawn request commits nothing.
void FinanceRepository::closeRequest(std::int64_t situationId, const std::string& requestId, RequestState outcome) {
    db_.prepare("UPDATE funding_requests SET state = ?1, "
                "approved_cents = CASE WHEN ?1 = ?4 THEN paid_cents ELSE 0 END "
                "WHERE situation_id = ?2 AND request_id = ?3")
        .bind(1, std::string(requestStateName(outcome)))
        .bind(2, situationId)
        .bind(3, requestId)
        .bind(4, std::string(requestStateName(RequestState::Closed)))
        .step();
}

void FinanceRepository::closeOpenRequests(std::int64_t situationId) {
    auto open = db_.prepare("SELECT request_id, state FROM funding_requests WHERE situation_id = ?1");
    open.bind(1, situationId);
    std::vector<std::pair<std::string, std::string>> requests;
    while (open.step()) requests.emplace_back(open.columnText(0), open.columnText(1));
    for (const auto& [requestId, state] : requests) {
        const auto current = parseRequestState(state);
        if (current == RequestState::Approved || current == RequestState::PartiallyPaid)
            closeRequest(situationId, requestId, RequestState::Closed);
        else if (current == RequestState::InPreparation || current == RequestState::BudgetCheck)
            closeRequest(situationId, requestId, RequestState::Withdrawn);
    }
}

std::optional<RequestTotals> FinanceRepository::request(std::int64_t situationId, const std::string& requestId) const {
    auto row = db_.prepare("SELECT state, approved_cents, paid_cents FROM funding_requests "
                           "WHERE situation_id = ?1 AND request_id = ?2");
    row.bind(1, situationId).bind(2, requestId);
    if (!row.step()) return std::nullopt;
    return RequestTotals{row.columnText(0), row.columnInt(1), row.columnInt(2)};
}

std::vector<FundingRequestRow> FinanceRepository::requests(const std::optional<std::string>& state) const {
    auto select = db_.prepare(
        "SELECT f.situation_id, f.request_id, f.state, f.year, f.requested_cents, f.approved_cents, f.paid_cents, "
        "COALESCE(f.submitted_at, ''), COALESCE(f.decided_at, ''), s.version, s.document "
        "FROM funding_requests f JOIN situations s ON s.id = f.situation_id" +
        std::string(state ? " WHERE f.state = ?1" : "") + " ORDER BY f.situation_id, f.request_id");
    if (state) select.bind(1, *state);
    std::vector<FundingRequestRow> found;
    while (select.step()) {
        FundingRequestRow row;
        row.situationId = select.columnInt(0);
        row.requestId = select.columnText(1);
        row.state = select.columnText(2);
        row.year = static_cast<int>(select.columnInt(3));
        row.requestedCents = select.columnInt(4);
        row.approvedCents = select.columnInt(5);
        row.paidCents = select.columnInt(6);
        row.submittedAt = select.columnText(7);
        row.decidedAt = select.columnText(8);
        row.situationVersion = select.columnInt(9);
        row.situationDocument = select.columnText(10);
        found.push_back(std::move(row));
    }
    return found;
}

std::vector<PaymentRow> FinanceRepository::payments(std::optional<int> year) const {
    auto select =
        db_.prepare("SELECT p.situation_id, p.request_id, p.payment_id, p.paid_on, p.amount_cents, s.document "
                    "FROM payments p JOIN situations s ON s.id = p.situation_id" +
                    std::string(year ? std::string(" WHERE ") + kPaymentInYear : "") +
                    " ORDER BY p.paid_on, p.situation_id, p.payment_id");
    if (year) select.bind(1, std::to_string(*year));
    std::vector<PaymentRow> found;
    while (select.step())
        found.push_back({select.columnInt(0), select.columnText(1), select.columnText(2), select.columnText(3),
                         select.columnInt(4), select.columnText(5)});
    return found;
}

std::int64_t FinanceRepository::committedInYear(int year) const {
    auto sum = db_.prepare("SELECT COALESCE(SUM(approved_cents), 0) FROM funding_requests WHERE year = ?1");
    sum.bind(1, year);
    return sum.step() ? sum.columnInt(0) : 0;
}

void FinanceRepository::lockEnvelopeYear(int year) {
    if (db_.dialect() != Dialect::Postgres) return;
    db_.prepare("INSERT INTO envelope_locks (year) VALUES (?1) ON CONFLICT (year) DO NOTHING").bind(1, year).step();
    Statement lock = db_.prepare("SELECT year FROM envelope_locks WHERE year = ?1 FOR UPDATE");
    lock.bind(1, year);
    lock.step();
}

std::int64_t FinanceRepository::paidInYear(int year) const {
    auto sum =
        db_.prepare(std::string("SELECT COALESCE(SUM(amount_cents), 0) FROM payments p WHERE ") + kPaymentInYear);
    sum.bind(1, std::to_string(year));
    return sum.step() ? sum.columnInt(0) : 0;
}

SubmittedTotals FinanceRepository::submittedInYear(int year) const {
    auto sums = db_.prepare("SELECT COUNT(*), COALESCE(SUM(requested_cents), 0), COALESCE(SUM(approved_cents), 0) "
                            "FROM funding_requests WHERE year = ?1 AND submitted_at IS NOT NULL");
    sums.bind(1, year);
    if (!sums.step()) return {};
    return {static_cast<int>(sums.columnInt(0)), sums.columnInt(1), sums.columnInt(2)};
}

} // namespace caseflow::store
