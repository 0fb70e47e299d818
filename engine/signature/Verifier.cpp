// The verification pipeline (see Verifier.h). What must stay true: the checks run in the
// order of SignatureStatus and stop at the first failure, and certificate validity uses the
// system clock (UTC), never the business date CASEFLOW_TODAY, because certificates live in
// real time whatever day a scenario replays. What an element's bytes alone decide is memoised
// (see checkElementOnce), and so is a signer certificate's chain to the authority apart from
// its dates (see chainErrorOnce); what time or the trust store decide is judged on every call.
#include "signature/Verifier.h"

#include "core/BoundedCache.h"
#include "core/Errors.h"
#include "signature/OpenSsl.h"
#include "signature/TrustStore.h"
#include "signature/XmlSignature.h"

#include <libxml/xmlIO.h>

#include <chrono>
#include <ctime>

namespace caseflow::signature {
namespace {

using Clock = std::chrono::system_clock;

std::optional<std::int64_t> positiveNumber(const std::optional<std::string>& text) {
    if (!text || text->empty() || text->size() > 18 || text->find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    const std::int64_t value = std::stoll(*text);
    return value > 0 ? std::optional<std::int64_t>(value) : std::nullopt;
}

Verification refuse(Verification result, SignatureStatus status, std::string detail) {
    result.status = status;
    result.detail = std::move(detail);
    return result;
}

// OpenSSL's chain check of `leaf` up to `authority` at `when`; returns X509_V_OK or the error.
int chainError(const Certificate& leaf, const Certificate& authority, Clock::time_point when) {
    ossl::Store store(ossl::check(X509_STORE_new(), "cannot create a certificate store"));
    ossl::require(X509_STORE_add_cert(store.get(), authority.get()), "cannot add the authority");
    ossl::StoreContext context(ossl::check(X509_STORE_CTX_new(), "cannot create a verification context"));
    ossl::require(X509_STORE_CTX_init(context.get(), store.get(), leaf.get(), nullptr), "cannot start a verification");
    X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(context.get()), Clock::to_time_t(when));
    const int verified = X509_verify_cert(context.get());
    const int error = X509_STORE_CTX_get_error(context.get());
    ossl::drainErrors();
    return verified == 1 ? X509_V_OK : (error == X509_V_OK ? X509_V_ERR_UNSPECIFIED : error);
}

// What OpenSSL's chain check at `when` would answer for a chain it accepted at another time:
// only the certificates' validity periods depend on the time (signatures, issuers, extensions
// do not), and X509_verify_cert checks them from the trust anchor down, notBefore before
// notAfter, with these error codes. Comparing two dates instead of verifying the chain's
// ECDSA signatures again is what makes "valid now" cheap enough to judge on every event.
int validityErrorAt(const Certificate& leaf, const Certificate& authority, Clock::time_point when) {
    std::time_t at = Clock::to_time_t(when);
    for (const Certificate* certificate : {&authority, &leaf}) {
        const int notBefore = X509_cmp_time(X509_get0_notBefore(certificate->get()), &at);
        if (notBefore == 0) return X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD;
        if (notBefore > 0) return X509_V_ERR_CERT_NOT_YET_VALID;
        const int notAfter = X509_cmp_time(X509_get0_notAfter(certificate->get()), &at);
        if (notAfter == 0) return X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD;
        if (notAfter < 0) return X509_V_ERR_CERT_HAS_EXPIRED;
    }
    return X509_V_OK;
}

bool isValidityError(int error) {
    return error == X509_V_ERR_CERT_HAS_EXPIRED || error == X509_V_ERR_CERT_NOT_YET_VALID;
}

std::string who(const Verification& result) {
    return "the certificate of '" + result.signer + "'";
}

} // namespace

std::string statusName(SignatureStatus status) {
    switch (status) {
    case SignatureStatus::Valid:
        return "valid";
    case SignatureStatus::Missing:
        return "missing";
    case SignatureStatus::Malformed:
        return "malformed";
    case SignatureStatus::Altered:
        return "altered";
    case SignatureStatus::Untrusted:
        return "untrusted";
    case SignatureStatus::Expired:
        return "expired";
    case SignatureStatus::Revoked:
        return "revoked";
    case SignatureStatus::WrongSigner:
        return "wrong-signer";
    }
    return "malformed";
}

Verifier::Verifier(const TrustStore& trust) : trust_(&trust) {}

Verifier::Verifier(Certificate authority) : authority_(std::move(authority)), authorityRead_(true) {}

const std::optional<Certificate>& Verifier::authority() const {
    if (!authorityRead_) {
        if (auto anchor = trust_->authority()) authority_ = std::move(anchor->certificate);
        authorityRead_ = true;
    }
    return authority_;
}

namespace {

// What a signed element's own bytes and the authority decide, whatever the day and whatever the
// trust store says: its shape, the signed bytes, and the chain at the signing time. A failure
// there is the final answer (`settled`); otherwise verify() goes on with what may change: the
// certificate's validity now (for a new signature) and the trust store (recorded, revoked).
struct ElementCheck {
    Verification result;
    bool settled = false;
    std::optional<Certificate> leaf;
    Clock::time_point signedAt;
};

// What names every byte inspectSignature and xmlsec look at: they read standaloneCopy(element),
// which is fixed by the element's subtree, written out exactly by its serialisation, and by the
// namespaces in scope where it stands (a prefix it uses may be declared on an ancestor). Two
// elements with the same digest have the same standalone copy, and so the same exclusive
// canonical form; serialising in place costs a fraction of copying and canonicalising, which
// every event paid for the recorded care plan's signature. The serialisation streams straight
// into SHA-256 (xmlNodeDump's bytes, through an output buffer without an encoder, as
// xmlNodeDump writes them), so no copy of the element's text is ever held; the namespaces,
// a few short strings, follow as length-prefixed fields after the element's own digest.
int hashWritten(void* hasher, const char* bytes, int length) {
    try {
        static_cast<ossl::Sha256*>(hasher)->update(std::string_view(bytes, static_cast<std::size_t>(length)));
        return length;
    } catch (const Error&) {
        return -1;
    }
}

std::string elementDigest(const xmlNode* signedElement) {
    ossl::Sha256 element;
    // The compact writer (a sixth of libxml2's instructions: the recorded care plan is hashed at
    // every event of its situation) where it can, libxml2's otherwise; the two are told apart
    // so that no text of one can stand for a tree of the other.
    if (const auto written = xml::serializeNodeCompact(signedElement)) {
        element.update("compact:");
        element.update(*written);
    } else {
        xmlOutputBuffer* output = xmlOutputBufferCreateIO(hashWritten, nullptr, &element, nullptr);
        if (!output) throw Error("out of memory hashing a signed element");
        xmlNodeDumpOutput(output, signedElement->doc, const_cast<xmlNode*>(signedElement), 0, 0, nullptr);
        if (xmlOutputBufferClose(output) < 0) throw Error("cannot hash a signed element");
    }
    std::string named = element.hex();
    const auto field = [&named](std::string_view value) {
        named += ',';
        named += std::to_string(value.size());
        named += ':';
        named += value;
    };
    if (xmlNs** inScope = xmlGetNsList(signedElement->doc, signedElement)) {
        for (xmlNs** ns = inScope; *ns; ++ns) {
            field((*ns)->prefix ? xml::c((*ns)->prefix) : "");
            field((*ns)->href ? xml::c((*ns)->href) : "");
        }
        xmlFree(inScope);
    }
    return named;
}

// Process-wide, shared by every FundingProcess of the server: the key is the element's
// canonical digest and the authority's fingerprint, so a changed element or another network's
// authority never meets an earlier answer; revocation and "valid now" are never cached.
BoundedCache<ElementCheck>& checkedElements() {
    static BoundedCache<ElementCheck> cache(4096);
    return cache;
}

// The pairs (signer certificate, authority) OpenSSL's chain check accepted at some time, each
// named by both certificates' fingerprints (SHA-256 of their DER: the exact certificates). What
// was accepted once, signatures, issuers and extensions, holds at any time; only the validity
// periods depend on the time, and validityErrorAt judges them as X509_verify_cert would. So a
// signer's second signature costs two date comparisons instead of building and verifying the
// chain again (an ECDSA verification of the certificate's own signature). Revocation is not
// the chain's business: the trust store's row is read on every check (see Verifier::verify).
BoundedCache<bool>& acceptedChains() {
    static BoundedCache<bool> cache(1024);
    return cache;
}

int chainErrorOnce(const Certificate& leaf, const Certificate& authority, Clock::time_point when) {
    std::string key = leaf.fingerprint();
    key += '|';
    key += authority.fingerprint();
    if (acceptedChains().find(key)) return validityErrorAt(leaf, authority, when);
    const int error = chainError(leaf, authority, when);
    if (error == X509_V_OK) acceptedChains().put(key, true);
    return error;
}

ElementCheck checkElement(const xmlNode* signedElement, const std::optional<Certificate>& authority) {
    ElementCheck check;
    Verification& result = check.result;
    result.element = xml::name(signedElement);
    const auto settle = [&](SignatureStatus status, std::string detail) {
        result = refuse(result, status, std::move(detail));
        check.settled = true;
        return check;
    };
    SignatureContent content;
    try {
        content = inspectSignature(signedElement);
    } catch (const MalformedSignature& malformed) {
        return settle(SignatureStatus::Malformed, malformed.what());
    } catch (const InvalidInput& unreadable) {
        return settle(SignatureStatus::Malformed,
                      std::string("the signer's certificate is unreadable: ") + unreadable.what());
    }
    result.signatureId = content.signatureId;
    result.algorithm = content.algorithm;
    result.signedAt = xml::attribute(signedElement, kSignedAtAttribute).value_or("");
    result.situationId = positiveNumber(xml::attribute(signedElement, kSituationAttribute));
    result.situationVersion = positiveNumber(xml::attribute(signedElement, kVersionAttribute));
    if (!ossl::parseIsoTime(result.signedAt, check.signedAt))
        return settle(SignatureStatus::Malformed,
                      "the signed element must say when it was signed (signedAt, e.g. 2026-02-04T09:30:00Z), found '" +
                          result.signedAt + "'");
    if (!result.situationId || !result.situationVersion)
        return settle(SignatureStatus::Malformed,
                      "the signed element must name the situation and its version (situation, situationVersion)");

    std::optional<Certificate> leaf;
    for (const Certificate& certificate : content.certificates) {
        if (certificate.isAuthority()) continue; // a copy of the chain, as xmlsec1 --sign writes it
        if (leaf) return settle(SignatureStatus::Malformed, "X509Data carries more than one signer certificate");
        leaf = certificate;
    }
    if (!leaf) return settle(SignatureStatus::Malformed, "X509Data carries no signer certificate");
    result.signer = leaf->commonName();
    result.role = leaf->role();
    result.fingerprint = leaf->fingerprint();
    result.issuer = leaf->issuer();

    std::string detail;
    if (checkSignatureValue(signedElement, *leaf, detail) != ValueCheck::Valid)
        return settle(SignatureStatus::Altered, detail);

    if (!authority)
        return settle(
            SignatureStatus::Untrusted,
            "the network has no certification authority yet (`caseflow ca init`), so no signature can be trusted");
    const int atSigning = chainErrorOnce(*leaf, *authority, check.signedAt);
    if (isValidityError(atSigning))
        return settle(SignatureStatus::Expired, who(result) + " was valid from " + leaf->notBefore() + " to " +
                                                    leaf->notAfter() + ", not at the signing time " + result.signedAt);
    if (atSigning != X509_V_OK)
        return settle(SignatureStatus::Untrusted,
                      who(result) + " (issued by " + result.issuer + ") does not chain to the network's authority (" +
                          authority->subject() + "): " + X509_verify_cert_error_string(atSigning));
    check.leaf = std::move(leaf);
    result.status = SignatureStatus::Valid;
    return check;
}

ElementCheck checkElementOnce(const xmlNode* signedElement, const std::optional<Certificate>& authority) {
    std::string key = elementDigest(signedElement);
    key += '|';
    key += authority ? authority->fingerprint() : "none";
    if (auto known = checkedElements().find(key)) return std::move(*known);
    ElementCheck check = checkElement(signedElement, authority);
    checkedElements().put(key, check);
    return check;
}

} // namespace

Verification Verifier::verify(const xmlNode* signedElement, SignatureAge age) const {
    if (!signatureOf(signedElement)) {
        Verification result;
        result.element = xml::name(signedElement);
        result.revocationChecked = trust_ != nullptr;
        return refuse(result, SignatureStatus::Missing, "<" + result.element + "> is not signed");
    }
    const std::optional<Certificate>& authority = this->authority();
    const ElementCheck check = checkElementOnce(signedElement, authority);
    Verification result = check.result;
    result.revocationChecked = trust_ != nullptr;
    if (check.settled) return result;
    const Certificate& leaf = *check.leaf;

    // A new signature must be made with a certificate valid at the moment it is recorded:
    // judged now, on every call, never taken from the memo. The chain itself was accepted at
    // the signing time (the check is not settled), so only the validity periods are left.
    const auto now = Clock::now();
    if (age == SignatureAge::New) {
        const int atPresent = validityErrorAt(leaf, *authority, now);
        if (atPresent != X509_V_OK)
            return refuse(result, SignatureStatus::Expired,
                          who(result) + " is not valid now (valid from " + leaf.notBefore() + " to " + leaf.notAfter() +
                              "): " + X509_verify_cert_error_string(atPresent));
        if (check.signedAt > now + std::chrono::minutes(10))
            return refuse(result, SignatureStatus::Malformed,
                          "the signing time " + result.signedAt + " is in the future; check the signer's clock");
    }

    if (trust_) {
        // Read in the caller's transaction on every check, never remembered: a revocation
        // counts from the next event on, whichever connection or process recorded it.
        const auto record = trust_->signerStanding(result.fingerprint);
        if (!record)
            return refuse(result, SignatureStatus::Untrusted,
                          who(result) + " (fingerprint " + ossl::colonHex(result.fingerprint) +
                              ") is not in the network's trust store: it was not issued with `caseflow signer add`");
        result.role = record->role;
        if (record->revokedAt) {
            Clock::time_point revokedAt;
            const bool known = ossl::parseIsoTime(*record->revokedAt, revokedAt);
            if (age == SignatureAge::New || !known || revokedAt <= check.signedAt)
                return refuse(result, SignatureStatus::Revoked,
                              who(result) + " was revoked on " + *record->revokedAt +
                                  (record->revocationReason && !record->revocationReason->empty()
                                       ? " (" + *record->revocationReason + ")"
                                       : std::string()));
        }
    }
    result.status = SignatureStatus::Valid;
    return result;
}

} // namespace caseflow::signature
