// PKCS#12 files of signers (see SigningKey.h). What must stay true: the MAC is checked before
// anything is decrypted, so a wrong password is told apart from a damaged file, and the
// password never appears in a message.
#include "signature/SigningKey.h"

#include "core/Errors.h"
#include "signature/OpenSsl.h"

#include <openssl/err.h>

namespace caseflow::signature {
namespace {

// Key-derivation rounds: enough to slow down guessing a stolen file's password, few enough
// that opening the file stays well under a second.
constexpr int kIterations = 100000;

} // namespace

SigningKey::SigningKey(PrivateKey key, Certificate certificate, std::vector<Certificate> chain)
    : key_(std::move(key)), certificate_(std::move(certificate)), chain_(std::move(chain)) {
    if (!certificate_.matches(key_))
        throw UsageError("the key does not belong to the certificate of " + certificate_.commonName());
}

SigningKey SigningKey::fromPkcs12(std::string_view bytes, const std::string& password, const std::string& name) {
    auto bio = ossl::memoryBio(bytes);
    ossl::Pkcs12 p12(d2i_PKCS12_bio(bio.get(), nullptr));
    if (!p12) {
        ossl::drainErrors();
        throw InvalidInput(name + ": not a PKCS#12 key file (make one with `caseflow signer add`)");
    }
    if (!PKCS12_mac_present(p12.get())) {
        throw InvalidInput(name + ": the PKCS#12 file has no integrity check (MAC); refusing it");
    }
    if (PKCS12_verify_mac(p12.get(), password.c_str(), static_cast<int>(password.size())) != 1) {
        ossl::drainErrors();
        throw UsageError(name + ": wrong password");
    }
    EVP_PKEY* key = nullptr;
    X509* cert = nullptr;
    STACK_OF(X509)* extra = nullptr;
    const int parsed = PKCS12_parse(p12.get(), password.c_str(), &key, &cert, &extra);
    ossl::CertStack others(extra);
    ossl::Key ownedKey(key);
    ossl::Cert ownedCert(cert);
    if (parsed != 1 || !ownedKey || !ownedCert) {
        const std::string reasons = ossl::drainErrors();
        throw InvalidInput(name + ": the PKCS#12 file holds no usable key and certificate" +
                           (reasons.empty() ? std::string() : " (" + reasons + ")"));
    }
    std::vector<Certificate> chain;
    while (others && sk_X509_num(others.get()) > 0) chain.emplace_back(sk_X509_shift(others.get()));
    return SigningKey(PrivateKey(ownedKey.release()), Certificate(ownedCert.release()), std::move(chain));
}

std::string SigningKey::pkcs12(const std::string& password, const std::string& friendlyName) const {
    ossl::CertStack chain(sk_X509_new_null());
    for (const Certificate& cert : chain_) {
        ossl::Cert copy(ossl::check(X509_dup(cert.get()), "cannot copy a certificate"));
        if (!sk_X509_push(chain.get(), copy.get())) ossl::fail("cannot build the certificate chain");
        copy.release(); // the stack owns it now
    }
    // Explicit algorithms rather than the library's defaults, so the file is the same kind on
    // every OpenSSL version: AES-256-CBC for key and certificates, SHA-256 for the MAC.
    ossl::Pkcs12 p12(ossl::check(PKCS12_create_ex(password.c_str(), friendlyName.c_str(), key_.get(),
                                                  certificate_.get(), chain.get(), NID_aes_256_cbc, NID_aes_256_cbc,
                                                  kIterations, -1, 0, nullptr, nullptr),
                                 "cannot build the PKCS#12 file"));
    ossl::require(PKCS12_set_mac(p12.get(), password.c_str(), static_cast<int>(password.size()), nullptr, 0,
                                 kIterations, EVP_sha256()),
                  "cannot protect the PKCS#12 file");
    auto bio = ossl::memoryBio();
    ossl::require(i2d_PKCS12_bio(bio.get(), p12.get()), "cannot write the PKCS#12 file");
    return ossl::bioContents(bio.get());
}

} // namespace caseflow::signature
