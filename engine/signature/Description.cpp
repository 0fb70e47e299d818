// Signature descriptions for documents (see Description.h). What must stay true: a
// description is computed from the document and the trust store as they are now, so a plan
// changed after its signature shows "not valid for the current content" in every rendering.
#include "signature/Description.h"

#include "model/Date.h"
#include "signature/GuardFacts.h"
#include "signature/OpenSsl.h"
#include "signature/TrustStore.h"
#include "signature/XmlSignature.h"

#include <cstdio>
#include <ctime>

namespace caseflow::signature {
namespace {

SignatureDescription described(const Verification& verification, const xmlNode* element) {
    SignatureDescription description;
    description.element = verification.element;
    description.signer = verification.signer;
    description.role = verification.role;
    description.signedAt = verification.signedAt;
    description.signedAtBrussels = brusselsTime(verification.signedAt);
    description.fingerprint = ossl::colonHex(verification.fingerprint);
    description.situationVersion = verification.situationVersion;
    description.validForCurrentContent = verification.valid();
    description.status = statusName(verification.status);
    description.detail = verification.detail;
    description.signedXml = standaloneXml(element);
    if (verification.element == "budgetDecision") {
        description.request = xml::attribute(element, "request").value_or("");
        description.outcome = xml::attribute(element, "outcome").value_or("");
    }
    return description;
}

} // namespace

std::string brusselsTime(const std::string& utcIso) {
    std::chrono::system_clock::time_point instant;
    if (!ossl::parseIsoTime(utcIso, instant)) return "";
    const long offset = brusselsUtcOffsetSeconds(instant);
    const std::time_t local = std::chrono::system_clock::to_time_t(instant) + offset;
    std::tm parts{};
    gmtime_r(&local, &parts);
    char buffer[40];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &parts);
    char zone[32];
    std::snprintf(zone, sizeof zone, "%+03ld:%02ld", offset / 3600, (offset % 3600) / 60);
    return std::string(buffer) + zone;
}

std::vector<SignatureDescription> describe(const xmlDoc* situationDocument, const TrustStore& trust,
                                           const NetworkSettings* network) {
    std::vector<SignatureDescription> found;
    xmlNode* situation = xml::root(situationDocument);
    if (xmlNode* plan = xml::firstChild(situation, "carePlan"); plan && signatureOf(plan)) {
        const auto verification =
            network ? verifyCarePlan(situationDocument, trust, *network) : Verifier(trust).verify(plan);
        found.push_back(described(verification, plan));
    }
    for (xmlNode* decision : xml::children(xml::firstChild(situation, "budgetDecisions"), "budgetDecision")) {
        if (signatureOf(decision)) found.push_back(described(verifyBudgetDecision(decision, trust), decision));
    }
    return found;
}

xml::Document describeAsXml(const xmlDoc* situationDocument, const TrustStore& trust, const NetworkSettings* network) {
    xml::Document doc(xmlNewDoc(xml::x("1.0")));
    xmlNode* root = xmlNewDocNode(doc.get(), nullptr, xml::x("signatures"), nullptr);
    xmlDocSetRootElement(doc.get(), root);
    for (const auto& description : describe(situationDocument, trust, network)) {
        xmlNode* node = xmlNewChild(root, nullptr, xml::x("signature"), nullptr);
        const auto set = [&](const char* name, const std::string& value) {
            xmlSetProp(node, xml::x(name), xml::x(value.c_str()));
        };
        set("element", description.element);
        if (!description.request.empty()) set("request", description.request);
        if (!description.outcome.empty()) set("outcome", description.outcome);
        set("signer", description.signer);
        set("role", description.role);
        set("signedAt", description.signedAt);
        set("signedAtBrussels", description.signedAtBrussels);
        set("fingerprint", description.fingerprint);
        if (description.situationVersion) set("situationVersion", std::to_string(*description.situationVersion));
        set("valid", description.validForCurrentContent ? "true" : "false");
        set("status", description.status);
        set("detail", description.detail);
    }
    return doc;
}

} // namespace caseflow::signature
