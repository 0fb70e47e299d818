// Issuing certificates (see CertificateAuthority.h). What must stay true: every certificate
// carries the extensions that standard verifiers (OpenSSL, xmlsec1) need to accept the chain
// (CA:TRUE and keyCertSign on the authority, CA:FALSE and digitalSignature on signers), a
// random 128-bit serial, and is signed with SHA-256.
#include "signature/CertificateAuthority.h"

#include "core/Errors.h"
#include "signature/OpenSsl.h"

#include <openssl/rand.h>

#include <ctime>

namespace caseflow::signature {
namespace {

void addNameEntry(X509_NAME* name, int nid, const std::string& value) {
    if (value.empty()) return;
    ossl::require(X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8,
                                             reinterpret_cast<const unsigned char*>(value.c_str()),
                                             static_cast<int>(value.size()), -1, 0),
                  "cannot put '" + value + "' in a certificate name");
}

void addExtension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX context;
    X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
    ossl::Extension extension(
        ossl::check(X509V3_EXT_conf_nid(nullptr, &context, nid, value), std::string("cannot make extension ") + value));
    ossl::require(X509_add_ext(cert, extension.get(), -1), std::string("cannot add extension ") + value);
}

// A certificate with everything but its issuer-dependent parts and signature.
ossl::Cert newCertificate(const PrivateKey& subjectKey, const Validity& validity) {
    ossl::Cert cert(ossl::check(X509_new(), "cannot allocate a certificate"));
    ossl::require(X509_set_version(cert.get(), X509_VERSION_3), "cannot set the certificate version");
    ossl::BigNumber serial(ossl::check(BN_new(), "cannot allocate a serial"));
    ossl::require(BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), "cannot draw a serial");
    ossl::check(BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())), "cannot set the serial");
    ossl::check(
        ASN1_TIME_set(X509_getm_notBefore(cert.get()), std::chrono::system_clock::to_time_t(validity.notBefore)),
        "cannot set notBefore");
    ossl::check(ASN1_TIME_set(X509_getm_notAfter(cert.get()), std::chrono::system_clock::to_time_t(validity.notAfter)),
                "cannot set notAfter");
    ossl::require(X509_set_pubkey(cert.get(), subjectKey.get()), "cannot set the public key");
    return cert;
}

} // namespace

void checkSignerRole(const std::string& role) {
    if (role != kPedopsychiatristRole && role != kCoordinatorRole)
        throw UsageError("unknown signer role '" + role + "'; signer roles are: pedopsychiatrist, coordinator");
}

Validity Validity::fromNow(int years) {
    if (years < 1 || years > 30) throw UsageError("a certificate is valid for 1 to 30 years");
    const auto now = std::chrono::system_clock::now();
    return {now - std::chrono::minutes(10), now + std::chrono::days(365 * years + years / 4)};
}

CertificateAuthority::CertificateAuthority(PrivateKey key, Certificate certificate)
    : key_(std::move(key)), certificate_(std::move(certificate)) {
    if (!certificate_.isAuthority()) throw UsageError("the certificate '" + certificate_.subject() + "' is not a CA");
    if (!certificate_.matches(key_))
        throw UsageError("the CA key does not belong to the CA certificate '" + certificate_.subject() + "'");
}

CertificateAuthority CertificateAuthority::create(const std::string& commonName, const std::string& organisation,
                                                  KeyType type, const Validity& validity) {
    PrivateKey key = PrivateKey::generate(type);
    ossl::Cert cert = newCertificate(key, validity);
    X509_NAME* name = X509_get_subject_name(cert.get());
    addNameEntry(name, NID_commonName, commonName);
    addNameEntry(name, NID_organizationName, organisation);
    ossl::require(X509_set_issuer_name(cert.get(), name), "cannot set the issuer");
    addExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    addExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    addExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
    addExtension(cert.get(), cert.get(), NID_authority_key_identifier, "keyid:always");
    ossl::require(X509_sign(cert.get(), key.get(), EVP_sha256()), "cannot sign the CA certificate");
    return CertificateAuthority(std::move(key), Certificate(cert.release()));
}

Certificate CertificateAuthority::issue(const std::string& name, const std::string& role, const PrivateKey& subjectKey,
                                        const Validity& validity) const {
    checkSignerRole(role);
    if (name.empty() || name.size() > 300) throw UsageError("a signer's name has 1 to 300 characters");
    ossl::Cert cert = newCertificate(subjectKey, validity);
    X509_NAME* subject = X509_get_subject_name(cert.get());
    addNameEntry(subject, NID_commonName, name);
    addNameEntry(subject, NID_title, role);
    const std::string organisation = [&] {
        const X509_NAME* issuerName = X509_get_subject_name(certificate_.get());
        const int index = X509_NAME_get_index_by_NID(issuerName, NID_organizationName, -1);
        if (index < 0) return std::string();
        unsigned char* utf8 = nullptr;
        const int length = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(issuerName, index)));
        if (length < 0) return std::string();
        ossl::Owned<unsigned char> owned(utf8);
        return std::string(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
    }();
    addNameEntry(subject, NID_organizationName, organisation);
    ossl::require(X509_set_issuer_name(cert.get(), X509_get_subject_name(certificate_.get())), "cannot set the issuer");
    addExtension(cert.get(), certificate_.get(), NID_basic_constraints, "critical,CA:FALSE");
    addExtension(cert.get(), certificate_.get(), NID_key_usage, "critical,digitalSignature,nonRepudiation");
    addExtension(cert.get(), certificate_.get(), NID_subject_key_identifier, "hash");
    addExtension(cert.get(), certificate_.get(), NID_authority_key_identifier, "keyid:always");
    ossl::require(X509_sign(cert.get(), key_.get(), EVP_sha256()), "cannot sign the certificate of " + name);
    return Certificate(cert.release());
}

} // namespace caseflow::signature
