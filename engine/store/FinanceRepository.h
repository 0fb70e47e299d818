// The finance projections (tables `funding_requests` and `payments`) and the sums read from
// them: the envelope's commitments, the payments of a year, the committee's yearly totals.
// Amounts are integer cents. No SQL and no database type beyond the store's own connection
// appears here, so a second backend implements the same header.
// What must stay true: a payment counts in the year of its own date, in every sum and list
// here (envelope, payments export, committee report): the one rule is in FinanceRepository.cpp.
#pragma once

#include "model/RequestState.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace caseflow::store {

class Database;

// A funding request's row with the situation it belongs to (version and document), read in
// one snapshot so the two agree.
struct FundingRequestRow {
    std::int64_t situationId = 0;
    std::string requestId;
    std::string state;
    int year = 0; // the year of the request's date, until an approval commits it to its envelope's year (R18)
    std::int64_t requestedCents = 0;
    std::int64_t approvedCents = 0;
    std::int64_t paidCents = 0;
    std::string submittedAt; // "" until submitted
    std::string decidedAt;   // "" until decided
    std::int64_t situationVersion = 0;
    std::string situationDocument;
};

struct RequestTotals {
    std::string state;
    std::int64_t approvedCents = 0;
    std::int64_t paidCents = 0;
};

struct PaymentRow {
    std::int64_t situationId = 0;
    std::string requestId;
    std::string paymentId;
    std::string paidOn; // ISO date
    std::int64_t amountCents = 0;
    std::string situationDocument;
};

// The requests of a year that were submitted, and what they asked and were granted.
struct SubmittedTotals {
    int count = 0;
    std::int64_t requestedCents = 0;
    std::int64_t approvedCents = 0;
};

class FinanceRepository {
public:
    explicit FinanceRepository(Database& db);

    // Writes of the projector. saveRequest creates or replaces a request's state, year and
    // requested total; a submission date, once set, is kept when absent later.
    void saveRequest(std::int64_t situationId, const std::string& requestId, RequestState state, int year,
                     std::int64_t requestedCents, const std::optional<std::string>& submittedAt);
    // The decision's outcome becomes the request's state; only Approved commits an amount, to
    // the envelope of `commitmentYear` (R18's rule, NetworkSettings::commitmentYear), which
    // becomes the request's year.
    void decideRequest(std::int64_t situationId, const std::string& requestId, RequestState outcome,
                       const std::string& decidedAt, std::int64_t amountCents, int commitmentYear);
    // Records the payment and adds it to its request, which becomes paid or partially-paid. On
    // PostgreSQL the request's row is locked FOR UPDATE first, so paid + amount is computed on
    // the settled row (the guard's paid + amount <= approved was checked on the same version).
    void recordPayment(std::int64_t situationId, const std::string& requestId, const std::string& paymentId,
                       const std::string& paidOn, std::int64_t amountCents);

    // Money that can be closed (R18). A request Withdrawn commits nothing; a grant Closed
    // commits what was paid, the rest of the approved amount going back to the envelope.
    void closeRequest(std::int64_t situationId, const std::string& requestId, RequestState outcome);
    // A closed situation: its grants are Closed, its requests not decided yet Withdrawn.
    void closeOpenRequests(std::int64_t situationId);

    std::optional<RequestTotals> request(std::int64_t situationId, const std::string& requestId) const;
    // By situation and request id; all of them, or those in `state`.
    std::vector<FundingRequestRow> requests(const std::optional<std::string>& state = std::nullopt) const;
    // By date, situation, payment id; every year when `year` is absent.
    std::vector<PaymentRow> payments(std::optional<int> year = std::nullopt) const;

    // Approved amounts committed to the envelope of `year` (R18).
    std::int64_t committedInYear(int year) const;
    // Inside a write transaction, before reading committedInYear for a decision: on PostgreSQL
    // locks the year's row of envelope_locks (created on first use), so two servers deciding
    // against one envelope take turns whatever else serialises them (docs/postgresql.md, "R18
    // atomic across servers"); on SQLite the write lock already does, and this does nothing.
    // Lock order: chain head (the append), then the envelope's year, then a funding request.
    void lockEnvelopeYear(int year);
    std::int64_t paidInYear(int year) const;
    SubmittedTotals submittedInYear(int year) const;

private:
    Database& db_;
};

} // namespace caseflow::store
