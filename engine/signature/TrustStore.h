// The network's trust store: the certification authority's certificate, which every signature
// must chain to, and each signer certificate it issued with the person's name, the role they
// sign in and, once revoked, when and why. Its rows are kept by store::TrustRepository; this
// class turns them into certificates and applies the rules. What must stay true: there is at
// most one authority; rows are never deleted and a signer row changes only by being revoked,
// once (triggers enforce both); a signer certificate is identified by its fingerprint.
#pragma once

#include "signature/Certificate.h"
#include "store/TrustRepository.h"

#include <optional>
#include <string>
#include <vector>

namespace caseflow::signature {

struct AuthorityRecord {
    std::string fingerprint;
    std::string subject;
    std::string createdAt;
    std::string createdBy;
    Certificate certificate;
};

struct SignerRecord {
    std::string fingerprint;
    std::string name;
    std::string role;
    std::string serial;
    std::string notBefore;
    std::string notAfter;
    std::string issuedAt;
    std::string issuedBy;
    std::optional<std::string> revokedAt;
    std::optional<std::string> revokedBy;
    std::optional<std::string> revocationReason;
    Certificate certificate;
};

class TrustStore {
public:
    explicit TrustStore(store::TrustRepository rows);

    std::optional<AuthorityRecord> authority() const;
    // Throws UsageError when the network already has an authority.
    void setAuthority(const Certificate& certificate, const std::string& actor);

    // Records a certificate the authority issued. Throws UsageError when it was not issued by
    // the network's authority, or when `name` already has a certificate that is not revoked.
    void addSigner(const Certificate& certificate, const std::string& actor);
    std::vector<SignerRecord> signers() const; // oldest first
    std::optional<SignerRecord> signerByFingerprint(const std::string& fingerprint) const;
    // The row of the certificate with this fingerprint as a signature check needs it (role,
    // revocation), read from the database on every call and without parsing the certificate.
    std::optional<store::SignerStandingRow> signerStanding(const std::string& fingerprint) const;
    // The certificates of `name` that are not revoked (normally one).
    std::vector<SignerRecord> activeSigners(const std::string& name) const;
    // Revokes every certificate of `name` that is not revoked yet; returns them. Throws
    // NotFound when `name` has none.
    std::vector<SignerRecord> revoke(const std::string& name, const std::string& reason, const std::string& actor);

private:
    store::TrustRepository rows_;
};

// Names compared the way people write them: surrounding and repeated spaces do not count.
std::string normaliseName(const std::string& name);

} // namespace caseflow::signature
