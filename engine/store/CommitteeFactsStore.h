// The committee report's dated facts in the database (migration 13: committee_facts,
// committee_clock; what they mean is process/CommitteeFacts.h). The projector reads and writes a
// situation's facts here in the event's transaction; the report selects here the facts holding on
// its date. What must stay true: a fact still holds while its valid_until is kStillHolds, and every
// selection takes the facts with valid_from <= asOf < valid_until, run once over those still
// holding and once over those closed after asOf, so that each half reads one range of an index.
#pragma once

#include "store/Database.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace caseflow::store {

// What a fact says, as the projector compares and writes it.
struct CommitteeFact {
    std::string day, day2, day3;
    std::optional<std::int64_t> amount;
    std::string text1, text2;
    bool operator==(const CommitteeFact&) const = default;
};

// A fact still holding: its key, the day it opened, what it says.
struct CommitteeFactRow {
    std::string kind, key, validFrom;
    CommitteeFact fact;
};

// What the projector reads of a situation before an event: its clock (nullopt before its
// first event) and its facts still holding.
struct SituationFacts {
    std::optional<std::string> clock;
    std::vector<CommitteeFactRow> open;
};

// A fact as a report selection hands it over: views valid until the callback returns. A request
// comes with its situation and amount only, a payment with its day too.
struct CommitteeFactView {
    std::int64_t situationId = 0;
    std::string_view day, day2, day3;
    std::optional<std::int64_t> amount;
    std::string_view text1, text2;
};

class CommitteeFactsStore {
public:
    static constexpr const char* kStillHolds = "9999-12-31";

    explicit CommitteeFactsStore(Database& db) : db_(db) {}

    // The projector's side, for one situation. Its clock and open facts come in one statement.
    SituationFacts situationFacts(std::int64_t situationId);
    void setClock(std::int64_t situationId, const std::string& effectiveDay);
    void removeFact(std::int64_t situationId, const CommitteeFactRow& row);
    void closeFact(std::int64_t situationId, const CommitteeFactRow& row, const std::string& until);
    void openFact(std::int64_t situationId, const std::string& kind, const std::string& key,
                  const std::string& validFrom, const CommitteeFact& fact);
    // What a fact opened on the day says now: the same as removing it and opening `now` that day.
    void reviseFact(std::int64_t situationId, const CommitteeFactRow& row, const CommitteeFact& now);
    // Situations stored and no fact yet: a database migrated to 13 with situations in it.
    bool missing();
    // Every situation's id and category (R2), in id order, for the fill.
    std::vector<std::pair<std::int64_t, std::optional<int>>> situationCategories();

    // The report's side: the facts holding on asOf (ISO days).
    int deadlinesDueBefore(const std::string& asOf);
    int deadlinesDueBetween(const std::string& asOf, const std::string& first, const std::string& last);
    using FactVisitor = std::function<void(const CommitteeFactView&)>;
    // Facts of `kind` (situation, request, decision, payment) whose own day is in [first, last].
    void forEachDatedIn(const std::string& asOf, const std::string& kind, const std::string& first,
                        const std::string& last, const FactVisitor& visit);
    // Decisions whose request's day is in [first, last] and whose own day is not.
    void forEachDecisionRequestedIn(const std::string& asOf, const std::string& first, const std::string& last,
                                    const FactVisitor& visit);

private:
    int count(const std::string& asOf, const std::string& where, const std::vector<std::string>& values);
    void select(const std::string& asOf, const std::string& kind, const std::string& where,
                const std::vector<std::string>& values, const FactVisitor& visit);

    Database& db_;
};

} // namespace caseflow::store
