// A private key of the network: the certification authority's or a signer's. Keys are made
// here (RSA or ECDSA P-256), and leave memory only encrypted under a password (PKCS#8 PEM
// with AES-256-CBC for the CA key, PKCS#12 for signers, see SigningKey). What must stay true:
// a key is never written in clear, and a wrong password is reported as such, never as a
// damaged file.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

namespace caseflow::signature {

enum class KeyType { Rsa, Ecdsa };

// "rsa" or "ecdsa"; throws UsageError naming both.
KeyType parseKeyType(std::string_view text);
std::string keyTypeName(KeyType type);

class PrivateKey {
public:
    // RSA keys have `rsaBits` bits (2048 at least); ECDSA keys are on P-256.
    static PrivateKey generate(KeyType type, int rsaBits = 3072);
    // Reads an encrypted PEM key; throws UsageError for a wrong password, InvalidInput for a
    // file that holds no key. `name` (a file name) is used in messages.
    static PrivateKey fromEncryptedPem(std::string_view pem, const std::string& password, const std::string& name);
    explicit PrivateKey(EVP_PKEY* adopted); // takes ownership

    // PKCS#8, AES-256-CBC with a PBKDF2-derived key: what `openssl pkey` reads with -passin.
    std::string encryptedPem(const std::string& password) const;
    KeyType type() const;
    EVP_PKEY* get() const { return key_.get(); }

private:
    std::shared_ptr<EVP_PKEY> key_; // immutable once made, so copies may share it
};

// Refuses passwords too short to protect a key at rest (UsageError).
void checkNewPassword(const std::string& password, const std::string& what);

} // namespace caseflow::signature
