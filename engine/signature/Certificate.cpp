// X.509 certificates (see Certificate.h). What must stay true: names are read and written as
// UTF-8 (accented names such as "Dr Hélène Marchal" survive every round trip), and a
// certificate's identity for the trust store is its SHA-256 fingerprint, never its name.
// Parsed certificates are memoised by their exact text (PEM or DER): the same bytes always
// make the same immutable certificate, so the memo can never be stale, only missing.
#include "signature/Certificate.h"

#include "core/BoundedCache.h"
#include "core/Errors.h"
#include "signature/OpenSsl.h"

#include <openssl/pem.h>

namespace caseflow::signature {
namespace {

std::string nameEntry(const X509_NAME* name, int nid) {
    const int index = X509_NAME_get_index_by_NID(name, nid, -1);
    if (index < 0) return "";
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    unsigned char* utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length < 0) return "";
    ossl::Owned<unsigned char> owned(utf8);
    return std::string(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
}

std::string oneLine(const X509_NAME* name) {
    auto bio = ossl::memoryBio();
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    return ossl::bioContents(bio.get());
}

// Every event re-reads the trust store's authority and signers, and every signature carries
// its certificate: decoding them is most of what OpenSSL spent per event before this memo.
BoundedCache<Certificate>& parsedCertificates() {
    static BoundedCache<Certificate> cache(1024);
    return cache;
}

} // namespace

Certificate::Certificate(X509* adopted) : cert_(adopted, X509_free) {
    if (!adopted) throw Error("no certificate");
    fingerprint_ = std::make_shared<const std::string>(ossl::sha256Hex(der()));
}

Certificate Certificate::fromPem(std::string_view pem, const std::string& name) {
    std::string key = "pem:" + std::string(pem);
    if (auto known = parsedCertificates().find(key)) return std::move(*known);
    auto bio = ossl::memoryBio(pem);
    X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (!cert) throw InvalidInput(name + ": no PEM certificate (" + ossl::drainErrors() + ")");
    Certificate parsed(cert);
    parsedCertificates().put(key, parsed);
    return parsed;
}

Certificate Certificate::fromDer(std::string_view der, const std::string& name) {
    std::string key = "der:" + std::string(der);
    if (auto known = parsedCertificates().find(key)) return std::move(*known);
    const auto* bytes = reinterpret_cast<const unsigned char*>(der.data());
    ossl::Cert cert(d2i_X509(nullptr, &bytes, static_cast<long>(der.size())));
    // Trailing bytes are refused too: the certificate must be all the text says.
    if (!cert || bytes != reinterpret_cast<const unsigned char*>(der.data()) + der.size())
        throw InvalidInput(name + ": not a DER certificate (" + ossl::drainErrors() + ")");
    Certificate parsed(cert.release());
    parsedCertificates().put(key, parsed);
    return parsed;
}

std::string Certificate::pem() const {
    auto bio = ossl::memoryBio();
    ossl::require(PEM_write_bio_X509(bio.get(), cert_.get()), "cannot write a certificate");
    return ossl::bioContents(bio.get());
}

std::string Certificate::der() const {
    unsigned char* bytes = nullptr;
    const int length = i2d_X509(cert_.get(), &bytes);
    if (length <= 0) ossl::fail("cannot encode a certificate");
    ossl::Owned<unsigned char> owned(bytes);
    return std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(length));
}

const std::string& Certificate::fingerprint() const {
    return *fingerprint_;
}

std::string Certificate::commonName() const {
    return nameEntry(X509_get_subject_name(cert_.get()), NID_commonName);
}

std::string Certificate::role() const {
    return nameEntry(X509_get_subject_name(cert_.get()), NID_title);
}

std::string Certificate::subject() const {
    return oneLine(X509_get_subject_name(cert_.get()));
}

std::string Certificate::issuer() const {
    return oneLine(X509_get_issuer_name(cert_.get()));
}

std::string Certificate::serial() const {
    ossl::BigNumber number(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert_.get()), nullptr));
    if (!number) return "";
    ossl::Owned<char> hex(BN_bn2hex(number.get()));
    return hex ? std::string(hex.get()) : std::string();
}

std::string Certificate::notBefore() const {
    return ossl::isoTime(X509_get0_notBefore(cert_.get()));
}

std::string Certificate::notAfter() const {
    return ossl::isoTime(X509_get0_notAfter(cert_.get()));
}

bool Certificate::isAuthority() const {
    return X509_check_ca(cert_.get()) > 0;
}

bool Certificate::matches(const PrivateKey& key) const {
    const bool same = X509_check_private_key(cert_.get(), key.get()) == 1;
    ossl::drainErrors(); // a mismatch leaves a reason in the queue that is not an error for us
    return same;
}

} // namespace caseflow::signature
