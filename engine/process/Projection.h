// Turns one stored event into the read models: the situation document and its state
// (table `situations`), the finance tables (`funding_requests`, `payments`) and the
// deadlines. It runs inside the event's own transaction, so the log and the projections
// never disagree; a rebuild runs it over the whole log and must give identical tables.
#pragma once

#include "model/NetworkSettings.h"
#include "store/Database.h"
#include "store/EventStore.h"

namespace caseflow {

void projectEvent(store::Database& db, const store::StoredEvent& event, const NetworkSettings& network);

} // namespace caseflow
