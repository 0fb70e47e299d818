// Specification of the workflow interpreter's W3C SCXML semantics, one small chart per rule
// (tests/scxml/*.scxml): transition selection, entry and exit order, eventless transitions,
// the internal queue, done.state events, event matching, targetless and internal transitions,
// restoring a stored configuration, endless loops, and the errors a caller sees.
#include "core/Errors.h"
#include "support/TestSupport.h"
#include "workflow/Interpreter.h"
#include "workflow/StateChart.h"
#include "xml/Xml.h"

#include <catch2/catch.hpp>

using namespace caseflow;
using namespace caseflow::workflow;
using Catch::Matchers::Contains;
using Strings = std::vector<std::string>;
using StringSet = std::set<std::string>;

namespace {

std::shared_ptr<const StateChart> chart(const std::string& name) {
    return StateChart::load(test::testsDir() / "scxml" / name);
}

// A situation document with an XPath context over it, as the caller would provide.
struct Data {
    explicit Data(const std::string& text = "<data/>")
        : document(xml::parseString(text, "data.xml")), xpath(document.get()) {}
    xmlXPathContext* context() { return xpath.context(); }
    xml::Document document;
    xml::XPath xpath;
};

} // namespace

TEST_CASE("Within one state the first enabled transition in document order is taken", "[scxml]") {
    Data data;
    Interpreter interpreter(chart("document-order.scxml"), data.context());
    interpreter.start();
    const auto step = interpreter.fire("go");
    REQUIRE(step.configuration == StringSet{"first"});
    REQUIRE(step.exitedStates == Strings{"idle"});
    REQUIRE(step.enteredStates == Strings{"first"});
}

TEST_CASE("A descendant's transition preempts its ancestor's for the same event", "[scxml]") {
    Data data;
    Interpreter interpreter(chart("preemption.scxml"), data.context());
    REQUIRE(interpreter.start().configuration == StringSet{"parent", "child"});

    SECTION("the child handles the event") {
        REQUIRE(interpreter.fire("go").configuration == StringSet{"fromChild"});
    }
    SECTION("the ancestor handles it when the child's transition is disabled") {
        REQUIRE(interpreter.fire("leave").configuration == StringSet{"fromParent"});
    }
}

TEST_CASE("States are exited deepest first and entered outermost first, with onexit, content, onentry in order",
          "[scxml]") {
    Data data;
    Interpreter interpreter(chart("entry-exit-order.scxml"), data.context());
    const auto started = interpreter.start();
    REQUIRE(started.enteredStates == Strings{"a", "a1", "a1x"});
    REQUIRE(started.logs == Strings{"enter: a", "enter: a1", "enter: a1x"});
    REQUIRE(interpreter.activeAtomicStates().ids() == Strings{"a1x"});

    const auto step = interpreter.fire("go");
    REQUIRE(step.exitedStates == Strings{"a1x", "a1", "a"});
    REQUIRE(step.enteredStates == Strings{"b", "b2"});
    REQUIRE(step.logs == Strings{"exit: a1x", "exit: a1", "exit: a", "transition: a1x to b", "enter: b",
                                 "enter again: b", "initial: b", "enter: b2"});
    REQUIRE(step.configuration == StringSet{"b", "b2"});
    REQUIRE_FALSE(step.finished);
}

TEST_CASE("Eventless transitions are taken as soon as their condition holds, within the same macrostep", "[scxml]") {
    SECTION("a chain of eventless transitions runs to the end") {
        Data data("<data/>");
        Interpreter interpreter(chart("eventless.scxml"), data.context());
        const auto step = interpreter.start();
        REQUIRE(step.enteredStates == Strings{"start", "middle", "end"});
        REQUIRE(step.exitedStates == Strings{"start", "middle"});
        REQUIRE(step.configuration == StringSet{"end"});
    }
    SECTION("a condition chooses the first eventless transition that holds") {
        Data data("<data skip='yes'/>");
        Interpreter interpreter(chart("eventless.scxml"), data.context());
        REQUIRE(interpreter.start().enteredStates == Strings{"start", "end"});
    }
    SECTION("the chain stops where no eventless transition holds, and resumes after an event") {
        Data data("<data wait='yes'/>");
        Interpreter interpreter(chart("eventless.scxml"), data.context());
        REQUIRE(interpreter.start().configuration == StringSet{"waiting"});
        xmlSetProp(xml::root(data.document.get()), xml::x("wait"), xml::x("no"));
        const auto step = interpreter.fire("resume");
        REQUIRE(step.enteredStates == Strings{"middle", "end"});
    }
}

TEST_CASE("Raised events are queued in order and eventless transitions go before the next internal event", "[scxml]") {
    Data data;
    Interpreter interpreter(chart("raise.scxml"), data.context());
    interpreter.start();
    const auto step = interpreter.fire("go");
    // "first" moves s1 to s2; s2's eventless transition goes to s3 before "second" is taken
    // from the queue, so "second" is handled by s3 and never by s1 or s2.
    REQUIRE(step.enteredStates == Strings{"s1", "s2", "s3", "done"});
    REQUIRE(step.logs == Strings{"enter: s1", "enter: s2", "enter: s3", "enter: done"});
    REQUIRE(step.configuration == StringSet{"done"});
}

TEST_CASE("Entering a final child raises done.state for its parent and a top-level final ends the workflow",
          "[scxml]") {
    Data data;
    Interpreter interpreter(chart("done-state.scxml"), data.context());
    REQUIRE(interpreter.start().configuration == StringSet{"review", "reading"});
    const auto step = interpreter.fire("read");
    REQUIRE(step.enteredStates == Strings{"reviewed", "closed"});
    REQUIRE(step.exitedStates == Strings{"reading", "reviewed", "review"});
    REQUIRE(step.logs == Strings{"enter: reviewed", "review: complete", "enter: closed"});
    REQUIRE(step.finished);
    REQUIRE(interpreter.finished());
    REQUIRE(step.configuration == StringSet{"closed"});

    SECTION("a finished workflow accepts no more events") {
        REQUIRE_THROWS_WITH(interpreter.fire("read"),
                            "event 'read' is not allowed in state 'closed'; allowed here: none");
    }
    SECTION("done.* events are the interpreter's own and cannot be sent from outside") {
        REQUIRE_THROWS_AS(interpreter.fire("done.state.review"), UsageError);
    }
}

TEST_CASE("Event descriptors match by dotted prefix and '*' matches every event", "[scxml]") {
    Data data;
    auto events = chart("event-matching.scxml");
    const auto stateAfter = [&](const std::string& event) {
        Interpreter interpreter(events, data.context());
        interpreter.start();
        return interpreter.fire(event).configuration;
    };
    REQUIRE(stateAfter("budget.approved") == StringSet{"approved"});
    REQUIRE(stateAfter("budget.approved.partially") == StringSet{"approved"});
    REQUIRE(stateAfter("budget.rejected") == StringSet{"budgetAny"});
    REQUIRE(stateAfter("budget") == StringSet{"budgetAny"});
    REQUIRE(stateAfter("payment") == StringSet{"paymentOrNote"});
    REQUIRE(stateAfter("payment.recorded") == StringSet{"paymentOrNote"});
    REQUIRE(stateAfter("note") == StringSet{"paymentOrNote"});
    REQUIRE(stateAfter("budgets.x") == StringSet{"plural"});

    SECTION("a descriptor never matches a longer token") {
        Interpreter interpreter(events, data.context());
        interpreter.start();
        REQUIRE_THROWS_AS(interpreter.fire("budgets"), UsageError);
        REQUIRE_THROWS_AS(interpreter.fire("notes"), UsageError);
    }
    SECTION("'*' catches what no earlier transition takes") {
        auto wildcard = chart("wildcard.scxml");
        Interpreter first(wildcard, data.context());
        first.start();
        REQUIRE(first.fire("specific").configuration == StringSet{"specific"});
        Interpreter second(wildcard, data.context());
        second.start();
        REQUIRE(second.fire("anything.at.all").configuration == StringSet{"caught"});
    }
}

TEST_CASE("A targetless transition runs its content without exiting or entering any state", "[scxml]") {
    Data data;
    Interpreter interpreter(chart("targetless.scxml"), data.context());
    interpreter.start();
    const auto step = interpreter.fire("note");
    REQUIRE(step.exitedStates.empty());
    REQUIRE(step.enteredStates.empty());
    REQUIRE(step.logs == Strings{"note: recorded"});
    REQUIRE(step.configuration == StringSet{"outer", "inner"});
}

TEST_CASE("An internal transition to a descendant does not leave its compound source, and an external one does",
          "[scxml]") {
    Data data;
    Interpreter interpreter(chart("internal-external.scxml"), data.context());
    interpreter.start();
    REQUIRE(interpreter.fire("sign").configuration == StringSet{"plan", "signed"});

    SECTION("external: the source is exited and entered again") {
        const auto step = interpreter.fire("revise.external");
        REQUIRE(step.exitedStates == Strings{"signed", "plan"});
        REQUIRE(step.enteredStates == Strings{"plan", "drafting"});
        REQUIRE(step.logs == Strings{"exit: signed", "exit: plan", "enter: plan", "enter: drafting"});
    }
    SECTION("internal: only the source's active descendants are exited") {
        const auto step = interpreter.fire("revise.internal");
        REQUIRE(step.exitedStates == Strings{"signed"});
        REQUIRE(step.enteredStates == Strings{"drafting"});
    }
    SECTION("internal to the source itself behaves as external, as W3C specifies") {
        const auto step = interpreter.fire("restart");
        REQUIRE(step.exitedStates == Strings{"signed", "plan"});
        REQUIRE(step.enteredStates == Strings{"plan", "drafting"});
    }
}

TEST_CASE("An interpreter resumes from a stored configuration without running anything", "[scxml]") {
    Data data;
    auto order = chart("entry-exit-order.scxml");
    Interpreter interpreter(order, data.context());

    SECTION("atomic ids suffice: ancestors are added") {
        interpreter.restore({"a1x"});
        REQUIRE(interpreter.configuration() == StringSet{"a", "a1", "a1x"});
        REQUIRE(interpreter.enabledEvents() == StringSet{"go"});
        REQUIRE(interpreter.fire("go").exitedStates == Strings{"a1x", "a1", "a"});
    }
    SECTION("a full stored configuration is accepted as it is") {
        interpreter.restore({"b", "b1"});
        REQUIRE(interpreter.activeAtomicStates().ids() == Strings{"b1"});
    }
    SECTION("an unknown id is refused") {
        REQUIRE_THROWS_AS(interpreter.restore({"nowhere"}), InvalidInput);
        REQUIRE_THROWS_WITH(interpreter.restore({"nowhere"}), Contains("unknown state 'nowhere'"));
    }
    SECTION("states that cannot be active together are refused") {
        REQUIRE_THROWS_AS(interpreter.restore({"a1x", "b1"}), InvalidInput);
        REQUIRE_THROWS_AS(interpreter.restore({"b"}), InvalidInput);
        REQUIRE_THROWS_AS(interpreter.restore(StringSet{}), InvalidInput);
    }
    SECTION("a restored top-level final is finished") {
        Interpreter done(chart("done-state.scxml"), data.context());
        done.restore({"closed"});
        REQUIRE(done.finished());
    }
}

TEST_CASE("Events that cannot be taken are refused with what is allowed, and nothing changes", "[scxml]") {
    Data data;
    Interpreter interpreter(chart("entry-exit-order.scxml"), data.context());

    SECTION("before start or restore there is no configuration") {
        REQUIRE_THROWS_AS(interpreter.fire("go"), Error);
    }
    interpreter.start();
    SECTION("an event no transition uses is unknown") {
        REQUIRE_THROWS_AS(interpreter.fire("fly"), UsageError);
        REQUIRE_THROWS_WITH(interpreter.fire("fly"), "unknown event 'fly'; known events: go");
    }
    SECTION("a known event with no transition in the active states is not allowed here") {
        Interpreter preempt(chart("preemption.scxml"), data.context());
        preempt.start();
        preempt.fire("go");
        REQUIRE_THROWS_WITH(preempt.fire("leave"),
                            "event 'leave' is not allowed in state 'fromChild'; allowed here: none");
        Interpreter events(chart("event-matching.scxml"), data.context());
        events.start();
        REQUIRE_THROWS_WITH(events.fire("reset"),
                            "event 'reset' is not allowed in state 'idle'; allowed here: budget, budget.approved, "
                            "budgets.x, note, payment");
    }
    SECTION("a malformed event name is refused") {
        REQUIRE_THROWS_AS(interpreter.fire("a..b"), UsageError);
        REQUIRE_THROWS_AS(interpreter.fire(""), UsageError);
    }
    REQUIRE(interpreter.configuration() == StringSet{"a", "a1", "a1x"});
}

TEST_CASE("An endless loop of eventless transitions or raised events is stopped and reported", "[scxml]") {
    Data data;
    Interpreter interpreter(chart("eventless-loop.scxml"), data.context());
    interpreter.start();

    SECTION("eventless ping-pong") {
        REQUIRE_THROWS_AS(interpreter.fire("go"), Error);
        REQUIRE_THROWS_WITH(interpreter.fire("go"),
                            Contains("does not settle") && Contains("states involved: ping, pong"));
    }
    SECTION("a state raising the event that re-enters it") {
        REQUIRE_THROWS_WITH(interpreter.fire("raise.loop"), Contains("states involved: echo"));
    }
    // The failed macrostep left the interpreter as it was.
    REQUIRE(interpreter.configuration() == StringSet{"idle"});
}

TEST_CASE("One chart serves several interpreters at once", "[scxml]") {
    auto shared = chart("document-order.scxml");
    Data first, second;
    Interpreter one(shared, first.context()), two(shared, second.context());
    one.start();
    two.start();
    one.fire("go");
    REQUIRE(one.configuration() == StringSet{"first"});
    REQUIRE(two.configuration() == StringSet{"idle"});
}
