// The SQLite side of TrustRepository (see TrustRepository.h).
#include "store/TrustRepository.h"

#include "store/Database.h"

namespace caseflow::store {
namespace {

constexpr const char* kSignerColumns =
    "SELECT fingerprint, name, role, serial, not_before, not_after, issued_at, issued_by, revoked_at, revoked_by, "
    "revocation_reason, certificate_pem FROM trust_signers";

std::vector<SignerRow> readSigners(Statement& select) {
    std::vector<SignerRow> found;
    while (select.step())
        found.push_back({select.columnText(0), select.columnText(1), select.columnText(2), select.columnText(3),
                         select.columnText(4), select.columnText(5), select.columnText(6), select.columnText(7),
                         select.columnOptionalText(8), select.columnOptionalText(9), select.columnOptionalText(10),
                         select.columnText(11)});
    return found;
}

} // namespace

TrustRepository::TrustRepository(Database& db) : db_(db) {}

std::optional<AuthorityRow> TrustRepository::authority() const {
    // Every signature check reads the authority: the oldest is picked here rather than by
    // ORDER BY created_at, which (no index on it) made SQLite build a temporary b-tree to sort
    // a table of one row on every read. Ties keep the first row read, as LIMIT 1 would.
    auto select =
        db_.prepare("SELECT fingerprint, subject, created_at, created_by, certificate_pem FROM trust_authorities");
    std::optional<AuthorityRow> oldest;
    while (select.step()) {
        std::string createdAt = select.columnText(2);
        if (oldest && !(createdAt < oldest->createdAt)) continue;
        oldest = AuthorityRow{select.columnText(0), select.columnText(1), std::move(createdAt), select.columnText(3),
                              select.columnText(4)};
    }
    return oldest;
}

void TrustRepository::insertAuthority(const AuthorityRow& row) {
    db_.prepare("INSERT INTO trust_authorities(fingerprint, subject, certificate_pem, created_at, created_by) "
                "VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind(1, row.fingerprint)
        .bind(2, row.subject)
        .bind(3, row.certificatePem)
        .bind(4, row.createdAt)
        .bind(5, row.createdBy)
        .step();
}

std::vector<SignerRow> TrustRepository::signers() const {
    auto select = db_.prepare(std::string(kSignerColumns) + " ORDER BY issued_at, fingerprint");
    return readSigners(select);
}

std::optional<SignerRow> TrustRepository::signer(const std::string& fingerprint) const {
    auto select = db_.prepare(std::string(kSignerColumns) + " WHERE fingerprint = ?1");
    select.bind(1, fingerprint);
    auto found = readSigners(select);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::optional<SignerStandingRow> TrustRepository::signerStanding(const std::string& fingerprint) const {
    auto select = db_.prepare("SELECT role, revoked_at, revocation_reason FROM trust_signers WHERE fingerprint = ?1");
    select.bind(1, fingerprint);
    if (!select.step()) return std::nullopt;
    return SignerStandingRow{select.columnText(0), select.columnOptionalText(1), select.columnOptionalText(2)};
}

std::vector<SignerRow> TrustRepository::activeSigners(const std::string& name) const {
    auto select =
        db_.prepare(std::string(kSignerColumns) + " WHERE name = ?1 AND revoked_at IS NULL ORDER BY issued_at");
    select.bind(1, name);
    return readSigners(select);
}

void TrustRepository::insertSigner(const SignerRow& row) {
    db_.prepare("INSERT INTO trust_signers(fingerprint, name, role, serial, not_before, not_after, certificate_pem, "
                "issued_at, issued_by) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .bind(1, row.fingerprint)
        .bind(2, row.name)
        .bind(3, row.role)
        .bind(4, row.serial)
        .bind(5, row.notBefore)
        .bind(6, row.notAfter)
        .bind(7, row.certificatePem)
        .bind(8, row.issuedAt)
        .bind(9, row.issuedBy)
        .step();
}

void TrustRepository::revokeSigner(const std::string& fingerprint, const std::string& revokedAt,
                                   const std::string& revokedBy, const std::string& reason) {
    db_.prepare("UPDATE trust_signers SET revoked_at = ?1, revoked_by = ?2, revocation_reason = ?3 "
                "WHERE fingerprint = ?4")
        .bind(1, revokedAt)
        .bind(2, revokedBy)
        .bind(3, reason)
        .bind(4, fingerprint)
        .step();
}

} // namespace caseflow::store
