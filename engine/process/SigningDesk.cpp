// The signing use cases (see SigningDesk.h). What must stay true: the verification that
// explains a refusal and the one the workflow's guards use are the same code (GuardFacts),
// and the event is appended in the same transaction that re-checks the signature, so a
// signature the workflow might wrongly let through (a workflow file without signature rules)
// is still never stored.
#include "process/SigningDesk.h"

#include "core/Errors.h"
#include "process/GuardFacts.h"
#include "signature/OpenSsl.h"
#include "signature/TrustStore.h"
#include "signature/XmlSignature.h"

#include <chrono>

namespace caseflow {

using signature::contentWithoutSignature;
using signature::KeyType;
using signature::kSituationAttribute;
using signature::kVersionAttribute;
using signature::SignatureAge;
using signature::signatureOf;
using signature::SigningKey;
using signature::standaloneCopy;
using signature::standaloneXml;
using signature::TrustStore;
using signature::Verification;
using signature::Verifier;
namespace ossl = signature::ossl;

namespace {

std::string nowIso() {
    return ossl::isoTime(std::chrono::system_clock::now());
}

std::string eventForDecision(const xmlNode* decision) {
    const std::string outcome = xml::attribute(decision, "outcome").value_or("");
    if (outcome == "approved" || outcome == "returned" || outcome == "rejected") return "budget." + outcome;
    throw UsageError("a budget decision's outcome is approved, returned or rejected, not '" + outcome + "'");
}

DocumentToSign prepared(xml::Document doc, const SituationRecord& record, const std::string& event, KeyType keyType) {
    DocumentToSign result;
    result.situationId = record.id;
    result.situationVersion = record.version;
    result.part = xml::name(xml::root(doc.get()));
    result.event = event;
    result.signedAt = nowIso();
    prepareForSigning(doc.get(), record.id, record.version, result.signedAt, keyType);
    result.xml = xml::serialize(doc.get());
    return result;
}

// Why a submitted signature cannot be recorded, beyond what the verification says: it was
// made for another situation, over another plan, or over an older version of the situation.
std::string contextProblem(const xmlNode* signedElement, const SituationRecord& record, const Situation& current) {
    const auto situation = xml::attribute(signedElement, kSituationAttribute).value_or("");
    if (situation != std::to_string(record.id))
        return "the signature was made for situation " + situation + ", not situation " + std::to_string(record.id);
    const auto version = xml::attribute(signedElement, kVersionAttribute).value_or("");
    if (xml::name(signedElement) == "carePlan") {
        xmlNode* plan = xml::firstChild(xml::root(current.document()), "carePlan");
        if (!plan) return "situation " + std::to_string(record.id) + " has no care plan to sign";
        if (contentWithoutSignature(plan) != contentWithoutSignature(signedElement))
            return "the signed care plan (prepared from version " + version +
                   ") is not the current plan of situation " + std::to_string(record.id) + " (version " +
                   std::to_string(record.version) + "): it changed since; sign the current plan";
    } else if (version != std::to_string(record.version)) {
        return "the decision was signed over version " + version + " of situation " + std::to_string(record.id) +
               ", which is now at version " + std::to_string(record.version) + "; prepare and sign it again";
    }
    return "";
}

} // namespace

Actor signerActor(const SigningKey& key) {
    const std::string role = key.certificate().role();
    return Actor{role.empty() ? "pedopsychiatrist" : role, key.certificate().commonName()};
}

SigningDesk::SigningDesk(FundingProcess& process) : process_(process) {}

DocumentToSign SigningDesk::preparePlan(std::int64_t situationId, KeyType keyType) const {
    const auto record = process_.situation(situationId);
    // Read only (the plan is copied out): the tree the next event on this text starts from.
    const Situation& situation = process_.parsedSituation(record);
    xmlNode* plan = xml::firstChild(xml::root(situation.document()), "carePlan");
    if (!plan) throw NotFound("situation " + std::to_string(situationId) + " has no care plan to sign");
    return prepared(standaloneCopy(plan), record, "plan.signed", keyType);
}

DocumentToSign SigningDesk::prepareDecision(std::int64_t situationId, const std::string& decisionXml,
                                            const std::string& sourceName, KeyType keyType) const {
    const auto record = process_.situation(situationId);
    auto decision = parseEventData(decisionXml, sourceName);
    if (xml::name(xml::root(decision.get())) != "budgetDecision")
        throw UsageError(sourceName + ": a decision to sign is a <budgetDecision>, not <" +
                         xml::name(xml::root(decision.get())) + ">");
    const std::string event = eventForDecision(xml::root(decision.get()));
    return prepared(std::move(decision), record, event, keyType);
}

FireResult SigningDesk::submit(std::int64_t situationId, const std::string& signedXml, const std::string& sourceName,
                               const Actor& actor, std::optional<std::int64_t> expectedVersion) {
    auto signedDoc = xml::parseString(signedXml, sourceName);
    xmlNode* signedElement = xml::root(signedDoc.get());
    const std::string part = xml::name(signedElement);
    if (part != "carePlan" && part != "budgetDecision")
        throw UsageError(sourceName + ": a signed document is a <carePlan> or a <budgetDecision>, not <" + part + ">");
    const bool plan = part == "carePlan";
    std::string event = "plan.signed";
    if (!plan) {
        try {
            event = eventForDecision(signedElement);
        } catch (const UsageError& refused) {
            // No state takes a decision with another outcome: refused like any event not taken.
            const std::string state = process_.situation(situationId).state;
            throw EventNotAllowed(refused.what(), "budget." + xml::attribute(signedElement, "outcome").value_or(""),
                                  state, process_.allowedEvents(situationId));
        }
    }
    const std::string ruleId = plan ? "R11" : "R16";

    const auto record = process_.situation(situationId);
    // The tree the firing path keeps for this stored text: fire() below starts from it too.
    const Situation& current = process_.parsedSituation(record);
    const TrustStore trust = process_.trustStore();
    Verification verification;
    if (plan) {
        Situation candidate = current.copy();
        candidate.apply(signedElement);
        verification = verifyCarePlan(candidate.document(), trust, process_.network(), SignatureAge::New);
    } else {
        verification = verifyBudgetDecision(signedElement, trust, SignatureAge::New);
    }
    std::string problem = verification.valid() ? contextProblem(signedElement, record, current) : verification.detail;
    const std::string what = std::string(plan ? "care plan" : "budget decision") + " signature refused: " + problem;

    try {
        return process_.fire(situationId, event, xml::serialize(signedDoc.get()), sourceName, actor, expectedVersion,
                             [&](store::Database&, const store::StoredEvent&) {
                                 // The workflow accepted: a last guard against a workflow file
                                 // whose rules would let a bad signature through.
                                 if (!problem.empty()) throw RuleRefusal(what, {{ruleId, problem}});
                             });
    } catch (const RuleRefusal& refusal) {
        if (problem.empty()) throw;
        throw RuleRefusal(what, refusal.violations());
    }
}

FireResult SigningDesk::signPlan(std::int64_t situationId, const SigningKey& key, const Actor& actor) {
    const auto document = preparePlan(situationId, key.key().type());
    return submit(situationId, signDocument(document.xml, key, "care plan to sign"), "signed care plan", actor,
                  document.situationVersion);
}

FireResult SigningDesk::signDecision(std::int64_t situationId, const std::string& decisionXml,
                                     const std::string& sourceName, const SigningKey& key, const Actor& actor) {
    const auto document = prepareDecision(situationId, decisionXml, sourceName, key.key().type());
    return submit(situationId, signDocument(document.xml, key, "decision to sign"), "signed " + sourceName, actor,
                  document.situationVersion);
}

namespace {

// R14's second signature placed inside the decision, over countersignedDigest, bound to the
// situation and version the decision is about.
std::string countersign(const std::string& decisionXml, const std::string& sourceName, std::int64_t situationId,
                        std::int64_t situationVersion, const SigningKey& key) {
    auto decision = parseEventData(decisionXml, sourceName);
    xmlNode* root = xml::root(decision.get());
    if (xml::name(root) != "budgetDecision")
        throw UsageError(sourceName + ": a decision to countersign is a <budgetDecision>, not <" + xml::name(root) +
                         ">");
    while (xmlNode* earlier = xml::firstChild(root, "countersignature")) {
        xmlUnlinkNode(earlier);
        xml::NodePtr removed(earlier);
    }
    const std::string digest = countersignedDigest(root);
    auto countersignature = xml::parseString("<countersignature by=\"" + xml::escaped(key.certificate().commonName()) +
                                                 "\" decision=\"" + digest + "\"/>",
                                             "countersignature");
    prepareForSigning(countersignature.get(), situationId, situationVersion, nowIso(), key.key().type());
    signature::signPrepared(countersignature.get(), key);
    xmlNode* placed = xmlDocCopyNode(xml::root(countersignature.get()), decision.get(), 1);
    // Before the decision's own signature, if it carries one: the schema's order.
    if (xmlNode* own = signatureOf(root))
        xmlAddPrevSibling(own, placed);
    else
        xmlAddChild(root, placed);
    return xml::serialize(decision.get());
}

} // namespace

std::string SigningDesk::countersignDecision(std::int64_t situationId, const std::string& decisionXml,
                                             const std::string& sourceName, const SigningKey& key) const {
    const auto record = process_.situation(situationId);
    return countersign(decisionXml, sourceName, record.id, record.version, key);
}

std::string countersignPreparedDecision(const std::string& preparedXml, const std::string& sourceName,
                                        const SigningKey& key) {
    const auto prepared = xml::parseString(preparedXml, sourceName);
    xmlNode* root = xml::root(prepared.get());
    const auto number = [&](const char* name) -> std::int64_t {
        const std::string text = xml::attribute(root, name).value_or("");
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
            throw UsageError(sourceName + ": not a decision prepared for signing (no " + name +
                             "); ask the server for the document to sign");
        return std::stoll(text);
    };
    return countersign(preparedXml, sourceName, number(signature::kSituationAttribute),
                       number(signature::kVersionAttribute), key);
}

std::string SigningDesk::exportSignedPlan(std::int64_t situationId) const {
    const auto record = process_.situation(situationId);
    const Situation situation = Situation::fromStored(record.document);
    xmlNode* plan = xml::firstChild(xml::root(situation.document()), "carePlan");
    if (!plan || !signatureOf(plan))
        throw NotFound("situation " + std::to_string(situationId) + " has no signed care plan");
    return standaloneXml(plan);
}

std::string SigningDesk::exportSignedDecision(std::int64_t situationId,
                                              const std::optional<std::string>& requestId) const {
    const auto record = process_.situation(situationId);
    const Situation situation = Situation::fromStored(record.document);
    xmlNode* found = nullptr;
    for (xmlNode* decision :
         xml::children(xml::firstChild(xml::root(situation.document()), "budgetDecisions"), "budgetDecision")) {
        if (!signatureOf(decision)) continue;
        if (requestId && xml::attribute(decision, "request") != *requestId) continue;
        found = decision;
    }
    if (!found)
        throw NotFound("situation " + std::to_string(situationId) + " has no signed budget decision" +
                       (requestId ? " for request " + *requestId : std::string()));
    return standaloneXml(found);
}

} // namespace caseflow
