// One transaction on PostgreSQL as a scope (see PgTransaction.h). What must stay true: a
// PgTransaction that was not committed leaves no trace, its destructor never throws, and a COMMIT
// whose answer never came back is reported as of unknown outcome, not as failed: the server may
// have made it durable before the connection broke.
#include "store/postgres/PgTransaction.h"

#include "core/Errors.h"
#include "store/postgres/PgConnection.h"
#include "store/postgres/PgError.h"

#include <libpq-fe.h>

namespace caseflow::store::postgres {

PgTransaction::PgTransaction(PgConnection& connection, Isolation isolation) : connection_(connection) {
    if (connection_.inTransaction()) throw Error("postgresql: a transaction is already open on this connection");
    switch (isolation) {
    case Isolation::ReadCommitted:
        connection_.exec("BEGIN ISOLATION LEVEL READ COMMITTED");
        break;
    case Isolation::Serializable:
        connection_.exec("BEGIN ISOLATION LEVEL SERIALIZABLE");
        break;
    case Isolation::Snapshot:
        connection_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        break;
    }
}

PgTransaction::~PgTransaction() {
    pg_conn* raw = connection_.handle();
    if (!committed_ && raw != nullptr && PQstatus(raw) == CONNECTION_OK && PQtransactionStatus(raw) != PQTRANS_IDLE)
        PQclear(PQexec(raw, "ROLLBACK"));
}

void PgTransaction::commit() {
    connection_.commit();
    committed_ = true;
}

} // namespace caseflow::store::postgres
