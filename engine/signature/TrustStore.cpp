// The trust store's rules over its rows (see TrustStore.h). What must stay true: every write runs in its own
// transaction, and the checks it relies on (one authority, one active certificate per name)
// are made inside that transaction, so two coordinators cannot both succeed.
#include "signature/TrustStore.h"

#include "core/Errors.h"
#include "model/Date.h"
#include "store/TrustRepository.h"

#include <openssl/x509v3.h>

#include <sstream>

namespace caseflow::signature {
namespace {

SignerRecord signerOf(store::SignerRow row) {
    auto certificate = Certificate::fromPem(row.certificatePem, "trust store certificate " + row.fingerprint);
    return SignerRecord{std::move(row.fingerprint),
                        std::move(row.name),
                        std::move(row.role),
                        std::move(row.serial),
                        std::move(row.notBefore),
                        std::move(row.notAfter),
                        std::move(row.issuedAt),
                        std::move(row.issuedBy),
                        std::move(row.revokedAt),
                        std::move(row.revokedBy),
                        std::move(row.revocationReason),
                        std::move(certificate)};
}

std::vector<SignerRecord> signersOf(std::vector<store::SignerRow> rows) {
    std::vector<SignerRecord> found;
    for (auto& row : rows) found.push_back(signerOf(std::move(row)));
    return found;
}

} // namespace

std::string normaliseName(const std::string& name) {
    std::istringstream words(name);
    std::string normalised;
    for (std::string word; words >> word;) normalised += (normalised.empty() ? "" : " ") + word;
    return normalised;
}

TrustStore::TrustStore(store::TrustRepository rows) : rows_(rows) {}

std::optional<AuthorityRecord> TrustStore::authority() const {
    auto row = rows_.authority();
    if (!row) return std::nullopt;
    auto certificate = Certificate::fromPem(row->certificatePem, "trust store authority");
    return AuthorityRecord{std::move(row->fingerprint), std::move(row->subject), std::move(row->createdAt),
                           std::move(row->createdBy), std::move(certificate)};
}

void TrustStore::setAuthority(const Certificate& certificate, const std::string& actor) {
    if (!certificate.isAuthority()) throw UsageError("'" + certificate.subject() + "' is not a CA certificate");
    auto transaction = rows_.writeTransaction();
    if (auto existing = authority())
        throw UsageError("the network already has a certification authority (" + existing->subject + ", created " +
                         existing->createdAt + "); a second one is refused");
    rows_.insertAuthority({certificate.fingerprint(), certificate.subject(), utcNowIso(), actor, certificate.pem()});
    transaction.commit();
}

void TrustStore::addSigner(const Certificate& certificate, const std::string& actor) {
    const std::string name = normaliseName(certificate.commonName());
    auto transaction = rows_.writeTransaction();
    const auto anchor = authority();
    if (!anchor) throw UsageError("the network has no certification authority yet; run `caseflow ca init` first");
    if (X509_check_issued(anchor->certificate.get(), certificate.get()) != X509_V_OK)
        throw UsageError("the certificate of " + name + " was not issued by the network's authority (" +
                         anchor->subject + ")");
    if (!activeSigners(name).empty())
        throw UsageError(name + " already has a certificate that is not revoked; revoke it first "
                                "(`caseflow signer revoke`)");
    rows_.insertSigner({certificate.fingerprint(), name, certificate.role(), certificate.serial(),
                        certificate.notBefore(), certificate.notAfter(), utcNowIso(), actor, std::nullopt, std::nullopt,
                        std::nullopt, certificate.pem()});
    transaction.commit();
}

std::vector<SignerRecord> TrustStore::signers() const {
    return signersOf(rows_.signers());
}

std::optional<SignerRecord> TrustStore::signerByFingerprint(const std::string& fingerprint) const {
    auto row = rows_.signer(fingerprint);
    if (!row) return std::nullopt;
    return signerOf(std::move(*row));
}

std::optional<store::SignerStandingRow> TrustStore::signerStanding(const std::string& fingerprint) const {
    return rows_.signerStanding(fingerprint);
}

std::vector<SignerRecord> TrustStore::activeSigners(const std::string& name) const {
    return signersOf(rows_.activeSigners(normaliseName(name)));
}

std::vector<SignerRecord> TrustStore::revoke(const std::string& name, const std::string& reason,
                                             const std::string& actor) {
    auto transaction = rows_.writeTransaction();
    auto revoked = activeSigners(name);
    if (revoked.empty()) throw NotFound("no certificate of '" + normaliseName(name) + "' to revoke");
    const std::string now = utcNowIso();
    for (auto& signer : revoked) {
        rows_.revokeSigner(signer.fingerprint, now, actor, reason);
        signer.revokedAt = now;
        signer.revokedBy = actor;
        signer.revocationReason = reason;
    }
    transaction.commit();
    return revoked;
}

} // namespace caseflow::signature
