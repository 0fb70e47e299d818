// Inside store/ SQL is at home: scripts/check-layers.sh must not report this file.
#include <sqlite3.h>

void allowed(caseflow::store::Database& db) {
    db.prepare("SELECT id FROM situations WHERE id = ?1");
}
