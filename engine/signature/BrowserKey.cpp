// Browser key files (see BrowserKey.h). What must stay true: the plain PKCS#8 bytes live only
// in memory this file wipes (OPENSSL_cleanse) before returning, and every random value comes
// from OpenSSL's generator.
#include "signature/BrowserKey.h"

#include "core/Errors.h"
#include "signature/OpenSsl.h"

#include <openssl/rand.h>

#include <vector>

namespace caseflow::signature {
namespace {

constexpr int kSaltBytes = 16;
constexpr int kIvBytes = 12; // GCM's natural nonce
constexpr int kTagBytes = 16;

using Pkcs8Info = std::unique_ptr<PKCS8_PRIV_KEY_INFO, ossl::Deleter<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free>>;
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, ossl::Deleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;

// Bytes that held a secret, wiped when they go.
struct SecretBytes {
    std::vector<unsigned char> bytes;
    explicit SecretBytes(std::size_t size) : bytes(size) {}
    ~SecretBytes() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
};

std::string randomBytes(int count) {
    std::string bytes(static_cast<std::size_t>(count), '\0');
    ossl::require(RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), count), "cannot draw random bytes");
    return bytes;
}

std::string jsonString(const std::string& text) {
    std::string quoted = "\"";
    for (char ch : text) {
        if (ch == '"' || ch == '\\') {
            quoted += '\\';
            quoted += ch;
        } else if (ch == '\n') {
            quoted += "\\n";
        } else if (static_cast<unsigned char>(ch) < 0x20) {
            static const char* hex = "0123456789abcdef";
            quoted += "\\u00";
            quoted += hex[(ch >> 4) & 0xF];
            quoted += hex[ch & 0xF];
        } else {
            quoted += ch;
        }
    }
    return quoted + "\"";
}

} // namespace

std::string encodeBase64(std::string_view bytes) {
    if (bytes.empty()) return "";
    std::string encoded(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int length =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                        reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    encoded.resize(static_cast<std::size_t>(length));
    return encoded;
}

std::string browserKeyFile(const SigningKey& key, const std::string& password) {
    // The private key as PKCS#8 DER: what WebCrypto's importKey('pkcs8', ...) takes.
    Pkcs8Info info(EVP_PKEY2PKCS8(key.key().get()));
    if (!info) ossl::fail("cannot encode the private key as PKCS#8");
    const int pkcs8Size = i2d_PKCS8_PRIV_KEY_INFO(info.get(), nullptr);
    ossl::require(pkcs8Size, "cannot encode the private key as PKCS#8");
    SecretBytes pkcs8(static_cast<std::size_t>(pkcs8Size));
    unsigned char* cursor = pkcs8.bytes.data();
    ossl::require(i2d_PKCS8_PRIV_KEY_INFO(info.get(), &cursor), "cannot encode the private key as PKCS#8");

    const std::string salt = randomBytes(kSaltBytes);
    const std::string iv = randomBytes(kIvBytes);
    SecretBytes wrappingKey(32);
    ossl::require(PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                                    reinterpret_cast<const unsigned char*>(salt.data()), kSaltBytes,
                                    kBrowserKeyIterations, EVP_sha256(), 32, wrappingKey.bytes.data()),
                  "cannot derive the key file's encryption key");

    CipherContext cipher(EVP_CIPHER_CTX_new());
    if (!cipher) ossl::fail("cannot create a cipher context");
    ossl::require(EVP_EncryptInit_ex(cipher.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr),
                  "cannot start AES-256-GCM");
    ossl::require(EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_GCM_SET_IVLEN, kIvBytes, nullptr), "cannot set the IV");
    ossl::require(EVP_EncryptInit_ex(cipher.get(), nullptr, nullptr, wrappingKey.bytes.data(),
                                     reinterpret_cast<const unsigned char*>(iv.data())),
                  "cannot start AES-256-GCM");
    // WebCrypto's AES-GCM decrypt takes the ciphertext followed by its 16-byte tag.
    std::string sealed(pkcs8.bytes.size() + kTagBytes, '\0');
    int written = 0, last = 0;
    ossl::require(EVP_EncryptUpdate(cipher.get(), reinterpret_cast<unsigned char*>(sealed.data()), &written,
                                    pkcs8.bytes.data(), static_cast<int>(pkcs8.bytes.size())),
                  "cannot encrypt the private key");
    ossl::require(EVP_EncryptFinal_ex(cipher.get(), reinterpret_cast<unsigned char*>(sealed.data()) + written, &last),
                  "cannot encrypt the private key");
    ossl::require(EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, sealed.data() + written + last),
                  "cannot finish AES-256-GCM");
    sealed.resize(static_cast<std::size_t>(written + last + kTagBytes));

    const bool rsa = key.key().type() == KeyType::Rsa;
    const auto& certificate = key.certificate();
    return "{\n"
           "  \"format\": " +
           jsonString(kBrowserKeyFormat) +
           ",\n"
           "  \"name\": " +
           jsonString(certificate.commonName()) +
           ",\n"
           "  \"role\": " +
           jsonString(certificate.role()) +
           ",\n"
           "  \"notAfter\": " +
           jsonString(certificate.notAfter()) +
           ",\n"
           "  \"algorithm\": " +
           jsonString(rsa ? "RSASSA-PKCS1-v1_5" : "ECDSA") + ",\n" + (rsa ? "" : "  \"namedCurve\": \"P-256\",\n") +
           "  \"kdf\": {\"name\": \"PBKDF2\", \"hash\": \"SHA-256\", \"iterations\": " +
           std::to_string(kBrowserKeyIterations) + ", \"salt\": " + jsonString(encodeBase64(salt)) +
           "},\n"
           "  \"cipher\": {\"name\": \"AES-GCM\", \"length\": 256, \"iv\": " +
           jsonString(encodeBase64(iv)) +
           ", \"tagLength\": 128},\n"
           "  \"privateKey\": " +
           jsonString(encodeBase64(sealed)) +
           ",\n"
           "  \"certificate\": " +
           jsonString(certificate.pem()) +
           "\n"
           "}\n";
}

} // namespace caseflow::signature
