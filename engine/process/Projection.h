// Turns one stored event into the read models: the situation document and its state
// (table `situations`), the finance tables (`funding_requests`, `payments`) and the
// deadlines; and a network.settings event into the stored network settings (meta.network).
// It runs inside the event's own transaction, so the log and the projections never disagree;
// a rebuild runs it over the whole log and must give identical tables.
#pragma once

#include "model/NetworkSettings.h"
#include "model/Situation.h"
#include "process/EventPayload.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "workflow/StateChart.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace caseflow {

class ParsedSituations;

// What the firing path holds already for the event it appends (FundingProcess::prepare): the
// payload its stored text was written from, and the candidate, the stored document of version
// `baseVersion` with the event's data applied exactly as the projection applies it. projectEvent
// takes them instead of parsing the payload and the stored document again, and only while the
// event's text is `payloadText` and the stored row still at `baseVersion` (the sequence of the
// event that wrote its document: only the projector writes it); the candidate is taken (moved)
// when used.
struct PreparedProjection {
    std::string payloadText;
    EventPayload payload;
    std::int64_t baseVersion = 0;
    std::optional<Situation> candidate;
};

// `network`: the settings in force when the event was recorded (a situation's category is
// derived from them); `chart`: the workflow, which declares the events that submit a dossier.
// `parsed`, when given, serves the stored document already parsed and is given the document
// just stored (FundingProcess's firing path); `prepared`, when given, is the firing path's own
// parse of this event. The result is the same with or without them.
void projectEvent(store::Database& db, const store::StoredEvent& event, const NetworkSettings& network,
                  const workflow::StateChart& chart, ParsedSituations* parsed = nullptr,
                  PreparedProjection* prepared = nullptr);

// A projector for the whole log from its start (rebuild, verify's replay): it follows the
// network.settings events, so each event is projected under the settings in force when it was
// recorded; events older than the first settings event (databases from before settings were
// events) under that first one, the settings they were recorded under as far as anyone knows.
// `first` is used until the log says otherwise.
store::Projector replayProjector(std::shared_ptr<const NetworkSettings> first,
                                 std::shared_ptr<const workflow::StateChart> chart);

} // namespace caseflow
