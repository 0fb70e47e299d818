// The ctest fixture that builds the service tests' template database once per run
// (tests/CMakeLists.txt runs this hidden case first; every `service` test requires it), and what
// the service tests count on finding in it.
#include "service/ServiceFixture.h"

#include <catch2/catch.hpp>

using namespace caseflow;
namespace http = caseflow::test::http;

TEST_CASE("the service fixture database is built once for the run", "[.][service-template]") {
    const auto& database = http::templateDatabase();
    REQUIRE(std::filesystem::exists(database));
    auto db = store::Database::open(database, store::OpenMode::MustExist);
    auto situations = db.prepare("SELECT count(*), max(id) FROM situations");
    REQUIRE(situations.step());
    // The samples (ids 1..14), then the large requests awaiting budget check.
    CHECK(situations.columnInt(0) == http::kFirstLargeRequest - 1 + http::kLargeRequests);
    CHECK(situations.columnInt(1) == http::kFirstLargeRequest - 1 + http::kLargeRequests);
    auto awaiting = db.prepare("SELECT count(*) FROM funding_requests WHERE situation_id >= ? AND approved_cents = 0");
    awaiting.bind(1, http::kFirstLargeRequest);
    REQUIRE(awaiting.step());
    CHECK(awaiting.columnInt(0) == http::kLargeRequests);
    // The keys beside it belong to the signers its trust store knows.
    for (const auto& signer : http::httpSigners()) {
        const Actor actor = Actor::parse(signer);
        CHECK(http::signingKey(signer).certificate().commonName() == actor.name);
        CHECK(http::signingKey(signer).certificate().role() == actor.role);
    }
}
