// The finance endpoint: funding requests awaiting budget check with their automatic checks,
// budget decisions, payments with an Idempotency-Key, the yearly envelope, and the payments
// export. What must stay true: a payment is recorded at most once per Idempotency-Key, the
// key being stored in the same transaction as the payment event (so a crash can never leave
// one without the other), and a repeated request gets the first response back; amounts are
// integer cents from end to end; a funding request is named by its situation id and its
// request id (/funding-requests/{situationId}/{requestId}), as request ids are only unique
// within their situation.
#include "i18n/MoneyFormat.h"
#include "model/Date.h"
#include "model/Situation.h"
#include "process/PaymentRuns.h"
#include "process/SigningDesk.h"
#include "service/Accounts.h"
#include "service/Endpoints.h"
#include "service/EventData.h"
#include "service/EventFiring.h"
#include "service/IdempotencyReplay.h"
#include "service/JsonBody.h"
#include "service/Problem.h"
#include "service/Proofs.h"
#include "service/RequestContext.h"
#include "service/SignatureViews.h"
#include "service/SituationViews.h"
#include "store/Database.h"
#include "store/FinanceRepository.h"
#include "store/IdempotencyKeys.h"
#include "store/Sha256.h"
#include "store/SituationRepository.h"
#include "views/FinanceViews.h"
#include "views/PaymentsCsv.h"
#include "xml/Xml.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace caseflow::service {
namespace {

using Object = Poco::JSON::Object;

Object::Ptr object() {
    return Poco::makeShared<Object>(Poco::JSON_PRESERVE_KEY_ORDER);
}

struct RequestKey {
    std::int64_t situationId;
    std::string requestId;
};

RequestKey requestKeyOf(RequestContext& context) {
    RequestKey key{context.situationIdParam("situationId"), context.params.at("requestId")};
    if (!isIdentifier(key.requestId))
        throw ProblemException(
            Problem(ProblemKind::NotFound, "There is no funding request '{request}' in situation {id}.")
                .arg("request", key.requestId.substr(0, 64))
                .arg("id", std::to_string(key.situationId)));
    return key;
}

// The funding request, or 404; read after the authorisation check, so its existence is
// never revealed to a caller who may not act on it.
FundingRequestSummary findRequest(RequestContext& context, const RequestKey& key) {
    context.process().situation(key.situationId); // 404 for an unknown situation
    for (auto& request : context.process().fundingRequests())
        if (request.situationId == key.situationId && request.requestId == key.requestId) return request;
    throw ProblemException(Problem(ProblemKind::NotFound, "There is no funding request '{request}' in situation {id}.")
                               .arg("request", key.requestId)
                               .arg("id", std::to_string(key.situationId)));
}

void recordRead(RequestContext& context, std::vector<std::int64_t> ids, const std::string& what) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    context.state.readLog.record(context.caller(), ids, what);
}

std::string stringify(const Poco::Dynamic::Var& json) {
    std::ostringstream text;
    Poco::JSON::Stringifier::stringify(json, text);
    return text.str();
}

Object::Ptr envelopeJson(const EnvelopeForecast& forecast, const std::string& language) {
    const auto& figures = forecast.figures;
    auto json = object();
    json->set("year", figures.year);
    json->set("amountCents", figures.amount);
    json->set("committedCents", figures.committed);
    json->set("paidCents", figures.paid);
    json->set("remainingCents", figures.remaining());
    auto projection = object();
    projection->set("asOf", forecast.asOf);
    projection->set("elapsedDays", forecast.elapsedDays);
    projection->set("daysInYear", forecast.daysInYear);
    projection->set("projectedCommittedCents", forecast.projectedCommitted);
    projection->set("projectedUnspentCents", forecast.projectedUnspent());
    json->set("forecast", projection);
    json->set("underSpending", views::underSpendingJson(forecast.underSpending, language));
    auto formatted = object();
    for (const auto& [name, cents] : {std::pair<const char*, Cents>{"amount", figures.amount},
                                      {"committed", figures.committed},
                                      {"paid", figures.paid},
                                      {"remaining", figures.remaining()}})
        formatted->set(name, i18n::formatMoney(cents, language));
    json->set("formatted", formatted);
    return json;
}

// Thrown inside the payment's transaction when another request stored the same key first:
// the payment is rolled back and the stored response replayed.
struct KeyAlreadyStored {};

} // namespace

void listFundingRequests(RequestContext& context) {
    // Several states at once (?state=approved&state=partially-paid): finance's paying list.
    std::set<std::string> states;
    for (const auto& [name, value] : context.query) {
        if (name != "state") continue;
        if (!parseRequestState(value))
            throw ProblemException(Problem(ProblemKind::BadRequest,
                                           "Unknown state '{state}': state must be one of in-preparation, "
                                           "budget-check, approved, returned, rejected, partially-paid, paid, "
                                           "withdrawn, closed.")
                                       .arg("state", value.substr(0, 64))
                                       .extension("field", "state"));
        states.insert(value);
    }
    FundingProcess& process = context.process();
    const signature::TrustStore trust = process.trustStore();
    Poco::JSON::Array list;
    std::vector<std::int64_t> shown;
    std::map<std::int64_t, Situation> documents; // one parse per situation
    for (const auto& request : process.fundingRequests()) {
        if (!states.empty() && !states.count(request.state)) continue;
        auto json = fundingRequestJson(request, process.network(), context.language);
        auto document = documents.find(request.situationId);
        if (document == documents.end())
            document = documents
                           .emplace(request.situationId,
                                    Situation::fromStored(process.situation(request.situationId).document))
                           .first;
        views::addPayingFacts(*json, request, document->second.document(), process.network(), trust, context.language);
        list.add(json);
        shown.push_back(request.situationId);
    }
    recordRead(context, shown, "funding-requests");
    auto json = object();
    json->set("fundingRequests", list);
    context.sendJson(200, json);
}

namespace {

// The decision a JSON body describes, checked field by field (shared by the decision and
// the document-to-sign endpoints).
BudgetDecisionInput decisionFromJson(RequestContext& context, const RequestKey& key) {
    context.requireJsonBody();
    const auto body = JsonBody::parse(context.body, {"outcome", "amountCents", "date", "reasons"});
    BudgetDecisionInput input;
    input.requestId = key.requestId;
    input.outcome = *body.text("outcome", true, 16);
    if (input.outcome != "approved" && input.outcome != "returned" && input.outcome != "rejected")
        throw ProblemException(Problem(ProblemKind::InvalidValue, "outcome must be approved, returned or rejected.")
                                   .extension("field", "outcome"));
    input.amount = body.cents("amountCents", input.outcome == "approved", false);
    if (input.amount && input.outcome != "approved")
        throw ProblemException(Problem(ProblemKind::InvalidValue, "amountCents is only given with an approval.")
                                   .extension("field", "amountCents"));
    input.date = body.date("date", false).value_or(Date::today().iso());
    input.reasons = body.textList("reasons", false, 20, 2000).value_or(std::vector<std::string>{});
    input.by = context.caller().name;
    return input;
}

// A signed decision sent back (application/xml): it must be the decision about this request.
std::string signedDecisionFor(RequestContext& context, const RequestKey& key, std::string& event) {
    if (!isValidUtf8(context.body))
        throw ProblemException(Problem(ProblemKind::InvalidEncoding, "The request body is not valid UTF-8."));
    const auto document = xml::parseString(context.body, "signed decision");
    xmlNode* root = xml::root(document.get());
    if (xml::name(root) != "budgetDecision" || xml::attribute(root, "request").value_or("") != key.requestId)
        throw ProblemException(Problem(ProblemKind::InvalidValue,
                                       "The signed document must be the budgetDecision about request '{request}'.")
                                   .arg("request", key.requestId));
    event = "budget." + xml::attribute(root, "outcome").value_or("");
    return context.body;
}

} // namespace

void decideFundingRequest(RequestContext& context) {
    const RequestKey key = requestKeyOf(context);
    requireSituation(context.caller(), Operation::DecideFundingRequest, key.situationId);
    FireRequest fire;
    fire.situationId = key.situationId;
    fire.expectedVersion = context.ifMatchVersion();
    fire.expectedFromIfMatch = fire.expectedVersion.has_value();
    const std::string type = context.contentType();
    std::optional<FireResult> result;
    std::string outcome;
    if (type == "application/xml" || type == "text/xml") {
        // A decision signed on the coordinator's machine (see .../decision/document-to-sign).
        const std::string signedXml = signedDecisionFor(context, key, fire.event);
        outcome = fire.event.substr(std::string("budget.").size());
        findRequest(context, key);
        result = submitSignedForCaller(context, fire, signedXml);
    } else {
        const BudgetDecisionInput input = decisionFromJson(context, key);
        outcome = input.outcome;
        fire.event = "budget." + input.outcome;
        findRequest(context, key);
        fire.dataXml = budgetDecisionXml(input);
        result = fireForCaller(context, fire);
    }
    const auto after = findRequest(context, key);
    auto json = fireResultJson(*result);
    json->set("requestId", key.requestId);
    json->set("outcome", outcome);
    json->set("approvedCents", after.approved);
    const auto envelope = context.process().envelope(after.year);
    auto figures = object();
    figures->set("year", envelope.year);
    figures->set("remainingCents", envelope.remaining());
    json->set("envelope", figures);
    context.response.set("ETag", etagOf(result->version));
    context.sendJson(200, json);
}

void prepareDecisionSignature(RequestContext& context) {
    const RequestKey key = requestKeyOf(context);
    requireSituation(context.caller(), Operation::PrepareDecisionSignature, key.situationId);
    const auto keyType = keyTypeParameter(context);
    const BudgetDecisionInput input = decisionFromJson(context, key);
    findRequest(context, key);
    SigningDesk desk(context.process());
    const auto document = desk.prepareDecision(key.situationId, budgetDecisionXml(input), "decision", keyType);
    recordRead(context, {key.situationId}, "document-to-sign:decision");
    sendDocumentToSign(context, document);
}

void recordPayment(RequestContext& context) {
    const RequestKey key = requestKeyOf(context);
    requireSituation(context.caller(), Operation::RecordPayment, key.situationId);
    const std::string idempotencyKey = requireIdempotencyKey(context);
    context.requireJsonBody();
    FundingProcess& process = context.process();
    const store::IdempotencyKeys keys = process.idempotencyKeys();
    // The fingerprint ties the key to this exact request: same caller, same funding request, same body.
    const std::string fingerprint =
        store::sha256Hex(std::to_string(key.situationId) + "\n" + key.requestId + "\n" + context.body);
    if (replayStoredKey(context, keys, idempotencyKey, fingerprint)) return;

    const auto body = JsonBody::parse(
        context.body, {"amountCents", "date", "reference", "paymentId", "supplier", "invoiceReference", "proofs"});
    PaymentInput input;
    input.requestId = key.requestId;
    input.amount = *body.cents("amountCents", true, true);
    input.date = body.date("date", false).value_or(Date::today().iso());
    input.reference = *body.text("reference", true, 300);
    input.supplier = body.text("supplier", false, 300).value_or("");
    input.invoiceReference = body.text("invoiceReference", false, 300).value_or("");
    const std::vector<UploadedProof> proofs = proofsFromJson(body);
    for (const auto& proof : proofs) input.proofs.push_back(proof.facts);
    if (auto id = body.text("paymentId", false, 64)) {
        if (!isIdentifier(*id))
            throw ProblemException(Problem(ProblemKind::InvalidValue,
                                           "paymentId must start with a letter and hold only letters, digits, '-', "
                                           "'_' and '.'.")
                                       .extension("field", "paymentId"));
        input.paymentId = *id;
    } else {
        // Derived from the key: a retry that lost its response can never mint a second id.
        input.paymentId = "pay-" + store::sha256Hex(idempotencyKey).substr(0, 16);
    }
    findRequest(context, key);

    FireRequest fire;
    fire.situationId = key.situationId;
    fire.event = "payment.recorded";
    fire.dataXml = paymentXml(input);
    fire.expectedVersion = context.ifMatchVersion();
    fire.expectedFromIfMatch = fire.expectedVersion.has_value();
    std::string response;
    const auto storeKey = [&](store::Database& database, const store::StoredEvent& event) {
        // The files first: the event just appended names them, and the key must not outlive them.
        storeProofs(database, proofs);
        // The response is composed here, from the projection just written, so that the
        // replay of a repeat is byte for byte what this request answers.
        const auto row =
            store::FinanceRepository(database).request(key.situationId, key.requestId).value_or(store::RequestTotals{});
        const auto payload = EventPayload::parse(event.payload);
        auto json = object();
        json->set("situationId", key.situationId);
        json->set("requestId", key.requestId);
        json->set("paymentId", input.paymentId);
        json->set("amountCents", input.amount);
        json->set("date", input.date);
        json->set("reference", input.reference);
        if (!input.supplier.empty()) json->set("supplier", input.supplier);
        if (!input.invoiceReference.empty()) json->set("invoiceReference", input.invoiceReference);
        Poco::JSON::Array files;
        for (const auto& proof : input.proofs) files.add(views::proofJson(proof));
        json->set("proofs", files);
        // The communication the transfer quotes, so the payee's bank line leads back here.
        if (const auto stored = store::SituationRepository(database).find(key.situationId)) {
            const Situation situation = Situation::fromStored(stored->document);
            if (const auto communication = paymentCommunication(key.situationId, situation.document(), input.paymentId))
                json->set("structuredCommunication", communication->formatted());
        }
        json->set("version", event.sequence);
        json->set("state", payload.outcome.activeStates.text());
        auto request = object();
        request->set("state", row.state);
        request->set("approvedCents", row.approvedCents);
        request->set("paidCents", row.paidCents);
        json->set("fundingRequest", request);
        response = stringify(json);
        const bool stored = store::IdempotencyKeys(database).storeOnce({idempotencyKey, context.caller().name,
                                                                        fingerprint, key.situationId, event.position,
                                                                        201, response, event.recordedAt});
        if (!stored) throw KeyAlreadyStored{};
    };
    std::optional<FireResult> result;
    try {
        result = fireForCaller(context, fire, storeKey);
    } catch (...) {
        // A concurrent request with the same key may have won (its payment makes ours a
        // duplicate, a conflict, or a key clash): then this request is a repeat of it.
        if (replayStoredKey(context, keys, idempotencyKey, fingerprint)) return;
        throw;
    }
    context.response.set("ETag", etagOf(result->version));
    context.send(201, "application/json; charset=utf-8", response);
}

void getEnvelope(RequestContext& context) {
    const int year = yearParameter(context.params.at("year"), "year");
    FundingProcess& process = context.process();
    const auto amount = process.network().envelope(year);
    if (!amount)
        throw ProblemException(Problem(ProblemKind::NotFound, "The network has no envelope for {year}.")
                                   .arg("year", std::to_string(year)));
    const Date today = Date::today();
    // Read before the figures (see EnvelopeCache.h): a body is never older than its key.
    const std::string key = std::to_string(year) + '/' + today.iso() + '/' + context.language + '/' +
                            std::to_string(process.lastEventPosition()) + '/' + std::to_string(*amount) + '/' +
                            std::to_string(process.network().underSpendingWarningPoints());
    EnvelopeCache::Body body = context.state.envelopes.find(key);
    if (!body) {
        const auto forecast = process.envelopeForecast(year, today);
        body = std::make_shared<const std::string>(stringify(envelopeJson(forecast, context.language)));
        context.state.envelopes.store(key, body);
    }
    context.send(200, "application/json; charset=utf-8", *body);
}

void exportPayments(RequestContext& context) {
    std::optional<int> year;
    if (auto value = context.queryValue("year")) year = yearParameter(*value, "year");
    const auto payments = context.process().payments(year);
    std::vector<std::int64_t> shown;
    for (const auto& payment : payments) shown.push_back(payment.situationId);
    const std::string csv = views::paymentsCsv(payments);
    recordRead(context, shown, "payments-export");
    context.response.set("Content-Disposition", "attachment; filename=\"payments-" +
                                                    (year ? std::to_string(*year) : std::string("all")) + ".csv\"");
    context.send(200, "text/csv; charset=utf-8; header=present", csv);
}

} // namespace caseflow::service
