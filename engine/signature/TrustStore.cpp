// The trust store's SQL (see TrustStore.h). What must stay true: every write runs in its own
// transaction, and the checks it relies on (one authority, one active certificate per name)
// are made inside that transaction, so two coordinators cannot both succeed.
#include "signature/TrustStore.h"

#include "core/Errors.h"
#include "model/Date.h"
#include "store/Database.h"

#include <openssl/x509v3.h>

#include <sstream>

namespace caseflow::signature {
namespace {

constexpr const char* kSignerColumns =
    "SELECT fingerprint, name, role, serial, not_before, not_after, issued_at, issued_by, revoked_at, revoked_by, "
    "revocation_reason, certificate_pem FROM trust_signers";

std::optional<std::string> optionalText(store::Statement& row, int column) {
    if (row.columnIsNull(column)) return std::nullopt;
    return row.columnText(column);
}

SignerRecord readSigner(store::Statement& row) {
    return SignerRecord{row.columnText(0),
                        row.columnText(1),
                        row.columnText(2),
                        row.columnText(3),
                        row.columnText(4),
                        row.columnText(5),
                        row.columnText(6),
                        row.columnText(7),
                        optionalText(row, 8),
                        optionalText(row, 9),
                        optionalText(row, 10),
                        Certificate::fromPem(row.columnText(11), "trust store certificate " + row.columnText(0))};
}

std::vector<SignerRecord> readSigners(store::Statement& select) {
    std::vector<SignerRecord> found;
    while (select.step()) found.push_back(readSigner(select));
    return found;
}

} // namespace

std::string normaliseName(const std::string& name) {
    std::istringstream words(name);
    std::string normalised;
    for (std::string word; words >> word;) normalised += (normalised.empty() ? "" : " ") + word;
    return normalised;
}

TrustStore::TrustStore(store::Database& db) : db_(db) {}

std::optional<AuthorityRecord> TrustStore::authority() const {
    auto select = db_.prepare("SELECT fingerprint, subject, created_at, created_by, certificate_pem "
                              "FROM trust_authorities ORDER BY created_at LIMIT 1");
    if (!select.step()) return std::nullopt;
    return AuthorityRecord{select.columnText(0), select.columnText(1), select.columnText(2), select.columnText(3),
                           Certificate::fromPem(select.columnText(4), "trust store authority")};
}

void TrustStore::setAuthority(const Certificate& certificate, const std::string& actor) {
    if (!certificate.isAuthority()) throw UsageError("'" + certificate.subject() + "' is not a CA certificate");
    store::Transaction transaction(db_);
    if (auto existing = authority())
        throw UsageError("the network already has a certification authority (" + existing->subject + ", created " +
                         existing->createdAt + "); a second one is refused");
    db_.prepare("INSERT INTO trust_authorities(fingerprint, subject, certificate_pem, created_at, created_by) "
                "VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind(1, certificate.fingerprint())
        .bind(2, certificate.subject())
        .bind(3, certificate.pem())
        .bind(4, utcNowIso())
        .bind(5, actor)
        .step();
    transaction.commit();
}

void TrustStore::addSigner(const Certificate& certificate, const std::string& actor) {
    const std::string name = normaliseName(certificate.commonName());
    store::Transaction transaction(db_);
    const auto anchor = authority();
    if (!anchor) throw UsageError("the network has no certification authority yet; run `caseflow ca init` first");
    if (X509_check_issued(anchor->certificate.get(), certificate.get()) != X509_V_OK)
        throw UsageError("the certificate of " + name + " was not issued by the network's authority (" +
                         anchor->subject + ")");
    if (!activeSigners(name).empty())
        throw UsageError(name + " already has a certificate that is not revoked; revoke it first "
                                "(`caseflow signer revoke`)");
    db_.prepare("INSERT INTO trust_signers(fingerprint, name, role, serial, not_before, not_after, certificate_pem, "
                "issued_at, issued_by) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .bind(1, certificate.fingerprint())
        .bind(2, name)
        .bind(3, certificate.role())
        .bind(4, certificate.serial())
        .bind(5, certificate.notBefore())
        .bind(6, certificate.notAfter())
        .bind(7, certificate.pem())
        .bind(8, utcNowIso())
        .bind(9, actor)
        .step();
    transaction.commit();
}

std::vector<SignerRecord> TrustStore::signers() const {
    auto select = db_.prepare(std::string(kSignerColumns) + " ORDER BY issued_at, fingerprint");
    return readSigners(select);
}

std::optional<SignerRecord> TrustStore::signerByFingerprint(const std::string& fingerprint) const {
    auto select = db_.prepare(std::string(kSignerColumns) + " WHERE fingerprint = ?1");
    select.bind(1, fingerprint);
    if (!select.step()) return std::nullopt;
    return readSigner(select);
}

std::vector<SignerRecord> TrustStore::activeSigners(const std::string& name) const {
    auto select =
        db_.prepare(std::string(kSignerColumns) + " WHERE name = ?1 AND revoked_at IS NULL ORDER BY issued_at");
    select.bind(1, normaliseName(name));
    return readSigners(select);
}

std::vector<SignerRecord> TrustStore::revoke(const std::string& name, const std::string& reason,
                                             const std::string& actor) {
    store::Transaction transaction(db_);
    auto revoked = activeSigners(name);
    if (revoked.empty()) throw NotFound("no certificate of '" + normaliseName(name) + "' to revoke");
    const std::string now = utcNowIso();
    for (auto& signer : revoked) {
        db_.prepare("UPDATE trust_signers SET revoked_at = ?1, revoked_by = ?2, revocation_reason = ?3 "
                    "WHERE fingerprint = ?4")
            .bind(1, now)
            .bind(2, actor)
            .bind(3, reason)
            .bind(4, signer.fingerprint)
            .step();
        signer.revokedAt = now;
        signer.revokedBy = actor;
        signer.revocationReason = reason;
    }
    transaction.commit();
    return revoked;
}

} // namespace caseflow::signature
