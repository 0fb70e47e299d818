// The pending deadlines a page of the due list shows (`GET /api/v1/due`, the web's /due), read
// a page at a time in SQL instead of every pending deadline of the network. What must stay
// true: the pages, joined in order, are exactly FundingProcess::due(at) restricted to the
// filter (same rows, same order, same overdue flags), whatever the page size; a scoped
// caller's pages hold only its assigned situations, chosen by the query itself.
#pragma once

#include "model/Date.h"
#include "process/FundingProcess.h"
#include "store/Database.h"
#include "store/SituationRepository.h"

#include <optional>
#include <string>
#include <vector>

namespace caseflow {

struct DueQuery {
    Date at;                               // deadlines due on or before it
    bool overdueOnly = false;              // only those due strictly before `at`
    std::optional<std::string> assignedTo; // a scoped caller: its assigned situations only
};

struct DuePage {
    std::vector<DueDeadline> deadlines;
    std::optional<store::DeadlineKey> next; // where the next page starts; none on the last
};

// At most `limit` deadlines of `query`, after `after` when given.
DuePage dueDeadlinesPage(store::Database& db, const DueQuery& query, const std::optional<store::DeadlineKey>& after,
                         int limit);

// The cursor of the page after `key`, opaque to clients: "d", then the last deadline shown
// (its date, its situation and its send id) joined by "~", which neither a date, a number nor
// a send id (an identifier) holds.
std::string dueCursor(const store::DeadlineKey& key);
// The key a cursor of dueCursor's stands for; nullopt for anything else.
std::optional<store::DeadlineKey> parseDueCursor(const std::string& cursor);

} // namespace caseflow
