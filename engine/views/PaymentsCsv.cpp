// The payments export as CSV (see PaymentsCsv.h).
#include "views/PaymentsCsv.h"

#include "model/Money.h"
#include "views/FinanceViews.h"

namespace caseflow::views {

std::string paymentsCsv(const std::vector<PaymentRecord>& payments) {
    std::string csv = "situation_id,reference,request_id,payment_id,paid_on,amount_cents,amount_eur,"
                      "transfer_reference,payee_name,payee_iban,structured_communication\r\n";
    for (const auto& payment : payments)
        csv += std::to_string(payment.situationId) + "," + csvCell(payment.reference) + "," +
               csvCell(payment.requestId) + "," + csvCell(payment.paymentId) + "," + csvCell(payment.paidOn) + "," +
               std::to_string(payment.amount) + "," + formatCentsPlain(payment.amount) + "," +
               csvCell(payment.transferReference) + "," + csvCell(payment.payeeName) + "," +
               csvCell(payment.payeeIban) + "," + csvCell(payment.communication) + "\r\n";
    return csv;
}

} // namespace caseflow::views
