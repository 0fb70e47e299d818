// A prepared statement on PostgreSQL (see PgStatement.h). Parameters travel as text with their
// exact lengths and the server converts them to the type it inferred for each one (BIGINT for
// an integer column, TEXT for a text column), which is how SQLite's loose binding maps onto
// PostgreSQL's strict types; results come back as text and are read by byte length.
#include "store/postgres/PgStatement.h"

#include "core/Errors.h"
#include "store/postgres/PgError.h"

#include <charconv>
#include <libpq-fe.h>

namespace caseflow::store::postgres {

void PgResult::Clearer::operator()(pg_result* result) const noexcept {
    PQclear(result);
}

PgStatement::PgStatement(pg_conn* connection, Prepared prepared)
    : connection_(connection), prepared_(std::move(prepared)),
      parameters_(static_cast<std::size_t>(prepared_.parameterCount)) {}

std::optional<std::string>& PgStatement::slot(int index) {
    if (index < 1 || index > prepared_.parameterCount)
        throw Error("postgresql: bind: parameter " + std::to_string(index) + " out of range (the statement has " +
                    std::to_string(prepared_.parameterCount) + ") [" + prepared_.sql + "]");
    return parameters_[static_cast<std::size_t>(index - 1)];
}

PgStatement& PgStatement::bind(int index, int64_t value) {
    slot(index) = std::to_string(value);
    return *this;
}

PgStatement& PgStatement::bind(int index, int value) {
    return bind(index, static_cast<int64_t>(value));
}

PgStatement& PgStatement::bind(int index, const std::string& value) {
    if (value.find('\0') != std::string::npos)
        throw UsageError("PostgreSQL text cannot hold a NUL byte (parameter " + std::to_string(index) + " of [" +
                         prepared_.sql + "])");
    slot(index) = value;
    return *this;
}

PgStatement& PgStatement::bind(int index, std::nullptr_t) {
    slot(index).reset();
    return *this;
}

bool PgStatement::step() {
    if (result_ && !done_) {
        ++row_;
        if (row_ < PQntuples(result_.get())) return true;
        done_ = true;
        return false;
    }
    std::vector<const char*> values;
    std::vector<int> lengths;
    values.reserve(parameters_.size());
    lengths.reserve(parameters_.size());
    for (const auto& parameter : parameters_) {
        values.push_back(parameter ? parameter->c_str() : nullptr);
        lengths.push_back(parameter ? static_cast<int>(parameter->size()) : 0);
    }
    result_ = PgResult(PQexecPrepared(connection_, prepared_.name.c_str(), static_cast<int>(values.size()),
                                      values.data(), lengths.data(), nullptr, 0));
    const ExecStatusType status = result_ ? PQresultStatus(result_.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        PgResult failed = std::move(result_);
        result_ = PgResult();
        throwPgError(connection_, failed.get(), prepared_.sql);
    }
    row_ = 0;
    done_ = PQntuples(result_.get()) == 0;
    return !done_;
}

void PgStatement::reset() {
    result_ = PgResult();
    row_ = -1;
    done_ = false;
}

void PgStatement::checkRow(int column) const {
    if (!result_ || done_ || row_ < 0 || row_ >= PQntuples(result_.get()))
        throw Error("postgresql: no row to read (step() did not return true) [" + prepared_.sql + "]");
    if (column < 0 || column >= PQnfields(result_.get()))
        throw Error("postgresql: no column " + std::to_string(column) + " in [" + prepared_.sql + "]");
}

int64_t PgStatement::columnInt(int column) {
    checkRow(column);
    if (PQgetisnull(result_.get(), row_, column) != 0) return 0;
    const char* text = PQgetvalue(result_.get(), row_, column);
    const char* end = text + PQgetlength(result_.get(), row_, column);
    int64_t value = 0;
    const auto [stop, error] = std::from_chars(text, end, value);
    if (error != std::errc() || stop != end)
        throw Error("postgresql: column " + std::to_string(column) + " holds '" + std::string(text, end) +
                    "', not an integer [" + prepared_.sql + "]");
    return value;
}

std::string PgStatement::columnText(int column) {
    checkRow(column);
    return std::string(PQgetvalue(result_.get(), row_, column),
                       static_cast<std::size_t>(PQgetlength(result_.get(), row_, column)));
}

std::string_view PgStatement::columnView(int column) {
    checkRow(column);
    return {PQgetvalue(result_.get(), row_, column),
            static_cast<std::size_t>(PQgetlength(result_.get(), row_, column))};
}

bool PgStatement::columnIsNull(int column) {
    checkRow(column);
    return PQgetisnull(result_.get(), row_, column) != 0;
}

std::optional<std::string> PgStatement::columnOptionalText(int column) {
    if (columnIsNull(column)) return std::nullopt;
    return columnText(column);
}

int64_t PgStatement::changes() const {
    if (!result_) return 0;
    const char* text = PQcmdTuples(result_.get());
    int64_t value = 0;
    std::from_chars(text, text + std::char_traits<char>::length(text), value);
    return value;
}

} // namespace caseflow::store::postgres
