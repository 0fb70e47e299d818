// What finance sees to pay and to book (issue 17), shared by both front ends: the payments of a
// situation with their supplier, invoice, proofs and structured communication; the extra facts
// of a funding request in finance's list (still to pay, categories as words, the decision's
// signature status); and the accounting export of a year. What must stay true (R19): every
// value is copied by name out of the situation document (a whitelist: amounts, ids, dates,
// categories, supplier, invoice reference, proof file names, signature facts), never a free
// text of the care; a payment's communication is communicationOf(situation id, its ordinal
// among the situation's payments in document order, which is log order), the same number the
// notice, the bank file and this export show; the accounting export lists exactly the payments
// FinanceRepository counts in the year (a payment counts in the year of its own date), so its
// sum is the envelope's paid figure.
#pragma once

#include "process/FundingProcess.h"
#include "store/ProofRepository.h"

#include <Poco/JSON/Object.h>

#include <libxml/tree.h>

#include <cstdint>
#include <string>
#include <vector>

namespace caseflow::views {

struct PaymentFacts {
    std::string paymentId;
    std::string requestId;
    std::string date;
    Cents amount = 0;
    std::string transferReference;
    std::string supplier;          // "" when not recorded
    std::string invoiceReference;  // "" when not recorded
    std::string decisionSignature; // the signature id of the decision it pays, "" when none
    int ordinal = 0;               // 1-based, among the situation's payments in log order
    std::string communication;     // « +++123/4567/89002+++ », "" beyond the communication's range
    std::vector<store::ProofFacts> proofs;
};

// The payments of situation `situationId` whose document is `situation`, in log order.
std::vector<PaymentFacts> paymentsOf(const xmlDoc* situation, std::int64_t situationId);

// The label of expense category `id` in `language` from the network's bilingual settings: the
// network's first language when it has none in `language` (English), the id when unknown.
std::string categoryLabel(const NetworkSettings& network, const std::string& id, const std::string& language);
// The first language the network's settings name themselves in ("fr" for Namur): the language
// of its accounting.
std::string networkLanguage(const NetworkSettings& network);

// Adds to a funding request's JSON (service/SituationViews fundingRequestJson) what finance
// needs to pay it: stillToPayCents, categories [{id, label}], payments (with supplier, invoice
// reference, communication and proofs) and decision {outcome, date, by, signature {status:
// valid|invalid|none, signer, detail}} from the situation document `situation`.
void addPayingFacts(Poco::JSON::Object& json, const FundingRequestSummary& request, const xmlDoc* situation,
                    const NetworkSettings& network, const signature::TrustStore& trust, const std::string& language);

struct AccountingRow {
    std::string date;
    Cents amount = 0;
    std::string communication;
    std::string categories; // the request's expense categories as words, "; " between them
    std::string supplier;
    std::string invoiceReference;
    std::string decisionReference; // the signature id of the approved decision paid
    std::int64_t situationId = 0;
    std::string reference; // the pseudonymous reference of the situation
    std::string requestId;
    std::string paymentId;
};

// The payments FinanceRepository counts in `year`, by date, with categories in `language`.
std::vector<AccountingRow> accountingRows(const FundingProcess& process, int year, const std::string& language);
// RFC 4180 CSV, CRLF, the header in `language`; cells starting with = + - @ are prefixed with '.
std::string accountingCsv(const std::vector<AccountingRow>& rows, const std::string& language);
// A proof as the payment's JSON shows it: sha256, mediaType, size, fileName.
Poco::JSON::Object::Ptr proofJson(const store::ProofFacts& proof);
// The situations the rows name, each once, in id order: what the read log records.
std::vector<std::int64_t> situationIdsOf(const std::vector<AccountingRow>& rows);
// One CSV cell, quoted when needed and neutralised against spreadsheet formulas.
std::string csvCell(const std::string& value);

} // namespace caseflow::views
