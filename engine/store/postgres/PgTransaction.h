// One transaction on a PgConnection, as a scope, like store/Transaction.h: unless commit()
// succeeded it is rolled back when the scope ends, by return or by exception, and the destructor
// never throws. The isolation level is chosen per transaction:
//  - ReadCommitted: each statement sees what was committed before it began; with a row lock
//    (SELECT ... FOR UPDATE) taken first, what follows sees every write committed before the
//    lock was granted. The event log appends this way, under its chain head's lock.
//  - Serializable: the server refuses (serialization_failure, a Conflict) any transaction whose
//    outcome could differ from some serial order; the caller retries it.
//  - Snapshot: REPEATABLE READ, READ ONLY: every statement reads the one snapshot taken at the
//    first, for a walk of the whole log (verify) that appends meanwhile must not cut in two.
// A COMMIT that the server turns into a rollback (the transaction had failed) throws; it is
// never reported as committed. Transactions do not nest: BEGIN inside one is refused.
#pragma once

namespace caseflow::store::postgres {

class PgConnection;

enum class Isolation { ReadCommitted, Serializable, Snapshot };

class PgTransaction {
public:
    PgTransaction(PgConnection& connection, Isolation isolation);
    ~PgTransaction();
    PgTransaction(const PgTransaction&) = delete;
    PgTransaction& operator=(const PgTransaction&) = delete;

    // Makes every change since the constructor durable (synchronous_commit=on) or throws.
    void commit();

private:
    PgConnection& connection_;
    bool committed_ = false;
};

} // namespace caseflow::store::postgres
