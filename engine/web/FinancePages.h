// The money side of the web application (issue 16, items 2-4): the coordinator's budget check
// (/budget-check), finance's payments (/finance) and the steering committee's report
// (/committee). What must stay true: each page asks the API's authorisation matrix
// (process/Authorisation.h) before it reads anything, and shows only what the role's view may
// see (no clinical text on finance's and the committee's pages, R19); decisions and payments go
// through the use cases the API and the CLI call (FundingProcess::fire with the same data
// elements), a payment (or a payment run) at most once per form (the form's idempotency key, stored in the same
// transaction as the payment, as the API stores its Idempotency-Key); no GET changes anything.
#pragma once

#include "web/PhaseForms.h"

#include "process/FundingProcess.h"

#include <functional>
#include <string>
#include <vector>

namespace caseflow::web {

// A response that is not a page: a download, the committee's report document.
struct FileResponse {
    std::string contentType;
    std::string disposition;           // Content-Disposition, "" for none
    std::string contentSecurityPolicy; // "" keeps the pages' policy
    std::string body;
};
using SendFile = std::function<void(const FileResponse&)>;

// Serves `path` when it is one of these pages and returns true; false for any other path.
bool serveFinancePage(FormRequest& request, const std::string& path, const SendFile& sendFile);

// The pages, one file each.
void budgetCheckPage(FormRequest& request, int status = 200, const FormEcho* echo = nullptr); // GET /budget-check
void budgetCheckDecision(FormRequest& request);                                               // POST
void financePage(FormRequest& request, int status = 200, const FormEcho* echo = nullptr);     // GET /finance
void financePayment(FormRequest& request);                                                    // POST
void paymentsExport(FormRequest& request, const SendFile& sendFile); // GET /finance/payments.csv
// Payment runs (PaymentRunPages.cpp): what is due and the past runs on the finance page, a run
// built from it (POST /finance/runs), and a run's file (GET /finance/runs/{id}/pain.001.xml).
void writePaymentRuns(FormRequest& request, PageModel& model, const std::vector<FundingRequestSummary>& requests,
                      std::vector<std::int64_t>& shown);
void financePaymentRun(FormRequest& request);
bool servePaymentRunFile(FormRequest& request, const std::string& path, const SendFile& sendFile);
void committeePage(FormRequest& request);                                     // GET /committee
void committeeReportDocument(FormRequest& request, const SendFile& sendFile); // GET /committee/report

// 403 unless the matrix lets the user's role do `operation` (the same sentence as every page).
void requireOperation(const FormRequest& request, int operation);

} // namespace caseflow::web
