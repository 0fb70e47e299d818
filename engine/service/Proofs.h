// Invoices and proofs of expense sent with a payment over HTTP (issue 17): how they are read
// from the payment's JSON body, and how they are stored with the payment event. What must stay
// true: a proof is checked (type by its first bytes, size) before anything is stored, and its
// bytes are stored in the very transaction that appends the payment.recorded event naming it,
// so the log never names a file the store does not hold.
#pragma once

#include "service/JsonBody.h"
#include "store/ProofRepository.h"

#include <string>
#include <vector>

namespace caseflow::store {
class Database;
}

namespace caseflow::service {

struct UploadedProof {
    store::ProofFacts facts;
    std::string bytes;
};

// The `proofs` field of a payment body: [{"fileName": "invoice.pdf", "contentBase64": "JVBER..."}],
// at most 10. Throws ProblemException (400) naming the file and what is wrong with it.
std::vector<UploadedProof> proofsFromJson(const JsonBody& body);
// Stores each proof once per content (call inside the payment's write transaction).
void storeProofs(store::Database& database, const std::vector<UploadedProof>& proofs);

} // namespace caseflow::service
