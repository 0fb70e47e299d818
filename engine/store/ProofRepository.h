// The invoices and proofs of expense that payments carry (table `proofs`): the bytes of each
// file, stored once per content under its SHA-256, and the check a file passes before it is
// stored. No SQL and no database type beyond the store's own connection appears here.
// What must stay true: a proof is a PDF, a PNG or a JPEG by its first bytes (never by its name),
// of at most kMaxProofBytes; its row is keyed by the SHA-256 of exactly the bytes it holds, so
// the SHA-256 a payment.recorded event names always finds the file it proved; two payments with
// the same file share one row; a stored row is never changed nor deleted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace caseflow::store {

class Database;

// 10 MB: a scanned invoice or a phone photo of a receipt, not an archive.
inline constexpr std::int64_t kMaxProofBytes = 10 * 1000 * 1000;

// What a payment.recorded event says about one file (its <proof> element).
struct ProofFacts {
    std::string sha256;    // lower-case hex of the bytes
    std::string mediaType; // application/pdf, image/png or image/jpeg
    std::int64_t size = 0; // bytes
    std::string fileName;  // as the payer named it: shown, never used as a path
};

// The facts of `bytes` named `fileName`; throws InvalidInput naming the file and the problem
// when it is empty, larger than kMaxProofBytes, or neither a PDF, a PNG nor a JPEG by its
// first bytes, or when the name is empty, longer than 200 characters or holds a path separator
// or a control character.
ProofFacts inspectProof(const std::string& fileName, const std::string& bytes);
// The media type `bytes` start with, or nullopt for anything but a PDF, a PNG or a JPEG.
std::optional<std::string> proofMediaType(const std::string& bytes);

struct StoredProof {
    std::string mediaType;
    std::string bytes;
};

class ProofRepository {
public:
    explicit ProofRepository(Database& db);

    // Stores the file unless a row holds its SHA-256 already; returns whether a row was added.
    // Call inside the transaction that records the payment naming it.
    bool storeOnce(const ProofFacts& facts, const std::string& bytes);
    std::optional<StoredProof> find(const std::string& sha256) const;
    std::int64_t count() const;

private:
    Database& db_;
};

} // namespace caseflow::store
