// The one place where OpenSSL's C objects get owners: a unique_ptr with a deleter for every
// type the signature module touches, and the error queue turned into text. What must stay
// true: no OpenSSL object is freed by hand anywhere else, and every failure reports OpenSSL's
// own reason (drained from its per-thread queue, so the next call starts clean).
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace caseflow::signature::ossl {

template <typename T, void (*Free)(T*)> struct Deleter {
    void operator()(T* object) const { Free(object); }
};

using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using KeyContext = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Store = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using StoreContext = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;
using Pkcs12 = std::unique_ptr<PKCS12, Deleter<PKCS12, PKCS12_free>>;
using Name = std::unique_ptr<X509_NAME, Deleter<X509_NAME, X509_NAME_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using BigNumber = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using Integer = std::unique_ptr<ASN1_INTEGER, Deleter<ASN1_INTEGER, ASN1_INTEGER_free>>;
using DigestContext = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;

// A STACK_OF(X509) frees its certificates with it.
struct CertStackDeleter {
    void operator()(STACK_OF(X509) * stack) const { sk_X509_pop_free(stack, X509_free); }
};
using CertStack = std::unique_ptr<STACK_OF(X509), CertStackDeleter>;

// Memory that OpenSSL allocated for us (OPENSSL_malloc) and that we must give back.
struct OpenSslFree {
    void operator()(void* memory) const { OPENSSL_free(memory); }
};
template <typename T> using Owned = std::unique_ptr<T, OpenSslFree>;

// Everything in OpenSSL's error queue, oldest first, "; "-separated; empties the queue.
std::string drainErrors();
// Throws caseflow::Error("<what>: <OpenSSL's reasons>").
[[noreturn]] void fail(const std::string& what);
// OpenSSL's calls return a null pointer or a result <= 0 on failure.
template <typename T> T* check(T* value, const std::string& what) {
    if (!value) fail(what);
    return value;
}
inline void require(int result, const std::string& what) {
    if (result <= 0) fail(what);
}

Bio memoryBio();
Bio memoryBio(std::string_view content); // read-only view of `content`, which must outlive it
std::string bioContents(BIO* bio);

// SHA-256 of `data`, as 64 lowercase hex digits.
std::string sha256Hex(std::string_view data);

// SHA-256 fed piece by piece, for what would otherwise be copied into one string first. The
// algorithm is fetched from OpenSSL's provider once per process: OpenSSL 3 looks it up again
// on every EVP_sha256()-based init or one-shot SHA256() call, which cost more than hashing a
// certificate.
class Sha256 {
public:
    Sha256();
    void update(std::string_view data);
    std::string hex(); // 64 lowercase hex digits; the hasher is spent afterwards

private:
    DigestContext context_;
};
// "AB:CD:..." for showing fingerprints to people (the form `openssl x509 -fingerprint` prints).
std::string colonHex(std::string_view lowercaseHex);

// ASN1_TIME <-> "2026-11-26T10:11:41Z".
std::string isoTime(const ASN1_TIME* time);
std::string isoTime(std::chrono::system_clock::time_point instant);
// Parses "YYYY-MM-DDTHH:MM:SSZ" (fractional seconds allowed); nullopt-like: returns false when malformed.
bool parseIsoTime(std::string_view text, std::chrono::system_clock::time_point& instant);

} // namespace caseflow::signature::ossl
