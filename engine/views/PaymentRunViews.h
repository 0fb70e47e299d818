// The JSON of what finance reads about payments to make: the amounts still due, a payment run
// (with or without its transfers) and the payment a bank line's communication names. The CLI's
// --json output and the HTTP API write them with these functions, so the two never drift.
// What must stay true: no clinical field (R19): payee, amounts, ids and communications only.
#pragma once

#include "process/PaymentRuns.h"

#include <Poco/JSON/Object.h>

namespace caseflow::views {

Poco::JSON::Object::Ptr dueAmountJson(const DueAmount& amount);
Poco::JSON::Object::Ptr paymentRunJson(const store::PaymentRunRow& run, bool withTransfers);
Poco::JSON::Object::Ptr foundPaymentJson(const FoundPayment& found);

} // namespace caseflow::views
