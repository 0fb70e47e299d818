// Finance event data (see EventData.h).
#include "service/EventData.h"

#include "core/Errors.h"
#include "xml/Xml.h"

namespace caseflow::service {
namespace {

struct Element {
    xml::Document document;
    xmlNode* root = nullptr;
};

Element newElement(const char* name) {
    Element element;
    element.document.reset(xmlNewDoc(xml::x("1.0")));
    if (!element.document) throw Error("out of memory building event data");
    element.root = xmlNewDocNode(element.document.get(), nullptr, xml::x(name), nullptr);
    if (!element.root) throw Error("out of memory building event data");
    xmlDocSetRootElement(element.document.get(), element.root); // the document owns the node from here on
    return element;
}

void attribute(xmlNode* node, const char* name, const std::string& value) {
    // xmlSetProp escapes '<', '&' and quotes in the value when serialising.
    xmlSetProp(node, xml::x(name), xml::x(value.c_str()));
}

} // namespace

std::string budgetDecisionXml(const BudgetDecisionInput& input) {
    Element element = newElement("budgetDecision");
    attribute(element.root, "request", input.requestId);
    attribute(element.root, "date", input.date);
    attribute(element.root, "outcome", input.outcome);
    if (input.amount) attribute(element.root, "amount", std::to_string(*input.amount));
    attribute(element.root, "by", input.by);
    for (const auto& reason : input.reasons) {
        // xmlNewTextChild escapes its content (xmlNewChild would not).
        xmlNewTextChild(element.root, nullptr, xml::x("reason"), xml::x(reason.c_str()));
    }
    return xml::serializeNode(element.root);
}

std::string paymentXml(const PaymentInput& input) {
    Element element = newElement("payment");
    attribute(element.root, "id", input.paymentId);
    attribute(element.root, "request", input.requestId);
    attribute(element.root, "date", input.date);
    attribute(element.root, "amount", std::to_string(input.amount));
    attribute(element.root, "reference", input.reference);
    if (!input.supplier.empty()) attribute(element.root, "supplier", input.supplier);
    if (!input.invoiceReference.empty()) attribute(element.root, "invoiceReference", input.invoiceReference);
    for (const auto& proof : input.proofs) {
        xmlNode* node = xmlNewChild(element.root, nullptr, xml::x("proof"), nullptr);
        attribute(node, "sha256", proof.sha256);
        attribute(node, "mediaType", proof.mediaType);
        attribute(node, "size", std::to_string(proof.size));
        attribute(node, "fileName", proof.fileName);
    }
    return xml::serializeNode(element.root);
}

} // namespace caseflow::service
