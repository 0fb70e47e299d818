// Invoices and proofs of expense over HTTP (issue 17): reading them from a payment's body
// (see Proofs.h) and GET /api/v1/proofs/{sha256}, for finance and the coordinator only (R19:
// an invoice names a supplier and a service, which may say more about a young person's care
// than the committee or a case manager of another situation needs). What must stay true: a
// proof is served with the media type it was checked to have, as an attachment and with
// nosniff, so a browser never runs it as a page; its read is recorded against every situation
// whose payments name it before the bytes leave.
#include "core/Errors.h"
#include "service/Endpoints.h"
#include "service/Problem.h"
#include "service/Proofs.h"
#include "service/RequestContext.h"
#include "store/Database.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <iterator>
#include <sstream>

namespace caseflow::service {
namespace {

std::string decodeBase64(const std::string& text, const std::string& fileName) {
    // Base64 of 10 MB is 13 333 336 characters; refuse far larger text before decoding it.
    const std::size_t largest = static_cast<std::size_t>((store::kMaxProofBytes + 2) / 3 * 4);
    if (text.size() > largest + 8)
        throw ProblemException(
            Problem(ProblemKind::InvalidValue, "The proof '{file}' is larger than 10 MB, the most a proof may have.")
                .arg("file", fileName)
                .extension("field", "proofs"));
    if (text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") !=
        std::string::npos)
        throw ProblemException(
            Problem(ProblemKind::InvalidValue, "The content of the proof '{file}' is not base64 (RFC 4648).")
                .arg("file", fileName)
                .extension("field", "proofs"));
    std::istringstream in(text);
    Poco::Base64Decoder decoder(in);
    std::string bytes;
    try {
        bytes.assign(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
    } catch (const Poco::Exception&) {
        throw ProblemException(
            Problem(ProblemKind::InvalidValue, "The content of the proof '{file}' is not base64 (RFC 4648).")
                .arg("file", fileName)
                .extension("field", "proofs"));
    }
    return bytes;
}

bool isSha256(const std::string& text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

} // namespace

std::vector<UploadedProof> proofsFromJson(const JsonBody& body) {
    std::vector<UploadedProof> proofs;
    for (const auto& item : body.objectList("proofs", 10, {"fileName", "contentBase64"})) {
        const std::string fileName = *item.text("fileName", true, 200);
        // A base64 text has no other limit here: decodeBase64 refuses one beyond 10 MB.
        const std::string bytes = decodeBase64(*item.text("contentBase64", true, 20'000'000), fileName);
        try {
            proofs.push_back({store::inspectProof(fileName, bytes), bytes});
        } catch (const InvalidInput& refused) {
            throw ProblemException(Problem(ProblemKind::InvalidValue, "The proof is refused: {reason}.")
                                       .arg("reason", refused.what())
                                       .extension("field", "proofs"));
        }
    }
    return proofs;
}

void storeProofs(store::Database& database, const std::vector<UploadedProof>& proofs) {
    store::ProofRepository repository(database);
    for (const auto& proof : proofs) repository.storeOnce(proof.facts, proof.bytes);
}

void getProof(RequestContext& context) {
    const std::string sha256 = context.params.at("sha256");
    if (!isSha256(sha256))
        throw ProblemException(
            Problem(ProblemKind::NotFound, "There is no proof '{sha256}'.").arg("sha256", sha256.substr(0, 64)));
    FundingProcess& process = context.process();
    // The proofs are no part of the funding process's projections: read on their own connection.
    auto database = store::Database::open(context.state.config.database, store::OpenMode::MustExist);
    const auto proof = store::ProofRepository(database).find(sha256);
    if (!proof)
        throw ProblemException(Problem(ProblemKind::NotFound, "There is no proof '{sha256}'.").arg("sha256", sha256));
    // The read log names situations: the ones whose payments carry this file.
    std::vector<std::int64_t> situations;
    for (const auto& record : process.situations())
        if (record.document.find("sha256=\"" + sha256 + "\"") != std::string::npos) situations.push_back(record.id);
    context.state.readLog.record(context.caller(), situations, "proof:" + sha256);
    const std::string extension = proof->mediaType == "application/pdf" ? "pdf"
                                  : proof->mediaType == "image/png"     ? "png"
                                                                        : "jpg";
    context.response.set("Content-Disposition",
                         "attachment; filename=\"proof-" + sha256.substr(0, 16) + "." + extension + "\"");
    context.response.set("X-Content-Type-Options", "nosniff");
    context.send(200, proof->mediaType, proof->bytes);
}

} // namespace caseflow::service
