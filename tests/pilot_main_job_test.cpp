// Specifications of the main job's scripted paths: scripts/drive-scenarios.sh, the script
// scripts/pilot.sh runs, drives the real binary through every scenario step and stops at
// the first step after which a situation is not in the state the scenario names.
#include "support/Pilot.h"
#include "support/TestSupport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <regex>

using namespace caseflow::test;

namespace {

// A database, a signature authority and the sample situations of `samples` registered: what
// scripts/pilot.sh prepares before it drives the scenarios.
struct MainJobSetup {
    ScratchDir dir;
    std::string db = (dir / "pilot.db").string();
    std::filesystem::path keys = dir / "keys";

    explicit MainJobSetup(const std::filesystem::path& samples) {
        std::filesystem::create_directories(keys);
        writeFile(keys / "ca.password", "authority password for the test\n");
        writeFile(keys / "signers.password", "signers password for the test\n");
        REQUIRE(runCli({"init", "--db", db, "--network", (samples / "network.xml").string()}).exitCode == 0);
        REQUIRE(runCli({"ca", "init", "--db", db, "--ca-key", (keys / "ca.key").string(), "--ca-password-file",
                        (keys / "ca.password").string()})
                    .exitCode == 0);
        for (const auto& entry : std::filesystem::directory_iterator(samples / "situations"))
            REQUIRE(runCli({"situation", "new", entry.path().string(), "--db", db, "--as", "partner:pilot"}).exitCode ==
                    0);
    }

    CommandResult drive(const std::filesystem::path& samples) {
        ScopedEnvironment signingKeys("CASEFLOW_SIGNING_KEYS", keys.string());
        ScopedEnvironment keyPassword("CASEFLOW_KEY_PASSWORD_FILE", (keys / "signers.password").string());
        ScopedEnvironment caKey("CASEFLOW_CA_KEY", (keys / "ca.key").string());
        ScopedEnvironment caPassword("CASEFLOW_CA_PASSWORD_FILE", (keys / "ca.password").string());
        return runProgram("/bin/bash", {(projectDir() / "scripts/drive-scenarios.sh").string(), cliPath().string(), db,
                                        samples.string()});
    }

    std::map<std::string, Poco::JSON::Object::Ptr> situationsByReference() {
        auto listed = runCli({"situation", "list", "--json", "--db", db});
        REQUIRE(listed.exitCode == 0);
        std::map<std::string, Poco::JSON::Object::Ptr> byReference;
        auto array = Poco::JSON::Parser().parse(listed.out).extract<Poco::JSON::Array::Ptr>();
        for (std::size_t n = 0; n < array->size(); ++n) {
            auto situation = array->getObject(static_cast<unsigned>(n));
            byReference[situation->getValue<std::string>("reference")] = situation;
        }
        return byReference;
    }
};

} // namespace

TEST_CASE("the main job drives the twelve pilot situations through their paths, state by state", "[pilot]") {
    MainJobSetup setup(namurSamples());
    auto driven = setup.drive(namurSamples());
    INFO(driven.err);
    REQUIRE(driven.exitCode == 0);
    // Six refusals, each with the rule that refused it, and nothing else refused (157: issue 13's
    // move of Yanis and the grant of sample 08 closed at what was paid).
    CHECK(std::regex_search(driven.out, std::regex("157 events accepted, 6 refused as expected")));

    auto situations = setup.situationsByReference();
    REQUIRE(situations.size() == 14);
    auto state = [&](const std::string& reference) { return situations.at(reference)->getValue<std::string>("state"); };
    auto cents = [&](const std::string& reference, const std::string& field) {
        return situations.at(reference)->getValue<std::int64_t>(field);
    };
    CHECK(state("KIR-26-013") == "redirected-emergency");        // R3
    CHECK(state("KIR-26-014") == "redirected-out-of-territory"); // R1
    CHECK(state("KIR-26-004") == "follow-up");                   // returned for completion, then approved and paid
    CHECK(cents("KIR-26-004", "paidCents") == 130000);
    CHECK(state("KIR-26-006") == "follow-up"); // rejected: asked for, never granted
    CHECK(cents("KIR-26-006", "requestedCents") == 192000);
    CHECK(cents("KIR-26-006", "approvedCents") == 0);
    // 950 of 1 460 EUR paid, then the grant closed at what was paid: the rest is back in the envelope.
    CHECK(state("KIR-26-008") == "follow-up");
    CHECK(cents("KIR-26-008", "approvedCents") == 95000);
    CHECK(cents("KIR-26-008", "paidCents") == 95000);
    CHECK(state("KIR-26-010") == "closed");
    CHECK(state("KIR-26-011") == "closed");
    CHECK(state("KIR-26-012") == "budget-check");
    CHECK(cents("KIR-26-009", "approvedCents") == 250000); // two requests around a revised plan
    CHECK(cents("KIR-26-005", "approvedCents") == 217000); // a first request and its renewal (R17)

    std::int64_t requested = 0, approved = 0, paid = 0;
    for (const auto& [reference, situation] : situations) {
        requested += situation->getValue<std::int64_t>("requestedCents");
        approved += situation->getValue<std::int64_t>("approvedCents");
        paid += situation->getValue<std::int64_t>("paidCents");
    }
    CHECK(requested == 2233000);
    CHECK(approved == 1865000);
    CHECK(paid == 1865000);
    CHECK(runCli({"verify", "--db", setup.db}).exitCode == 0);
}

TEST_CASE("the main job stops at the first step that leaves a situation in another state than its scenario says",
          "[pilot]") {
    ScratchDir samples;
    std::filesystem::create_directories(samples / "situations");
    std::filesystem::create_directories(samples / "scenarios");
    std::filesystem::copy_file(namurSamples() / "network.xml", samples / "network.xml");
    const std::string stem = "02-dinant-five-before-six";
    std::filesystem::copy_file(namurSamples() / "situations" / (stem + ".xml"),
                               samples / "situations" / (stem + ".xml"));
    // Step 3 holds the concertation; pretend the scenario expected the plan to be agreed already.
    auto scenario = readFile(namurSamples() / "scenarios" / (stem + ".xml"));
    const auto held = scenario.find("state=\"concertation-held\"");
    REQUIRE(held != std::string::npos);
    scenario.replace(held, std::string("state=\"concertation-held\"").size(), "state=\"plan-agreed\"");
    writeFile(samples / "scenarios" / (stem + ".xml"), scenario);

    MainJobSetup setup(samples.path());
    auto driven = setup.drive(samples.path());
    CHECK(driven.exitCode == 1);
    CHECK_THAT(driven.err, Catch::Contains("should be in 'plan-agreed', is in 'concertation-held'"));
}
