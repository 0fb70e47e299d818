// The tables the HTTP service keeps next to the event log: users and their role, which
// situations a user is assigned to, bearer tokens (only their SHA-256 hash), the record of
// every read of a situation, and the idempotency keys of payments. None of them is a
// projection: a rebuild never touches them. What must stay true: a token's secret is never
// stored, only its hash; the read log and the idempotency keys are only ever appended to.
//
// These tables are created by ensureServiceSchema(), run after store::migrate(), until they
// move into the store's numbered migrations (engine/store/Migrations.cpp); the statements are
// idempotent (IF NOT EXISTS) so that move changes nothing for files already in the field.
#pragma once

namespace caseflow::store {
class Database;
}

namespace caseflow::service {

// Creates the service's tables when missing, in one transaction; safe to run from several
// connections and processes at once.
void ensureServiceSchema(store::Database& db);

} // namespace caseflow::service
