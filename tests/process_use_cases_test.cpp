// Specification of the use cases both front ends share (issue 12, step 3): an event the state
// does not take is one typed refusal decided by the process, the committee report asks the
// authorisation matrix before it computes anything, the command line shows a situation
// through the view the HTTP service gives the coordinator, and `workflow check` reads
// conditions with the templates' expression scanner.
#include "core/Errors.h"
#include "process/Authorisation.h"
#include "process/CommitteeReporting.h"
#include "render/ExpressionScanner.h"
#include "support/Pilot.h"
#include "support/TestSupport.h"
#include "views/SituationViews.h"

#include <Poco/JSON/Stringifier.h>

#include <catch2/catch.hpp>

#include <sstream>

using namespace caseflow;
using namespace caseflow::test;

namespace {

// The refusal `fire` throws, or a failure naming what happened instead.
EventNotAllowed refusalOf(FundingProcess& process, std::int64_t id, const std::string& event) {
    try {
        process.fire(id, event, std::nullopt, "event data", Actor::parse("coordinator:Marie"));
    } catch (const EventNotAllowed& refusal) {
        return refusal;
    } catch (const std::exception& other) {
        FAIL(event << " was refused otherwise than as not allowed: " << other.what());
    }
    FAIL(event << " was accepted");
    throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("an event the state does not take is refused by the process as EventNotAllowed naming the state and the "
          "events it takes",
          "[process]") {
    Pilot pilot;
    const auto id = pilot.registerSample("03-andenne-eleven-transition");
    const auto before = pilot.process().situation(id);
    const auto taken = pilot.process().allowedEvents(id);
    REQUIRE_FALSE(taken.empty());

    const auto payment = refusalOf(pilot.process(), id, "payment.recorded");
    CHECK(payment.event() == "payment.recorded");
    CHECK(payment.state() == before.state);
    CHECK(payment.allowedEvents() == taken);
    CHECK_THAT(payment.what(), Catch::Contains("is not allowed in state '" + before.state + "'"));

    // Unknown to the workflow, raised by the workflow itself, or recorded only by
    // registration: each is the same refusal, with the same allowed events.
    CHECK_THAT(refusalOf(pilot.process(), id, "dossier.teleported").what(), Catch::Contains("unknown event"));
    CHECK(refusalOf(pilot.process(), id, "dossier.teleported").allowedEvents() == taken);
    CHECK(refusalOf(pilot.process(), id, "done.state.funding").allowedEvents() == taken);
    CHECK_THAT(refusalOf(pilot.process(), id, "situation.registered").what(),
               Catch::Contains("caseflow situation new"));
    CHECK(pilot.process().situation(id).version == before.version);
}

TEST_CASE("the command line refuses an event the state does not take with exit code 2 and names what it takes",
          "[cli]") {
    Pilot pilot;
    const auto id = pilot.registerSample("03-andenne-eleven-transition");
    const std::string db = pilot.databasePath().string();
    const auto result = runCli({"event", std::to_string(id), "payment.recorded", "--db", db});
    CHECK(result.exitCode == 2);
    CHECK_THAT(result.err, Catch::Contains("payment.recorded is not allowed in state awaiting-request") &&
                               Catch::Contains("allowed here:"));
    CHECK(pilot.process().history(id).size() == 1);
}

TEST_CASE("the committee report use case asks the authorisation matrix before it computes any figure",
          "[process][security]") {
    Pilot pilot;
    pilot.registerSample("03-andenne-eleven-transition");
    CommitteeReportRequest request;
    request.year = 2031; // no situation: a figure computed first would answer NotFound
    request.asOf = Date::parseOrThrow("2031-06-30", "asOf");
    CHECK_THROWS_WITH(committeeReport(pilot.process(), request), Catch::Contains("say who asks"));
    for (const char* role : {"finance", "partner", "case_manager", "pedopsychiatrist", "system"}) {
        request.askedBy = Actor{role, "x"};
        INFO(role);
        CHECK_THROWS_AS(committeeReport(pilot.process(), request), UsageError);
        CHECK_FALSE(permissionFor(role, Operation::ReadCommitteeReport).allowed());
    }
    request.askedBy = Actor{"committee", "Comité"};
    CHECK_THROWS_AS(committeeReport(pilot.process(), request), NotFound);

    request.year = 2026;
    request.askedBy = Actor{"coordinator", "Marie"};
    const auto published = committeeReport(pilot.process(), request);
    CHECK(published.publish);
    CHECK(published.threshold == pilot.process().network().smallCountThreshold());
    CHECK(published.figures.situations == 1);
    request.internal = true;
    request.threshold = 2;
    const auto internal = committeeReport(pilot.process(), request);
    CHECK_FALSE(internal.publish);
    CHECK(internal.threshold == 2);
}

TEST_CASE("a committee report asked for by nobody is refused on the command line, however the shell is set",
          "[cli][security]") {
    Pilot pilot;
    pilot.registerSample("03-andenne-eleven-transition");
    const std::vector<std::string> ask = {"report", "committee", "--db",      pilot.databasePath().string(),
                                          "--year", "2026",      "--internal"};
    {
        // Before, leaving out --as made the caller coordinator:$USER, who may have everything.
        ScopedEnvironment nobody("CASEFLOW_ACTOR", std::nullopt);
        ScopedEnvironment user("USER", "coordinator");
        const auto refused = runCli(ask);
        CHECK(refused.exitCode == 2);
        CHECK_THAT(refused.err, Catch::Contains("say who asks"));
        CHECK(refused.out.empty());
    }
    {
        ScopedEnvironment declared("CASEFLOW_ACTOR", "committee:Comité");
        CHECK(runCli(ask).exitCode == 0);
    }
    auto withAs = ask;
    withAs.insert(withAs.end(), {"--as", "finance:Nathalie"});
    const auto finance = runCli(withAs);
    CHECK(finance.exitCode == 2);
    CHECK_THAT(finance.err, Catch::Contains("not for role 'finance'"));
}

TEST_CASE("the command line shows a situation through the full view the HTTP service gives the coordinator", "[cli]") {
    Pilot pilot;
    const auto id = pilot.registerSample("03-andenne-eleven-transition");
    const auto shown = runCli({"situation", "show", std::to_string(id), "--json", "--db", pilot.databasePath().string(),
                               "--as", "coordinator:Marie"});
    REQUIRE(shown.exitCode == 0);
    const auto record = pilot.process().situation(id);
    auto view = views::situationSummary(record, View::Full);
    view->set("document", record.document);
    views::addIdentityFacts(*view, record, View::Full, pilot.process().network(), Date::today());
    std::ostringstream expected;
    Poco::JSON::Stringifier::stringify(view, expected, 2);
    CHECK(shown.out == expected.str() + "\n");
    // The committee's view of the same situation keeps nothing that names the youth.
    std::ostringstream committee;
    Poco::JSON::Stringifier::stringify(views::situationDetail(record, View::Committee, {}), committee);
    CHECK(committee.str().find("municipality") == std::string::npos);
    CHECK(committee.str().find("document") == std::string::npos);
}

TEST_CASE("the expression scanner lists the names a condition reads, not its functions, axes, node types, operators "
          "or strings",
          "[process]") {
    const auto scanned = render::scanExpression(
        "count(youth/ancestor::situation/@id) > 1 and cf:age(youth/birthDate) div 2 = 'municipality' or "
        "$event/amount mod 3 and text() and consents/consent[1]");
    CHECK(scanned.names ==
          std::vector<std::string>{"youth", "situation", "id", "youth", "birthDate", "amount", "consents", "consent"});
}
