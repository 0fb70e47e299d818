// Row-by-row comparison of stored and replayed projections (see ProjectionCheck.h).
#include "store/ProjectionCheck.h"

#include "store/Database.h"
#include "store/Migrations.h"

#include <map>

namespace caseflow::store {
namespace {

using Value = std::optional<std::string>; // nullopt is SQL NULL

struct TableShape {
    std::vector<std::string> columns;
    std::vector<std::string> keyColumns; // in primary-key order
};

// The columns as the stored database has them (the replay ran the same migrations).
TableShape shapeOf(Database& db, const std::string& table) {
    TableShape shape;
    std::map<int64_t, std::string> keys;
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

} // namespace

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
