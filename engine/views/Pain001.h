// A payment run as the SEPA credit-transfer file a Belgian bank takes: ISO 20022
// pain.001.001.03. What must stay true: the file is a function of the recorded run alone
// (MsgId the run id, CreDtTm the run's creation time, the debtor recorded with it), so
// exporting a run twice gives the same bytes; amounts are written from integer cents, never
// through floating point; NbOfTxs and CtrlSum of the group header and of each PmtInf (one per
// requested execution date) are counted from the transfers written; the structured
// communication travels as Belgian creditor reference (Strd/CdtrRefInf, Cd SCOR, Issr BBA);
// nothing clinical is written (R19): payee, IBAN, amount, communication and payment id only.
#pragma once

#include "store/PaymentRunRepository.h"

#include <string>

namespace caseflow::views {

inline constexpr const char* pain001Namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03";

// "1234.50" from 123450 cents.
std::string sepaAmount(std::int64_t cents);
std::string pain001(const store::PaymentRunRow& run);

} // namespace caseflow::views
