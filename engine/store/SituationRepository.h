// The rows the projections keep about situations (table `situations`) and their pending
// deadlines (table `deadlines`), in domain terms: no SQL and no database type beyond the
// store's own connection appears here, so a second backend implements the same header.
// What must stay true: these are projections; only the projector (process/Projection.cpp),
// running inside an event's transaction or a rebuild, writes them.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow::store {

class Database;
enum class Dialect;

struct SituationRow {
    std::int64_t id = 0;
    std::int64_t version = 0; // the sequence of its last event
    std::string state;        // active atomic states, space-separated
    std::optional<int> category;
    std::string municipality;
    std::string registeredAt;
    std::string updatedAt;
    std::string document; // the situation XML
};

// Migration 14's columns: what a stored document says of its youth's birth date (the text of
// the first <birthDate>: <youth> comes first, corrections after it), the situation's opening
// date (the first openedOn attribute) and the youth's reference (the text of the first
// <reference>). Computed from the stored text exactly as the generated columns of migrations
// 11 and 12 computed them (on `dialect`'s text functions: SQLite counts characters, and its
// substr with a negative length, for a <reference> never closed, takes the character before),
// so a database migrated from them and one the projector wrote hold the same values.
struct SituationKeys {
    std::optional<std::string> birthDate;
    std::optional<std::string> openedOn;
    std::optional<std::string> youthReference;
    bool operator==(const SituationKeys&) const = default;
};
SituationKeys situationKeys(std::string_view document, Dialect dialect);

// A situation's row without its document, and its keys: what the projector compares the row
// it writes with, so that an update sets only the columns that change.
struct SituationHead {
    SituationRow row; // row.document is empty
    SituationKeys keys;
};

// Which situations a page of the list holds (issue 19: lists page by default). Every filter
// given must hold; `assignedTo` names users (a case manager asked about, the scoped caller
// itself) each of whom must be assigned to the situation.
struct SituationFilter {
    std::optional<std::string> state; // one active state, matched exactly (the chart has no parallel states)
    std::optional<std::string> municipality;
    std::vector<std::string> assignedTo;
    // An ISO date: only situations with a pending deadline due strictly before it (overdue on it).
    std::optional<std::string> overdueOn;
};

// One page in id order, and the id to continue after when there are more: a keyset cursor,
// stable under inserts (new situations get higher ids, so they come at the end, never twice).
struct SituationPage {
    std::vector<SituationRow> rows;
    std::optional<std::int64_t> nextAfter;
};

class SituationRepository {
public:
    explicit SituationRepository(Database& db);

    std::optional<SituationRow> find(std::int64_t id) const;
    // The row but its document (not read), with its keys.
    std::optional<SituationHead> head(std::int64_t id) const;
    // The stored document alone.
    std::optional<std::string> document(std::int64_t id) const;
    // The situation's version alone (its row's other columns, the document first, are not read).
    std::optional<std::int64_t> version(std::int64_t id) const;
    // Every situation in id order, or those whose active states include `activeState`.
    std::vector<SituationRow> list(const std::optional<std::string>& activeState = std::nullopt) const;
    std::int64_t count() const;
    // At most `limit` situations with ids above `afterId` that pass `filter`; reads only the
    // rows it returns (the indexes of migration 9 find them).
    SituationPage page(const SituationFilter& filter, std::int64_t afterId, int limit) const;
    std::int64_t count(const SituationFilter& filter) const;
    // The cursor (an `afterId` for page()) of the page before the one starting at `firstShownId`:
    // 0 when that page is the first, nullopt when nothing passing `filter` comes before it.
    std::optional<std::int64_t> previousAfter(const SituationFilter& filter, std::int64_t firstShownId,
                                              int limit) const;
    // Situations whose youth was born between `from` and `to` (ISO dates, inclusive), by
    // migration 11's birth-date index: id, state and birth date, in no particular order.
    struct Born {
        std::int64_t id = 0;
        std::string state;
        std::string birthDate;
    };
    std::vector<Born> bornBetween(const std::string& from, const std::string& to) const;
    // Every situation's id, state and category in id order, without the documents.
    struct Glance {
        std::int64_t id = 0;
        std::string state;
        std::optional<int> category;
    };
    std::vector<Glance> glances() const;
    // The situations whose projections hold something of `year`: opened in it (migration 11's
    // opened_on), a request of that year or decided in it, a payment in it.
    std::set<std::int64_t> touchingYear(int year) const;
    // The lowest id whose youth reference (the document's first <reference>, as stored) is
    // `reference`, through migration 12's index.
    std::optional<std::int64_t> firstWithYouthReference(const std::string& reference) const;

    // Writes of the projector, which also write the keys of `row.document`. `row.registeredAt`
    // is also its first updatedAt. An update leaves the registration date, and sets of the
    // other columns those whose value differs from `before` (the row as stored now): SQLite
    // rewrites an index entry only for a column in the SET list, and each page an event
    // dirties is written to the WAL and synced.
    void insert(const SituationRow& row);
    void update(const SituationRow& row, const SituationHead& before);

private:
    Database& db_;
};

struct DeadlineRow {
    std::int64_t situationId = 0;
    std::string sendId;
    std::string event;
    std::string due; // ISO date
};

// Which pending deadlines a page of the due list holds: due on or before `until` (ISO date),
// strictly before `before` when given (the overdue ones), of situations assigned to
// `assignedTo` when given (a scoped caller's own).
struct DeadlineFilter {
    std::string until;
    std::optional<std::string> before;
    std::optional<std::string> assignedTo;
};

// Where a page of pending deadlines ends, in their order (due date, situation, send id): the
// next page is what comes strictly after it, so a deadline fired or scheduled between two pages
// never makes another one appear twice.
struct DeadlineKey {
    std::string due;
    std::int64_t situationId = 0;
    std::string sendId;
};

struct DeadlinePage {
    std::vector<DeadlineRow> rows;
    std::optional<DeadlineKey> next; // the last row's key when more come after it
};

class DeadlineRepository {
public:
    explicit DeadlineRepository(Database& db);

    // Deadlines not fired yet, due on or before `isoDate`, by due date, situation, send id.
    std::vector<DeadlineRow> pendingUntil(const std::string& isoDate) const;
    // At most `limit` of them passing `filter`, in the same order, after `after` when given;
    // reads only the rows it returns (the partial index of migration 9 walks the dates).
    DeadlinePage pendingPage(const DeadlineFilter& filter, const std::optional<DeadlineKey>& after, int limit) const;
    // The earliest pending deadline of each of `situationIds` that has one (a page of a list).
    std::vector<DeadlineRow> nextPending(const std::vector<std::int64_t>& situationIds) const;

    // Schedules a deadline, replacing (and re-arming) one with the same send id.
    void schedule(const DeadlineRow& deadline);
    void markFired(std::int64_t situationId, const std::string& sendId, const std::string& firedAt);
    // Forgets a pending deadline; a fired one stays as the record that it fired.
    void cancel(std::int64_t situationId, const std::string& sendId);
    void cancelAllPending(std::int64_t situationId);

private:
    Database& db_;
};

} // namespace caseflow::store
