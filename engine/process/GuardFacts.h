// What the workflow's guards know about signatures (R11, R16): the process layer computes these
// facts for the situation as it would be after an event and hands them to the guards as XPath
// variables, so the rules themselves stay in the workflow file with their ids:
//   $planSignature        status of the care plan's signature ("valid", "missing", "altered"...)
//   $planSignedAsAgreed   the care plan an event carries is, signature aside, the plan before it
//   $decisionSignature    status of the signature on the budget decision the event is about
//                         (the decision it carries, or for a payment the approved decision paid)
//   $decisionSignatureId  that decision's signature id ("" when unsigned), which payments quote
//   $decisionCountersignature  R14: status of the countersignature inside the decision an event
//                         carries ("missing", "valid", the Verifier's statuses, "wrong-signer"
//                         unless it is a coordinator's certificate of the person it names in
//                         `by`, "altered" when it countersigns other content, "same-signer" when
//                         the coordinator who signs the decision also countersigns it)
// Besides the checks of Verifier, a signature is "wrong-signer" unless the care plan is signed
// by the pedopsychiatrist it names (the partner's contact, or the network pedopsychiatrist's
// name, compared as normaliseName does) with a pedopsychiatrist certificate, and a decision by
// the coordinator it names in `by` with a coordinator certificate.
#pragma once

#include "model/NetworkSettings.h"
#include "signature/Verifier.h"
#include "xml/Xml.h"

#include <optional>
#include <string>
#include <utility>

namespace caseflow::store {
class Database;
}

namespace caseflow {

namespace signature {
class TrustStore;
}

struct GuardFacts {
    signature::SignatureStatus planSignature = signature::SignatureStatus::Missing;
    std::string planDetail;
    bool planSignedAsAgreed = true;
    signature::SignatureStatus decisionSignature = signature::SignatureStatus::Missing;
    std::string decisionDetail;
    std::string decisionSignatureId;
    std::string decisionCountersignature = "missing";
    std::string countersignatureDetail;
};

// Whether the guards an event may run read the care plan's facts ($planSignature,
// $planSignedAsAgreed; see StateChart::mayRead). When they do not, the plan's signature is not
// verified and its facts keep their defaults: no expression of the event could tell.
enum class PlanFacts { Read, Unread };

// `candidate` is the situation as it would be after the event, `before` as it was (may be
// null), `eventData` the event's element as placed in `candidate` (may be null).
GuardFacts guardFacts(const xmlDoc* candidate, const xmlDoc* before, const xmlNode* eventData,
                      const signature::TrustStore& trust, const NetworkSettings& network,
                      PlanFacts planFacts = PlanFacts::Read);

// The name of the pedopsychiatrist `carePlan` names, or nullopt when it names none we know.
std::optional<std::string> assignedPedopsychiatrist(const xmlNode* carePlan, const xmlDoc* situation,
                                                    const NetworkSettings& network);

// The care plan's signature in `situation`, with the signer checked against the plan.
signature::Verification verifyCarePlan(const xmlDoc* situation, const signature::TrustStore& trust,
                                       const NetworkSettings& network,
                                       signature::SignatureAge age = signature::SignatureAge::Recorded);
// A budget decision's signature, with the signer checked against the decision's `by`.
signature::Verification verifyBudgetDecision(const xmlNode* decision, const signature::TrustStore& trust,
                                             signature::SignatureAge age = signature::SignatureAge::Recorded);

// R14: what a countersignature covers, the SHA-256 (hex) of the decision's canonical content
// without its signature, its countersignature and the signing attributes.
std::string countersignedDigest(const xmlNode* decision);
// The countersignature of `decision` checked for R14 against `decisionSigner` (the common name
// of the decision's own signer, "" when unsigned): a status name, and why when not "valid".
std::pair<std::string, std::string> verifyCountersignature(const xmlNode* decision, const std::string& decisionSigner,
                                                           const signature::TrustStore& trust,
                                                           signature::SignatureAge age);

// The approved decision a payment pays: the last approved budgetDecision of its request.
xmlNode* approvedDecisionFor(const xmlDoc* situation, const std::string& requestId);
// Payments quote the signature of the decision they pay (attribute decisionSignature): sets it
// on a `payment` element from `situation` when the payment does not quote one itself.
void quoteDecisionSignature(xmlNode* payment, const xmlDoc* situation);

} // namespace caseflow
