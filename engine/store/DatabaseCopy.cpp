// The copy of a caseflow database onto a new one and the comparisons that prove it (see
// DatabaseCopy.h for what must stay true). The SQL is the same on both backends except for the
// proofs' bytes (hex in transit) and PostgreSQL's identity column of the directory.
#include "store/DatabaseCopy.h"

#include "core/Errors.h"
#include "store/Database.h"
#include "store/Migrations.h"

#include <map>

namespace caseflow::store {
namespace {

enum class Kind { Integer, Text, Bytes };

struct Column {
    const char* name;
    Kind kind = Kind::Text;
};

struct TableSpec {
    const char* name;
    std::vector<Column> columns;
    std::vector<const char*> key; // the primary key, the order rows are compared in
};

// Every table that is neither the log nor a projection, as migrations 1-12 leave it. Users come
// before what refers to them (assignments, tokens); the idempotency keys and the read log after
// the events (a key names the event it produced).
const std::vector<TableSpec>& tablesBeforeEvents() {
    static const std::vector<TableSpec> tables = {
        {"meta", {{"key"}, {"value"}}, {"key"}},
        {"users", {{"name"}, {"role"}, {"created_at"}, {"password_hash"}, {"language"}, {"disabled_at"}}, {"name"}},
        {"assignments",
         {{"user_name"}, {"situation_id", Kind::Integer}, {"assigned_at"}},
         {"user_name", "situation_id"}},
        {"tokens", {{"id"}, {"user_name"}, {"hash"}, {"created_at"}, {"expires_at"}, {"revoked_at"}}, {"id"}},
        {"trust_authorities",
         {{"fingerprint"}, {"subject"}, {"certificate_pem"}, {"created_at"}, {"created_by"}},
         {"fingerprint"}},
        {"trust_signers",
         {{"fingerprint"},
          {"name"},
          {"role"},
          {"serial"},
          {"not_before"},
          {"not_after"},
          {"certificate_pem"},
          {"issued_at"},
          {"issued_by"},
          {"revoked_at"},
          {"revoked_by"},
          {"revocation_reason"}},
         {"fingerprint"}},
        {"directory_entries",
         {{"id", Kind::Integer},
          {"organisation"},
          {"sector"},
          {"profession"},
          {"person"},
          {"language"},
          {"contact"},
          {"pedopsychiatrist", Kind::Integer},
          {"archived", Kind::Integer}},
         {"id"}},
        {"proofs", {{"sha256"}, {"media_type"}, {"bytes", Kind::Bytes}, {"size", Kind::Integer}}, {"sha256"}},
    };
    return tables;
}

const std::vector<TableSpec>& tablesAfterEvents() {
    static const std::vector<TableSpec> tables = {
        {"idempotency_keys",
         {{"idempotency_key"},
          {"user_name"},
          {"fingerprint"},
          {"situation_id", Kind::Integer},
          {"event_position", Kind::Integer},
          {"status", Kind::Integer},
          {"response"},
          {"created_at"}},
         {"idempotency_key"}},
        {"read_log",
         {{"id", Kind::Integer},
          {"read_at"},
          {"user_name"},
          {"role"},
          {"situation_id", Kind::Integer},
          {"what"},
          {"previous_hash"},
          {"hash"}},
         {"id"}},
    };
    return tables;
}

std::vector<const TableSpec*> allCopied() {
    std::vector<const TableSpec*> all;
    for (const auto& table : tablesBeforeEvents()) all.push_back(&table);
    for (const auto& table : tablesAfterEvents()) all.push_back(&table);
    return all;
}

constexpr const char* kEventColumns =
    "position, situation_id, sequence, type, actor, recorded_at, payload, previous_hash, hash";
// Read in pages by position, so that neither backend holds the whole log in memory at once.
constexpr int kEventPage = 1000;

std::string columnList(const TableSpec& table) {
    std::string list;
    for (const auto& column : table.columns) list += (list.empty() ? "" : ", ") + std::string(column.name);
    return list;
}

std::string keyList(const TableSpec& table) {
    std::string list;
    for (const char* column : table.key) list += (list.empty() ? "" : ", ") + std::string(column);
    return list;
}

// Bytes (the proofs) travel as lowercase hex on both backends: PostgreSQL's text parameters
// cannot carry a NUL. This is also the text they are compared as.
std::string readExpression(Database& db, const Column& column) {
    if (column.kind != Kind::Bytes) return column.name;
    if (db.dialect() == Dialect::Postgres) return "encode(" + std::string(column.name) + ", 'hex')";
    return "lower(hex(" + std::string(column.name) + "))";
}

// The insert's side: PostgreSQL decodes the hex itself; SQLite (3.40 has no unhex) is given the
// bytes, decoded here, bound with their length and kept as a BLOB as ProofRepository keeps them.
std::string bytesFromHex(Database& db, const std::string& slot) {
    if (db.dialect() == Dialect::Postgres) return "decode(" + slot + ", 'hex')";
    return "CAST(" + slot + " AS BLOB)";
}

std::string hexDecoded(std::string_view hex) {
    const auto digit = [](char ch) -> int {
        if (ch >= '0' && ch <= '9') return ch - '0';
        if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
        if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
        throw Error(std::string("a proof's bytes read back as hex hold '") + ch + "'");
    };
    if (hex.size() % 2 != 0) throw Error("a proof's bytes read back as hex of odd length");
    std::string bytes;
    bytes.reserve(hex.size() / 2);
    for (std::size_t index = 0; index < hex.size(); index += 2)
        bytes += static_cast<char>(digit(hex[index]) * 16 + digit(hex[index + 1]));
    return bytes;
}

int64_t copyTable(Database& source, Database& destination, const TableSpec& table) {
    std::string placeholders;
    for (std::size_t index = 0; index < table.columns.size(); ++index) {
        const std::string slot = "?" + std::to_string(index + 1);
        placeholders += (index ? ", " : "");
        placeholders += table.columns[index].kind == Kind::Bytes ? bytesFromHex(destination, slot) : slot;
    }
    std::string expressions;
    for (const auto& column : table.columns)
        expressions += (expressions.empty() ? "" : ", ") + readExpression(source, column);
    Statement select = source.prepare("SELECT " + expressions + " FROM " + table.name + " ORDER BY " + keyList(table));
    Statement insert = destination.prepare("INSERT INTO " + std::string(table.name) + " (" + columnList(table) +
                                           ") VALUES (" + placeholders + ")");
    int64_t rows = 0;
    while (select.step()) {
        for (int index = 0; index < static_cast<int>(table.columns.size()); ++index) {
            if (select.columnIsNull(index))
                insert.bind(index + 1, nullptr);
            else if (table.columns[static_cast<std::size_t>(index)].kind == Kind::Integer)
                insert.bind(index + 1, select.columnInt(index));
            else if (table.columns[static_cast<std::size_t>(index)].kind == Kind::Bytes &&
                     destination.dialect() == Dialect::Sqlite)
                insert.bind(index + 1, hexDecoded(select.columnView(index)));
            else
                insert.bind(index + 1, select.columnText(index));
        }
        insert.step();
        insert.reset();
        ++rows;
    }
    return rows;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

using Row = std::vector<std::optional<std::string>>;

std::string quotedValue(const std::optional<std::string>& value) {
    if (!value) return "NULL";
    std::string text = *value;
    if (text.size() > 60) text = text.substr(0, 60) + "…";
    return "'" + text + "'";
}

class RowReader {
public:
    RowReader(Database& db, const TableSpec& table) : table_(table) {
        std::string expressions;
        for (const auto& column : table.columns)
            expressions += (expressions.empty() ? "" : ", ") + readExpression(db, column);
        select_.emplace(db.prepare("SELECT " + expressions + " FROM " + table.name + " ORDER BY " + keyList(table)));
        advance();
    }
    const std::optional<Row>& row() const { return row_; }
    void advance() {
        row_.reset();
        if (!select_->step()) return;
        Row values;
        for (int index = 0; index < static_cast<int>(table_.columns.size()); ++index)
            values.push_back(select_->columnOptionalText(index));
        row_ = std::move(values);
    }
    // "name=ada" or "user_name=ada, situation_id=3".
    std::string keyOf(const Row& values) const {
        std::string key;
        for (const char* keyColumn : table_.key)
            for (std::size_t index = 0; index < table_.columns.size(); ++index)
                if (std::string(table_.columns[index].name) == keyColumn)
                    key += (key.empty() ? "" : ", ") + std::string(keyColumn) + "=" + values[index].value_or("NULL");
        return key;
    }

private:
    const TableSpec& table_;
    std::optional<Statement> select_;
    std::optional<Row> row_;
};

// The first difference between the two sides of one table, both read in key order.
std::optional<std::string> compareTable(Database& source, Database& destination, const TableSpec& table,
                                        int64_t& rows) {
    RowReader from(source, table);
    RowReader to(destination, table);
    while (from.row() || to.row()) {
        if (!to.row()) return std::string(table.name) + " " + from.keyOf(*from.row()) + ": missing on the destination";
        if (!from.row()) return std::string(table.name) + " " + to.keyOf(*to.row()) + ": only on the destination";
        const Row& a = *from.row();
        const Row& b = *to.row();
        if (from.keyOf(a) != to.keyOf(b))
            return std::string(table.name) + ": the source's next row is " + from.keyOf(a) + ", the destination's " +
                   to.keyOf(b);
        for (std::size_t index = 0; index < a.size(); ++index)
            if (a[index] != b[index])
                return std::string(table.name) + " " + from.keyOf(a) + ", column " + table.columns[index].name +
                       ": source " + quotedValue(a[index]) + ", destination " + quotedValue(b[index]);
        ++rows;
        from.advance();
        to.advance();
    }
    return std::nullopt;
}

} // namespace

const std::vector<std::string>& copiedTables() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> all;
        for (const auto* table : allCopied()) all.emplace_back(table->name);
        return all;
    }();
    return names;
}

std::vector<std::string> copiedColumns(const std::string& table) {
    std::vector<std::string> columns;
    for (const auto* spec : allCopied())
        if (spec->name == table)
            for (const auto& column : spec->columns) columns.emplace_back(column.name);
    return columns;
}

const std::vector<SkippedTable>& tablesNotCopied() {
    static const std::vector<SkippedTable> skipped = {
        {"sessions", "web sign-ins are bound to the server that opened them: people sign in again on the new database"},
    };
    return skipped;
}

std::vector<std::string> caseflowDataIn(Database& db) {
    std::vector<std::string> tables = {"events"};
    for (const auto& table : projectionTables()) tables.push_back(table);
    for (const auto& table : copiedTables()) tables.push_back(table);
    std::vector<std::string> found;
    for (const auto& table : tables) {
        Statement count = db.prepare("SELECT count(*) FROM " + table);
        count.step();
        if (const int64_t rows = count.columnInt(0); rows > 0)
            found.push_back(table + " (" + std::to_string(rows) + (rows == 1 ? " row)" : " rows)"));
    }
    return found;
}

SourceSnapshot::SourceSnapshot(Database& source) : source_(source) {
    if (source_.dialect() == Dialect::Postgres) {
        source_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    } else {
        // A deferred transaction takes its snapshot at its first read: read now, so that the
        // snapshot is the one of this moment, not of whichever statement happens to come first.
        source_.exec("BEGIN");
    }
    Statement pin = source_.prepare("SELECT count(*) FROM events");
    pin.step();
}

SourceSnapshot::~SourceSnapshot() {
    try {
        source_.exec("ROLLBACK");
    } catch (...) {
        // A lost connection ends the transaction with it; nothing was written to undo.
    }
}

LogHead logHead(Database& db) {
    LogHead head;
    Statement count = db.prepare("SELECT count(*), COALESCE(MAX(position), 0) FROM events");
    count.step();
    head.events = count.columnInt(0);
    head.position = count.columnInt(1);
    Statement hash = db.prepare("SELECT hash FROM events WHERE position = ?1");
    hash.bind(1, head.position);
    if (hash.step()) head.hash = hash.columnText(0);
    return head;
}

CopySummary copyDatabase(Database& source, Database& destination, const Projector& project,
                         const std::function<void(const CopyProgress&)>& progress,
                         std::chrono::milliseconds progressEvery) {
    if (!project) throw Error("copying a database needs the projector that rebuilds its projections");
    const auto start = std::chrono::steady_clock::now();
    CopySummary summary;
    const LogHead head = logHead(source);

    Transaction transaction(destination);
    // Checked again under the destination's transaction: another copy may have started since.
    if (const auto found = caseflowDataIn(destination); !found.empty())
        throw UsageError(destination.path().string() + " already holds caseflow data (" + found.front() +
                         "): copy into a new or empty database");
    for (const auto& table : tablesBeforeEvents()) summary.rows += copyTable(source, destination, table);
    // The directory's ids were copied as they are; PostgreSQL's identity must continue after
    // them, or the next entry added would collide with a copied one.
    if (destination.dialect() == Dialect::Postgres)
        destination.exec("SELECT setval(pg_get_serial_sequence('directory_entries', 'id'),"
                         " COALESCE(MAX(id), 0) + 1, false) FROM directory_entries");

    Statement page =
        source.prepare("SELECT " + std::string(kEventColumns) +
                       " FROM events WHERE position > ?1 ORDER BY position LIMIT " + std::to_string(kEventPage));
    Statement insert = destination.prepare("INSERT INTO events (" + std::string(kEventColumns) +
                                           ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    auto lastReport = start;
    int64_t after = 0;
    for (bool more = true; more;) {
        page.reset();
        page.bind(1, after);
        more = false;
        while (page.step()) {
            more = true;
            StoredEvent event;
            event.position = page.columnInt(0);
            event.situationId = page.columnInt(1);
            event.sequence = page.columnInt(2);
            event.type = page.columnText(3);
            event.actor = page.columnText(4);
            event.recordedAt = page.columnText(5);
            event.payload = page.columnText(6);
            event.previousHash = page.columnText(7);
            event.hash = page.columnText(8);
            insert.bind(1, event.position)
                .bind(2, event.situationId)
                .bind(3, event.sequence)
                .bind(4, event.type)
                .bind(5, event.actor)
                .bind(6, event.recordedAt)
                .bind(7, event.payload)
                .bind(8, event.previousHash)
                .bind(9, event.hash);
            insert.step();
            insert.reset();
            project(destination, event);
            after = event.position;
            ++summary.events;
            if (progress && std::chrono::steady_clock::now() - lastReport >= progressEvery) {
                lastReport = std::chrono::steady_clock::now();
                progress({summary.events, head.events, secondsSince(start)});
            }
        }
    }
    page.reset();

    for (const auto& table : tablesAfterEvents()) summary.rows += copyTable(source, destination, table);
    transaction.commit();
    summary.headPosition = head.position;
    summary.headHash = head.hash;
    summary.seconds = secondsSince(start);
    return summary;
}

TableComparison compareCopiedTables(Database& source, Database& destination) {
    TableComparison comparison;
    for (const auto* table : allCopied()) {
        ++comparison.tables;
        if (auto difference = compareTable(source, destination, *table, comparison.rows)) {
            comparison.firstDifference = std::move(difference);
            return comparison;
        }
    }
    return comparison;
}

} // namespace caseflow::store
