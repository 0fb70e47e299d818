// The payments export as CSV (see PaymentsCsv.h).
#include "views/PaymentsCsv.h"

#include "model/Money.h"

namespace caseflow::views {
namespace {

std::string cell(const std::string& value) {
    std::string text = value;
    // A cell starting with = + - @ is a formula to a spreadsheet: neutralise it (CSV injection).
    if (!text.empty() && std::string("=+-@\t\r").find(text.front()) != std::string::npos) text.insert(0, "'");
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char ch : text) {
        if (ch == '"') quoted += '"';
        quoted += ch;
    }
    return quoted + "\"";
}

} // namespace

std::string paymentsCsv(const std::vector<PaymentRecord>& payments) {
    std::string csv = "situation_id,reference,request_id,payment_id,paid_on,amount_cents,amount_eur,"
                      "transfer_reference,payee_name,payee_iban\r\n";
    for (const auto& payment : payments)
        csv += std::to_string(payment.situationId) + "," + cell(payment.reference) + "," + cell(payment.requestId) +
               "," + cell(payment.paymentId) + "," + cell(payment.paidOn) + "," + std::to_string(payment.amount) + "," +
               formatCentsPlain(payment.amount) + "," + cell(payment.transferReference) + "," +
               cell(payment.payeeName) + "," + cell(payment.payeeIban) + "\r\n";
    return csv;
}

} // namespace caseflow::views
