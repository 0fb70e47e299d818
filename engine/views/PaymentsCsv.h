// The payments export as CSV: GET /api/v1/payments.csv and the finance page's download write
// it with this one function. What must stay true: amounts are integer cents (and their plain euro spelling);
// a cell a spreadsheet would read as a formula (= + - @) is neutralised; no clinical field (R19):
// PaymentRecord carries none.
#pragma once

#include "process/FundingProcess.h"

#include <string>
#include <vector>

namespace caseflow::views {

std::string paymentsCsv(const std::vector<PaymentRecord>& payments);

} // namespace caseflow::views
