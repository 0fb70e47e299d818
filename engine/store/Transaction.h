// One write transaction on a Database, as a scope: it begins IMMEDIATE (the write lock is taken
// up front, so two writers queue on the busy timeout instead of deadlocking on an upgrade), and
// unless commit() succeeded it is rolled back when the scope ends, by return or by exception.
// Transactions do not nest: SQLite refuses a BEGIN inside a BEGIN, and so do we.
#pragma once

namespace caseflow::store {

class Database;

class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    // Makes every change since the constructor durable (synchronous=FULL) or throws.
    void commit();

private:
    Database& db_;
    bool committed_ = false;
};

// Several reads in one SQLite read transaction, as a scope: one consistent view of the database
// for all of them, and one round of the WAL's lock calls instead of one per statement (each
// statement outside a transaction takes and drops its read lock with fcntl). Nothing is done
// when a transaction is already open or on PostgreSQL. Only for reads: a write inside it would
// have to upgrade a snapshot another writer may have made stale.
class ReadSnapshot {
public:
    explicit ReadSnapshot(Database& db);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

private:
    Database& db_;
    bool own_ = false;
};

} // namespace caseflow::store
