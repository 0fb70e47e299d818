// Finance's page (/finance, FinancePages.h): what is approved and still to pay, per request and
// in total; recording a payment; the payments export. Also the routing of the three money
// pages. What must stay true: a payment is recorded at most once per rendered form: the form
// carries a random key, stored (table idempotency_keys, as the API's Idempotency-Key) in the
// same transaction as the payment event, so a double click or a resubmitted form finds the key
// and records nothing more; the page shows no clinical text (R19): references, amounts, dates,
// payees only, from FundingRequestSummary, which carries nothing else.
#include "web/FinancePages.h"

#include "core/Errors.h"
#include "i18n/Translator.h"
#include "model/Date.h"
#include "model/EuroAmount.h"
#include "process/Authorisation.h"
#include "process/EventPayload.h"
#include "process/FundingProcess.h"
#include "service/EventData.h"
#include "store/FinanceRepository.h"
#include "store/IdempotencyKeys.h"
#include "store/Sha256.h"
#include "views/PaymentsCsv.h"
#include "web/LaterPhaseForms.h"
#include "web/Passwords.h"

#include <algorithm>

namespace caseflow::web {
namespace {

// The `web` catalog in the user's language; scripts/extract-web-messages.py finds the calls.
std::string t(const std::string& msgid, const FormRequest& request) {
    return request.translate(msgid);
}

constexpr const char* kPaidPage = "/finance?done=paid";

// Thrown inside the payment's transaction when another submission of the same form stored
// its key first: the payment is rolled back and the first one stands.
struct KeyAlreadyStored {};

bool isFormKey(const std::string& key) {
    return key.size() == 32 && key.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::optional<std::int64_t> idOf(const std::string& text) {
    if (text.empty() || text.size() > 12 || text.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    return std::stoll(text);
}

std::optional<int> yearOf(const std::string& text) {
    if (text.size() != 4 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoi(text);
}

} // namespace

void requireOperation(const FormRequest& request, int operation) {
    if (!permissionFor(request.role(), static_cast<Operation>(operation)).allowed())
        throw PageRefused(403, t("Your role does not give access to this page.", request));
}

bool serveFinancePage(FormRequest& request, const std::string& path, const SendFile& sendFile) {
    const bool post = request.posted();
    if (path == "/budget-check") {
        post ? budgetCheckDecision(request) : budgetCheckPage(request);
        return true;
    }
    if (path == "/finance") {
        post ? financePayment(request) : financePage(request);
        return true;
    }
    if (path == "/finance/runs" && post) {
        financePaymentRun(request);
        return true;
    }
    if (!post && servePaymentRunFile(request, path, sendFile)) return true;
    if (path == "/finance/payments.csv" && !post) {
        paymentsExport(request, sendFile);
        return true;
    }
    if (path == "/committee" && !post) {
        committeePage(request);
        return true;
    }
    if (path == "/committee/report" && !post) {
        committeeReportDocument(request, sendFile);
        return true;
    }
    return false;
}

void financePage(FormRequest& request, int status, const FormEcho* echo) {
    requireOperation(request, static_cast<int>(Operation::ListFundingRequests));
    FundingProcess& process = request.process();
    const bool mayPay = permissionFor(request.role(), Operation::RecordPayment).allowed();
    PageModel model;
    request.beginModel(model, "finance");
    model.attribute("done", request.queryValue("done"));
    model.attribute("year", std::to_string(Date::today().year()));
    Cents approved = 0, paid = 0;
    std::vector<std::int64_t> shown;
    const auto requests = process.fundingRequests();
    model.open("requests");
    for (const auto& funding : requests) {
        if (funding.approved <= 0) continue;
        const Cents toPay = std::max<Cents>(0, funding.approved - funding.paid);
        approved += funding.approved;
        paid += funding.paid;
        const std::string form = "payment-" + std::to_string(funding.situationId) + "-" + funding.requestId;
        model.open("request")
            .attribute("situation", std::to_string(funding.situationId))
            .attribute("id", funding.requestId)
            .attribute("reference", funding.reference)
            .attribute("state", funding.state)
            .attribute("decidedAt", funding.decidedAt)
            .attribute("approved", std::to_string(funding.approved))
            .attribute("paid", std::to_string(funding.paid))
            .attribute("toPay", std::to_string(toPay))
            .attribute("payee", funding.payeeName.value_or(""))
            .attribute("iban", funding.payeeIban.value_or(""))
            .attribute("form", form);
        if (mayPay && toPay > 0) {
            // A new key each time the form is rendered: submitting this form twice pays once,
            // filling it in again (a new rendering) is a new payment.
            model.attribute("key", randomHex(16)).attribute("suggested", formatEuroAmount(toPay));
        }
        model.close();
        shown.push_back(funding.situationId);
    }
    model.close();
    model.leaf("totals", {{"approved", std::to_string(approved)},
                          {"paid", std::to_string(paid)},
                          {"toPay", std::to_string(approved - paid)}});
    if (permissionFor(request.role(), Operation::ExportPayments).allowed()) model.leaf("export", {});
    writePaymentRuns(request, model, requests, shown);
    std::sort(shown.begin(), shown.end());
    shown.erase(std::unique(shown.begin(), shown.end()), shown.end());
    request.recordRead(shown, "funding-requests");
    if (echo) echo->write(model, {"csrf", "key"});
    request.sendPage(status, "finance", model);
}

void financePayment(FormRequest& request) {
    requireOperation(request, static_cast<int>(Operation::RecordPayment));
    const PostedForm& form = request.form();
    const auto situationId = idOf(form.value("situation"));
    const std::string requestId = form.value("request");
    const std::string key = form.value("key");
    if (!situationId || !isFormKey(key))
        throw PageRefused(400, t("The payment form is incomplete: reload the page and try again.", request));
    FundingProcess& process = request.process();
    const auto requests = process.fundingRequests();
    const auto funding = std::find_if(requests.begin(), requests.end(), [&](const FundingRequestSummary& summary) {
        return summary.situationId == *situationId && summary.requestId == requestId;
    });
    if (funding == requests.end() || funding->approved <= 0)
        throw PageRefused(404, t("There is no such funding request.", request));

    const std::string storedKey = "web-form:" + key;
    const std::string date = form.value("date"), amountText = form.value("amount");
    const std::string reference = form.value("reference");
    // The fingerprint ties the key to this payment as typed: the same form posted again
    // matches it; the key sent with other values is refused rather than paid.
    const std::string fingerprint = store::sha256Hex(std::to_string(*situationId) + "\n" + requestId + "\n" + date +
                                                     "\n" + amountText + "\n" + reference);
    store::IdempotencyKeys keys = process.idempotencyKeys();
    FormEcho echo{"payment-" + std::to_string(*situationId) + "-" + requestId, form.fields(), {}};
    const auto alreadyUsed = [&]() -> bool {
        const auto stored = keys.find(storedKey);
        if (!stored) return false;
        if (stored->userName != request.actor().name || stored->fingerprint != fingerprint)
            throw PageRefused(409, t("This payment form was already used for another payment: reload "
                                     "the page and fill it in again.",
                                     request));
        return true;
    };
    if (alreadyUsed()) return request.redirect(kPaidPage);

    if (!Date::parse(date)) echo.errors.push_back({"date", "", t("Give a date as YYYY-MM-DD (a real day).", request)});
    const auto cents = parseEuroAmount(amountText);
    if (const auto* problem = std::get_if<EuroAmountProblem>(&cents))
        echo.errors.push_back({"amount", "", amountProblem(*problem, request.language())});
    else if (std::get<Cents>(cents) <= 0)
        echo.errors.push_back({"amount", "", t("A payment is more than zero.", request)});
    if (reference.empty() || reference.size() > 300)
        echo.errors.push_back({"reference", "", t("Give the transfer's reference (at most 300 characters).", request)});
    if (!echo.errors.empty()) return financePage(request, 422, &echo);

    service::PaymentInput input;
    input.requestId = requestId;
    input.date = date;
    input.amount = std::get<Cents>(cents);
    input.reference = reference;
    // Derived from the key, as the API derives it: a repeat can never mint a second id.
    input.paymentId = "pay-" + store::sha256Hex(storedKey).substr(0, 16);
    const auto storeKey = [&](store::Database& database, const store::StoredEvent& event) {
        const bool stored =
            store::IdempotencyKeys(database).storeOnce({storedKey, request.actor().name, fingerprint, *situationId,
                                                        event.position, 303, kPaidPage, event.recordedAt});
        if (!stored) throw KeyAlreadyStored{};
    };
    try {
        process.fire(*situationId, "payment.recorded", service::paymentXml(input), "payment", request.actor(),
                     std::nullopt, storeKey);
    } catch (const RuleRefusal& refusal) {
        if (alreadyUsed()) return request.redirect(kPaidPage);
        echo.errors = errorsOfRefusal(refusal, {{"R18", "amount"}});
        return financePage(request, 422, &echo);
    } catch (...) {
        // Another submission of this form may have won the race: then this one is its repeat.
        if (alreadyUsed()) return request.redirect(kPaidPage);
        throw;
    }
    request.redirect(kPaidPage);
}

void paymentsExport(FormRequest& request, const SendFile& sendFile) {
    requireOperation(request, static_cast<int>(Operation::ExportPayments));
    std::optional<int> year;
    if (!request.queryValue("year").empty()) {
        year = yearOf(request.queryValue("year"));
        if (!year) throw PageRefused(400, t("The year is four digits, for example 2026.", request));
    }
    const auto payments = request.process().payments(year);
    std::vector<std::int64_t> shown;
    for (const auto& payment : payments) shown.push_back(payment.situationId);
    std::sort(shown.begin(), shown.end());
    shown.erase(std::unique(shown.begin(), shown.end()), shown.end());
    request.recordRead(shown, "payments-export");
    sendFile({"text/csv; charset=utf-8; header=present",
              "attachment; filename=\"payments-" + (year ? std::to_string(*year) : std::string("all")) + ".csv\"", "",
              views::paymentsCsv(payments)});
}

} // namespace caseflow::web
