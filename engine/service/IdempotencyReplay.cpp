// The Idempotency-Key checks and replay (see IdempotencyReplay.h).
#include "service/IdempotencyReplay.h"

#include "service/Problem.h"

#include <algorithm>

namespace caseflow::service {

std::string requireIdempotencyKey(RequestContext& context) {
    const std::string key = context.request.get("Idempotency-Key", "");
    if (key.empty() || key.size() > 200 ||
        std::any_of(key.begin(), key.end(), [](unsigned char ch) { return ch < 0x21 || ch > 0x7e; }))
        throw ProblemException(Problem(ProblemKind::IdempotencyKeyMissing,
                                       "Record a payment with an Idempotency-Key header: 1 to 200 visible ASCII "
                                       "characters, the same on every retry of the same payment."));
    return key;
}

bool replayStoredKey(RequestContext& context, const store::IdempotencyKeys& keys, const std::string& key,
                     const std::string& fingerprint) {
    const auto stored = keys.find(key);
    if (!stored) return false;
    if (stored->userName != context.caller().name || stored->fingerprint != fingerprint)
        throw ProblemException(Problem(ProblemKind::IdempotencyKeyReused,
                                       "This Idempotency-Key was already used for a different request."));
    context.response.set("Idempotent-Replayed", "true");
    context.send(stored->status, "application/json; charset=utf-8", stored->response);
    return true;
}

} // namespace caseflow::service
