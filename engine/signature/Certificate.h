// An X.509 certificate of the network: the certification authority's own, or one it issued
// to a signer, naming the person (common name) and the role they sign in (the `title`
// attribute: pedopsychiatrist or coordinator). Certificates are immutable values; copies share
// the same OpenSSL object.
#pragma once

#include "signature/PrivateKey.h"

#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>

namespace caseflow::signature {

class Certificate {
public:
    // Throws InvalidInput naming `name` when the text holds no certificate.
    static Certificate fromPem(std::string_view pem, const std::string& name);
    static Certificate fromDer(std::string_view der, const std::string& name);
    explicit Certificate(X509* adopted); // takes ownership

    std::string pem() const;
    std::string der() const;
    const std::string& fingerprint() const; // SHA-256 of the DER encoding, 64 lowercase hex digits
    std::string commonName() const;         // UTF-8
    std::string role() const;               // the subject's title attribute, "" when absent
    std::string subject() const;            // one line, RFC 2253
    std::string issuer() const;
    std::string serial() const;    // hex
    std::string notBefore() const; // ISO 8601 UTC
    std::string notAfter() const;
    bool isAuthority() const;
    // True when `key` is the private half of this certificate's public key.
    bool matches(const PrivateKey& key) const;
    X509* get() const { return cert_.get(); }

private:
    std::shared_ptr<X509> cert_;
    // Computed once when the certificate is made: the verifier keys its memo with the
    // authority's fingerprint and reads the signer's on every event.
    std::shared_ptr<const std::string> fingerprint_;
};

} // namespace caseflow::signature
