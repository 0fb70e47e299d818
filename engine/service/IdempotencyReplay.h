// The Idempotency-Key of the service's money writes (a payment, a payment run): the header
// checked, and a repeated request answered with the first response. What must stay true: the
// key is stored in the same transaction as what it records (by the caller), so a retry finds
// either both or neither; a key reused by another caller or for another body is refused (422).
#pragma once

#include "service/RequestContext.h"
#include "store/IdempotencyKeys.h"

#include <string>

namespace caseflow::service {

// The request's Idempotency-Key, or 400 naming what one must be.
std::string requireIdempotencyKey(RequestContext& context);
// When `key` is stored: answers with the stored response (or 422 when it was used for a
// different request) and returns true.
bool replayStoredKey(RequestContext& context, const store::IdempotencyKeys& keys, const std::string& key,
                     const std::string& fingerprint);

} // namespace caseflow::service
