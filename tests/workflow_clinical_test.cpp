// The engine is general: the Brussels clinical case-management cycle (seed 003) runs from
// its own SCXML file and network settings, on the same engine, with no C++ of its own.
#include "core/Errors.h"
#include "support/Pilot.h"

#include <catch2/catch.hpp>

using namespace caseflow;
using namespace caseflow::test;

namespace {

struct Yassine {
    Pilot pilot{projectDir() / "samples/brussels/network.xml", projectDir() / "workflows/clinical-concertation.scxml"};
    std::int64_t id =
        pilot.process()
            .registerSituation(readFile(projectDir() / "samples/brussels/situations/01-schaerbeek-autism.xml"),
                               "yassine.xml", Actor{"partner", "Sarah De Smet"})
            .id;
    std::string fire(const std::string& event, const std::string& data, const std::string& date) {
        return refusedRules([&] { pilot.fire(id, event, data, "case_manager:Lotte Verhoeven", date); });
    }
};

const std::string kConcertation = R"(<concertation id="c1" date="2026-04-20">
  <participant partner="p1" role="psychologist" attendance="present"/>
  <participant partner="p2" role="teacher" attendance="present"/>
  <participant partner="p3" role="educator" attendance="present"/>
  <participant partner="p4" role="case-manager" attendance="present"/>
  <youthParticipation invited="true" present="true"/>
  <caseManager partner="p4"/>
  <decisions><decision>Reprise progressive de l'école deux matinées par semaine.</decision></decisions>
  <roadmap>
    <item who="p2" when="2026-05-04"><what>Aménager deux matinées de classe</what><how>Classe calme, horaire réduit</how></item>
    <item who="p3" when="2026-05-04"><what>Accompagner Yassine à l'école</what><withWhom>Sa mère</withWhom></item>
  </roadmap>
  <nextMeetings><meeting date="2026-06-15"/></nextMeetings>
</concertation>)";

} // namespace

TEST_CASE("the clinical concertation workflow runs from request to planned exit", "[workflow][clinical]") {
    Yassine case_;
    CHECK(case_.pilot.state(case_.id) == "awaiting-activation");
    CHECK(
        case_.fire(
            "case.requested",
            R"(<request date="2026-03-02" requestedBy="p1"><reason>Déscolarisé depuis une crise en janvier.</reason><coRequester partner="p2"/></request>)",
            "2026-03-02") == "accepted");
    CHECK(case_.pilot.state(case_.id) == "clarification");
    CHECK(
        case_.fire(
            "clarification.held",
            R"(<review date="2026-03-09" outcome="continue">L'école et le SSM attendent une coordination avec le centre de jour.</review>)",
            "2026-03-09") == "accepted");
    CHECK(case_.fire("assessment.done",
                     R"(<review date="2026-04-06" outcome="continue">Besoins : retour à l'école.</review>)",
                     "2026-04-06") == "R9");
    CHECK(
        case_.fire(
            "consent.recorded",
            R"(<consent type="information-sharing" given="true" date="2026-04-01" recordedBy="Lotte Verhoeven" by="parent"/>)",
            "2026-04-01") == "accepted");
    CHECK(case_.fire("assessment.done",
                     R"(<review date="2026-04-06" outcome="continue">Besoins : retour à l'école.</review>)",
                     "2026-04-06") == "accepted");
    CHECK(case_.pilot.state(case_.id) == "concertation-cycle");
    CHECK(case_.fire("concertation.held", kConcertation, "2026-04-20") == "accepted");
    const auto due = case_.pilot.process().due(*Date::parse("2026-06-15"));
    REQUIRE(due.size() == 1);
    CHECK(due.front().event == "concertation.due");
    CHECK(case_.fire("evaluation.held", R"(<review date="2026-06-15" outcome="close">Le réseau tient.</review>)",
                     "2026-06-15") == "accepted");
    CHECK(case_.pilot.state(case_.id) == "exit-planning");
    CHECK(case_.fire("exit.completed", R"(<closure date="2026-06-30" reason="network-sustainable"/>)", "2026-06-30") ==
          "accepted");
    CHECK(case_.pilot.state(case_.id) == "closed");
    CHECK(case_.pilot.process().verify().intact);
}

TEST_CASE("clinical case management needs two requesters from different institutions, one in mental health",
          "[workflow][clinical][rules]") {
    Yassine case_;
    CHECK(case_.fire("case.requested", R"(<request date="2026-03-02" requestedBy="p1"><reason>x</reason></request>)",
                     "2026-03-02") == "B1");
    CHECK(case_.fire(
              "case.requested",
              R"(<request date="2026-03-02" requestedBy="p2"><reason>x</reason><coRequester partner="p3"/></request>)",
              "2026-03-02") == "B2");
    CHECK(case_.fire(
              "case.requested",
              R"(<request date="2026-03-02" requestedBy="p1"><reason>x</reason><coRequester partner="p4"/></request>)",
              "2026-03-02") == "accepted");
}

TEST_CASE("the minutes of a clinical concertation must be a roadmap", "[workflow][clinical][rules]") {
    Yassine case_;
    case_.fire("case.requested",
               R"(<request date="2026-03-02" requestedBy="p1"><reason>x</reason><coRequester partner="p2"/></request>)",
               "2026-03-02");
    case_.fire("clarification.held", R"(<review date="2026-03-09" outcome="continue">Attentes claires.</review>)",
               "2026-03-09");
    case_.fire("consent.recorded",
               R"(<consent type="information-sharing" given="true" date="2026-04-01" recordedBy="L" by="parent"/>)",
               "2026-04-01");
    case_.fire("assessment.done", R"(<review date="2026-04-06" outcome="continue">Besoins.</review>)", "2026-04-06");
    CHECK(case_.fire("concertation.held", withoutNodes(kConcertation, "/concertation/roadmap"), "2026-04-20") == "B5");
}
