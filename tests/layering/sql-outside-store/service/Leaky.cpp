// A front end that reaches past store/: every line below breaks one rule of
// scripts/check-layers.sh, which must name each of them (tests/layering/check-layers-test.sh).
#include "store/Statement.h"
#include <sqlite3.h>

void leaky(caseflow::store::Database& db) {
    auto select = db.prepare("SELECT id FROM situations");
    db.exec("UPDATE tokens SET revoked_at = NULL");
    auto row = process.rows(" WHERE user_name = ?1");
    caseflow::store::Statement kept = std::move(select);
    const char* create = "CREATE TABLE shadow (id INTEGER)";
    const char* help = "Exits 0 when PRAGMA integrity_check passes"; // prose, not SQL: allowed
}
