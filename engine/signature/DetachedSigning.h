// Signing in two steps, the signature value computed elsewhere (the signing page's WebCrypto,
// docs/signatures.md "Signing in the browser"): the server turns a document prepared for
// signing (prepareForSigning) into the exact bytes a key signs, the canonical SignedInfo, and
// later puts the value it gets back into that same document. The signer's side then only has
// to sign bytes: ECDSA P-256 with SHA-256 (the value is r||s, 64 bytes, which is both what
// WebCrypto returns and what XML Signature writes) or RSA PKCS#1 v1.5 with SHA-256.
//
// What must stay true: the result is the one signature shape of XmlSignature.h, byte for byte
// what `caseflow sign-file` would write with the same key (so the Verifier, the workflow's
// rules and `xmlsec1 --verify` judge it the same way); the SignedInfo handed out is computed
// from the document as it will be stored (serialised and read back), so its canonical bytes
// are those a verifier recomputes; and a value is only ever put into a document the server
// prepared itself, never into one the signer sends.
#pragma once

#include "signature/Certificate.h"

#include <string>
#include <string_view>

namespace caseflow::signature {

struct SignedInfoToSign {
    std::string document;   // the prepared document: digest and certificate in, SignatureValue empty
    std::string signedInfo; // SignedInfo's exclusive canonical form: the bytes the key signs
    std::string algorithm;  // "ecdsa-sha256" or "rsa-sha256", after the certificate's key
};

// From a document prepared for signing: sets the signature method after `certificate`'s key,
// computes the reference's SHA-256 digest (enveloped, exclusive c14n), writes the certificate in
// KeyInfo/X509Data and canonicalises SignedInfo. Throws MalformedSignature when `preparedXml`
// holds no signature template.
SignedInfoToSign prepareSignedInfo(std::string_view preparedXml, const Certificate& certificate,
                                   const std::string& name);

// `document` (from prepareSignedInfo) with `signatureValue` (the raw bytes the key produced) as
// its SignatureValue. Throws MalformedSignature for an empty value or a document without
// SignedInfo; whether the value is right is the Verifier's to say.
std::string assembleSignature(std::string_view document, std::string_view signatureValue, const std::string& name);

// SignedInfo's exclusive canonical form in a signed or prepared document: what its
// SignatureValue signs.
std::string canonicalSignedInfo(std::string_view document, const std::string& name);

} // namespace caseflow::signature
