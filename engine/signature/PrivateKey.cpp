// Key generation and encrypted storage (see PrivateKey.h). What must stay true: keys are only
// generated through OpenSSL's default (FIPS-grade) random generator, and a key is serialised
// only through an encrypting writer.
#include "signature/PrivateKey.h"

#include "core/Errors.h"
#include "signature/OpenSsl.h"

#include <openssl/err.h>
#include <openssl/pem.h>

namespace caseflow::signature {
namespace {

int passwordCallback(char* buffer, int size, int, void* userData) noexcept {
    const auto* password = static_cast<const std::string*>(userData);
    const int length = static_cast<int>(password->size());
    if (length > size) return -1;
    std::copy(password->begin(), password->end(), buffer);
    return length;
}

} // namespace

KeyType parseKeyType(std::string_view text) {
    if (text == "rsa") return KeyType::Rsa;
    if (text == "ecdsa") return KeyType::Ecdsa;
    throw UsageError("unknown key type '" + std::string(text) + "'; key types are: rsa, ecdsa");
}

std::string keyTypeName(KeyType type) {
    return type == KeyType::Rsa ? "rsa" : "ecdsa";
}

PrivateKey::PrivateKey(EVP_PKEY* adopted) : key_(adopted, EVP_PKEY_free) {
    if (!adopted) throw Error("no key");
    const int id = EVP_PKEY_get_base_id(adopted);
    if (id != EVP_PKEY_RSA && id != EVP_PKEY_EC) throw UsageError("only RSA and ECDSA keys can sign here");
}

PrivateKey PrivateKey::generate(KeyType type, int rsaBits) {
    if (type == KeyType::Rsa) {
        if (rsaBits < 2048) throw UsageError("RSA keys need at least 2048 bits");
        return PrivateKey(ossl::check(EVP_RSA_gen(static_cast<unsigned>(rsaBits)), "cannot generate an RSA key"));
    }
    return PrivateKey(ossl::check(EVP_EC_gen("P-256"), "cannot generate an ECDSA P-256 key"));
}

PrivateKey PrivateKey::fromEncryptedPem(std::string_view pem, const std::string& password, const std::string& name) {
    if (pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") == std::string_view::npos) {
        throw InvalidInput(name + ": not an encrypted private key (expected '-----BEGIN ENCRYPTED PRIVATE KEY-----')");
    }
    auto bio = ossl::memoryBio(pem);
    std::string copy = password;
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, passwordCallback, &copy);
    if (!key) {
        const unsigned long code = ERR_peek_last_error();
        const std::string reasons = ossl::drainErrors();
        // OpenSSL reports a wrong password as a failed decryption (or, with PBKDF2 keys, as
        // a padding error); anything else is a damaged file.
        if (ERR_GET_REASON(code) == EVP_R_BAD_DECRYPT || reasons.find("bad decrypt") != std::string::npos)
            throw UsageError(name + ": wrong password");
        throw InvalidInput(name + ": cannot read the private key (" + reasons + ")");
    }
    return PrivateKey(key);
}

std::string PrivateKey::encryptedPem(const std::string& password) const {
    auto bio = ossl::memoryBio();
    std::string copy = password;
    ossl::require(
        PEM_write_bio_PKCS8PrivateKey(bio.get(), key_.get(), EVP_aes_256_cbc(), nullptr, 0, passwordCallback, &copy),
        "cannot encrypt the private key");
    return ossl::bioContents(bio.get());
}

KeyType PrivateKey::type() const {
    return EVP_PKEY_get_base_id(key_.get()) == EVP_PKEY_RSA ? KeyType::Rsa : KeyType::Ecdsa;
}

void checkNewPassword(const std::string& password, const std::string& what) {
    if (password.size() < 8) throw UsageError(what + " must be at least 8 characters long");
}

} // namespace caseflow::signature
