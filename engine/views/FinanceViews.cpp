// Finance's paying and booking facts (see FinanceViews.h).
#include "views/FinanceViews.h"

#include "i18n/MoneyFormat.h"
#include "i18n/Translator.h"
#include "model/BankAccount.h"
#include "model/Money.h"
#include "model/Situation.h"
#include "process/GuardFacts.h"
#include "signature/XmlSignature.h"
#include "views/SituationViews.h"
#include "xml/Xml.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <map>
#include <set>

namespace caseflow::views {
namespace {

// The header words of the accounting export, in the interface catalogs
// (scripts/extract-interface-messages.sh reads tr() here too).
std::string tr(const char* msgid, const std::string& language) {
    return i18n::translate(i18n::kInterfaceDomain, msgid, language);
}

std::string attributeOr(const xmlNode* node, const char* name) {
    return xml::attribute(node, name).value_or("");
}

xmlNode* requestElement(const xmlDoc* situation, const std::string& requestId) {
    xml::XPath xpath(situation);
    for (xmlNode* request : xpath.nodes("/situation/fundingRequests/fundingRequest"))
        if (attributeOr(request, "id") == requestId) return request;
    return nullptr;
}

// The distinct categories of a request's lines, in the order of its lines.
std::vector<std::string> categoriesOf(const xmlDoc* situation, const std::string& requestId) {
    std::vector<std::string> categories;
    xmlNode* request = requestElement(situation, requestId);
    if (!request) return categories;
    for (xmlNode* line : xml::children(request, "line")) {
        const std::string category = attributeOr(line, "category");
        if (std::find(categories.begin(), categories.end(), category) == categories.end())
            categories.push_back(category);
    }
    return categories;
}

} // namespace

std::vector<PaymentFacts> paymentsOf(const xmlDoc* situation, std::int64_t situationId) {
    std::vector<PaymentFacts> payments;
    xml::XPath xpath(situation);
    int ordinal = 0;
    for (xmlNode* payment : xpath.nodes("/situation/payments/payment")) {
        PaymentFacts facts;
        facts.paymentId = attributeOr(payment, "id");
        facts.requestId = attributeOr(payment, "request");
        facts.date = attributeOr(payment, "date");
        facts.amount = parseCents(attributeOr(payment, "amount")).value_or(0);
        facts.transferReference = attributeOr(payment, "reference");
        facts.supplier = attributeOr(payment, "supplier");
        facts.invoiceReference = attributeOr(payment, "invoiceReference");
        facts.decisionSignature = attributeOr(payment, "decisionSignature");
        facts.ordinal = ++ordinal;
        if (const auto communication = communicationOf({situationId, facts.ordinal}))
            facts.communication = communication->formatted();
        for (xmlNode* proof : xml::children(payment, "proof")) {
            store::ProofFacts file;
            file.sha256 = attributeOr(proof, "sha256");
            file.mediaType = attributeOr(proof, "mediaType");
            file.size = std::stoll("0" + attributeOr(proof, "size"));
            file.fileName = attributeOr(proof, "fileName");
            facts.proofs.push_back(std::move(file));
        }
        payments.push_back(std::move(facts));
    }
    return payments;
}

std::string networkLanguage(const NetworkSettings& network) {
    for (xmlNode* label : xml::children(xml::root(network.document()), "label")) {
        const std::string language = attributeOr(label, "lang");
        for (const auto& supported : i18n::supportedLanguages())
            if (language == supported) return language;
    }
    return "en";
}

std::string categoryLabel(const NetworkSettings& network, const std::string& id, const std::string& language) {
    for (const auto& category : network.expenseCategories()) {
        if (category.id != id) continue;
        if (auto found = category.labels.find(language); found != category.labels.end()) return found->second;
        if (auto found = category.labels.find(networkLanguage(network)); found != category.labels.end())
            return found->second;
        return category.labels.empty() ? id : category.labels.begin()->second;
    }
    return id;
}

void addPayingFacts(Poco::JSON::Object& json, const FundingRequestSummary& request, const xmlDoc* situation,
                    const NetworkSettings& network, const signature::TrustStore& trust, const std::string& language) {
    json.set("stillToPayCents", request.approved > request.paid ? request.approved - request.paid : 0);
    Poco::JSON::Array categories;
    for (const auto& id : categoriesOf(situation, request.requestId)) {
        auto item = object();
        item->set("id", id);
        item->set("label", categoryLabel(network, id, language));
        categories.add(item);
    }
    json.set("categories", categories);

    Poco::JSON::Array payments;
    for (const auto& payment : paymentsOf(situation, request.situationId)) {
        if (payment.requestId != request.requestId) continue;
        auto item = object();
        item->set("paymentId", payment.paymentId);
        item->set("date", payment.date);
        item->set("amountCents", payment.amount);
        item->set("reference", payment.transferReference);
        if (!payment.communication.empty()) item->set("communication", payment.communication);
        if (!payment.supplier.empty()) item->set("supplier", payment.supplier);
        if (!payment.invoiceReference.empty()) item->set("invoiceReference", payment.invoiceReference);
        Poco::JSON::Array proofs;
        for (const auto& proof : payment.proofs) proofs.add(proofJson(proof));
        item->set("proofs", proofs);
        payments.add(item);
    }
    json.set("payments", payments);

    // The latest decision about the request, as finance's view of decisions allows (R19: no reasons).
    const xmlNode* decision = nullptr;
    xml::XPath xpath(situation);
    for (xmlNode* candidate : xpath.nodes("/situation/budgetDecisions/budgetDecision"))
        if (attributeOr(candidate, "request") == request.requestId) decision = candidate;
    if (!decision) return;
    auto facts = object();
    facts->set("outcome", attributeOr(decision, "outcome"));
    facts->set("date", attributeOr(decision, "date"));
    facts->set("by", attributeOr(decision, "by"));
    if (auto countersigned = xml::attribute(decision, "countersignedBy")) facts->set("countersignedBy", *countersigned);
    auto signature = object();
    if (!signature::signatureOf(decision)) {
        signature->set("status", "none");
    } else {
        const auto verification = verifyBudgetDecision(decision, trust);
        const bool valid = verification.status == signature::SignatureStatus::Valid;
        signature->set("status", valid ? "valid" : "invalid");
        if (!verification.signer.empty()) signature->set("signer", verification.signer);
        if (!verification.signedAt.empty()) signature->set("signedAt", verification.signedAt);
        if (!verification.signatureId.empty()) signature->set("signatureId", verification.signatureId);
        if (!valid) {
            signature->set("problem", signature::statusName(verification.status));
            if (!verification.detail.empty()) signature->set("detail", verification.detail);
        }
    }
    facts->set("signature", signature);
    json.set("decision", facts);
}

std::vector<AccountingRow> accountingRows(const FundingProcess& process, int year, const std::string& language) {
    std::vector<AccountingRow> rows;
    // One parse per situation, however many of its payments the year holds.
    std::map<std::int64_t, std::vector<PaymentFacts>> paymentsBySituation;
    std::map<std::int64_t, std::map<std::string, std::string>> categoriesBySituation;
    for (const auto& payment : process.payments(year)) {
        auto known = paymentsBySituation.find(payment.situationId);
        if (known == paymentsBySituation.end()) {
            const Situation situation = Situation::fromStored(process.situation(payment.situationId).document);
            known =
                paymentsBySituation.emplace(payment.situationId, paymentsOf(situation.document(), payment.situationId))
                    .first;
            auto& labels = categoriesBySituation[payment.situationId];
            xml::XPath xpath(situation.document());
            for (xmlNode* request : xpath.nodes("/situation/fundingRequests/fundingRequest")) {
                const std::string requestId = attributeOr(request, "id");
                std::string words;
                for (const auto& id : categoriesOf(situation.document(), requestId))
                    words += (words.empty() ? "" : "; ") + categoryLabel(process.network(), id, language);
                labels[requestId] = words;
            }
        }
        AccountingRow row;
        row.date = payment.paidOn;
        row.amount = payment.amount;
        row.situationId = payment.situationId;
        row.reference = payment.reference;
        row.requestId = payment.requestId;
        row.paymentId = payment.paymentId;
        row.categories = categoriesBySituation[payment.situationId][payment.requestId];
        for (const auto& facts : known->second) {
            if (facts.paymentId != payment.paymentId) continue;
            row.communication = facts.communication;
            row.supplier = facts.supplier;
            row.invoiceReference = facts.invoiceReference;
            row.decisionReference = facts.decisionSignature;
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

Poco::JSON::Object::Ptr proofJson(const store::ProofFacts& proof) {
    auto file = object();
    file->set("sha256", proof.sha256);
    file->set("mediaType", proof.mediaType);
    file->set("size", proof.size);
    file->set("fileName", proof.fileName);
    return file;
}

std::vector<std::int64_t> situationIdsOf(const std::vector<AccountingRow>& rows) {
    std::vector<std::int64_t> ids;
    for (const auto& row : rows) ids.push_back(row.situationId);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

std::string csvCell(const std::string& value) {
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

std::string accountingCsv(const std::vector<AccountingRow>& rows, const std::string& language) {
    std::string csv;
    const std::vector<std::string> header = {tr("Date", language),
                                             tr("Amount in cents", language),
                                             tr("Amount", language),
                                             tr("Structured communication", language),
                                             tr("Expense category", language),
                                             tr("Supplier", language),
                                             tr("Invoice reference", language),
                                             tr("Decision reference", language),
                                             tr("Situation", language),
                                             tr("Reference of the situation", language),
                                             tr("Request", language),
                                             tr("Payment", language)};
    for (std::size_t i = 0; i < header.size(); ++i) csv += (i ? "," : "") + csvCell(header[i]);
    csv += "\r\n";
    for (const auto& row : rows) {
        const std::vector<std::string> cells = {row.date,
                                                std::to_string(row.amount),
                                                i18n::formatMoney(row.amount, language),
                                                row.communication,
                                                row.categories,
                                                row.supplier,
                                                row.invoiceReference,
                                                row.decisionReference,
                                                std::to_string(row.situationId),
                                                row.reference,
                                                row.requestId,
                                                row.paymentId};
        for (std::size_t i = 0; i < cells.size(); ++i) csv += (i ? "," : "") + csvCell(cells[i]);
        csv += "\r\n";
    }
    return csv;
}

} // namespace caseflow::views
