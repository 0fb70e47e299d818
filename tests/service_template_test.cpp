// The ctest fixture that builds the service tests' template database once per run
// (tests/CMakeLists.txt runs this hidden case first; every `service` test requires it), and what
// the service tests count on finding in it; and that test processes racing to build it agree.
#include "service/ServiceFixture.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <thread>
#include <vector>

using namespace caseflow;
namespace http = caseflow::test::http;

TEST_CASE("the service fixture database is built once for the run", "[.][service-template]") {
    const auto& database = http::templateDatabase();
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

// What a test process does when it needs the template, in a root the caller chooses (below).
TEST_CASE("one process finds or builds the service template in CASEFLOW_TEST_TEMPLATE_ROOT",
          "[.][service-template-in]") {
    const char* root = std::getenv("CASEFLOW_TEST_TEMPLATE_ROOT");
    REQUIRE(root);
    CHECK(std::filesystem::exists(http::serviceTemplateDir(root) / http::templateMarker()));
}

TEST_CASE("test processes that find the service template missing build it at once and all end on one whole "
          "template, the stale one gone",
          "[service]") {
    test::ScratchDir root;
    const auto stale = root / "0123456789abcdef";
    std::filesystem::create_directories(stale);
    test::writeFile(stale / "template.db", "a template of another build");
    // Three copies of this binary, as three service tests run straight from it would be.
    std::vector<test::CommandResult> results(3);
    std::vector<std::thread> processes;
    for (auto& result : results)
        processes.emplace_back([&result, &root] {
            result = test::runProgram(std::filesystem::canonical("/proc/self/exe"),
                                      {"[service-template-in]", "--warn", "NoTests"}, "",
                                      {{"CASEFLOW_TEST_TEMPLATE_ROOT", root.path().string()}});
        });
    for (auto& process : processes) process.join();
    for (const auto& result : results) {
        INFO(result.out << result.err);
        CHECK(result.exitCode == 0);
    }
    std::vector<std::string> left;
    for (const auto& entry : std::filesystem::directory_iterator(root.path()))
        left.push_back(entry.path().filename().string());
    REQUIRE(left.size() == 1);
    CHECK(left.front() == http::templateFingerprint());
    CHECK(left.front() != stale.filename().string());
    auto db = store::Database::open(http::templateAddressIn(root / left.front()), store::OpenMode::MustExist);
    auto situations = db.prepare("SELECT count(*) FROM situations");
    REQUIRE(situations.step());
    CHECK(situations.columnInt(0) == http::kFirstLargeRequest - 1 + http::kLargeRequests);
    for (const auto& signer : http::httpSigners())
        CHECK(std::filesystem::exists(root / left.front() / http::keyFileName(signer)));
    // On PostgreSQL the template is a database of the cluster, which outlives the scratch folder.
    http::forgetTemplate(root / left.front());
}
