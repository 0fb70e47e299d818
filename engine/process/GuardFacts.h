// What the workflow's guards know about signatures (R11, R16): the process layer computes these
// facts for the situation as it would be after an event and hands them to the guards as XPath
// variables, so the rules themselves stay in the workflow file with their ids:
//   $planSignature        status of the care plan's signature ("valid", "missing", "altered"...)
//   $planSignedAsAgreed   the care plan an event carries is, signature aside, the plan before it
//   $decisionSignature    status of the signature on the budget decision the event is about
//                         (the decision it carries, or for a payment the approved decision paid)
//   $decisionSignatureId  that decision's signature id ("" when unsigned), which payments quote
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
};

// `candidate` is the situation as it would be after the event, `before` as it was (may be
// null), `eventData` the event's element as placed in `candidate` (may be null).
GuardFacts guardFacts(const xmlDoc* candidate, const xmlDoc* before, const xmlNode* eventData,
                      const signature::TrustStore& trust, const NetworkSettings& network);

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

// The approved decision a payment pays: the last approved budgetDecision of its request.
xmlNode* approvedDecisionFor(const xmlDoc* situation, const std::string& requestId);
// Payments quote the signature of the decision they pay (attribute decisionSignature): sets it
// on a `payment` element from `situation` when the payment does not quote one itself.
void quoteDecisionSignature(xmlNode* payment, const xmlDoc* situation);

} // namespace caseflow
