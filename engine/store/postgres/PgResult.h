// The RAII owner of one libpq result. What must stay true: every PGresult libpq hands out is
// cleared exactly once, whatever path leaves the scope (libpq results are plain heap memory,
// not tied to the connection, so a PgResult may outlive the statement that made it).
#pragma once

#include <memory>

struct pg_result;

namespace caseflow::store::postgres {

class PgResult {
public:
    PgResult() = default;
    explicit PgResult(pg_result* result) : result_(result) {}

    pg_result* get() const { return result_.get(); }
    explicit operator bool() const { return result_ != nullptr; }

private:
    struct Clearer {
        void operator()(pg_result* result) const noexcept;
    };
    std::unique_ptr<pg_result, Clearer> result_;
};

} // namespace caseflow::store::postgres
