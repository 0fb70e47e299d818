// The rows of the network's trust store (tables trust_authorities and trust_signers,
// migration 2): the authority's certificate and the signer certificates it issued, as PEM
// text; signature::TrustStore turns them into certificates and applies the rules. No SQL and
// no database type beyond the store's own connection appears here.
// What must stay true: rows are never deleted and a signer row changes only by being revoked,
// once (triggers enforce both).
#pragma once

#include "store/Transaction.h"

#include <optional>
#include <string>
#include <vector>

namespace caseflow::store {

class Database;

struct AuthorityRow {
    std::string fingerprint;
    std::string subject;
    std::string createdAt;
    std::string createdBy;
    std::string certificatePem;
};

struct SignerRow {
    std::string fingerprint;
    std::string name; // normalised by the caller
    std::string role;
    std::string serial;
    std::string notBefore;
    std::string notAfter;
    std::string issuedAt;
    std::string issuedBy;
    std::optional<std::string> revokedAt;
    std::optional<std::string> revokedBy;
    std::optional<std::string> revocationReason;
    std::string certificatePem;
};

// What a signature check needs of a signer row, read on every check of a signature (so that a
// revocation, from this connection or another, counts from the next event on): without the
// certificate's text, which the signature itself carries and its fingerprint names.
struct SignerStandingRow {
    std::string role;
    std::optional<std::string> revokedAt;
    std::optional<std::string> revocationReason;
};

class TrustRepository {
public:
    explicit TrustRepository(Database& db);

    std::optional<AuthorityRow> authority() const; // the oldest, normally the only one
    void insertAuthority(const AuthorityRow& row);

    std::vector<SignerRow> signers() const; // oldest first
    std::optional<SignerRow> signer(const std::string& fingerprint) const;
    std::optional<SignerStandingRow> signerStanding(const std::string& fingerprint) const;
    std::vector<SignerRow> activeSigners(const std::string& name) const; // oldest first
    void insertSigner(const SignerRow& row);                             // its revocation fields are ignored
    void revokeSigner(const std::string& fingerprint, const std::string& revokedAt, const std::string& revokedBy,
                      const std::string& reason);

    // A write transaction over these rows, for checks and writes that must not interleave
    // with another writer's (see store/Transaction.h).
    Transaction writeTransaction() const { return Transaction(db_); }

private:
    Database& db_;
};

} // namespace caseflow::store
