// Fuzz target: a JSON request body as the HTTP endpoints read it (service/JsonBody), with
// every field any endpoint declares, each read with the accessor and limits its endpoint
// uses; then the finance event data built from the checked values (service/EventData), as
// the decision and payment endpoints do.
// Properties: no body escapes as anything but a ProblemException of a 4xx kind whose
// problem+json is valid UTF-8 (JsonBody.h); the event data built from accepted values is
// well-formed XML whose element, attributes and children are exactly the values given, so no
// input changes its structure (EventData.h).
#include "FuzzSupport.h"

#include "core/Errors.h"
#include "model/Situation.h"
#include "service/EventData.h"
#include "service/JsonBody.h"
#include "service/Problem.h"
#include "xml/Xml.h"

#include <Poco/JSON/Stringifier.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <sstream>

using namespace caseflow;
using namespace caseflow::service;

namespace {

const std::vector<std::string> kFields = {"outcome",   "amountCents",     "date",           "reasons",
                                          "reference", "paymentId",       "document",       "event",
                                          "data",      "expectedVersion", "countersignedBy"};

void checkProblem(const ProblemException& refused) {
    const Problem& problem = refused.problem();
    if (problem.status() < 400 || problem.status() > 499)
        fuzz::violated("a body is refused with a 4xx problem", "status " + std::to_string(problem.status()));
    for (const char* language : {"en", "fr", "nl"}) {
        std::ostringstream body;
        Poco::JSON::Stringifier::stringify(problem.toJson(language, "/api/v1/fuzz"), body);
        if (!isValidUtf8(body.str())) fuzz::violated("problem bodies are valid UTF-8", body.str());
    }
}

// Runs one accessor as an endpoint would: a refusal is a checked problem, not a failure.
template <typename Read> auto field(Read read) -> decltype(read()) {
    try {
        return read();
    } catch (const ProblemException& refused) {
        checkProblem(refused);
        return {};
    }
}

// XML 1.0 refuses some characters whatever the escaping (C0 controls, U+FFFE, U+FFFF):
// built data holding one cannot be well-formed, and the schema step refuses it by name.
bool xmlAllows(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto ch = static_cast<unsigned char>(text[i]);
        if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') return false;
        if (ch == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBF &&
            (static_cast<unsigned char>(text[i + 2]) == 0xBE || static_cast<unsigned char>(text[i + 2]) == 0xBF))
            return false;
    }
    return true;
}

// `built` must be exactly <element attributes...>children</element>.
void checkBuilt(const std::string& built, const std::string& element,
                const std::vector<std::pair<std::string, std::string>>& attributes,
                const std::vector<std::string>& reasons) {
    bool representable = true;
    for (const auto& [name, value] : attributes) representable = representable && xmlAllows(value);
    for (const auto& reason : reasons) representable = representable && xmlAllows(reason);
    xml::Document document;
    try {
        document = xml::parseString(built, "built event data");
    } catch (const UsageError& refused) {
        if (representable) fuzz::violated("event data built from checked values is well-formed", built);
        return;
    }
    xmlNode* root = xml::root(document.get());
    if (xml::name(root) != element) fuzz::violated("the built element keeps its name", built);
    std::size_t count = 0;
    for (xmlAttr* attribute = root->properties; attribute; attribute = attribute->next) ++count;
    if (count != attributes.size()) fuzz::violated("the built element has exactly the attributes given", built);
    for (const auto& [name, value] : attributes)
        if (xml::attribute(root, name.c_str()) != value)
            fuzz::violated("each attribute holds the value given, escaped, not interpreted", name + "\n" + built);
    const auto children = xml::children(root);
    if (children.size() != reasons.size()) fuzz::violated("the built element has one child per reason", built);
    for (std::size_t i = 0; i < children.size(); ++i) {
        const bool oneText = !children[i]->children || !children[i]->children->next;
        if (xml::name(children[i]) != "reason" || xml::text(children[i]) != reasons[i] || !oneText)
            fuzz::violated("each reason is one text child", built);
    }
}

void decision(const JsonBody& body) {
    BudgetDecisionInput input;
    input.requestId = "fr-1";
    input.by = "Fuzz Coordinator";
    const auto outcome = field([&] { return body.text("outcome", true, 16); });
    if (!outcome) return;
    input.outcome = *outcome;
    input.amount = field([&] { return body.cents("amountCents", input.outcome == "approved", false); });
    input.date = field([&] { return body.date("date", false); }).value_or("2026-11-26");
    input.reasons =
        field([&] { return body.textList("reasons", false, 20, 2000); }).value_or(std::vector<std::string>{});
    std::vector<std::pair<std::string, std::string>> attributes = {
        {"request", input.requestId}, {"date", input.date}, {"outcome", input.outcome}, {"by", input.by}};
    if (input.amount) attributes.emplace_back("amount", std::to_string(*input.amount));
    checkBuilt(budgetDecisionXml(input), "budgetDecision", attributes, input.reasons);
}

void payment(const JsonBody& body) {
    PaymentInput input;
    input.requestId = "fr-1";
    const auto amount = field([&] { return body.cents("amountCents", true, true); });
    const auto reference = field([&] { return body.text("reference", true, 300); });
    if (!amount || !reference) return;
    input.amount = *amount;
    input.reference = *reference;
    input.date = field([&] { return body.date("date", false); }).value_or("2026-11-26");
    const auto id = field([&] { return body.text("paymentId", false, 64); });
    input.paymentId = id && isIdentifier(*id) ? *id : "pay-0123456789abcdef";
    checkBuilt(paymentXml(input), "payment",
               {{"id", input.paymentId},
                {"request", input.requestId},
                {"date", input.date},
                {"amount", std::to_string(input.amount)},
                {"reference", input.reference}},
               {});
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::optional<JsonBody> body;
    try {
        body.emplace(JsonBody::parse(std::string(fuzz::bytes(data, size)), kFields));
    } catch (const ProblemException& refused) {
        checkProblem(refused);
        return 0;
    }
    decision(*body);
    payment(*body);
    (void)field([&] { return body->text("event", true, 64); });
    (void)field([&] { return body->integer("expectedVersion", false, 0, std::numeric_limits<std::int64_t>::max()); });
    if (const auto text = field([&] { return body->text("data", false, 1 << 20); })) {
        try {
            (void)parseEventData(*text, "data");
        } catch (const UsageError&) {
        }
    }
    return 0;
}
