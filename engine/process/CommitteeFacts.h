// The committee report's dated facts (issue 19: the report at 100 000 situations replayed the
// whole log, 7.85 s): what computeCommitteeFigures reads of each situation — its opening, state
// and category, its first concertation and validation, its case manager's key, its pending
// follow-up deadlines, its submitted requests, budget decisions and payments — kept by the
// projector in the event's own transaction, each fact with the business days it held over.
//
// What must stay true: a fact row is valid for a report as of day D when valid_from <= D <
// valid_until, and the facts valid on D are exactly those a replay of the situation's log up
// to D (committeeFiguresByReplay: the prefix of its events before the first one dated after D)
// would read. An event's "effective day" is the latest business date of its situation's events
// so far (committee_clock), so a situation's state on D is the state after its last event whose
// effective day is on or before D; a fact changed by an event closes on that day and the new
// value opens on it. Dates the figures parse are stored parsed (ISO, or "" when they do not
// parse), so SQL can select them by range; nothing identifying a young person is stored.
#pragma once

#include "model/Situation.h"
#include "process/EventPayload.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "workflow/StateChart.h"

#include <optional>
#include <string>

namespace caseflow {

class FundingProcess;

// A situation fact's text1 is its phase (process/CommitteeReport.h, phaseOfState), or for a
// redirected situation this prefix and its state (no phase name has a slash).
inline constexpr const char* kRedirectedPrefix = "redirected/";

// Brings the committee facts of `event`'s situation up to date, `situation` being its document
// after the event, `category` its category (R2, fixed at registration).
void projectCommitteeFacts(store::Database& db, const store::StoredEvent& event, const EventPayload& payload,
                           const Situation& situation, std::optional<int> category, const workflow::StateChart& chart);

// Fills the facts from the log for a database migrated to schema 13 with situations already in
// it (the migration creates the tables; only the process layer can read the documents). Does
// nothing when they are filled: once a situation has facts, every situation has (each
// registration writes its own in its transaction). Runs in one transaction.
void fillCommitteeFactsIfMissing(FundingProcess& process);

} // namespace caseflow
