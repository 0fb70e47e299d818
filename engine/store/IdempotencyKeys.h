// The idempotency keys of the service's payment requests (table idempotency_keys): for each
// key, who used it, the fingerprint of the request and the response it got, so a retry is
// answered with that response instead of paying twice. No SQL and no database type beyond the
// store's own connection appears here.
// What must stay true: a key is stored once; the first request to store it wins.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace caseflow::store {

class Database;

struct IdempotencyRecord {
    std::string key;
    std::string userName;
    std::string fingerprint;
    std::int64_t situationId = 0;
    std::int64_t eventPosition = 0;
    int status = 0;
    std::string response;
    std::string createdAt;
};

class IdempotencyKeys {
public:
    explicit IdempotencyKeys(Database& db);

    std::optional<IdempotencyRecord> find(const std::string& key) const;
    // Stores the record unless its key is already stored; returns whether it was stored.
    bool storeOnce(const IdempotencyRecord& record);

private:
    Database& db_;
};

} // namespace caseflow::store
