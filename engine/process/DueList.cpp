// The paged due list (see DueList.h): one keyset query over the partial index of pending
// deadlines; the overdue flag is computed exactly as FundingProcess::due computes it.
#include "process/DueList.h"

#include <algorithm>

namespace caseflow {

DuePage dueDeadlinesPage(store::Database& db, const DueQuery& query, const std::optional<store::DeadlineKey>& after,
                         int limit) {
    store::DeadlineFilter filter;
    filter.until = query.at.iso();
    if (query.overdueOnly) filter.before = query.at.iso();
    filter.assignedTo = query.assignedTo;
    auto rows = store::DeadlineRepository(db).pendingPage(filter, after, limit);
    DuePage page;
    page.next = std::move(rows.next);
    page.deadlines.reserve(rows.rows.size());
    for (auto& row : rows.rows) {
        DueDeadline deadline{row.situationId, std::move(row.sendId), std::move(row.event), std::move(row.due), false};
        deadline.overdue = deadline.due < query.at.iso();
        page.deadlines.push_back(std::move(deadline));
    }
    return page;
}

std::string dueCursor(const store::DeadlineKey& key) {
    return "d" + key.due + "~" + std::to_string(key.situationId) + "~" + key.sendId;
}

std::optional<store::DeadlineKey> parseDueCursor(const std::string& cursor) {
    if (cursor.size() < 15 || cursor.size() > 120 || cursor.front() != 'd' || cursor[11] != '~') return std::nullopt;
    const std::string dueText = cursor.substr(1, 10);
    const auto due = Date::parse(dueText);
    const auto second = cursor.find('~', 12);
    if (!due || due->iso() != dueText || second == std::string::npos || second == 12 || second - 12 > 18)
        return std::nullopt;
    const std::string id = cursor.substr(12, second - 12);
    const std::string sendId = cursor.substr(second + 1);
    const auto identifierCharacter = [](char ch) {
        return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
               ch == '-' || ch == '.';
    };
    if (id.find_first_not_of("0123456789") != std::string::npos || sendId.empty() || sendId.size() > 64 ||
        !std::all_of(sendId.begin(), sendId.end(), identifierCharacter))
        return std::nullopt;
    return store::DeadlineKey{dueText, std::stoll(id), sendId};
}

} // namespace caseflow
