// JSON of payments due, payment runs and found payments (see PaymentRunViews.h).
#include "views/PaymentRunViews.h"

#include "model/BankAccount.h"
#include "views/SituationViews.h"

#include <Poco/JSON/Array.h>

namespace caseflow::views {
namespace {

// Stored as twelve digits (what the bank file carries); shown as people read it.
std::string communicationText(const std::string& digits) {
    const auto communication = StructuredCommunication::parse(digits);
    return communication ? communication->formatted() : digits;
}

const char* problemCode(RunProblem::Kind kind) {
    switch (kind) {
    case RunProblem::Kind::NoNetworkAccount:
        return "no-network-account";
    case RunProblem::Kind::NothingDue:
        return "nothing-due";
    case RunProblem::Kind::NoSuchRequest:
        return "no-such-request";
    case RunProblem::Kind::NothingLeftToPay:
        return "nothing-left-to-pay";
    case RunProblem::Kind::NoPayee:
        return "no-payee";
    case RunProblem::Kind::InvalidIban:
        return "invalid-iban";
    case RunProblem::Kind::TooManyPayments:
        return "too-many-payments";
    }
    return "";
}

} // namespace

Poco::JSON::Object::Ptr dueAmountJson(const DueAmount& amount) {
    auto json = object();
    json->set("situationId", amount.situationId);
    json->set("requestId", amount.requestId);
    json->set("state", amount.state);
    json->set("approvedCents", amount.approved);
    json->set("paidCents", amount.paid);
    json->set("dueCents", amount.due);
    json->set("payeeName", amount.payeeName);
    json->set("payeeIban", compactIban(amount.payeeIban).value_or(amount.payeeIban));
    if (amount.problem) {
        // The English sentence for people reading the JSON, the code for programs.
        json->set("problem", runProblemSaid(*amount.problem, "en"));
        json->set("problemCode", problemCode(amount.problem->kind));
    }
    return json;
}

Poco::JSON::Object::Ptr paymentRunJson(const store::PaymentRunRow& run, bool withTransfers) {
    auto json = object();
    json->set("runId", run.runId);
    json->set("createdAt", run.createdAt);
    json->set("createdBy", run.createdBy);
    json->set("transferCount", run.transferCount);
    json->set("totalCents", run.totalCents);
    if (!withTransfers) return json;
    auto debtor = object();
    debtor->set("name", run.debtorName);
    debtor->set("iban", run.debtorIban);
    debtor->set("bic", run.debtorBic);
    json->set("debtor", debtor);
    Poco::JSON::Array transfers;
    for (const auto& transfer : run.transfers) {
        auto item = object();
        item->set("line", transfer.line);
        item->set("situationId", transfer.situationId);
        item->set("requestId", transfer.requestId);
        item->set("paymentId", transfer.paymentId);
        item->set("executionDate", transfer.executionDate);
        item->set("amountCents", transfer.amountCents);
        item->set("payeeName", transfer.payeeName);
        item->set("payeeIban", transfer.payeeIban);
        item->set("structuredCommunication", communicationText(transfer.communication));
        transfers.add(item);
    }
    json->set("transfers", transfers);
    return json;
}

Poco::JSON::Object::Ptr foundPaymentJson(const FoundPayment& found) {
    auto json = object();
    json->set("situationId", found.situationId);
    json->set("requestId", found.requestId);
    json->set("paymentId", found.paymentId);
    json->set("date", found.date);
    json->set("amountCents", found.amount);
    json->set("reference", found.reference);
    json->set("payeeName", found.payeeName);
    json->set("payeeIban", compactIban(found.payeeIban).value_or(found.payeeIban));
    json->set("structuredCommunication", found.communication);
    if (found.runId) json->set("runId", *found.runId);
    return json;
}

} // namespace caseflow::views
