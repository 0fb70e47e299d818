// The signing use cases over one funding process, for the CLI and the HTTP service alike:
// hand out the exact document a signer signs (the care plan, or a budget decision about to be
// recorded, with what/when attributes and an empty signature template), take a signed document
// back and record it as its workflow event, and export signed elements for outsiders.
//
//   prepare*  -> DocumentToSign.xml --(signer's machine: `caseflow sign-file`, or
//                `xmlsec1 --sign --pkcs12 KEY.p12`)--> signed XML -> submit -> event
//
// A signed care plan is recorded as `plan.signed`; a signed decision as `budget.approved`,
// `budget.returned` or `budget.rejected` after its outcome. What must stay true: nothing is
// recorded unless the workflow's rules accept the event (R11, R16 decide with the signature
// facts, see GuardFacts) and the signature verifies; a refusal names the rule and says
// precisely what is wrong with the signature; the private key never has to reach this code
// (signPlan/signDecision are conveniences for a signer working on the server's machine).
#pragma once

#include "process/FundingProcess.h"
#include "signature/SigningKey.h"
#include "signature/Verifier.h"

#include <cstdint>
#include <optional>
#include <string>

namespace caseflow {

struct DocumentToSign {
    std::int64_t situationId = 0;
    std::int64_t situationVersion = 0; // the version it was prepared from
    std::string part;                  // "carePlan" or "budgetDecision"
    std::string event;                 // what submitting it records
    std::string signedAt;              // ISO 8601 UTC, inside the signed content
    std::string xml;                   // the document to sign, UTF-8 text
};

class SigningDesk {
public:
    explicit SigningDesk(FundingProcess& process);

    // The situation's current care plan, ready to sign. NotFound when there is none.
    DocumentToSign preparePlan(std::int64_t situationId, signature::KeyType keyType = signature::KeyType::Ecdsa) const;
    // A budget decision (the data `budget.approved` & co. carry), ready to sign; validated
    // against the schema first (InvalidInput).
    DocumentToSign prepareDecision(std::int64_t situationId, const std::string& decisionXml,
                                   const std::string& sourceName,
                                   signature::KeyType keyType = signature::KeyType::Ecdsa) const;

    // Verifies a signed care plan or budget decision and records it as its event. Throws
    // RuleRefusal (R11 for plans, R16 for decisions; what() says precisely why), InvalidInput
    // for a document that does not parse, UsageError for one that is neither a care plan nor a
    // decision or an event not allowed in the current state, Conflict when `expectedVersion`
    // is stale. Nothing is stored unless everything passes.
    FireResult submit(std::int64_t situationId, const std::string& signedXml, const std::string& sourceName,
                      const Actor& actor, std::optional<std::int64_t> expectedVersion = std::nullopt);

    // prepare + sign with `key` + submit, for a signer at this machine.
    FireResult signPlan(std::int64_t situationId, const signature::SigningKey& key, const Actor& actor);
    FireResult signDecision(std::int64_t situationId, const std::string& decisionXml, const std::string& sourceName,
                            const signature::SigningKey& key, const Actor& actor);

    // R14: the budget decision countersigned with `key` by a second coordinator: the same
    // decision with a signed <countersignature> inside (over countersignedDigest), to be signed
    // and recorded by the coordinator who decides (`decision sign`). An earlier countersignature
    // is replaced. Needs no write: the guards judge it when the decision is recorded.
    std::string countersignDecision(std::int64_t situationId, const std::string& decisionXml,
                                    const std::string& sourceName, const signature::SigningKey& key) const;

    // The signed care plan, standalone (what `xmlsec1 --verify` checks). NotFound when unsigned.
    std::string exportSignedPlan(std::int64_t situationId) const;
    // The last signed budget decision (of `requestId` when given), standalone.
    std::string exportSignedDecision(std::int64_t situationId, const std::optional<std::string>& requestId) const;

private:
    FundingProcess& process_;
};

// R14 on the second coordinator's own machine (split flow): countersigns a decision the server
// prepared for signing (it names its situation and version), with no database at hand; the
// coordinator who decides then signs the result.
std::string countersignPreparedDecision(const std::string& preparedXml, const std::string& sourceName,
                                        const signature::SigningKey& key);

// Who signs with `key`, as an actor: "pedopsychiatrist:Dr Hélène Marchal".
Actor signerActor(const signature::SigningKey& key);

} // namespace caseflow
