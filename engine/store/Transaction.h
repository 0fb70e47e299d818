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

} // namespace caseflow::store
