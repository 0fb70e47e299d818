// Checks one signed element (a carePlan or a budgetDecision) against the network's trust:
// the signature's shape, the signed bytes, the certificate's chain to the network's
// certification authority at the signing time, and, with the trust store, that the
// certificate was issued through `caseflow signer add` and was not revoked. It says who
// signed what and when, and, when something is wrong, precisely what.
//
// What must stay true: a status other than Valid always comes with a detail a person can act
// on; the same element gives the same answer inside the situation document and standalone;
// and which person a rule expects (the plan's pedopsychiatrist, the deciding coordinator) is
// not decided here but by the caller (see GuardFacts), so this check stays reusable for
// outsiders' files.
#pragma once

#include "signature/Certificate.h"
#include "xml/Xml.h"

#include <cstdint>
#include <optional>
#include <string>

namespace caseflow::signature {

class TrustStore;

// The order is the order of the checks: the first that fails is reported.
enum class SignatureStatus {
    Valid,
    Missing,     // the element carries no signature
    Malformed,   // not the one shape we sign, or unreadable parts
    Altered,     // the signed content or the signature value changed after signing
    Untrusted,   // the certificate does not chain to the network's authority, or is unknown to the trust store
    Expired,     // the certificate was not valid at the signing time (or, for a new signature, now)
    Revoked,     // the certificate was revoked before the signing time (or, for a new signature, at all)
    WrongSigner, // valid, but not by the person the rule expects (set by callers, see GuardFacts)
};
// "valid", "missing", "malformed", "altered", "untrusted", "expired", "revoked", "wrong-signer":
// the values workflow guards compare against ($planSignature, $decisionSignature).
std::string statusName(SignatureStatus status);

struct Verification {
    SignatureStatus status = SignatureStatus::Missing;
    std::string detail;      // why, in a sentence, when not Valid
    std::string element;     // "carePlan" or "budgetDecision"
    std::string signer;      // the certificate's common name
    std::string role;        // the certificate's role (title)
    std::string signedAt;    // ISO 8601 UTC, as signed
    std::string fingerprint; // SHA-256 of the signer's certificate, hex
    std::string issuer;      // the certificate's issuer, one line
    std::string signatureId; // SHA-256 of the signature value, hex
    std::string algorithm;   // rsa-sha256 or ecdsa-sha256
    std::optional<std::int64_t> situationId;
    std::optional<std::int64_t> situationVersion;
    bool revocationChecked = false; // false when checked against a CA certificate alone
    bool valid() const { return status == SignatureStatus::Valid; }
};

// A signature already recorded is judged at its signing time; one being recorded now must
// also be valid now (a revoked or expired certificate cannot sign any more, whatever time
// the signer claims).
enum class SignatureAge { Recorded, New };

// A Verifier belongs to one thread at a time (it reads the authority once, on first need).
class Verifier {
public:
    // Verifies against the database's trust store (authority, signers, revocations).
    explicit Verifier(const TrustStore& trust);
    // Verifies against one authority's certificate, as an outsider would (no revocation list).
    explicit Verifier(Certificate authority);

    Verification verify(const xmlNode* signedElement, SignatureAge age = SignatureAge::Recorded) const;

private:
    // The trust store's authority, read when the first signed element is checked (an unsigned
    // one needs none) and kept for this verifier's life: authority rows are never changed nor
    // deleted (triggers), so one read per verifier is as fresh as one per element.
    const std::optional<Certificate>& authority() const;

    const TrustStore* trust_ = nullptr;
    mutable std::optional<Certificate> authority_;
    mutable bool authorityRead_ = false;
};

} // namespace caseflow::signature
