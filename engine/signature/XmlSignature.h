// W3C XML Signatures over one element of the situation document (a carePlan or a
// budgetDecision): enveloped, one Reference to the whole element (URI=""), exclusive
// canonicalisation, SHA-256 digest, RSA-SHA256 or ECDSA-SHA256, the signer's certificate in
// KeyInfo/X509Data. The signed element carries what was signed and when as attributes inside
// the signed content: situation, situationVersion, signedAt.
//
// What must stay true: we only ever produce and accept exactly that shape (anything else,
// e.g. a second Reference, an XPath transform or an Object, is malformed; the one nested
// signature allowed is inside a budget decision's <countersignature>, R14's second signature,
// which is a signed element of its own), so a signature always covers every byte of the
// element except the Signature itself; and a signed element
// verifies the same inside the situation document and standalone (exclusive c14n makes the
// element independent of its ancestors), which is what `xmlsec1 --verify` checks.
#pragma once

#include "core/Errors.h"
#include "signature/Certificate.h"
#include "signature/SigningKey.h"
#include "xml/Xml.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow::signature {

inline constexpr const char* kDsigNamespace = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr const char* kSituationAttribute = "situation";
inline constexpr const char* kVersionAttribute = "situationVersion";
inline constexpr const char* kSignedAtAttribute = "signedAt";

// A signature that is not of the one shape we sign (see above); `what()` says precisely why.
class MalformedSignature : public Error {
public:
    using Error::Error;
};

// The ds:Signature child of `element`, or nullptr.
xmlNode* signatureOf(const xmlNode* element);

// Readies the root element of `doc` for signing: sets situation, situationVersion and signedAt,
// drops an earlier signature, and appends an empty signature template for a `type` key.
void prepareForSigning(xmlDoc* doc, std::int64_t situationId, std::int64_t situationVersion,
                       const std::string& signedAt, KeyType type);

// Signs a prepared document in place (the SignatureMethod follows the key's type). Throws
// MalformedSignature when the document holds no template, Error when signing fails.
void signPrepared(xmlDoc* doc, const SigningKey& key);
// The same on text: what a signer runs on their own machine (`caseflow sign-file`).
std::string signDocument(std::string_view preparedXml, const SigningKey& key, const std::string& name);

// What a well-formed signature carries.
struct SignatureContent {
    std::vector<Certificate> certificates; // from X509Data, in document order
    std::string algorithm;                 // "rsa-sha256" or "ecdsa-sha256"
    std::string signatureId;               // SHA-256 of the signature value's bytes (hex): names this signature
};
// Checks the shape of the signature enveloped in `signedElement`; throws MalformedSignature.
SignatureContent inspectSignature(const xmlNode* signedElement);

enum class ValueCheck { Valid, ContentChanged, SignatureValueWrong };
// Checks the digest and the signature value with `certificate`'s public key (and nothing
// about the certificate itself). `detail` receives xmlsec's reasons when not valid.
ValueCheck checkSignatureValue(const xmlNode* signedElement, const Certificate& certificate, std::string& detail);

// The element alone, as the root of its own document: what is exported and archived.
xml::Document standaloneCopy(const xmlNode* element);
std::string standaloneXml(const xmlNode* element);
// The element's exclusive canonical form without its signature and the three signing
// attributes: two plans with the same text have the same content, signed or not.
std::string contentWithoutSignature(const xmlNode* element);

// Base64 as XML Signature writes it (line breaks allowed); throws MalformedSignature.
std::string decodeBase64(std::string_view text, const std::string& what);

} // namespace caseflow::signature
