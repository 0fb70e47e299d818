// Views of a situation (see SituationViews.h). What must stay true: the finance and
// committee builders below read attributes by name and copy them; they never copy an element
// or text content wholesale.
#include "service/SituationViews.h"

#include "i18n/MoneyFormat.h"
#include "model/Situation.h"
#include "model/XsBoolean.h"
#include "service/Problem.h"

#include <Poco/JSON/Array.h>

#include <sstream>

namespace caseflow::service {
namespace {

using Object = Poco::JSON::Object;
using Array = Poco::JSON::Array;

Object::Ptr object() {
    return Poco::makeShared<Object>(Poco::JSON_PRESERVE_KEY_ORDER);
}

void setOptional(Object::Ptr json, const std::string& key, const std::optional<std::string>& value) {
    if (value) json->set(key, *value);
}

void setCents(Object::Ptr json, const std::string& key, xmlNode* node, const char* attribute) {
    if (auto text = xml::attribute(node, attribute)) {
        if (auto cents = parseCents(*text)) json->set(key, *cents);
    }
}

std::vector<xmlNode*> parts(xmlNode* root, const char* list, const char* member) {
    if (xmlNode* container = xml::firstChild(root, list)) return xml::children(container, member);
    return {};
}

Array::Ptr fundingRequestsOf(xmlNode* root, View view) {
    auto requests = Poco::makeShared<Array>();
    for (xmlNode* request : parts(root, "fundingRequests", "fundingRequest")) {
        auto json = object();
        setOptional(json, "id", xml::attribute(request, "id"));
        setOptional(json, "date", xml::attribute(request, "date"));
        setOptional(json, "renewalOf", xml::attribute(request, "renewalOf"));
        Cents total = 0;
        Array lines;
        for (xmlNode* line : xml::children(request, "line")) {
            auto item = object();
            setOptional(item, "category", xml::attribute(line, "category"));
            const Cents amount = parseCents(xml::attribute(line, "amount").value_or("")).value_or(0);
            item->set("amountCents", amount);
            total += amount;
            lines.add(item);
        }
        json->set("lines", lines);
        json->set("requestedCents", total);
        if (view == View::Finance) {
            if (xmlNode* declaration = xml::firstChild(request, "noDoubleSubsidy")) {
                auto item = object();
                const std::string declared = xml::attribute(declaration, "declared").value_or("false");
                item->set("declared", isXsTrue(declared));
                setOptional(item, "date", xml::attribute(declaration, "date"));
                json->set("noDoubleSubsidy", item);
            }
            if (xmlNode* payee = xml::firstChild(request, "payee")) {
                auto item = object();
                setOptional(item, "name", xml::attribute(payee, "name"));
                setOptional(item, "iban", xml::attribute(payee, "iban"));
                json->set("payee", item);
            }
        }
        requests->add(json);
    }
    return requests;
}

Array::Ptr decisionsOf(xmlNode* root, View view) {
    auto decisions = Poco::makeShared<Array>();
    for (xmlNode* decision : parts(root, "budgetDecisions", "budgetDecision")) {
        auto json = object();
        setOptional(json, "request", xml::attribute(decision, "request"));
        setOptional(json, "date", xml::attribute(decision, "date"));
        setOptional(json, "outcome", xml::attribute(decision, "outcome"));
        setCents(json, "amountCents", decision, "amount");
        if (view == View::Finance) {
            setOptional(json, "by", xml::attribute(decision, "by"));
            setOptional(json, "countersignedBy", xml::attribute(decision, "countersignedBy"));
        }
        decisions->add(json);
    }
    return decisions;
}

Array::Ptr paymentsOf(xmlNode* root, View view) {
    auto payments = Poco::makeShared<Array>();
    for (xmlNode* payment : parts(root, "payments", "payment")) {
        auto json = object();
        if (view == View::Finance) setOptional(json, "id", xml::attribute(payment, "id"));
        setOptional(json, "request", xml::attribute(payment, "request"));
        setOptional(json, "date", xml::attribute(payment, "date"));
        setCents(json, "amountCents", payment, "amount");
        if (view == View::Finance) setOptional(json, "reference", xml::attribute(payment, "reference"));
        payments->add(json);
    }
    return payments;
}

std::string referenceOf(const Situation& situation) {
    try {
        return situation.reference();
    } catch (const std::exception&) {
        return "";
    }
}

} // namespace

Poco::JSON::Array::Ptr statesJson(const std::string& state) {
    auto states = Poco::makeShared<Array>();
    std::istringstream in(state);
    for (std::string item; in >> item;) states->add(item);
    return states;
}

Poco::JSON::Object::Ptr situationSummary(const SituationRecord& record, View view) {
    const Situation situation = Situation::fromStored(record.document);
    auto json = object();
    json->set("id", record.id);
    json->set("reference", referenceOf(situation));
    if (view != View::Committee) json->set("version", record.version);
    json->set("state", record.state);
    if (view != View::Finance) {
        if (record.category)
            json->set("category", *record.category);
        else
            json->set("category", Poco::Dynamic::Var());
    }
    if (view == View::Full) json->set("municipality", record.municipality);
    json->set("registeredAt", record.registeredAt);
    json->set("updatedAt", record.updatedAt);
    return json;
}

Poco::JSON::Object::Ptr situationDetail(const SituationRecord& record, View view,
                                        const std::vector<std::string>& allowedEvents) {
    auto json = situationSummary(record, view);
    json->set("states", statesJson(record.state));
    if (view == View::Full) {
        Array events;
        for (const auto& event : allowedEvents) events.add(event);
        json->set("allowedEvents", events);
        json->set("document", record.document);
        return json;
    }
    const Situation situation = Situation::fromStored(record.document);
    xmlNode* root = xml::root(situation.document());
    json->set("fundingRequests", fundingRequestsOf(root, view));
    json->set("budgetDecisions", decisionsOf(root, view));
    json->set("payments", paymentsOf(root, view));
    return json;
}

Poco::JSON::Object::Ptr fundingRequestJson(const FundingRequestSummary& request, const NetworkSettings& network,
                                           const std::string& language) {
    auto json = object();
    json->set("situationId", request.situationId);
    json->set("requestId", request.requestId);
    json->set("reference", request.reference);
    json->set("situationVersion", request.situationVersion);
    json->set("state", request.state);
    json->set("year", request.year);
    json->set("date", request.date);
    if (!request.renewalOf.empty()) json->set("renewalOf", request.renewalOf);
    if (!request.submittedAt.empty()) json->set("submittedAt", request.submittedAt);
    if (!request.decidedAt.empty()) json->set("decidedAt", request.decidedAt);
    json->set("requestedCents", request.requested);
    json->set("approvedCents", request.approved);
    json->set("paidCents", request.paid);
    Array lines;
    for (const auto& line : request.lines) {
        auto item = object();
        item->set("category", line.category);
        item->set("action", line.action);
        item->set("amountCents", line.amount);
        lines.add(item);
    }
    json->set("lines", lines);
    if (request.payeeName || request.payeeIban) {
        auto payee = object();
        setOptional(payee, "name", request.payeeName);
        setOptional(payee, "iban", request.payeeIban);
        json->set("payee", payee);
    }
    json->set("noDoubleSubsidyDeclared", request.noDoubleSubsidyDeclared);

    const std::vector<std::pair<std::string, std::string>> args = {
        {"requested", i18n::formatMoney(request.requested, language)},
        {"ceiling", i18n::formatMoney(network.ceilingPerIntervention(), language)},
        {"threshold", i18n::formatMoney(network.strongerValidationThreshold(), language)},
    };
    Array checks;
    for (const auto& check : request.checks) {
        auto item = object();
        item->set("id", check.id);
        item->set("rule", check.ruleId);
        item->set("status", check.status);
        std::string message;
        if (check.id == "ceiling")
            message = check.status == "pass" ? "{requested} requested, within the ceiling of {ceiling}."
                                             : "{requested} requested, above the ceiling of {ceiling}.";
        else if (check.id == "second-validation")
            message = check.status == "pass" ? "No second validation needed (threshold {threshold})."
                                             : "Above {threshold}: the approval needs a second validation.";
        else if (check.id == "envelope")
            message = check.status == "pass" ? "The envelope of the year can cover the amount requested."
                                             : "The envelope of the year cannot cover the amount requested.";
        else if (check.id == "no-double-subsidy")
            message = check.status == "pass" ? "The request declares the expense is not funded elsewhere."
                                             : "The no-double-subsidy declaration is missing.";
        else if (check.id == "plan-validated")
            message = check.status == "pass" ? "The care plan is validated by the pedopsychiatrist."
                                             : "The care plan is not validated by the pedopsychiatrist.";
        else if (check.id == "completeness")
            message = check.status == "pass" ? "The request form is complete." : "The request form is incomplete.";
        // A check a workflow adds has no summary of its own: its first unmet rule says it.
        if (!message.empty())
            item->set("message", serviceText(message, language, args));
        else
            item->set("message", check.unmet.empty() ? std::string() : check.unmet.front().message);
        if (!check.unmet.empty()) {
            Array unmet;
            for (const auto& rule : check.unmet) unmet.add(rule.message);
            item->set("unmet", unmet);
        }
        checks.add(item);
    }
    json->set("checks", checks);
    return json;
}

} // namespace caseflow::service
