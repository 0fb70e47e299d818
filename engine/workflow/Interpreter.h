// Runs a StateChart over one situation, following the W3C SCXML algorithm (Appendix D) for
// the supported subset: transition selection in document order with descendants preempting
// ancestors, exit and entry sets from the transition domain, onexit / transition content /
// onentry in that order, the internal event queue, done.state.<id> events, and macrosteps
// run to completion. What must stay true: a call either completes its macrostep or throws
// and leaves the interpreter exactly as it was (the caller then writes nothing); conditions
// are only read, never written, so refusing an event has no effect; an eventless loop ends
// in an Error after a bounded number of microsteps instead of hanging a request.
#pragma once

#include "workflow/StateChart.h"
#include "workflow/StateSet.h"

#include <libxml/xpath.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace caseflow::workflow {

struct Action;
struct CompiledExpression;

// A deadline requested by <send>: the caller schedules `event` to be fired later.
struct DelayedSend {
    std::string sendId;
    std::string event;
    std::string delay; // ISO 8601 duration (P6M, P14D, PT48H), or ""
    std::string at;    // evaluated cf:at: ISO date or date-time, or ""
};

struct StepResult {
    std::set<std::string> configuration;                  // active states after the step, ancestors included
    std::vector<std::string> enteredStates, exitedStates; // in W3C entry / exit order
    std::vector<std::string> logs;                        // "label: value"
    // The caller applies cancelledSendIds first, then stores `sends`, replacing any pending
    // deadline with the same id. Within the step a cancel already removed earlier sends of
    // its id, and a later send replaced an earlier one with the same id.
    std::vector<DelayedSend> sends;
    std::vector<std::string> cancelledSendIds;
    bool finished = false; // a top-level <final> is active
};

// One cf:rule as a dry run found it over the situation as it would be after the event.
struct RuleVerdict {
    RuleGuard rule;
    bool passed = false;
};

// What fire(event) would do, found without doing it (see Interpreter::dryRun).
struct DryRun {
    bool allowed = false; // a transition of the active states takes the event
    bool enabled = false; // fire() would take one: its guards all hold
    // When enabled, the rules of the transition fire() would take, all passed; otherwise
    // those of every transition taking the event whose plain cond held (a false cond is
    // routing, not a refusal), passed or not. Document order.
    std::vector<RuleVerdict> rules;
};

class Interpreter {
public:
    // `data` holds the situation document, the caller's variables ($network, $event...) and
    // functions; it must outlive the interpreter. The cf: namespace and functions are
    // registered on it (a cf: function the caller registered first is kept). May be null for
    // a chart whose conditions read no data.
    Interpreter(std::shared_ptr<const StateChart> chart, xmlXPathContext* data);

    // Enters the initial configuration and runs the first macrostep to completion.
    StepResult start();
    // Resumes from a stored configuration without running anything. Atomic ids suffice
    // (ancestors are added); throws InvalidInput for an unknown id or a set of states that
    // cannot be active together.
    void restore(const std::set<std::string>& configuration);
    // The situation's stored states (atomic, as StateSet::text wrote them).
    void restore(const StateSet& states) { restore(std::set<std::string>(states.begin(), states.end())); }
    // Processes one external event as a macrostep. When no transition is enabled, throws
    // UsageError (unknown event, or not allowed in the current state) or RuleRefusal (the
    // event is allowed here but guards refuse it; every failed cf:rule is listed).
    StepResult fire(const std::string& event);
    // Evaluates the guards fire(event) would evaluate, over the same data, and reports each
    // cf:rule with its verdict; changes no state, runs no executable content, stores nothing.
    // The same UsageError as fire() for a name that is not an event one may send, or an
    // event the chart does not know.
    DryRun dryRun(const std::string& event) const;

    std::set<std::string> configuration() const;
    StateSet activeAtomicStates() const; // document order
    // Event descriptors of the transitions of the active states, conditions ignored (no "*",
    // no done.* events, which only the interpreter raises).
    std::set<std::string> enabledEvents() const;
    bool finished() const;

    // Microsteps one macrostep may take before it is declared an endless loop.
    static constexpr int kMaxMicrosteps = 1000;

private:
    struct Step;

    std::shared_ptr<const StateChart> chart_;
    xmlXPathContext* data_;
    std::set<int> configuration_; // node indices, document order
    bool started_ = false;

    // Selection and evaluation.
    std::vector<int> selectTransitions(const Step& step, const std::string* event) const;
    bool matches(int transition, const std::string* event) const;
    bool evaluate(const CompiledExpression& expression, const char* what) const;
    std::string evaluateString(const CompiledExpression& expression, const char* what) const;
    [[noreturn]] void refuse(const std::string& event) const;
    void checkSendable(const std::string& event) const;
    std::vector<int> candidates(const std::string& event) const; // matching transitions, selection order

    // The microstep.
    void microstep(Step& step, const std::vector<int>& transitions) const;
    void runToCompletion(Step& step) const;
    int transitionDomain(int transition) const;
    void enterStates(Step& step, const std::vector<int>& transitions, bool initial) const;
    void execute(Step& step, const std::vector<Action>& actions) const;

    std::string describe(const std::set<int>& configuration) const; // "a, b" (atomic states)
    StepResult commit(Step& step);
};

} // namespace caseflow::workflow
