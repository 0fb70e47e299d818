// The finance copy of a situation for its documents (see FinanceDocumentView.h).
#include "render/FinanceDocumentView.h"

#include "core/Errors.h"

#include <initializer_list>
#include <string>

namespace caseflow::render {
namespace {

constexpr const char* kDsigNamespace = "http://www.w3.org/2000/09/xmldsig#";

xmlNode* addElement(xmlNode* parent, const char* name) {
    xmlNode* node = xmlNewChild(parent, nullptr, xml::x(name), nullptr);
    if (!node) throw Error("out of memory building the finance view of a situation");
    return node;
}

void copyAttributes(const xmlNode* from, xmlNode* to, std::initializer_list<const char*> names) {
    for (const char* name : names)
        if (auto value = xml::attribute(from, name)) xmlSetProp(to, xml::x(name), xml::x(value->c_str()));
}

bool signedElement(const xmlNode* element) {
    for (const xmlNode* child = element->children; child; child = child->next)
        if (child->type == XML_ELEMENT_NODE && xml::name(child) == "Signature" && child->ns && child->ns->href &&
            std::string(reinterpret_cast<const char*>(child->ns->href)) == kDsigNamespace)
            return true;
    return false;
}

// An empty ds:Signature: tells the template the element is signed; what the signature says
// comes from the verification done on the stored situation ($signatures), not from this copy.
void markSigned(xmlNode* element) {
    xmlNs* ns = xmlNewNs(element, xml::x(kDsigNamespace), xml::x("ds"));
    xmlNewChild(element, ns, xml::x("Signature"), nullptr);
}

} // namespace

bool financeMayRead(const std::string& document) {
    return document == "budget-decision" || document == "payment-notice";
}

xml::Document financeCopy(const xmlDoc* situation) {
    xmlNode* from = xml::root(const_cast<xmlDoc*>(situation));
    xml::Document copy(xmlNewDoc(xml::x("1.0")));
    if (!copy) throw Error("out of memory building the finance view of a situation");
    xmlNode* root = xmlNewDocNode(copy.get(), nullptr, xml::x("situation"), nullptr);
    xmlDocSetRootElement(copy.get(), root);
    copyAttributes(from, root, {"id", "openedOn"});

    if (xmlNode* youth = xml::firstChild(from, "youth")) {
        xmlNode* to = addElement(root, "youth");
        if (xmlNode* reference = xml::firstChild(youth, "reference"))
            xmlNewTextChild(to, nullptr, xml::x("reference"), xml::x(xml::text(reference).c_str()));
    }
    // The designated case manager (R15's check), without the minutes.
    if (xmlNode* concertations = xml::firstChild(from, "concertations")) {
        xmlNode* to = addElement(root, "concertations");
        for (xmlNode* concertation : xml::children(concertations, "concertation")) {
            xmlNode* held = addElement(to, "concertation");
            copyAttributes(concertation, held, {"id", "date"});
            if (xmlNode* caseManager = xml::firstChild(concertation, "caseManager"))
                copyAttributes(caseManager, addElement(held, "caseManager"), {"partner"});
        }
    }
    // The plan's validation and action ids (R11, R12's checks), without its content.
    if (xmlNode* plan = xml::firstChild(from, "carePlan")) {
        xmlNode* to = addElement(root, "carePlan");
        copyAttributes(plan, to, {"agreedOn"});
        if (signedElement(plan) || xml::firstChild(plan, "validation")) addElement(to, "validation");
        if (xmlNode* actions = xml::firstChild(plan, "actions")) {
            xmlNode* ids = addElement(to, "actions");
            for (xmlNode* action : xml::children(actions, "action"))
                copyAttributes(action, addElement(ids, "action"), {"id"});
        }
    }
    if (xmlNode* requests = xml::firstChild(from, "fundingRequests")) {
        xmlNode* to = addElement(root, "fundingRequests");
        for (xmlNode* request : xml::children(requests, "fundingRequest")) {
            xmlNode* copied = addElement(to, "fundingRequest");
            copyAttributes(request, copied, {"id", "date", "renewalOf"});
            for (xmlNode* line : xml::children(request, "line"))
                copyAttributes(line, addElement(copied, "line"), {"category", "action", "amount"});
            if (xmlNode* declaration = xml::firstChild(request, "noDoubleSubsidy"))
                copyAttributes(declaration, addElement(copied, "noDoubleSubsidy"), {"declared"});
            if (xmlNode* payee = xml::firstChild(request, "payee"))
                copyAttributes(payee, addElement(copied, "payee"), {"name", "iban", "bic"});
            if (xmlNode* caseManager = xml::firstChild(request, "caseManager"))
                copyAttributes(caseManager, addElement(copied, "caseManager"), {"partner"});
        }
    }
    if (xmlNode* decisions = xml::firstChild(from, "budgetDecisions")) {
        xmlNode* to = addElement(root, "budgetDecisions");
        for (xmlNode* decision : xml::children(decisions, "budgetDecision")) {
            xmlNode* copied = addElement(to, "budgetDecision");
            copyAttributes(decision, copied,
                           {"request", "date", "outcome", "amount", "by", "countersignedBy", "signedAt", "situation",
                            "situationVersion"});
            if (signedElement(decision)) markSigned(copied);
        }
    }
    if (xmlNode* payments = xml::firstChild(from, "payments")) {
        xmlNode* to = addElement(root, "payments");
        for (xmlNode* payment : xml::children(payments, "payment")) {
            xmlNode* copied = addElement(to, "payment");
            copyAttributes(
                payment, copied,
                {"id", "request", "date", "amount", "reference", "decisionSignature", "supplier", "invoiceReference"});
            for (xmlNode* proof : xml::children(payment, "proof"))
                copyAttributes(proof, addElement(copied, "proof"), {"sha256", "mediaType", "size", "fileName"});
        }
    }
    return copy;
}

} // namespace caseflow::render
