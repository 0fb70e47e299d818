// Signature facts for the workflow's guards (see GuardFacts.h). What must stay true: the
// facts depend only on the documents, the trust store and the clock, never on who fires the
// event, so the CLI, the HTTP service and a direct `caseflow event` get the same answer.
#include "process/GuardFacts.h"

#include "signature/TrustStore.h"
#include "signature/XmlSignature.h"
#include "store/Sha256.h"

#include <tuple>

namespace caseflow {

using signature::contentWithoutSignature;
using signature::inspectSignature;
using signature::KeyType;
using signature::MalformedSignature;
using signature::normaliseName;
using signature::SignatureAge;
using signature::signatureOf;
using signature::SignatureStatus;
using signature::SigningKey;
using signature::TrustStore;
using signature::Verification;
using signature::Verifier;
namespace {

xmlNode* child(const xmlDoc* doc, const char* name) {
    return xml::firstChild(xml::root(doc), name);
}

Verification wrongSigner(Verification result, std::string detail) {
    result.status = SignatureStatus::WrongSigner;
    result.detail = std::move(detail);
    return result;
}

Verification checkPlanSigner(Verification result, const xmlNode* carePlan, const xmlDoc* situation,
                             const NetworkSettings& network) {
    if (!result.valid()) return result;
    if (result.role != "pedopsychiatrist")
        return wrongSigner(result, "the care plan is signed by '" + result.signer + "' as " + result.role +
                                       "; only a pedopsychiatrist's certificate validates a care plan");
    const auto assigned = assignedPedopsychiatrist(carePlan, situation, network);
    if (!assigned)
        return wrongSigner(result, "the care plan names no pedopsychiatrist the network knows, so no signature "
                                   "can validate it");
    if (normaliseName(*assigned) != normaliseName(result.signer))
        return wrongSigner(result, "the care plan is signed by '" + result.signer + "', but it names '" + *assigned +
                                       "' as its pedopsychiatrist");
    return result;
}

} // namespace

std::optional<std::string> assignedPedopsychiatrist(const xmlNode* carePlan, const xmlDoc* situation,
                                                    const NetworkSettings& network) {
    xmlNode* named = xml::firstChild(const_cast<xmlNode*>(carePlan), "pedopsychiatrist");
    if (!named) return std::nullopt;
    if (const auto partner = xml::attribute(named, "partner")) {
        for (xmlNode* candidate : xml::children(child(situation, "partners"), "partner")) {
            if (xml::attribute(candidate, "id") != partner) continue;
            const std::string contact = xml::text(xml::firstChild(candidate, "contact"));
            return contact.empty() ? std::nullopt : std::optional<std::string>(contact);
        }
        return std::nullopt;
    }
    if (const auto id = xml::attribute(named, "networkPedopsychiatrist")) {
        for (const auto& pedopsychiatrist : network.pedopsychiatrists())
            if (pedopsychiatrist.id == *id) return pedopsychiatrist.name;
    }
    return std::nullopt;
}

Verification verifyCarePlan(const xmlDoc* situation, const TrustStore& trust, const NetworkSettings& network,
                            SignatureAge age) {
    xmlNode* carePlan = child(situation, "carePlan");
    if (!carePlan) {
        Verification none;
        none.element = "carePlan";
        none.detail = "the situation has no care plan";
        return none;
    }
    return checkPlanSigner(Verifier(trust).verify(carePlan, age), carePlan, situation, network);
}

Verification verifyBudgetDecision(const xmlNode* decision, const TrustStore& trust, SignatureAge age) {
    Verification result = Verifier(trust).verify(decision, age);
    if (!result.valid()) return result;
    if (result.role != "coordinator")
        return wrongSigner(result, "the budget decision is signed by '" + result.signer + "' as " + result.role +
                                       "; only the network coordinator's certificate signs a decision");
    const std::string by = xml::attribute(decision, "by").value_or("");
    if (normaliseName(by) != normaliseName(result.signer))
        return wrongSigner(result, "the budget decision is signed by '" + result.signer + "', but it names '" + by +
                                       "' as the coordinator who decided (by)");
    return result;
}

std::string countersignedDigest(const xmlNode* decision) {
    auto copy = signature::standaloneCopy(decision);
    xmlNode* root = xml::root(copy.get());
    while (xmlNode* countersignature = xml::firstChild(root, "countersignature")) {
        xmlUnlinkNode(countersignature);
        xml::NodePtr removed(countersignature);
    }
    return store::sha256Hex(contentWithoutSignature(root));
}

std::pair<std::string, std::string> verifyCountersignature(const xmlNode* decision, const std::string& decisionSigner,
                                                           const TrustStore& trust, SignatureAge age) {
    xmlNode* countersignature = xml::firstChild(const_cast<xmlNode*>(decision), "countersignature");
    if (!countersignature) return {"missing", "the decision carries no countersignature"};
    const Verification checked = Verifier(trust).verify(countersignature, age);
    if (!checked.valid()) return {signature::statusName(checked.status), checked.detail};
    const std::string by = xml::attribute(countersignature, "by").value_or("");
    if (checked.role != "coordinator" || normaliseName(by) != normaliseName(checked.signer))
        return {"wrong-signer", "the countersignature is signed by '" + checked.signer + "' as " + checked.role +
                                    "; it must be the coordinator it names (by='" + by +
                                    "'), with a coordinator's certificate"};
    if (xml::attribute(countersignature, "decision") != countersignedDigest(decision))
        return {"altered", "the countersignature was made over another decision: the decision changed since"};
    if (!decisionSigner.empty() && normaliseName(decisionSigner) == normaliseName(checked.signer))
        return {"same-signer", "'" + checked.signer +
                                   "' signs the decision and countersigns it: the second "
                                   "validation must be another coordinator's"};
    return {"valid", ""};
}

xmlNode* approvedDecisionFor(const xmlDoc* situation, const std::string& requestId) {
    xmlNode* found = nullptr;
    for (xmlNode* decision : xml::children(child(situation, "budgetDecisions"), "budgetDecision")) {
        if (xml::attribute(decision, "request") == requestId && xml::attribute(decision, "outcome") == "approved")
            found = decision;
    }
    return found;
}

void quoteDecisionSignature(xmlNode* payment, const xmlDoc* situation) {
    if (!payment || xml::name(payment) != "payment" || xml::attribute(payment, "decisionSignature")) return;
    xmlNode* decision = approvedDecisionFor(situation, xml::attribute(payment, "request").value_or(""));
    if (!decision || !signatureOf(decision)) return;
    try {
        const auto content = inspectSignature(decision);
        xmlSetProp(payment, xml::x("decisionSignature"), xml::x(content.signatureId.c_str()));
    } catch (const MalformedSignature&) {
        // An unreadable decision signature is quoted by nobody; the guards refuse the payment.
    }
}

GuardFacts guardFacts(const xmlDoc* candidate, const xmlDoc* before, const xmlNode* eventData, const TrustStore& trust,
                      const NetworkSettings& network, PlanFacts planFacts) {
    GuardFacts facts;
    xmlNode* carePlan = planFacts == PlanFacts::Read ? child(candidate, "carePlan") : nullptr;
    if (carePlan) {
        const auto age = eventData == carePlan ? SignatureAge::New : SignatureAge::Recorded;
        const auto plan = verifyCarePlan(candidate, trust, network, age);
        facts.planSignature = plan.status;
        facts.planDetail = plan.detail;
        xmlNode* previous = before ? child(before, "carePlan") : nullptr;
        if (eventData == carePlan && previous)
            facts.planSignedAsAgreed = contentWithoutSignature(carePlan) == contentWithoutSignature(previous);
    }
    const xmlNode* decision = nullptr;
    auto age = SignatureAge::Recorded;
    if (eventData && xml::name(eventData) == "budgetDecision") {
        decision = eventData;
        age = SignatureAge::New;
    } else if (eventData && xml::name(eventData) == "payment") {
        decision = approvedDecisionFor(candidate, xml::attribute(eventData, "request").value_or(""));
    }
    if (decision) {
        const auto checked = verifyBudgetDecision(decision, trust, age);
        facts.decisionSignature = checked.status;
        facts.decisionDetail = checked.detail;
        if (!checked.signatureId.empty()) facts.decisionSignatureId = checked.signatureId;
        if (decision == eventData) {
            // The decision's own signer as its certificate says, valid or not: the same person
            // twice is refused even when the first signature has another problem too.
            std::string signer = checked.signer;
            std::tie(facts.decisionCountersignature, facts.countersignatureDetail) =
                verifyCountersignature(decision, signer, trust, age);
        }
    }
    return facts;
}

} // namespace caseflow
