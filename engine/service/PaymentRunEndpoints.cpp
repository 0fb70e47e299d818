// The paying endpoints (issue 17): amounts still to pay, payment runs and their SEPA file
// (pain.001.001.03), and the payment a bank line's structured communication names. What must
// stay true: a run is built by process/PaymentRuns (one transaction; every transfer judged by
// the workflow) with its Idempotency-Key stored in that same transaction, so a retry gets the
// first answer and never a second run; every payee shown is in the read log first; nothing
// clinical is returned (R19): situation and request ids, payee, IBAN, amounts, communications.
#include "i18n/MoneyFormat.h"
#include "model/BankAccount.h"
#include "process/PaymentRuns.h"
#include "service/Endpoints.h"
#include "service/IdempotencyReplay.h"
#include "service/JsonBody.h"
#include "service/Problem.h"
#include "service/RequestContext.h"
#include "store/IdempotencyKeys.h"
#include "store/Sha256.h"
#include "views/Pain001.h"
#include "views/PaymentRunViews.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <sstream>

namespace caseflow::service {
namespace {

using Object = Poco::JSON::Object;

Object::Ptr object() {
    return Poco::makeShared<Object>(Poco::JSON_PRESERVE_KEY_ORDER);
}

void recordReadOf(RequestContext& context, std::vector<std::int64_t> ids, const std::string& what) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    context.state.readLog.record(context.caller(), ids, what);
}

store::PaymentRunRow runOfPath(RequestContext& context) {
    const std::string& runId = context.params.at("runId");
    auto run = context.process().paymentRuns().run(runId);
    if (!run)
        throw ProblemException(
            Problem(ProblemKind::NotFound, "There is no payment run '{run}'.").arg("run", runId.substr(0, 64)));
    return *run;
}

std::vector<std::int64_t> situationsOf(const store::PaymentRunRow& run) {
    std::vector<std::int64_t> ids;
    for (const auto& transfer : run.transfers) ids.push_back(transfer.situationId);
    return ids;
}

// Thrown inside the run's transaction when another request stored the same key first.
struct RunKeyAlreadyStored {};

} // namespace

void listPaymentsDue(RequestContext& context) {
    const auto amounts = paymentsDue(context.process());
    Poco::JSON::Array list;
    std::vector<std::int64_t> shown;
    Cents total = 0;
    for (const auto& amount : amounts) {
        list.add(views::dueAmountJson(amount));
        shown.push_back(amount.situationId);
        total += amount.due;
    }
    recordReadOf(context, shown, "payments-due");
    auto json = object();
    json->set("due", list);
    json->set("totalCents", total);
    json->set("total", i18n::formatMoney(total, context.language));
    context.sendJson(200, json);
}

void findPaymentByCommunication(RequestContext& context) {
    const auto quoted = context.queryValue("communication");
    if (!quoted)
        throw ProblemException(
            Problem(ProblemKind::BadRequest,
                    "Give the bank line's structured communication: ?communication=+++123/4567/89002+++.")
                .extension("field", "communication"));
    const auto communication = StructuredCommunication::parse(*quoted);
    if (!communication)
        throw ProblemException(Problem(ProblemKind::BadRequest,
                                       "'{communication}' is not a structured communication: twelve digits whose last "
                                       "two are the first ten mod 97 (a typo changes them).")
                                   .arg("communication", quoted->substr(0, 40))
                                   .extension("field", "communication"));
    const auto found = findPayment(context.process(), *communication);
    if (!found)
        throw ProblemException(Problem(ProblemKind::NotFound, "No payment carries the communication {communication}.")
                                   .arg("communication", communication->formatted()));
    recordReadOf(context, {found->situationId}, "payment-found");
    context.sendJson(200, views::foundPaymentJson(*found));
}

void buildPaymentRunEndpoint(RequestContext& context) {
    const std::string idempotencyKey = requireIdempotencyKey(context);
    context.requireJsonBody();
    FundingProcess& process = context.process();
    const store::IdempotencyKeys keys = process.idempotencyKeys();
    const std::string fingerprint = store::sha256Hex("payment-run\n" + context.body);
    if (replayStoredKey(context, keys, idempotencyKey, fingerprint)) return;

    const auto body = JsonBody::parse(context.body, {"requests", "executionDate"});
    RunOrder order;
    order.executionDate = body.date("executionDate", false).value_or("");
    if (const auto requests = body.textList("requests", false, 500, 80)) {
        if (requests->empty())
            throw ProblemException(
                Problem(ProblemKind::InvalidValue,
                        "requests lists the funding requests to pay as SITUATION/REQUEST; leave it out to pay "
                        "every amount due.")
                    .extension("field", "requests"));
        for (const auto& item : *requests) {
            const auto slash = item.find('/');
            std::int64_t situationId = 0;
            if (slash != std::string::npos && slash > 0 && slash <= 12 && slash + 1 < item.size() &&
                item.find_first_not_of("0123456789") == slash)
                situationId = std::stoll(item.substr(0, slash));
            if (situationId <= 0)
                throw ProblemException(Problem(ProblemKind::InvalidValue,
                                               "requests lists the funding requests to pay as SITUATION/REQUEST, "
                                               "e.g. 3/fr1; '{item}' is not one.")
                                           .arg("item", item)
                                           .extension("field", "requests"));
            order.requests.push_back({situationId, item.substr(slash + 1), std::nullopt, {}});
        }
    } else {
        order.all = true;
    }

    std::string response;
    const auto storeKey = [&](store::Database& database, const store::PaymentRunRow& run,
                              const store::StoredEvent& event) {
        std::ostringstream text;
        Poco::JSON::Stringifier::stringify(views::paymentRunJson(run, true), text);
        response = text.str();
        const bool stored = store::IdempotencyKeys(database).storeOnce(
            {idempotencyKey, context.caller().name, fingerprint, 0, event.position, 201, response, event.recordedAt});
        if (!stored) throw RunKeyAlreadyStored{};
    };
    std::optional<store::PaymentRunRow> run;
    try {
        run = buildPaymentRun(process, order, context.caller().actor(), storeKey);
    } catch (...) {
        // A concurrent request with the same key may have won: then this one is its repeat.
        if (replayStoredKey(context, keys, idempotencyKey, fingerprint)) return;
        throw;
    }
    recordReadOf(context, situationsOf(*run), "payment-run:" + run->runId);
    context.response.set("Location", "/api/v1/payment-runs/" + run->runId);
    context.send(201, "application/json; charset=utf-8", response);
}

void listPaymentRuns(RequestContext& context) {
    Poco::JSON::Array list;
    for (const auto& run : context.process().paymentRuns().runs()) list.add(views::paymentRunJson(run, false));
    auto json = object();
    json->set("paymentRuns", list);
    context.sendJson(200, json);
}

void getPaymentRun(RequestContext& context) {
    const auto run = runOfPath(context);
    recordReadOf(context, situationsOf(run), "payment-run:" + run.runId);
    context.sendJson(200, views::paymentRunJson(run, true));
}

void exportPaymentRun(RequestContext& context) {
    const auto run = runOfPath(context);
    recordReadOf(context, situationsOf(run), "payment-run-file:" + run.runId);
    context.response.set("Content-Disposition", "attachment; filename=\"" + run.runId + ".pain.001.xml\"");
    context.send(200, "application/xml; charset=utf-8", views::pain001(run));
}

} // namespace caseflow::service
