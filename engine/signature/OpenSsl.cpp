// OpenSSL helpers shared by the signature module (see OpenSsl.h). What must stay true: the
// error queue is drained after every failure we report, so a stale reason never shows up
// in a later, unrelated message.
#include "signature/OpenSsl.h"

#include "core/Errors.h"

#include <openssl/err.h>
#include <openssl/sha.h>

#include <cstdio>
#include <ctime>

namespace caseflow::signature::ossl {

std::string drainErrors() {
    std::string reasons;
    for (unsigned long code = ERR_get_error(); code != 0; code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        if (!reasons.empty()) reasons += "; ";
        reasons += buffer;
    }
    return reasons;
}

void fail(const std::string& what) {
    const std::string reasons = drainErrors();
    throw Error(what + (reasons.empty() ? std::string() : ": " + reasons));
}

Bio memoryBio() {
    return Bio(check(BIO_new(BIO_s_mem()), "cannot allocate a memory buffer"));
}

Bio memoryBio(std::string_view content) {
    return Bio(
        check(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())), "cannot allocate a memory buffer"));
}

std::string bioContents(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

namespace {

const EVP_MD* sha256Algorithm() {
    // Fetched once and kept for the process's life (never freed: other threads may hash at exit).
    static EVP_MD* const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (!algorithm) fail("SHA-256 is not available from OpenSSL");
    return algorithm;
}

} // namespace

Sha256::Sha256() : context_(check(EVP_MD_CTX_new(), "out of memory creating a SHA-256 context")) {
    require(EVP_DigestInit_ex(context_.get(), sha256Algorithm(), nullptr), "SHA-256 failed");
}

void Sha256::update(std::string_view data) {
    require(EVP_DigestUpdate(context_.get(), data.data(), data.size()), "SHA-256 failed");
}

std::string Sha256::hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    require(EVP_DigestFinal_ex(context_.get(), digest, &length), "SHA-256 failed");
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex(2 * length, '0');
    for (unsigned int index = 0; index < length; ++index) {
        hex[2 * index] = digits[digest[index] >> 4];
        hex[2 * index + 1] = digits[digest[index] & 0x0F];
    }
    return hex;
}

std::string sha256Hex(std::string_view data) {
    Sha256 hasher;
    hasher.update(data);
    return hasher.hex();
}

std::string colonHex(std::string_view lowercaseHex) {
    std::string shown;
    for (std::size_t i = 0; i < lowercaseHex.size(); i += 2) {
        if (i) shown += ':';
        for (std::size_t j = i; j < i + 2 && j < lowercaseHex.size(); ++j)
            shown += static_cast<char>(std::toupper(static_cast<unsigned char>(lowercaseHex[j])));
    }
    return shown;
}

std::string isoTime(const ASN1_TIME* time) {
    std::tm parts{};
    if (!time || ASN1_TIME_to_tm(time, &parts) != 1) return "";
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return buffer;
}

std::string isoTime(std::chrono::system_clock::time_point instant) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(instant);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return buffer;
}

bool parseIsoTime(std::string_view text, std::chrono::system_clock::time_point& instant) {
    // Strictly what isoTime writes, with optional fractional seconds: anything looser would
    // let two spellings of one instant sign differently.
    if (text.size() < 20 || text.back() != 'Z') return false;
    std::tm parts{};
    const std::string head(text.substr(0, 19));
    int consumed = 0;
    if (std::sscanf(head.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &parts.tm_year, &parts.tm_mon, &parts.tm_mday,
                    &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &consumed) != 6 ||
        consumed != 19)
        return false;
    const std::string_view fraction = text.substr(19, text.size() - 20);
    std::chrono::microseconds subsecond{0};
    if (!fraction.empty()) {
        if (fraction.size() < 2 || fraction.size() > 10 || fraction[0] != '.') return false;
        long scale = 100000;
        for (char digit : fraction.substr(1)) {
            if (digit < '0' || digit > '9') return false;
            subsecond += std::chrono::microseconds((digit - '0') * scale);
            scale /= 10;
        }
    }
    if (parts.tm_mon < 1 || parts.tm_mon > 12 || parts.tm_mday < 1 || parts.tm_mday > 31 || parts.tm_hour > 23 ||
        parts.tm_min > 59 || parts.tm_sec > 60)
        return false;
    parts.tm_year -= 1900;
    parts.tm_mon -= 1;
    // Milliseconds count: a revocation recorded in the same second as a signature, but after
    // it, must not void it.
    instant = std::chrono::system_clock::from_time_t(timegm(&parts)) + subsecond;
    return true;
}

} // namespace caseflow::signature::ossl
