// One PostgreSQL connection (see PgConnection.h). What must stay true: no connection leaves
// connect() without UTF-8, UTC and standard strings set and checked, and no message built here
// carries the password of the address (libpq never prints it; we never print the address).
#include "store/postgres/PgConnection.h"

#include "core/Errors.h"
#include "store/postgres/PgError.h"
#include "store/postgres/PgPlaceholders.h"

#include <cassert>
#include <cstring>
#include <libpq-fe.h>

namespace caseflow::store::postgres {

namespace {

bool startsWith(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

// The password of postgresql://user:password@host/..., if the address carries one, so that a
// message quoting a fragment of the address (libpq's parse errors do) can hide it.
std::string passwordIn(const std::string& url) {
    const std::size_t authority = url.find("://");
    if (authority == std::string::npos) return {};
    const std::size_t at = url.find('@', authority + 3);
    const std::size_t slash = url.find('/', authority + 3);
    if (at == std::string::npos || (slash != std::string::npos && slash < at)) return {};
    const std::size_t colon = url.find(':', authority + 3);
    if (colon == std::string::npos || colon > at) return {};
    return url.substr(colon + 1, at - colon - 1);
}

std::string redacted(std::string message, const std::string& password) {
    if (password.empty()) return message;
    for (std::size_t found = message.find(password); found != std::string::npos;
         found = message.find(password, found + 3))
        message.replace(found, password.size(), "***");
    return message;
}

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

} // namespace

void PgConnection::Finisher::operator()(pg_conn* connection) const noexcept {
    PQfinish(connection);
}

PgConnection::PgConnection(pg_conn* connection) : connection_(connection) {}

PgConnection PgConnection::connect(const std::string& url) {
    if (!startsWith(url, "postgresql://") && !startsWith(url, "postgres://"))
        throw UsageError("a PostgreSQL address starts with postgresql://");
    const std::string password = passwordIn(url);
    {
        // Parsed first, so that a malformed address is the caller's mistake (UsageError), not a
        // server failure.
        char* rawError = nullptr;
        PQconninfoOption* options = PQconninfoParse(url.c_str(), &rawError);
        std::unique_ptr<char, decltype(&PQfreemem)> error(rawError, &PQfreemem);
        if (options == nullptr)
            throw UsageError("not a valid PostgreSQL address: " +
                             redacted(trimmed(error != nullptr ? error.get() : "out of memory"), password));
        PQconninfoFree(options);
    }
    PgConnection connection(PQconnectdb(url.c_str()));
    pg_conn* raw = connection.handle();
    if (raw == nullptr) throw Error("postgresql: out of memory connecting");
    if (PQstatus(raw) != CONNECTION_OK)
        throw Error("cannot connect to PostgreSQL (" + describeConnection(raw) +
                    "): " + redacted(trimmed(PQerrorMessage(raw)), password));
    if (PQsetClientEncoding(raw, "UTF8") != 0)
        throw Error("postgresql: cannot use UTF-8 on " + describeConnection(raw) + ": " + trimmed(PQerrorMessage(raw)));
    // Times are written by caseflow as UTC text; these keep anything the server computes alike.
    // Notices (a DROP ... CASCADE listing what it drops) are for people at psql, not for logs.
    // A lock awaited longer than SQLite's busy timeout (5 s) fails as lock_not_available, a
    // Conflict, as a busy SQLite database does.
    connection.exec("SET TIME ZONE 'UTC'; SET standard_conforming_strings = on; SET lock_timeout = '5s';"
                    " SET client_min_messages = warning");
    return connection;
}

void PgConnection::exec(const std::string& sql) {
    PgResult result(PQexec(handle(), sql.c_str()));
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throwPgError(handle(), result.get(), sql);
}

void PgConnection::commit() {
    pg_conn* raw = handle();
    PgResult result(PQexec(raw, "COMMIT"));
    if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
        if (PQstatus(raw) == CONNECTION_BAD)
            throwPgError(raw, result.get(),
                         "COMMIT, whose outcome is unknown: it may or may not have been made durable");
        throwPgError(raw, result.get(), "COMMIT");
    }
    // A transaction in which a statement failed ends in ROLLBACK whatever we send: nothing was
    // committed, and saying otherwise would lose a write silently.
    if (std::strcmp(PQcmdStatus(result.get()), "ROLLBACK") == 0)
        throw Error("postgresql: COMMIT of a failed transaction: it was rolled back, nothing was stored");
}

PgStatement PgConnection::prepare(const std::string& sql) {
    auto found = prepared_.find(sql);
    if (found == prepared_.end()) {
        const TranslatedSql translated = toPostgresPlaceholders(sql);
        PgStatement::Prepared prepared{"cf_" + std::to_string(prepared_.size() + 1), sql, translated.parameterCount};
        PgResult result(PQprepare(handle(), prepared.name.c_str(), translated.sql.c_str(), 0, nullptr));
        if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) throwPgError(handle(), result.get(), sql);
        found = prepared_.emplace(sql, std::move(prepared)).first;
    }
    return PgStatement(handle(), found->second);
}

int PgConnection::backendPid() const {
    return PQbackendPID(handle());
}

bool PgConnection::inTransaction() const {
    return PQtransactionStatus(handle()) != PQTRANS_IDLE;
}

std::string PgConnection::describe() const {
    return describeConnection(handle());
}

} // namespace caseflow::store::postgres
