// How an event row is read back, the same for every backend: the column list and the reading
// of one row into a StoredEvent. Row is store::Statement or its PostgreSQL twin
// (store/postgres/PgStatement.h), which share one surface. What must stay true: the order of
// `kEventColumns` is the order `readEventRow` reads.
#pragma once

#include "store/EventStore.h"

namespace caseflow::store {

inline constexpr const char* kEventColumns =
    "SELECT position, situation_id, sequence, type, actor, recorded_at, payload, previous_hash, hash FROM events";

template <typename Row> StoredEvent readEventRow(Row& row) {
    StoredEvent event;
    event.position = row.columnInt(0);
    event.situationId = row.columnInt(1);
    event.sequence = row.columnInt(2);
    event.type = row.columnText(3);
    event.actor = row.columnText(4);
    event.recordedAt = row.columnText(5);
    event.payload = row.columnText(6);
    event.previousHash = row.columnText(7);
    event.hash = row.columnText(8);
    return event;
}

} // namespace caseflow::store
