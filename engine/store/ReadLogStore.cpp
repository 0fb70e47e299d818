// The chained read log (see ReadLogStore.h for what must stay true and the hash encoding).
#include "store/ReadLogStore.h"

#include "core/Errors.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "store/Netstring.h"
#include "store/Sha256.h"

#include <optional>
#include <utility>

namespace caseflow::store {
namespace {

constexpr const char* selectColumns =
    "SELECT id, read_at, user_name, role, situation_id, what, previous_hash, hash FROM read_log";

StoredRead readRow(Statement& row) {
    StoredRead read;
    read.id = row.columnInt(0);
    read.record.readAt = row.columnText(1);
    read.record.userName = row.columnText(2);
    read.record.role = row.columnText(3);
    read.record.situationId = row.columnInt(4);
    read.record.what = row.columnText(5);
    read.previousHash = row.columnText(6);
    read.hash = row.columnText(7);
    return read;
}

// The hash of the newest row, the one the next row links to.
std::string lastHash(Database& db) {
    Statement newest = db.prepare("SELECT hash FROM read_log ORDER BY id DESC LIMIT 1");
    return newest.step() ? newest.columnText(0) : std::string(genesisHash);
}

} // namespace

std::string computeReadHash(const StoredRead& read) {
    std::string encoded;
    appendNetstring(encoded, "caseflow-read-v1");
    appendNetstring(encoded, std::to_string(read.id));
    appendNetstring(encoded, read.record.readAt);
    appendNetstring(encoded, read.record.userName);
    appendNetstring(encoded, read.record.role);
    appendNetstring(encoded, std::to_string(read.record.situationId));
    appendNetstring(encoded, read.record.what);
    appendNetstring(encoded, read.previousHash);
    return sha256Hex(encoded);
}

ReadLogStore::ReadLogStore(Database& db) : db_(db) {}

void ReadLogStore::appendInTransaction(const std::vector<ReadRecord>& rows) {
    if (rows.empty()) return;
    // Ids are chosen here, under the write lock, because the hash covers them. On PostgreSQL the
    // lock is the read log head's row (taken FOR UPDATE: readers on every server queue on it);
    // its trigger refuses a row that does not follow it and moves it.
    StoredRead read;
    if (db_.dialect() == Dialect::Postgres) {
        Statement head = db_.prepare("SELECT id, hash FROM read_log_head FOR UPDATE");
        if (!head.step()) throw Error("postgresql: the read log has no head (was the schema migrated?)");
        read.id = head.columnInt(0);
        read.hash = head.columnText(1);
    } else {
        Statement highest = db_.prepare("SELECT COALESCE(MAX(id), 0) FROM read_log");
        highest.step();
        read.id = highest.columnInt(0);
        read.hash = lastHash(db_);
    }
    Statement insert = db_.prepare("INSERT INTO read_log(id, read_at, user_name, role, situation_id, what, "
                                   "previous_hash, hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    for (const auto& row : rows) {
        read.previousHash = read.hash;
        read.id += 1;
        read.record = row;
        read.hash = computeReadHash(read);
        insert.bind(1, read.id)
            .bind(2, row.readAt)
            .bind(3, row.userName)
            .bind(4, row.role)
            .bind(5, row.situationId)
            .bind(6, row.what)
            .bind(7, read.previousHash)
            .bind(8, read.hash);
        insert.step();
        insert.reset();
    }
}

void ReadLogStore::append(const std::vector<ReadRecord>& rows) {
    if (rows.empty()) return;
    Transaction transaction(db_);
    appendInTransaction(rows);
    transaction.commit();
}

std::vector<StoredRead> ReadLogStore::reads(int64_t situationId) const {
    Statement select = db_.prepare(std::string(selectColumns) + " WHERE situation_id = ?1 ORDER BY id");
    select.bind(1, situationId);
    std::vector<StoredRead> found;
    while (select.step()) found.push_back(readRow(select));
    return found;
}

namespace {

// The WHERE clause of a filter, only the conditions it sets: a condition like "?1 IS NULL OR
// situation_id = ?1" would keep SQLite from its indexes (read_log_by_situation,
// read_log_by_user: both end with id, the pages' order) and make every page of the audit a scan
// of the whole log. Parameters are numbered from 1 without gaps (PostgreSQL must know each
// one's type); bindFilter binds them in the same order.
struct FilterClause {
    std::string sql;
    int parameters = 0;
};

FilterClause filterClause(const ReadFilter& filter) {
    FilterClause clause;
    const auto add = [&](const char* condition) {
        clause.sql += clause.parameters == 0 ? " WHERE " : " AND ";
        clause.sql += condition + std::to_string(++clause.parameters);
    };
    if (filter.situationId) add("situation_id = ?");
    if (!filter.userName.empty()) add("user_name = ?");
    return clause;
}

void bindFilter(Statement& statement, const ReadFilter& filter) {
    int next = 1;
    if (filter.situationId) statement.bind(next++, *filter.situationId);
    if (!filter.userName.empty()) statement.bind(next++, filter.userName);
}

} // namespace

std::vector<StoredRead> ReadLogStore::newestReads(const ReadFilter& filter, int64_t limit, int64_t offset) const {
    const FilterClause where = filterClause(filter);
    const int limitAt = where.parameters + 1;
    Statement select = db_.prepare(std::string(selectColumns) + where.sql + " ORDER BY id DESC LIMIT ?" +
                                   std::to_string(limitAt) + " OFFSET ?" + std::to_string(limitAt + 1));
    bindFilter(select, filter);
    select.bind(limitAt, limit).bind(limitAt + 1, offset);
    std::vector<StoredRead> found;
    while (select.step()) found.push_back(readRow(select));
    return found;
}

int64_t ReadLogStore::countReads(const ReadFilter& filter) const {
    Statement select = db_.prepare(std::string("SELECT count(*) FROM read_log") + filterClause(filter).sql);
    bindFilter(select, filter);
    select.step();
    return select.columnInt(0);
}

ReadLogCheck ReadLogStore::verify() const {
    return verifyFrom(ReadLogCheckpoint{});
}

std::optional<std::string> ReadLogStore::hashOf(int64_t id) const {
    Statement row = db_.prepare("SELECT hash FROM read_log WHERE id = ?1");
    row.bind(1, id);
    if (!row.step()) return std::nullopt;
    return row.columnText(0);
}

ReadLogCheck ReadLogStore::verifyFrom(const ReadLogCheckpoint& from) const {
    ReadLogCheck check;
    const auto broken = [&](int64_t id, const std::string& problem) {
        check.intact = false;
        check.firstBrokenId = id;
        check.problem = "read log row " + std::to_string(id) + ": " + problem;
        return check;
    };
    check.reached = from;
    if (from.id == 0) check.reached = ReadLogCheckpoint{0, std::string(genesisHash), 0};
    check.rowsChecked = check.reached.rows;
    // On PostgreSQL the head row names the newest row too. It is read before the walk, so rows
    // appended meanwhile come after it; newest rows removed with the owner's rights (triggers
    // off) leave it naming a row the walk does not meet.
    std::optional<std::pair<int64_t, std::string>> head;
    bool headFound = false;
    if (db_.dialect() == Dialect::Postgres) {
        Statement headRow = db_.prepare("SELECT id, hash FROM read_log_head");
        if (headRow.step()) head.emplace(headRow.columnInt(0), headRow.columnText(1));
        if (head && head->first == check.reached.id) headFound = head->second == check.reached.hash;
    }
    if (from.id != 0) {
        Statement row = db_.prepare("SELECT hash FROM read_log WHERE id = ?1");
        row.bind(1, from.id);
        if (!row.step()) return broken(from.id, "the row, found intact before, was removed");
        if (row.columnText(0) != from.hash) return broken(from.id, "hash changed since it was found intact");
    }
    Statement select = db_.prepare(std::string(selectColumns) + " WHERE id > ?1 ORDER BY id");
    select.bind(1, check.reached.id);
    while (select.step()) {
        const StoredRead read = readRow(select);
        if (head && read.id == head->first) headFound = read.hash == head->second;
        // As for events: a wrong hash means this row was edited; a right hash with a wrong
        // link means rows before it were removed (or replaced, hash and all).
        if (computeReadHash(read) != read.hash) return broken(read.id, "hash mismatch (the row was edited)");
        if (read.previousHash != check.reached.hash)
            return broken(read.id, check.reached.id == 0
                                       ? "previous_hash is not the chain's start: earlier rows were removed"
                                       : "previous_hash does not match the hash of row " +
                                             std::to_string(check.reached.id) +
                                             ": rows between them were removed or replaced");
        ++check.rowsChecked;
        check.reached = ReadLogCheckpoint{read.id, read.hash, check.rowsChecked};
    }
    if (head && head->first > 0 && !headFound) {
        check.intact = false;
        check.problem = "the read log's head names row " + std::to_string(head->first) +
                        ", which the log does not hold as its head said: rows were removed or replaced";
    }
    return check;
}

void ReadLogStore::chainExistingRows(Database& db) {
    std::vector<StoredRead> rows;
    {
        Statement select = db.prepare(std::string(selectColumns) + " ORDER BY id");
        while (select.step()) rows.push_back(readRow(select));
    }
    Statement update = db.prepare("UPDATE read_log SET previous_hash = ?1, hash = ?2 WHERE id = ?3");
    std::string previousHash(genesisHash);
    for (auto& read : rows) {
        read.previousHash = previousHash;
        read.hash = computeReadHash(read);
        update.bind(1, read.previousHash).bind(2, read.hash).bind(3, read.id);
        update.step();
        update.reset();
        previousHash = read.hash;
    }
}

} // namespace caseflow::store
