// Specifications of StateChart::mayRead: the firing path reads the envelope's sums only when a
// guard the event can run reads $envelope, so the answer must never be "no" when some
// expression the event can reach reads it, whatever path it takes to get there.
#include "support/TestSupport.h"
#include "workflow/StateChart.h"

#include <catch2/catch.hpp>

using namespace caseflow;

namespace {

std::shared_ptr<const workflow::StateChart> chartOf(const std::string& states) {
    return workflow::StateChart::loadString(
        R"(<scxml xmlns="http://www.w3.org/2005/07/scxml" xmlns:cf="urn:caseflow:workflow:1" version="1.0">)" + states +
            "</scxml>",
        "reads.scxml");
}

} // namespace

TEST_CASE("the funding workflow reads the envelope for the approval and for no ordinary event", "[workflow][reads]") {
    const auto chart = workflow::StateChart::load(test::projectDir() / "workflows/funding.scxml");
    CHECK(chart->mayRead("envelope", "budget.approved"));
    for (const std::string event : {"consent.recorded", "concertation.held", "plan.agreed", "payment.recorded"}) {
        INFO(event);
        CHECK_FALSE(chart->mayRead("envelope", event));
    }
    // Asked again, the same answer (it is remembered).
    CHECK(chart->mayRead("envelope", "budget.approved"));
}

TEST_CASE("the funding workflow reads the care plan's signature where R11 asks for it and for no other event",
          "[workflow][reads]") {
    const auto chart = workflow::StateChart::load(test::projectDir() / "workflows/funding.scxml");
    // The approval reads it again (its check "plan-validated"), as the submission did.
    for (const std::string event : {"plan.signed", "need.identified", "dossier.submitted", "budget.approved"}) {
        INFO(event);
        CHECK(chart->mayRead("planSignature", event));
    }
    CHECK(chart->mayRead("planSignedAsAgreed", "plan.signed"));
    for (const std::string event : {"dossier.updated", "payment.recorded", "review.held", "consent.recorded"}) {
        INFO(event);
        CHECK_FALSE(chart->mayRead("planSignature", event));
        CHECK_FALSE(chart->mayRead("planSignedAsAgreed", event));
    }
}

TEST_CASE("a variable read by an eventless transition, an action or an event raised on the way is read by every event",
          "[workflow][reads]") {
    const auto eventless = chartOf(R"(<state id="a"><transition event="go" target="b"/></state>
        <state id="b"><transition cond="$envelope/@amount &gt; 0" target="c"/></state><final id="c"/>)");
    CHECK(eventless->mayRead("envelope", "go"));

    const auto raised =
        chartOf(R"(<state id="a"><transition event="go" target="b"><raise event="check"/></transition></state>
        <state id="b"><transition event="check" cond="$envelope/@remaining &gt; 0" target="c"/></state><final id="c"/>)");
    CHECK(raised->mayRead("envelope", "go"));

    const auto logged = chartOf(R"(<state id="a"><onentry><log label="x" expr="$envelope/@paid"/></onentry>
        <transition event="go" target="b"/></state><final id="b"/>)");
    CHECK(logged->mayRead("envelope", "go"));

    // By descriptor: "budget" takes "budget.approved"; another event's rule is not this one's.
    const auto prefixed = chartOf(R"(<state id="a">
        <transition event="budget" target="b"><cf:rule id="R18" cond="$envelope/@amount &gt; 0" message="m"/></transition>
        <transition event="other" target="b"/></state><final id="b"/>)");
    CHECK(prefixed->mayRead("envelope", "budget.approved"));
    CHECK_FALSE(prefixed->mayRead("envelope", "other"));

    // $envelopes is another variable.
    const auto longer =
        chartOf(R"(<state id="a"><transition event="go" cond="count($envelopes) = 0" target="b"/></state>
        <final id="b"/>)");
    CHECK_FALSE(longer->mayRead("envelope", "go"));
}
