// Row-by-row comparison of stored and replayed projections (see ProjectionCheck.h).
#include "store/ProjectionCheck.h"

#include "core/Errors.h"
#include "store/Database.h"
#include "store/Migrations.h"
#include "store/SettingsRepository.h"

#include <sqlite3.h>

#include <map>
#include <memory>

namespace caseflow::store {
namespace {

using Value = std::optional<std::string>; // nullopt is SQL NULL

struct TableShape {
    std::vector<std::string> columns;
    std::vector<std::string> keyColumns; // in primary-key order
};

// The columns as the stored database has them (the replay ran the same migrations), without
// generated ones (written by the database from the others: neither compared nor copied).
TableShape shapeOf(Database& db, const std::string& table) {
    TableShape shape;
    std::map<int64_t, std::string> keys;
    if (db.dialect() == Dialect::Postgres) {
        Statement columns = db.prepare("SELECT column_name FROM information_schema.columns"
                                       " WHERE table_schema = current_schema() AND table_name = ?1"
                                       " AND is_generated = 'NEVER' ORDER BY ordinal_position");
        columns.bind(1, table);
        while (columns.step()) shape.columns.push_back(columns.columnText(0));
        Statement key =
            db.prepare("SELECT k.column_name FROM information_schema.table_constraints c"
                       " JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name"
                       " AND k.table_schema = c.table_schema AND k.table_name = c.table_name"
                       " WHERE c.table_schema = current_schema() AND c.table_name = ?1"
                       " AND c.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position");
        key.bind(1, table);
        while (key.step()) shape.keyColumns.push_back(key.columnText(0));
        if (shape.keyColumns.empty()) shape.keyColumns = shape.columns;
        return shape;
    }
    Statement info = db.prepare("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid");
    info.bind(1, table);
    while (info.step()) {
        shape.columns.push_back(info.columnText(0));
        if (info.columnInt(1) > 0) keys[info.columnInt(1)] = info.columnText(0);
    }
    for (const auto& [order, name] : keys) shape.keyColumns.push_back(name);
    if (shape.keyColumns.empty()) shape.keyColumns = shape.columns; // no key: the whole row is its identity
    return shape;
}

std::string quoted(const std::string& identifier) {
    std::string text = "\"";
    for (char ch : identifier) {
        if (ch == '"') text += '"';
        text += ch;
    }
    return text + "\"";
}

// Rows keyed by "column=value, ..." over the key columns; values are compared as SQLite text.
std::map<std::string, std::vector<Value>> rowsOf(Database& db, const std::string& table, const TableShape& shape) {
    std::string sql = "SELECT ";
    for (std::size_t index = 0; index < shape.columns.size(); ++index)
        sql += (index ? ", " : "") + quoted(shape.columns[index]);
    sql += " FROM " + quoted(table);
    Statement select = db.prepare(sql);
    std::map<std::string, std::vector<Value>> rows;
    while (select.step()) {
        std::vector<Value> values;
        for (int column = 0; column < static_cast<int>(shape.columns.size()); ++column)
            values.push_back(select.columnIsNull(column) ? Value() : Value(select.columnText(column)));
        std::string key;
        for (const auto& keyColumn : shape.keyColumns) {
            std::size_t index = 0;
            while (shape.columns[index] != keyColumn) ++index;
            key += (key.empty() ? "" : ", ") + keyColumn + "=" + values[index].value_or("NULL");
        }
        rows.emplace(std::move(key), std::move(values));
    }
    return rows;
}

std::string wholeRow(const TableShape& shape, const std::vector<Value>& values) {
    std::string text;
    for (std::size_t index = 0; index < values.size(); ++index) {
        std::string value = values[index].value_or("NULL");
        if (value.size() > 40) value = value.substr(0, 40) + "…";
        text += (index ? ", " : "") + shape.columns[index] + "=" + value;
    }
    return text;
}

void compareTable(Database& stored, Database& replayed, const std::string& table, std::vector<ProjectionDrift>& out) {
    const TableShape shape = shapeOf(stored, table);
    const auto storedRows = rowsOf(stored, table, shape);
    const auto replayedRows = rowsOf(replayed, table, shape);
    auto storedRow = storedRows.begin();
    auto replayedRow = replayedRows.begin();
    // A merge of the two key-ordered row sets.
    while (storedRow != storedRows.end() || replayedRow != replayedRows.end()) {
        if (replayedRow == replayedRows.end() ||
            (storedRow != storedRows.end() && storedRow->first < replayedRow->first)) {
            out.push_back({table, storedRow->first, "", wholeRow(shape, storedRow->second), std::nullopt});
            ++storedRow;
        } else if (storedRow == storedRows.end() || replayedRow->first < storedRow->first) {
            out.push_back({table, replayedRow->first, "", std::nullopt, wholeRow(shape, replayedRow->second)});
            ++replayedRow;
        } else {
            for (std::size_t index = 0; index < shape.columns.size(); ++index)
                if (storedRow->second[index] != replayedRow->second[index])
                    out.push_back({table, storedRow->first, shape.columns[index], storedRow->second[index],
                                   replayedRow->second[index]});
            ++storedRow;
            ++replayedRow;
        }
    }
}

Value metaValue(Database& db, const std::string& key) {
    Statement select = db.prepare("SELECT value FROM meta WHERE key = ?1");
    select.bind(1, key);
    return select.step() ? Value(select.columnText(0)) : Value();
}

// A statement on a raw connection, for copying values with their SQLite types.
struct Finalize {
    void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};
using RawStatement = std::unique_ptr<sqlite3_stmt, Finalize>;

RawStatement prepareRaw(Database& db, const std::string& sql) {
    sqlite3_stmt* raw = nullptr;
    const int prepared = sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &raw, nullptr);
    RawStatement statement(raw);
    if (prepared != SQLITE_OK) throw Error("sqlite: " + sql + ": " + sqlite3_errmsg(db.handle()));
    return statement;
}

void copyTable(Database& from, Database& to, const std::string& table) {
    const TableShape shape = shapeOf(to, table);
    std::string columns, placeholders;
    for (std::size_t index = 0; index < shape.columns.size(); ++index) {
        columns += (index ? ", " : "") + quoted(shape.columns[index]);
        placeholders += index ? ", ?" : "?";
    }
    RawStatement select = prepareRaw(from, "SELECT " + columns + " FROM " + quoted(table));
    const int count = static_cast<int>(shape.columns.size());
    int stepped = SQLITE_ROW;
    if (to.dialect() == Dialect::Postgres) {
        // The replay is an SQLite scratch database: each value goes over with its SQLite type
        // (projections hold integers, text and NULL only).
        Statement insert =
            to.prepare("INSERT INTO " + quoted(table) + " (" + columns + ") VALUES (" + placeholders + ")");
        while ((stepped = sqlite3_step(select.get())) == SQLITE_ROW) {
            for (int column = 0; column < count; ++column) {
                switch (sqlite3_column_type(select.get(), column)) {
                case SQLITE_NULL:
                    insert.bind(column + 1, nullptr);
                    break;
                case SQLITE_INTEGER:
                    insert.bind(column + 1, static_cast<int64_t>(sqlite3_column_int64(select.get(), column)));
                    break;
                default:
                    insert.bind(column + 1,
                                std::string(reinterpret_cast<const char*>(sqlite3_column_text(select.get(), column)),
                                            static_cast<std::size_t>(sqlite3_column_bytes(select.get(), column))));
                }
            }
            insert.step();
            insert.reset();
        }
        if (stepped != SQLITE_DONE)
            throw Error("sqlite: reading the replayed " + table + ": " + sqlite3_errmsg(from.handle()));
        return;
    }
    RawStatement insert =
        prepareRaw(to, "INSERT INTO " + quoted(table) + " (" + columns + ") VALUES (" + placeholders + ")");
    while ((stepped = sqlite3_step(select.get())) == SQLITE_ROW) {
        for (int column = 0; column < count; ++column)
            sqlite3_bind_value(insert.get(), column + 1, sqlite3_column_value(select.get(), column));
        if (sqlite3_step(insert.get()) != SQLITE_DONE)
            throw Error("sqlite: copying the rebuilt " + table + ": " + sqlite3_errmsg(to.handle()));
        sqlite3_reset(insert.get());
    }
    if (stepped != SQLITE_DONE)
        throw Error("sqlite: reading the replayed " + table + ": " + sqlite3_errmsg(from.handle()));
}

} // namespace

void replaceProjections(Database& stored, Database& replayed) {
    // Emptied in reverse dependency order so that a foreign key added later cannot block it.
    const std::vector<std::string>& tables = projectionTables();
    for (auto table = tables.rbegin(); table != tables.rend(); ++table) stored.exec("DELETE FROM " + quoted(*table));
    for (const auto& table : tables) copyTable(replayed, stored, table);
    if (const Value settings = metaValue(replayed, "network")) SettingsRepository(stored).setNetworkSettings(*settings);
}

std::vector<ProjectionDrift> compareProjections(Database& stored, Database& replayed) {
    std::vector<ProjectionDrift> drifts;
    for (const auto& table : projectionTables()) compareTable(stored, replayed, table, drifts);
    // The other meta rows (the workflow's file name) are configuration, not projections.
    const Value storedSettings = metaValue(stored, "network");
    const Value replayedSettings = metaValue(replayed, "network");
    if (storedSettings != replayedSettings)
        drifts.push_back({"meta", "key=network", "value", storedSettings, replayedSettings});
    return drifts;
}

} // namespace caseflow::store
