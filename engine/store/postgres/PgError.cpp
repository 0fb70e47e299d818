// How libpq failures become caseflow errors (see PgError.h). The SQLSTATE decides the kind
// (https://www.postgresql.org/docs/15/errcodes-appendix.html); the connection's status decides
// whether it was lost, whatever the SQLSTATE says, because a lost connection can fail a command
// with no SQLSTATE at all.
#include "store/postgres/PgError.h"

#include <libpq-fe.h>
#include <string_view>

namespace caseflow::store::postgres {

namespace {

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

} // namespace

std::string describeConnection(pg_conn* connection) {
    if (connection == nullptr) return "no connection";
    const char* host = PQhost(connection);
    const char* database = PQdb(connection);
    const char* user = PQuser(connection);
    std::string where;
    if (host != nullptr && host[0] == '/')
        where = std::string("socket ") + host;
    else
        where = std::string("host ") + (host != nullptr && host[0] != '\0' ? host : "localhost") + ", port " +
                (PQport(connection) != nullptr ? PQport(connection) : "5432");
    where += std::string(", database ") + (database != nullptr ? database : "?");
    where += std::string(", user ") + (user != nullptr ? user : "?");
    return where;
}

void throwPgError(pg_conn* connection, const pg_result* result, const std::string& context) {
    const std::string sqlstate = result != nullptr && PQresultErrorField(result, PG_DIAG_SQLSTATE) != nullptr
                                     ? PQresultErrorField(result, PG_DIAG_SQLSTATE)
                                     : "";
    // The primary message and its detail, without libpq's "ERROR:  " prefix and line breaks.
    const char* primary = result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const char* detail = result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL) : nullptr;
    std::string message = primary != nullptr      ? primary
                          : connection != nullptr ? trimmed(PQerrorMessage(connection))
                                                  : "no connection";
    if (detail != nullptr) message += std::string(": ") + detail;
    // Class 08 is a connection exception; 57P01..57P03 is the server shutting down or this backend
    // being terminated, after which the connection is gone.
    if (connection == nullptr || PQstatus(connection) == CONNECTION_BAD || startsWith(sqlstate, "08") ||
        sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03")
        throw PgConnectionLost("the PostgreSQL connection (" + describeConnection(connection) +
                               ") was lost: " + message + (context.empty() ? "" : " [" + context + "]"));
    // 23505 unique_violation: another writer stored the same key first. 40001 serialization_failure
    // and 40P01 deadlock_detected: the transaction was undone and may be run again. 55P03
    // lock_not_available: a lock timeout, SQLite's "busy".
    if (sqlstate == "23505") throw Conflict("another writer got there first (" + message + ")");
    if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03")
        throw Conflict("the database refused a concurrent write, retry (" + message + ")");
    if (!context.empty()) message += " [" + context + "]";
    throw Error("postgresql: " + message);
}

} // namespace caseflow::store::postgres
