// The committee facts' SQL (see CommitteeFactsStore.h). Every statement that filters on a kind
// names it as a literal: the selections so that SQLite and PostgreSQL use the partial index of
// decisions of another year, the projector's writes so that SQLite does not re-prepare them
// whenever the kind changes (keyedSql). What must stay true: a fact is written only through its
// full key (situation, kind, fact_key, valid_from).
#include "store/CommitteeFactsStore.h"

#include "core/Errors.h"

#include <array>

namespace caseflow::store {
namespace {

// The two halves of "holding on ?1": still holding, or closed after it.
constexpr const char* kHolding[] = {"valid_until = '9999-12-31'", "valid_until > ?1 AND valid_until < '9999-12-31'"};

constexpr const char* kKinds[] = {"situation", "request", "decision", "payment", "deadline"};

std::size_t kindIndex(const std::string& kind) {
    for (std::size_t index = 0; index < std::size(kKinds); ++index)
        if (kind == kKinds[index]) return index;
    throw Error("committee facts: no kind '" + kind + "'");
}

std::string literalKind(const std::string& kind) {
    return "'" + std::string(kKinds[kindIndex(kind)]) + "'";
}

// The statements on one fact by its key (?1 situation, ?2 fact_key, ?3 valid_from), with its
// kind written as a literal. Bound as a parameter, `kind = ?2` made SQLite compile the statement
// again on every step whose kind differed from the last one's: the planner matches a bound term
// against the partial index's `kind = 'decision'` and has the statement re-prepared whenever that
// binding changes (sqlite3Reprepare was 4.5 % of a transition's samples). One text per kind keeps
// each one compiled once in the statement cache.
enum class OnFact { remove, close, revise };

const std::string& keyedSql(OnFact which, const std::string& kind) {
    static const auto texts = [] {
        std::vector<std::array<std::string, 3>> all; // by OnFact, in kKinds' order
        for (const char* known : kKinds) {
            const std::string where = " WHERE situation_id = ?1 AND kind = '" + std::string(known) +
                                      "' AND fact_key = ?2 AND valid_from = ?3";
            all.push_back({"DELETE FROM committee_facts" + where, "UPDATE committee_facts SET valid_until = ?4" + where,
                           "UPDATE committee_facts SET day = ?4, day2 = ?5, day3 = ?6, amount = ?7, text1 = ?8,"
                           " text2 = ?9" +
                               where});
        }
        return all;
    }();
    return texts[kindIndex(kind)][static_cast<std::size_t>(which)];
}

// ?first.. : what a fact says.
void bindFact(Statement& statement, int first, const CommitteeFact& fact) {
    statement.bind(first, fact.day).bind(first + 1, fact.day2).bind(first + 2, fact.day3).bind(first + 3, fact.amount);
    statement.bind(first + 4, fact.text1).bind(first + 5, fact.text2);
}

} // namespace

SituationFacts CommitteeFactsStore::situationFacts(std::int64_t situationId) {
    // The clock is the row without a kind (a fact always has one).
    Statement query = db_.prepare("SELECT NULL, NULL, effective_day, NULL, NULL, NULL, NULL, NULL, NULL"
                                  " FROM committee_clock WHERE situation_id = ?1 UNION ALL"
                                  " SELECT kind, fact_key, valid_from, day, day2, day3, amount, text1, text2"
                                  " FROM committee_facts WHERE situation_id = ?1 AND valid_until = '9999-12-31'");
    query.bind(1, situationId);
    SituationFacts facts;
    while (query.step()) {
        if (query.columnIsNull(0)) {
            facts.clock = query.columnText(2);
            continue;
        }
        facts.open.push_back(
            {query.columnText(0), query.columnText(1), query.columnText(2),
             CommitteeFact{query.columnText(3), query.columnText(4), query.columnText(5),
                           query.columnIsNull(6) ? std::nullopt : std::optional<std::int64_t>(query.columnInt(6)),
                           query.columnText(7), query.columnText(8)}});
    }
    return facts;
}

void CommitteeFactsStore::setClock(std::int64_t situationId, const std::string& effectiveDay) {
    db_.prepare("INSERT INTO committee_clock (situation_id, effective_day) VALUES (?1, ?2)"
                " ON CONFLICT (situation_id) DO UPDATE SET effective_day = excluded.effective_day")
        .bind(1, situationId)
        .bind(2, effectiveDay)
        .step();
}

void CommitteeFactsStore::removeFact(std::int64_t situationId, const CommitteeFactRow& row) {
    db_.prepare(keyedSql(OnFact::remove, row.kind)).bind(1, situationId).bind(2, row.key).bind(3, row.validFrom).step();
}

void CommitteeFactsStore::closeFact(std::int64_t situationId, const CommitteeFactRow& row, const std::string& until) {
    db_.prepare(keyedSql(OnFact::close, row.kind))
        .bind(1, situationId)
        .bind(2, row.key)
        .bind(3, row.validFrom)
        .bind(4, until)
        .step();
}

void CommitteeFactsStore::openFact(std::int64_t situationId, const std::string& kind, const std::string& key,
                                   const std::string& validFrom, const CommitteeFact& fact) {
    Statement insert =
        db_.prepare("INSERT INTO committee_facts (situation_id, kind, fact_key, valid_from, valid_until, day, day2,"
                    " day3, amount, text1, text2) VALUES (?1, ?2, ?3, ?4, '9999-12-31', ?5, ?6, ?7, ?8, ?9, ?10)");
    insert.bind(1, situationId).bind(2, kind).bind(3, key).bind(4, validFrom);
    bindFact(insert, 5, fact);
    insert.step();
}

void CommitteeFactsStore::reviseFact(std::int64_t situationId, const CommitteeFactRow& row, const CommitteeFact& now) {
    Statement update = db_.prepare(keyedSql(OnFact::revise, row.kind));
    update.bind(1, situationId).bind(2, row.key).bind(3, row.validFrom);
    bindFact(update, 4, now);
    update.step();
}

bool CommitteeFactsStore::missing() {
    Statement query = db_.prepare("SELECT CASE WHEN EXISTS (SELECT 1 FROM situations)"
                                  " AND NOT EXISTS (SELECT 1 FROM committee_clock) THEN 1 ELSE 0 END");
    query.step();
    return query.columnInt(0) == 1;
}

std::vector<std::pair<std::int64_t, std::optional<int>>> CommitteeFactsStore::situationCategories() {
    std::vector<std::pair<std::int64_t, std::optional<int>>> situations;
    Statement query = db_.prepare("SELECT id, category FROM situations ORDER BY id");
    while (query.step())
        situations.emplace_back(query.columnInt(0), query.columnIsNull(1)
                                                        ? std::nullopt
                                                        : std::optional<int>(static_cast<int>(query.columnInt(1))));
    return situations;
}

int CommitteeFactsStore::count(const std::string& asOf, const std::string& where,
                               const std::vector<std::string>& values) {
    int total = 0;
    for (const char* holding : kHolding) {
        Statement query = db_.prepare("SELECT count(*) FROM committee_facts WHERE kind = 'deadline' AND " +
                                      std::string(holding) + " AND valid_from <= ?1 AND " + where);
        query.bind(1, asOf);
        for (std::size_t index = 0; index < values.size(); ++index)
            query.bind(static_cast<int>(index) + 2, values[index]);
        query.step();
        total += static_cast<int>(query.columnInt(0));
    }
    return total;
}

int CommitteeFactsStore::deadlinesDueBefore(const std::string& asOf) {
    return count(asOf, "day < ?1", {});
}

int CommitteeFactsStore::deadlinesDueBetween(const std::string& asOf, const std::string& first,
                                             const std::string& last) {
    return count(asOf, "day >= ?2 AND day <= ?3", {first, last});
}

void CommitteeFactsStore::select(const std::string& asOf, const std::string& kind, const std::string& where,
                                 const std::vector<std::string>& values, const FactVisitor& visit) {
    // Only the columns the report reads of the kind: each one fetched costs a call into SQLite
    // per row, tens of thousands of rows at 100 000 situations.
    const bool amountOnly = kind == "request", datedAmount = kind == "payment";
    const std::string columns = amountOnly    ? "situation_id, amount"
                                : datedAmount ? "situation_id, amount, day"
                                              : "situation_id, amount, day, day2, day3, text1, text2";
    for (const char* holding : kHolding) {
        Statement query = db_.prepare("SELECT " + columns + " FROM committee_facts WHERE kind = " + literalKind(kind) +
                                      " AND " + holding + " AND valid_from <= ?1 AND " + where);
        query.bind(1, asOf);
        for (std::size_t index = 0; index < values.size(); ++index)
            query.bind(static_cast<int>(index) + 2, values[index]);
        while (query.step()) {
            CommitteeFactView fact;
            fact.situationId = query.columnInt(0);
            if (!query.columnIsNull(1)) fact.amount = query.columnInt(1);
            if (!amountOnly) fact.day = query.columnView(2);
            if (!amountOnly && !datedAmount) {
                fact.day2 = query.columnView(3);
                fact.day3 = query.columnView(4);
                fact.text1 = query.columnView(5);
                fact.text2 = query.columnView(6);
            }
            visit(fact);
        }
    }
}

void CommitteeFactsStore::forEachDatedIn(const std::string& asOf, const std::string& kind, const std::string& first,
                                         const std::string& last, const FactVisitor& visit) {
    select(asOf, kind, "day BETWEEN ?2 AND ?3", {first, last}, visit);
}

void CommitteeFactsStore::forEachDecisionRequestedIn(const std::string& asOf, const std::string& first,
                                                     const std::string& last, const FactVisitor& visit) {
    // The partial index holds the decisions of another year than their request's, the only
    // ones this can select: its condition is repeated so that the planner may use it.
    select(asOf, "decision",
           "substr(day, 1, 4) <> substr(day2, 1, 4) AND day2 BETWEEN ?2 AND ?3 AND NOT (day BETWEEN ?2 AND ?3)",
           {first, last}, visit);
}

} // namespace caseflow::store
