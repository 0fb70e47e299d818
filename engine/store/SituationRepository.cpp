// The SQLite side of SituationRepository and DeadlineRepository (see SituationRepository.h).
// What must stay true: every statement binds its values; none is built from data.
#include "store/SituationRepository.h"

#include "store/Database.h"

namespace caseflow::store {
namespace {

constexpr const char* kSituationColumns =
    "SELECT id, version, state, category, municipality, registered_at, updated_at, document FROM situations";

// SQLite's substr(text, start, 10) past `start` (a byte offset): ten characters, not bytes.
std::string_view tenCharacters(std::string_view text, std::size_t start) {
    std::size_t end = start;
    for (int characters = 0; characters < 10 && end < text.size(); ++characters) {
        ++end;
        while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    }
    return text.substr(start, end - start);
}

// The character before byte offset `at`: SQLite's substr(text, at + 1, -1).
std::string_view characterBefore(std::string_view text, std::size_t at) {
    if (at == 0) return {};
    std::size_t start = at - 1;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    return text.substr(start, at - start);
}

// The columns an update may set besides version, updated_at and document (which change with
// every event), each a bit of the statement's shape.
enum ChangedColumn : unsigned {
    kState = 1,
    kCategory = 2,
    kMunicipality = 4,
    kBirthDate = 8,
    kOpenedOn = 16,
    kYouthReference = 32,
};

template <typename Value> void bindOptional(Statement& statement, int index, const std::optional<Value>& value) {
    if (value)
        statement.bind(index, *value);
    else
        statement.bind(index, nullptr);
}

// Columns 0-6 of kSituationColumns (and of head's selection): the row without its document.
SituationRow readSituationWithoutDocument(Statement& row) {
    SituationRow situation;
    situation.id = row.columnInt(0);
    situation.version = row.columnInt(1);
    situation.state = row.columnText(2);
    if (!row.columnIsNull(3)) situation.category = static_cast<int>(row.columnInt(3));
    situation.municipality = row.columnText(4);
    situation.registeredAt = row.columnText(5);
    situation.updatedAt = row.columnText(6);
    return situation;
}

SituationRow readSituation(Statement& row) {
    SituationRow situation = readSituationWithoutDocument(row);
    situation.document = row.columnText(7);
    return situation;
}

// The FROM and WHERE of a filtered list; the values are bound by bindFilter in the same
// order. Assignments drive the query when there are some (a caseload is small), else the
// indexes on state and municipality do.
std::string filteredFrom(const SituationFilter& filter, bool keyset = true) {
    std::string sql = " FROM situations s";
    if (!filter.assignedTo.empty()) sql += " JOIN assignments a0 ON a0.situation_id = s.id AND a0.user_name = ?";
    for (std::size_t n = 1; n < filter.assignedTo.size(); ++n)
        sql += " JOIN assignments a" + std::to_string(n) + " ON a" + std::to_string(n) + ".situation_id = s.id AND a" +
               std::to_string(n) + ".user_name = ?";
    // Without a keyset (a count), no condition on the id at all: a range on the rowid makes
    // SQLite count by walking the table itself, whose rows carry whole documents (hundreds of
    // MB at 100 000 situations), where count(*) otherwise reads the smallest covering index.
    sql += keyset ? " WHERE s.id > ?" : " WHERE TRUE";
    if (filter.state) sql += " AND s.state = ?";
    if (filter.municipality) sql += " AND s.municipality = ?";
    // The overdue situations come from the partial index of pending deadlines (migration 9).
    if (filter.overdueOn)
        sql += " AND s.id IN (SELECT d.situation_id FROM deadlines d WHERE d.fired_at IS NULL AND d.due_at < ?)";
    return sql;
}

// `afterId` nullopt: the statement was made without a keyset.
int bindFilter(Statement& statement, const SituationFilter& filter, std::optional<std::int64_t> afterId) {
    int index = 0;
    for (const auto& user : filter.assignedTo) statement.bind(++index, user);
    if (afterId) statement.bind(++index, *afterId);
    if (filter.state) statement.bind(++index, *filter.state);
    if (filter.municipality) statement.bind(++index, *filter.municipality);
    if (filter.overdueOn) statement.bind(++index, *filter.overdueOn);
    return index;
}

} // namespace

SituationKeys situationKeys(std::string_view document, Dialect dialect) {
    SituationKeys keys;
    constexpr std::string_view birthDate = "<birthDate>", openedOn = "openedOn=\"", reference = "<reference>",
                               referenceEnd = "</reference>";
    if (const auto at = document.find(birthDate); at != std::string_view::npos)
        keys.birthDate = std::string(tenCharacters(document, at + birthDate.size()));
    if (const auto at = document.find(openedOn); at != std::string_view::npos)
        keys.openedOn = std::string(tenCharacters(document, at + openedOn.size()));
    if (const auto at = document.find(reference); at != std::string_view::npos) {
        const std::size_t start = at + reference.size();
        const auto end = document.find(referenceEnd, start);
        if (end != std::string_view::npos)
            keys.youthReference = std::string(document.substr(start, end - start));
        else // never closed: substr's length is -1 (PostgreSQL's GREATEST made it 0)
            keys.youthReference = dialect == Dialect::Postgres ? "" : std::string(characterBefore(document, start));
    }
    return keys;
}

SituationRepository::SituationRepository(Database& db) : db_(db) {}

std::optional<SituationRow> SituationRepository::find(std::int64_t id) const {
    auto select = db_.prepare(std::string(kSituationColumns) + " WHERE id = ?1");
    select.bind(1, id);
    if (!select.step()) return std::nullopt;
    return readSituation(select);
}

std::optional<SituationHead> SituationRepository::head(std::int64_t id) const {
    auto select = db_.prepare("SELECT id, version, state, category, municipality, registered_at, updated_at, "
                              "birth_date, opened_on, youth_reference FROM situations WHERE id = ?1");
    select.bind(1, id);
    if (!select.step()) return std::nullopt;
    SituationHead head;
    head.row = readSituationWithoutDocument(select);
    head.keys = {select.columnOptionalText(7), select.columnOptionalText(8), select.columnOptionalText(9)};
    return head;
}

std::optional<std::string> SituationRepository::document(std::int64_t id) const {
    auto select = db_.prepare("SELECT document FROM situations WHERE id = ?1");
    select.bind(1, id);
    if (!select.step()) return std::nullopt;
    return select.columnText(0);
}

std::optional<std::int64_t> SituationRepository::version(std::int64_t id) const {
    auto select = db_.prepare("SELECT version FROM situations WHERE id = ?1");
    select.bind(1, id);
    if (!select.step()) return std::nullopt;
    return select.columnInt(0);
}

std::vector<SituationRow> SituationRepository::list(const std::optional<std::string>& activeState) const {
    auto select = db_.prepare(
        std::string(kSituationColumns) +
        (activeState ? " WHERE (' ' || state || ' ') LIKE ('% ' || ?1 || ' %') ORDER BY id" : " ORDER BY id"));
    if (activeState) select.bind(1, *activeState);
    std::vector<SituationRow> rows;
    while (select.step()) rows.push_back(readSituation(select));
    return rows;
}

std::int64_t SituationRepository::count() const {
    auto select = db_.prepare("SELECT count(*) FROM situations");
    return select.step() ? select.columnInt(0) : 0;
}

SituationPage SituationRepository::page(const SituationFilter& filter, std::int64_t afterId, int limit) const {
    auto select = db_.prepare("SELECT s.id, s.version, s.state, s.category, s.municipality, s.registered_at, "
                              "s.updated_at, s.document" +
                              filteredFrom(filter) + " ORDER BY s.id LIMIT ?");
    // One row more than asked tells whether there is a next page without counting.
    select.bind(bindFilter(select, filter, afterId) + 1, static_cast<std::int64_t>(limit) + 1);
    SituationPage page;
    while (select.step()) page.rows.push_back(readSituation(select));
    if (page.rows.size() > static_cast<std::size_t>(limit)) {
        page.rows.pop_back();
        page.nextAfter = page.rows.back().id;
    }
    return page;
}

std::int64_t SituationRepository::count(const SituationFilter& filter) const {
    auto select = db_.prepare("SELECT count(*)" + filteredFrom(filter, false));
    bindFilter(select, filter, std::nullopt);
    return select.step() ? select.columnInt(0) : 0;
}

std::optional<std::int64_t> SituationRepository::previousAfter(const SituationFilter& filter, std::int64_t firstShownId,
                                                               int limit) const {
    auto select = db_.prepare("SELECT s.id" + filteredFrom(filter) + " AND s.id < ? ORDER BY s.id DESC LIMIT ?");
    const int bound = bindFilter(select, filter, 0);
    select.bind(bound + 1, firstShownId).bind(bound + 2, static_cast<std::int64_t>(limit));
    std::int64_t earliest = 0;
    int found = 0;
    while (select.step()) {
        earliest = select.columnInt(0);
        ++found;
    }
    if (found == 0) return std::nullopt;
    // A full page before this one starts at `earliest`: its cursor is the id just below it.
    return found == limit ? earliest - 1 : 0;
}

std::vector<SituationRepository::Born> SituationRepository::bornBetween(const std::string& from,
                                                                        const std::string& to) const {
    Statement query =
        db_.prepare("SELECT id, state, birth_date FROM situations WHERE birth_date >= ?1 AND birth_date <= ?2");
    query.bind(1, from).bind(2, to);
    std::vector<Born> born;
    while (query.step()) born.push_back({query.columnInt(0), query.columnText(1), query.columnText(2)});
    return born;
}

std::vector<SituationRepository::Glance> SituationRepository::glances() const {
    Statement rows = db_.prepare("SELECT id, state, category FROM situations ORDER BY id");
    std::vector<Glance> all;
    while (rows.step())
        all.push_back({rows.columnInt(0), rows.columnText(1),
                       rows.columnIsNull(2) ? std::nullopt : std::optional<int>(static_cast<int>(rows.columnInt(2)))});
    return all;
}

std::set<std::int64_t> SituationRepository::touchingYear(int year) const {
    const std::string text = std::to_string(year);
    Statement query =
        db_.prepare("SELECT id FROM situations WHERE opened_on >= ?1 AND opened_on < ?2"
                    " UNION SELECT situation_id FROM funding_requests WHERE year = ?3 OR substr(decided_at, 1, 4) = ?4"
                    " UNION SELECT situation_id FROM payments WHERE substr(paid_on, 1, 4) = ?4");
    query.bind(1, text + "-01-01").bind(2, std::to_string(year + 1) + "-01-01").bind(3, year).bind(4, text);
    std::set<std::int64_t> ids;
    while (query.step()) ids.insert(query.columnInt(0));
    return ids;
}

std::optional<std::int64_t> SituationRepository::firstWithYouthReference(const std::string& reference) const {
    auto select = db_.prepare("SELECT id FROM situations WHERE youth_reference = ?1 ORDER BY id LIMIT 1");
    select.bind(1, reference);
    if (!select.step()) return std::nullopt;
    return select.columnInt(0);
}

void SituationRepository::insert(const SituationRow& row) {
    auto insert = db_.prepare("INSERT INTO situations(id, version, state, category, municipality, registered_at, "
                              "updated_at, document, birth_date, opened_on, youth_reference) "
                              "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10)");
    insert.bind(1, row.id).bind(2, row.version).bind(3, row.state);
    insert.bind(4, row.category);
    insert.bind(5, row.municipality).bind(6, row.registeredAt).bind(7, row.document);
    const SituationKeys keys = situationKeys(row.document, db_.dialect());
    insert.bind(8, keys.birthDate);
    insert.bind(9, keys.openedOn);
    insert.bind(10, keys.youthReference);
    insert.step();
}

void SituationRepository::update(const SituationRow& row, const SituationHead& before) {
    const SituationKeys keys = situationKeys(row.document, db_.dialect());
    unsigned changed = 0;
    if (row.state != before.row.state) changed |= kState;
    if (row.category != before.row.category) changed |= kCategory;
    if (row.municipality != before.row.municipality) changed |= kMunicipality;
    if (keys.birthDate != before.keys.birthDate) changed |= kBirthDate;
    if (keys.openedOn != before.keys.openedOn) changed |= kOpenedOn;
    if (keys.youthReference != before.keys.youthReference) changed |= kYouthReference;
    // One statement text per set of changed columns: the connection's statement cache keeps the
    // few that occur (most events change the state, or nothing indexed at all). Parameters are
    // numbered without gaps, which PostgreSQL needs to know each one's type.
    std::string sql = "UPDATE situations SET version = ?1, updated_at = ?2, document = ?3";
    int next = 4;
    const auto set = [&](unsigned column, const char* name) {
        if (changed & column) sql += std::string(", ") + name + " = ?" + std::to_string(next++);
    };
    set(kState, "state");
    set(kCategory, "category");
    set(kMunicipality, "municipality");
    set(kBirthDate, "birth_date");
    set(kOpenedOn, "opened_on");
    set(kYouthReference, "youth_reference");
    sql += " WHERE id = ?" + std::to_string(next);
    auto update = db_.prepare(sql);
    update.bind(1, row.version).bind(2, row.updatedAt).bind(3, row.document);
    int index = 3;
    if (changed & kState) update.bind(++index, row.state);
    if (changed & kCategory) update.bind(++index, row.category);
    if (changed & kMunicipality) update.bind(++index, row.municipality);
    if (changed & kBirthDate) update.bind(++index, keys.birthDate);
    if (changed & kOpenedOn) update.bind(++index, keys.openedOn);
    if (changed & kYouthReference) update.bind(++index, keys.youthReference);
    update.bind(++index, row.id);
    update.step();
}

DeadlineRepository::DeadlineRepository(Database& db) : db_(db) {}

std::vector<DeadlineRow> DeadlineRepository::pendingUntil(const std::string& isoDate) const {
    auto select = db_.prepare("SELECT situation_id, send_id, event, due_at FROM deadlines "
                              "WHERE fired_at IS NULL AND due_at <= ?1 ORDER BY due_at, situation_id, send_id");
    select.bind(1, isoDate);
    std::vector<DeadlineRow> found;
    while (select.step())
        found.push_back({select.columnInt(0), select.columnText(1), select.columnText(2), select.columnText(3)});
    return found;
}

DeadlinePage DeadlineRepository::pendingPage(const DeadlineFilter& filter, const std::optional<DeadlineKey>& after,
                                             int limit) const {
    std::string sql = "SELECT d.situation_id, d.send_id, d.event, d.due_at FROM deadlines d";
    if (filter.assignedTo) sql += " JOIN assignments a ON a.situation_id = d.situation_id AND a.user_name = ?";
    sql += " WHERE d.fired_at IS NULL AND d.due_at <= ?";
    if (filter.before) sql += " AND d.due_at < ?";
    // The keyset spelled out rather than as a row value, so that the range on due_at is one
    // the index can seek to on both backends.
    if (after)
        sql += " AND d.due_at >= ? AND (d.due_at > ? OR d.situation_id > ? OR (d.situation_id = ? AND d.send_id > ?))";
    sql += " ORDER BY d.due_at, d.situation_id, d.send_id LIMIT ?";
    auto select = db_.prepare(sql);
    int index = 0;
    if (filter.assignedTo) select.bind(++index, *filter.assignedTo);
    select.bind(++index, filter.until);
    if (filter.before) select.bind(++index, *filter.before);
    if (after) {
        select.bind(++index, after->due);
        select.bind(++index, after->due);
        select.bind(++index, after->situationId);
        select.bind(++index, after->situationId);
        select.bind(++index, after->sendId);
    }
    // One row more than asked tells whether there is a next page without counting.
    select.bind(++index, static_cast<std::int64_t>(limit) + 1);
    DeadlinePage page;
    while (select.step())
        page.rows.push_back({select.columnInt(0), select.columnText(1), select.columnText(2), select.columnText(3)});
    if (page.rows.size() > static_cast<std::size_t>(limit)) {
        page.rows.pop_back();
        const auto& last = page.rows.back();
        page.next = DeadlineKey{last.due, last.situationId, last.sendId};
    }
    return page;
}

std::vector<DeadlineRow> DeadlineRepository::nextPending(const std::vector<std::int64_t>& situationIds) const {
    auto select = db_.prepare("SELECT situation_id, send_id, event, due_at FROM deadlines "
                              "WHERE situation_id = ?1 AND fired_at IS NULL ORDER BY due_at, send_id LIMIT 1");
    std::vector<DeadlineRow> found;
    for (const auto id : situationIds) {
        select.reset();
        select.bind(1, id);
        if (select.step())
            found.push_back({select.columnInt(0), select.columnText(1), select.columnText(2), select.columnText(3)});
    }
    return found;
}

void DeadlineRepository::schedule(const DeadlineRow& deadline) {
    db_.prepare("INSERT INTO deadlines(situation_id, send_id, event, due_at, fired_at) VALUES(?1, ?2, ?3, ?4, NULL) "
                "ON CONFLICT(situation_id, send_id) DO UPDATE SET event = excluded.event, due_at = excluded.due_at, "
                "fired_at = NULL")
        .bind(1, deadline.situationId)
        .bind(2, deadline.sendId)
        .bind(3, deadline.event)
        .bind(4, deadline.due)
        .step();
}

void DeadlineRepository::markFired(std::int64_t situationId, const std::string& sendId, const std::string& firedAt) {
    db_.prepare("UPDATE deadlines SET fired_at = ?1 WHERE situation_id = ?2 AND send_id = ?3")
        .bind(1, firedAt)
        .bind(2, situationId)
        .bind(3, sendId)
        .step();
}

void DeadlineRepository::cancel(std::int64_t situationId, const std::string& sendId) {
    db_.prepare("DELETE FROM deadlines WHERE situation_id = ?1 AND send_id = ?2 AND fired_at IS NULL")
        .bind(1, situationId)
        .bind(2, sendId)
        .step();
}

void DeadlineRepository::cancelAllPending(std::int64_t situationId) {
    db_.prepare("DELETE FROM deadlines WHERE situation_id = ?1 AND fired_at IS NULL").bind(1, situationId).step();
}

} // namespace caseflow::store
