// ProofRepository on either backend, and the check of a proof's bytes (see ProofRepository.h).
// The bytes are a BLOB on SQLite and a BYTEA on PostgreSQL; PostgreSQL's text parameters cannot
// carry a NUL, so there they travel as hex ('\x…' in, encode(bytes, 'hex') out), which doubles
// the transfer of a proof (10 MB at most) but needs no binary parameter format.
#include "store/ProofRepository.h"

#include "core/Errors.h"
#include "store/Database.h"
#include "store/Sha256.h"

namespace caseflow::store {

std::optional<std::string> proofMediaType(const std::string& bytes) {
    const auto startsWith = [&](std::string_view magic) { return bytes.compare(0, magic.size(), magic) == 0; };
    if (startsWith("%PDF-")) return "application/pdf";
    if (startsWith(std::string_view("\x89PNG\r\n\x1a\n", 8))) return "image/png";
    if (startsWith("\xFF\xD8\xFF")) return "image/jpeg";
    return std::nullopt;
}

ProofFacts inspectProof(const std::string& fileName, const std::string& bytes) {
    const std::string shown = fileName.substr(0, 200);
    if (fileName.empty() || fileName.size() > 200)
        throw InvalidInput("a proof's file name must have 1 to 200 characters");
    for (unsigned char ch : fileName)
        if (ch < 0x20 || ch == 0x7f || ch == '/' || ch == '\\')
            throw InvalidInput("the proof file name '" + shown +
                               "' holds a path separator or a control character; give the file's name alone");
    if (bytes.empty()) throw InvalidInput("the proof '" + shown + "' is empty");
    if (static_cast<std::int64_t>(bytes.size()) > kMaxProofBytes)
        throw InvalidInput("the proof '" + shown + "' has " + std::to_string(bytes.size()) +
                           " bytes; a proof may have at most " + std::to_string(kMaxProofBytes) + " (10 MB)");
    const auto mediaType = proofMediaType(bytes);
    // The name says nothing: an executable renamed invoice.pdf is still an executable.
    if (!mediaType)
        throw InvalidInput("the proof '" + shown + "' is not a PDF, PNG or JPEG file (its first bytes say otherwise)");
    return {sha256Hex(bytes), *mediaType, static_cast<std::int64_t>(bytes.size()), fileName};
}

ProofRepository::ProofRepository(Database& db) : db_(db) {}

namespace {

std::string toByteaHex(const std::string& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex = "\\x";
    hex.reserve(2 + 2 * bytes.size());
    for (unsigned char byte : bytes) {
        hex += digits[byte >> 4];
        hex += digits[byte & 0x0f];
    }
    return hex;
}

int hexDigit(char digit) {
    if (digit >= '0' && digit <= '9') return digit - '0';
    if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
    if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
    throw Error("postgresql: a proof's bytes came back as malformed hex");
}

std::string fromHex(std::string_view hex) {
    if (hex.size() % 2 != 0) throw Error("postgresql: a proof's bytes came back as malformed hex");
    std::string bytes;
    bytes.reserve(hex.size() / 2);
    for (std::size_t index = 0; index < hex.size(); index += 2)
        bytes += static_cast<char>(hexDigit(hex[index]) * 16 + hexDigit(hex[index + 1]));
    return bytes;
}

} // namespace

bool ProofRepository::storeOnce(const ProofFacts& facts, const std::string& bytes) {
    const bool postgres = db_.dialect() == Dialect::Postgres;
    // Bound with its length and cast to a BLOB: the bytes are stored as they are, NULs included,
    // never read as text.
    db_.prepare(postgres ? "INSERT INTO proofs(sha256, media_type, bytes, size) VALUES(?1, ?2, CAST(?3 AS BYTEA), ?4) "
                           "ON CONFLICT(sha256) DO NOTHING"
                         : "INSERT INTO proofs(sha256, media_type, bytes, size) VALUES(?1, ?2, CAST(?3 AS BLOB), ?4) "
                           "ON CONFLICT(sha256) DO NOTHING")
        .bind(1, facts.sha256)
        .bind(2, facts.mediaType)
        .bind(3, postgres ? toByteaHex(bytes) : bytes)
        .bind(4, static_cast<std::int64_t>(bytes.size()))
        .step();
    return db_.changes() > 0;
}

std::optional<StoredProof> ProofRepository::find(const std::string& sha256) const {
    const bool postgres = db_.dialect() == Dialect::Postgres;
    auto select = db_.prepare(postgres ? "SELECT media_type, encode(bytes, 'hex') FROM proofs WHERE sha256 = ?1"
                                       : "SELECT media_type, bytes FROM proofs WHERE sha256 = ?1");
    select.bind(1, sha256);
    if (!select.step()) return std::nullopt;
    if (postgres) return StoredProof{select.columnText(0), fromHex(select.columnView(1))};
    // columnText gives a BLOB's bytes with their length, NULs included.
    return StoredProof{select.columnText(0), select.columnText(1)};
}

std::int64_t ProofRepository::count() const {
    auto select = db_.prepare("SELECT count(*) FROM proofs");
    select.step();
    return select.columnInt(0);
}

} // namespace caseflow::store
