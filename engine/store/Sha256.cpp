// SHA-256 as lowercase hexadecimal (see Sha256.h), computed by OpenSSL, which uses the CPU's SHA
// instructions where there are some (Poco's portable code was ten times slower): a token check,
// an ETag and a read log record hash on every situation read, each read log row on a walk.
#include "store/Sha256.h"

#include "core/Errors.h"

#include <openssl/evp.h>

#include <array>
#include <memory>

namespace caseflow::store {
namespace {

// Fetched once per process and never freed: with EVP_sha256(), OpenSSL 3 looks the algorithm up
// again on every init, which cost a third of hashing an event.
const EVP_MD* sha256Algorithm() {
    static EVP_MD* const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (!algorithm) throw Error("SHA-256 is not available from OpenSSL");
    return algorithm;
}

struct FreeContext {
    void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};

} // namespace

void sha256HexInto(std::string_view data, std::array<char, 64>& hex) {
    // One context per thread, reused: EVP_Digest would allocate and free one per call.
    thread_local const std::unique_ptr<EVP_MD_CTX, FreeContext> context(EVP_MD_CTX_new());
    if (!context) throw Error("out of memory creating a SHA-256 context");
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_DigestInit_ex(context.get(), sha256Algorithm(), nullptr) != 1 ||
        EVP_DigestUpdate(context.get(), data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(context.get(), digest.data(), &length) != 1 || length != 32)
        throw Error("SHA-256 failed");
    static constexpr char digits[] = "0123456789abcdef";
    for (unsigned int index = 0; index < length; ++index) {
        hex[2 * index] = digits[digest[index] >> 4];
        hex[2 * index + 1] = digits[digest[index] & 0x0f];
    }
}

std::string sha256Hex(std::string_view data) {
    std::array<char, 64> hex{};
    sha256HexInto(data, hex);
    return std::string(hex.data(), hex.size());
}

} // namespace caseflow::store
