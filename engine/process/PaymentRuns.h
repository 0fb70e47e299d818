// Payment runs (issue 17): what is still to pay, a run that pays it, and a bank line's
// structured communication led back to its payment. What must stay true:
//  - a run is ONE transaction: its transfers are recorded as their situations'
//    `payment.recorded` events, each judged by the workflow (R16, R18), and the run itself as a
//    `payment-run.built` event of the network's stream; any refusal records nothing;
//  - so approved − paid drops when the run is built, and a payment is never in two runs (the
//    projection's UNIQUE on the payment as well);
//  - a payment's communication is communicationOf(situation, its place among the situation's
//    payments): computed the same way on the notice, the exports, the run and the bank file;
//  - nothing clinical: a run names a situation id, a request id, a payee, an IBAN, an amount
//    and a communication (R19).
#pragma once

#include "core/Errors.h"
#include "model/BankAccount.h"
#include "model/Money.h"
#include "process/Actor.h"
#include "store/EventStore.h"
#include "store/PaymentRunRepository.h"

#include <libxml/tree.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow {

class FundingProcess;

inline constexpr std::string_view paymentRunEvent = "payment-run.built";

// The place (1-based) of payment `paymentId` among the payments of a situation document, and
// so its communication; nullopt when the document holds no such payment.
std::optional<PaymentReference> paymentReferenceIn(std::int64_t situationId, const xmlDoc* situation,
                                                   const std::string& paymentId);
std::optional<StructuredCommunication> paymentCommunication(std::int64_t situationId, const xmlDoc* situation,
                                                            const std::string& paymentId);

// Why a run cannot pay a request (or be built at all). Kept as a kind with its facts, not as
// a sentence, so that each front end says it in its reader's language (runProblemSaid; "en"
// gives the English sentence of the exception's what() and of the JSON).
struct RunProblem {
    enum class Kind {
        NoNetworkAccount, // the network settings name no account to pay from
        NothingDue,       // "everything due" asked while nothing is due
        NoSuchRequest,
        NothingLeftToPay, // `state` says where the request is
        NoPayee,
        InvalidIban,     // `iban` says which check failed
        TooManyPayments, // no structured communication left for the situation
    };
    Kind kind = Kind::NoSuchRequest;
    std::int64_t situationId = 0; // 0 for the run-wide kinds
    std::string requestId;
    std::string state;
    std::optional<IbanProblem> iban;
};
std::string runProblemSaid(const RunProblem& problem, const std::string& language);

// A run refused before the workflow was asked: every request it cannot pay, or the one
// run-wide reason. Nothing was recorded.
class PaymentRunRefused : public InvalidInput {
public:
    explicit PaymentRunRefused(std::vector<RunProblem> problems);
    const std::vector<RunProblem>& problems() const { return problems_; }

private:
    std::vector<RunProblem> problems_;
};

// An approved amount not paid yet: approved − paid (a run records its payments when it is
// built, so nothing is "in a run, not paid" in between).
struct DueAmount {
    std::int64_t situationId = 0;
    std::string requestId;
    std::string state;
    Cents approved = 0;
    Cents paid = 0;
    Cents due = 0;
    std::string payeeName;
    std::string payeeIban; // as entered
    // Why no run can pay it as it stands (none when one can): no payee, or an IBAN that fails a check.
    std::optional<RunProblem> problem;
};
std::vector<DueAmount> paymentsDue(const FundingProcess& process);

struct RunSelection {
    std::int64_t situationId = 0;
    std::string requestId;
    std::optional<Cents> amount;              // default: all that is due
    std::optional<std::string> executionDate; // default: the run's
};

struct RunOrder {
    bool all = false; // every amount due (then `requests` is empty)
    std::vector<RunSelection> requests;
    std::string executionDate; // ISO; today when empty
};

// Builds and records a run (see the header comment). Throws PaymentRunRefused naming every
// request a run cannot pay (unknown, nothing due, no valid payee), or the network's missing
// account, or nothing due at all; InvalidInput for an execution date that is not a date or is
// past; RuleRefusal with every transfer the workflow refused.
// `alsoInTransaction` runs last inside the run's transaction (the service stores its
// Idempotency-Key there); if it throws, nothing is recorded.
using RunRecorded = std::function<void(store::Database&, const store::PaymentRunRow&, const store::StoredEvent&)>;
store::PaymentRunRow buildPaymentRun(FundingProcess& process, const RunOrder& order, const Actor& actor,
                                     const RunRecorded& alsoInTransaction = {});

// The projection of a payment-run.built event (called by projectEvent).
void projectPaymentRun(store::Database& db, const store::StoredEvent& event);

// The payment a bank line's communication names, as finance may see it.
struct FoundPayment {
    std::int64_t situationId = 0;
    std::string requestId;
    std::string paymentId;
    std::string date;
    Cents amount = 0;
    std::string reference;
    std::string payeeName;
    std::string payeeIban;
    std::string communication; // formatted
    std::optional<std::string> runId;
};
std::optional<FoundPayment> findPayment(const FundingProcess& process, const StructuredCommunication& communication);

} // namespace caseflow
