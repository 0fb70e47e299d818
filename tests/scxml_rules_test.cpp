// Specification of business rules (<cf:rule>) and deadlines (<send>, <cancel>) in workflows:
// a refused event lists every failed rule with its id and untranslated message, a plain cond
// only routes, and deadlines come back to the caller to be scheduled or cancelled.
#include "core/Errors.h"
#include "support/TestSupport.h"
#include "workflow/Interpreter.h"
#include "workflow/StateChart.h"
#include "xml/Xml.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <thread>

using namespace caseflow;
using namespace caseflow::workflow;
using Catch::Matchers::Contains;
using Strings = std::vector<std::string>;
using StringSet = std::set<std::string>;

namespace {

std::shared_ptr<const StateChart> chart(const std::string& name) {
    return StateChart::load(test::testsDir() / "scxml" / name);
}

// A situation and the network settings, bound as the caller binds them: the situation is the
// context document, the network is the $network variable.
struct Data {
    explicit Data(const std::string& situation)
        : document(xml::parseString(situation, "situation.xml")),
          network(xml::parseString("<network><minPartners>3</minPartners></network>", "network.xml")),
          xpath(document.get()) {
        xpath.setNodeVariable("network", xml::root(network.get()));
    }
    xmlXPathContext* context() { return xpath.context(); }
    xml::Document document;
    xml::Document network;
    xml::XPath xpath;
};

std::vector<std::string> ruleIds(const RuleRefusal& refusal) {
    std::vector<std::string> ids;
    for (const auto& violation : refusal.violations()) ids.push_back(violation.ruleId);
    return ids;
}

RuleRefusal refusalOf(Interpreter& interpreter, const std::string& event) {
    try {
        interpreter.fire(event);
    } catch (const RuleRefusal& refusal) {
        return refusal;
    }
    FAIL("event '" << event << "' was not refused by a rule");
    throw std::logic_error("unreachable");
}

const char* const kEmptyConcertation = "<situation kind='regular'><caseManager/></situation>";
const char* const kGoodConcertation = R"(<situation kind='regular'>
    <partner sector='mental-health' role='pedopsychiatrist'/>
    <partner sector='youth-aid'/>
    <partner sector='school'/>
    <caseManager>Anne</caseManager>
</situation>)";

} // namespace

TEST_CASE("A refused event lists every failed rule of the transitions whose condition held", "[scxml][rules]") {
    auto rules = chart("rules.scxml");

    SECTION("one transition applies: all its failed rules, each id once") {
        Data data(kEmptyConcertation);
        Interpreter interpreter(rules, data.context());
        interpreter.start();
        const RuleRefusal refusal = refusalOf(interpreter, "concertation.held");
        // R3's and the follow-up transition's conds are false: they route, they do not refuse.
        // R5 fails twice and is listed once.
        REQUIRE(ruleIds(refusal) == Strings{"R5", "R6", "R7"});
        REQUIRE(refusal.violations()[0].message ==
                "A concertation needs at least 3 partners, one of them from mental health.");
        REQUIRE(refusal.violations()[1].message == "A pedopsychiatrist takes part in every concertation.");
        REQUIRE(refusal.violations()[2].message == "The concertation designates a case manager.");
        REQUIRE_THAT(refusal.what(), Contains("'concertation.held'") && Contains("R5, R6, R7"));
        REQUIRE(interpreter.configuration() == StringSet{"requested"});
    }
    SECTION("two transitions apply: the failed rules of both, in document order, each id once") {
        Data data("<situation kind='follow-up'/>");
        Interpreter interpreter(rules, data.context());
        interpreter.start();
        REQUIRE(ruleIds(refusalOf(interpreter, "concertation.held")) == Strings{"R5", "R6", "R7", "R9"});
    }
    SECTION("a rule that always fails refuses its case") {
        Data data(kGoodConcertation);
        xmlSetProp(xml::root(data.document.get()), xml::x("kind"), xml::x("emergency"));
        Interpreter interpreter(rules, data.context());
        interpreter.start();
        const RuleRefusal refusal = refusalOf(interpreter, "concertation.held");
        REQUIRE(ruleIds(refusal) == Strings{"R3"});
        REQUIRE(refusal.violations()[0].message == "Emergency situations are not eligible.");
    }
}

TEST_CASE("An event is accepted by the first transition whose cond and rules all hold", "[scxml][rules]") {
    auto rules = chart("rules.scxml");
    SECTION("every rule of the main transition holds") {
        Data data(kGoodConcertation);
        Interpreter interpreter(rules, data.context());
        interpreter.start();
        REQUIRE(interpreter.fire("concertation.held").configuration == StringSet{"concerted"});
    }
    SECTION("a later transition is taken when an earlier one's rules fail and its own hold") {
        Data data("<situation kind='follow-up'><partner role='pedopsychiatrist'/><consent>yes</consent></situation>");
        Interpreter interpreter(rules, data.context());
        interpreter.start();
        REQUIRE(interpreter.fire("concertation.held").configuration == StringSet{"concerted"});
    }
}

TEST_CASE("Fixing the data makes a refused event acceptable", "[scxml][rules]") {
    auto rules = chart("rules.scxml");
    Data data("<situation kind='regular'><partner sector='mental-health'/><partner/><partner/>"
              "<caseManager>Anne</caseManager></situation>");
    Interpreter interpreter(rules, data.context());
    interpreter.start();
    REQUIRE(ruleIds(refusalOf(interpreter, "concertation.held")) == Strings{"R6"});

    // A network pedopsychiatrist is assigned d'office (R6): now every rule holds.
    xmlNode* partner = xmlNewChild(xml::root(data.document.get()), nullptr, xml::x("partner"), nullptr);
    xmlSetProp(partner, xml::x("role"), xml::x("pedopsychiatrist"));
    REQUIRE(interpreter.fire("concertation.held").configuration == StringSet{"concerted"});
}

TEST_CASE("Rules read the network settings through $network", "[scxml][rules]") {
    auto rules = chart("rules.scxml");
    Data data(kGoodConcertation);
    // Another network asks for 4 partners: same chart, same data, now refused by R5.
    xmlNodeSetContent(xml::firstChild(xml::root(data.network.get()), "minPartners"), xml::x("4"));
    Interpreter interpreter(rules, data.context());
    interpreter.start();
    REQUIRE(ruleIds(refusalOf(interpreter, "concertation.held")) == Strings{"R5"});
}

TEST_CASE("An event whose transitions all have a false condition is refused without rules", "[scxml][rules]") {
    Data data(kGoodConcertation);
    Interpreter interpreter(chart("rules.scxml"), data.context());
    interpreter.start();
    const RuleRefusal refusal = refusalOf(interpreter, "note");
    REQUIRE(refusal.violations().empty());
    REQUIRE_THAT(refusal.what(), Contains("meets the condition of none of its transitions"));
}

TEST_CASE("Rule guards evaluate concurrently on one shared chart", "[scxml][rules]") {
    auto rules = chart("rules.scxml");
    std::vector<std::thread> threads;
    std::vector<int> accepted(4, 0);
    for (size_t t = 0; t < accepted.size(); ++t) {
        threads.emplace_back([&, t] {
            Data data(t % 2 ? kGoodConcertation : kEmptyConcertation);
            for (int i = 0; i < 100; ++i) {
                Interpreter interpreter(rules, data.context());
                interpreter.start();
                try {
                    interpreter.fire("concertation.held");
                    ++accepted[t];
                } catch (const RuleRefusal&) {
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    REQUIRE(accepted == std::vector<int>{0, 100, 0, 100});
}

TEST_CASE("Deadlines are requested with a delay or a cf:at date and cancelled by id", "[scxml][send]") {
    Data data("<situation kind='regular'><nextMeeting>\n  2024-09-30\n</nextMeeting></situation>");
    Interpreter interpreter(chart("send.scxml"), data.context());
    const auto started = interpreter.start();
    REQUIRE(started.sends.size() == 3);
    REQUIRE(started.sends[0].sendId == "review");
    REQUIRE(started.sends[0].event == "review.due");
    REQUIRE(started.sends[0].delay == "P6M");
    REQUIRE(started.sends[0].at.empty());
    REQUIRE(started.sends[1].sendId == "meeting");
    REQUIRE(started.sends[1].at == "2024-09-30");
    REQUIRE(started.sends[1].delay.empty());
    REQUIRE(started.sends[2].sendId == "reminder");
    REQUIRE(started.sends[2].at == "2024-09-28");
    REQUIRE(started.cancelledSendIds.empty());

    SECTION("cancel names the deadlines to drop") {
        const auto step = interpreter.fire("meeting.held");
        REQUIRE(step.cancelledSendIds == Strings{"meeting", "reminder"});
        REQUIRE(step.sends.size() == 1);
        REQUIRE(step.sends[0].sendId == "payment");
        REQUIRE(step.sends[0].delay == "PT48H");
    }
    SECTION("a deadline cancelled then sent again in one step is both cancelled and sent") {
        const auto step = interpreter.fire("replan");
        REQUIRE(step.cancelledSendIds == Strings{"review"});
        REQUIRE(step.sends.size() == 3);
        REQUIRE(step.sends[0].sendId == "review");
    }
    SECTION("a deadline event is fired like any other") {
        REQUIRE(interpreter.fire("review.due").configuration == StringSet{"reviewing"});
    }
    SECTION("a cf:at that is not a date is an error naming the file and line") {
        REQUIRE_THROWS_WITH(interpreter.fire("bad.deadline"),
                            Contains("send.scxml:26: cf:at of <send id='bad'> gave 'regular'"));
        REQUIRE(interpreter.configuration() == StringSet{"planned"});
    }
}

TEST_CASE("A guard that cannot be evaluated is an error naming the file, line and expression", "[scxml][rules]") {
    auto broken = StateChart::loadString(
        "<scxml xmlns='http://www.w3.org/2005/07/scxml' xmlns:cf='urn:caseflow:workflow:1' version='1.0'>\n"
        "<state id='a'>\n"
        "<transition event='unknown.function' cond='cf:no-such-function()' target='b'/>\n"
        "<transition event='unknown.variable' target='b'><cf:rule id='R1' cond='$nothing' message='m'/></transition>\n"
        "</state>\n<state id='b'/>\n</scxml>",
        "broken.scxml");
    Data data(kGoodConcertation);
    Interpreter interpreter(broken, data.context());
    interpreter.start();
    REQUIRE_THROWS_WITH(interpreter.fire("unknown.function"),
                        Contains("broken.scxml:3: cond 'cf:no-such-function()' cannot be evaluated") &&
                            Contains("not found"));
    REQUIRE_THROWS_WITH(interpreter.fire("unknown.variable"),
                        Contains("broken.scxml:4: cf:rule cond '$nothing' cannot be evaluated"));
    REQUIRE(interpreter.configuration() == StringSet{"a"});
}

TEST_CASE("A chart without conditions runs without situation data", "[scxml][rules]") {
    Interpreter interpreter(chart("document-order.scxml"), nullptr);
    REQUIRE_NOTHROW(interpreter.start());
    // The first transition's cond needs data: evaluating it is an error, not a silent false.
    REQUIRE_THROWS_WITH(interpreter.fire("go"), Contains("needs situation data"));
    REQUIRE(interpreter.enabledEvents() == StringSet{"go"});
}
