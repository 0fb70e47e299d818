// Compares the projections stored in a database with those of a replay of its log (another
// database, usually in memory, built by the same migrations and the same projector). What must
// stay true: every projection table (projectionTables()) is compared row by row and column by
// column, whatever columns a later migration adds, and so is the stored network settings
// (meta.network, the projection of the network.settings events); comparing writes nothing.
// The same replay also serves a rebuild (replaceProjections), so the log is replayed once.
#pragma once

#include "store/EventStore.h"

#include <vector>

namespace caseflow::store {

class Database;

// Every difference, table by table in projectionTables() order, rows in key order.
std::vector<ProjectionDrift> compareProjections(Database& stored, Database& replayed);

// Replaces every projection table of `stored` and its meta.network by those of `replayed`, value
// for value (types kept), inside the transaction the caller holds on `stored`. Generated
// columns are not copied: SQLite computes them again from the copied document.
void replaceProjections(Database& stored, Database& replayed);

} // namespace caseflow::store
