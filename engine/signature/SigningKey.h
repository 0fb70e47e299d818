// What a signer holds: their private key and the certificate the network issued for it,
// kept together in a password-protected PKCS#12 file (`caseflow signer add -o FILE.p12`).
// The same file works with the standard tools (`xmlsec1 --sign --pkcs12`, `openssl pkcs12`),
// so a signer can sign on their own machine and the server never needs the key.
#pragma once

#include "signature/Certificate.h"
#include "signature/PrivateKey.h"

#include <string>
#include <string_view>
#include <vector>

namespace caseflow::signature {

class SigningKey {
public:
    // Throws UsageError when `key` is not the private half of `certificate`.
    SigningKey(PrivateKey key, Certificate certificate, std::vector<Certificate> chain = {});

    // Reads a PKCS#12 file. A wrong password throws UsageError("<name>: wrong password"); a
    // file that is no PKCS#12 or holds no key and certificate throws InvalidInput.
    static SigningKey fromPkcs12(std::string_view bytes, const std::string& password, const std::string& name);
    // Encrypted with AES-256-CBC (PBKDF2) and a SHA-256 MAC; `friendlyName` labels the key.
    std::string pkcs12(const std::string& password, const std::string& friendlyName) const;

    const PrivateKey& key() const { return key_; }
    const Certificate& certificate() const { return certificate_; }
    const std::vector<Certificate>& chain() const { return chain_; }

private:
    PrivateKey key_;
    Certificate certificate_;
    std::vector<Certificate> chain_;
};

} // namespace caseflow::signature
