// The role views as JSON (see SituationViews.h). What must stay true: the finance and
// committee builders below read attributes by name and copy them; they never copy an element
// or text content wholesale.
#include "views/SituationViews.h"

#include "model/BankAccount.h"

#include "process/RuleMessages.h"

#include "model/Money.h"
#include "model/Situation.h"
#include "model/XsBoolean.h"
#include "xml/Xml.h"

#include <Poco/JSON/Array.h>

#include <sstream>

namespace caseflow::views {
namespace {

using Object = Poco::JSON::Object;
using Array = Poco::JSON::Array;

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

Array::Ptr paymentsOf(std::int64_t situationId, xmlNode* root, View view) {
    auto payments = Poco::makeShared<Array>();
    int ordinal = 0;
    for (xmlNode* payment : parts(root, "payments", "payment")) {
        ++ordinal;
        auto json = object();
        if (view == View::Finance) setOptional(json, "id", xml::attribute(payment, "id"));
        setOptional(json, "request", xml::attribute(payment, "request"));
        setOptional(json, "date", xml::attribute(payment, "date"));
        setCents(json, "amountCents", payment, "amount");
        if (view == View::Finance) {
            setOptional(json, "reference", xml::attribute(payment, "reference"));
            // What the payee's bank line quotes (PaymentRuns.h): the payment's place in its situation.
            if (const auto communication = communicationOf({situationId, ordinal}))
                json->set("structuredCommunication", communication->formatted());
        }
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

Poco::JSON::Object::Ptr object() {
    return Poco::makeShared<Object>(Poco::JSON_PRESERVE_KEY_ORDER);
}

Poco::JSON::Array::Ptr statesJson(const workflow::StateSet& states) {
    auto json = Poco::makeShared<Array>();
    for (const auto& state : states) json->add(state);
    return json;
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
    json->set("states", statesJson(workflow::StateSet::parse(record.state)));
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
    json->set("payments", paymentsOf(record.id, root, view));
    return json;
}

void addIdentityFacts(Poco::JSON::Object& json, const SituationRecord& record, View view,
                      const NetworkSettings& network, const Date& on) {
    if (view != View::Full) return;
    const Situation situation = Situation::fromStored(record.document);
    xmlNode* root = xml::root(situation.document());
    if (xmlNode* redirection = xml::firstChild(root, "redirection")) {
        auto redirectionJson = object();
        setOptional(redirectionJson, "reason", xml::attribute(redirection, "reason"));
        setOptional(redirectionJson, "date", xml::attribute(redirection, "date"));
        if (xmlNode* to = xml::firstChild(redirection, "redirectedTo")) redirectionJson->set("to", xml::text(to));
        json.set("redirection", redirectionJson);
    }
    Array attention;
    try {
        for (const auto& flag : network.attentionFlags(situation.birthDate(), on)) attention.add(flag);
    } catch (const std::exception&) {
        // A stored document without a readable birth date has no age to flag.
    }
    json.set("attention", attention);
}

Poco::JSON::Object::Ptr fireResultJson(const FireResult& result) {
    auto json = object();
    json->set("situationId", result.situationId);
    json->set("version", result.version);
    json->set("state", result.outcome.activeStates.text());
    json->set("states", statesJson(result.outcome.activeStates));
    json->set("finished", result.outcome.finished);
    Poco::JSON::Array deadlines;
    for (const auto& deadline : result.outcome.deadlines) {
        auto item = object();
        item->set("deadline", deadline.sendId);
        item->set("event", deadline.event);
        item->set("due", deadline.due);
        deadlines.add(item);
    }
    json->set("deadlines", deadlines);
    return json;
}

Poco::JSON::Object::Ptr underSpendingJson(const UnderSpendingFigure& figure, const std::string& language) {
    auto json = object();
    json->set("elapsedPermille", figure.elapsedPermille);
    json->set("committedPermille", figure.committedPermille);
    json->set("paidPermille", figure.paidPermille);
    json->set("warningPoints", figure.warningPoints);
    json->set("warning", figure.warning);
    json->set("progress", envelopeProgress(figure, language));
    if (figure.warning) json->set("message", underSpendingWarning(figure, language));
    return json;
}

} // namespace caseflow::views
