// The payments export as CSV (issue 16): the same columns and escaping as the API's
// GET /api/v1/payments.csv (service/FinanceEndpoints.cpp), for the web page that serves it to a
// signed-in user. What must stay true: amounts are integer cents (and their plain euro spelling);
// a cell a spreadsheet would read as a formula (= + - @) is neutralised; no clinical field (R19):
// PaymentRecord carries none.
#pragma once

#include "process/FundingProcess.h"

#include <string>
#include <vector>

namespace caseflow::views {

std::string paymentsCsv(const std::vector<PaymentRecord>& payments);

} // namespace caseflow::views
