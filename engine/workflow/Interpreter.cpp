// The W3C SCXML algorithm (Appendix D) restricted to the supported subset: no <parallel>, so
// a configuration is one atomic state with its ancestors and a microstep takes at most one
// transition; no history, no datamodel. What must stay true: every call works on a copy
// (Step) and commits only when the macrostep completed, so an exception leaves the
// interpreter unchanged; entry is in document order and exit in reverse document order
// (node indices are document order); refusals evaluate conditions but execute nothing.
#include "workflow/Interpreter.h"

#include "xml/XPathFunctionKit.h"

#include "core/Text.h"

#include "core/Errors.h"
#include "workflow/ChartModel.h"
#include "workflow/EventDescriptor.h"
#include "workflow/IsoDuration.h"
#include "workflow/XPathFunctions.h"
#include "xml/Xml.h"

#include <libxml/xpathInternals.h>

#include <algorithm>
#include <deque>
#include <mutex>

namespace caseflow::workflow {

// The working copy of the interpreter's state during one start() or fire().
struct Interpreter::Step {
    std::set<int> configuration;
    std::deque<std::string> internalQueue;
    StepResult result;
    bool running = true; // false once a top-level <final> is entered
};

Interpreter::Interpreter(std::shared_ptr<const StateChart> chart, xmlXPathContext* data)
    : chart_(std::move(chart)), data_(data) {
    if (!chart_) throw Error("an interpreter needs a chart");
    if (data_) registerCaseflowFunctions(data_);
}

StepResult Interpreter::start() {
    Step step;
    enterStates(step, {}, true);
    runToCompletion(step);
    return commit(step);
}

void Interpreter::restore(const std::set<std::string>& configuration) {
    const ChartModel& chart = chart_->model();
    const std::string where = "stored configuration of workflow '" + chart_->name() + "'";
    std::set<int> nodes;
    for (const std::string& id : configuration) {
        const auto found = chart.index.find(id);
        if (found == chart.index.end()) throw InvalidInput("unknown state '" + id + "' in the " + where);
        nodes.insert(found->second);
        for (const int ancestor : chart.properAncestors(found->second, ChartModel::kRoot)) nodes.insert(ancestor);
    }
    std::vector<int> atomic;
    for (const int node : nodes)
        if (chart.nodes[node].children.empty()) atomic.push_back(node);
    // Without <parallel>, a legal configuration is exactly one atomic state and its ancestors.
    if (atomic.size() != 1 || nodes.size() != chart.properAncestors(atomic.front(), ChartModel::kRoot).size() + 1) {
        throw InvalidInput("{" + text::joined(configuration, ", ") + "} is not a valid " + where +
                           ": exactly one atomic state and its ancestors can be active");
    }
    configuration_ = std::move(nodes);
    started_ = true;
}

void Interpreter::checkSendable(const std::string& event) const {
    if (!started_) throw Error("the interpreter has no configuration: call start() or restore() first");
    if (!isValidEventName(event)) throw UsageError("'" + event + "' is not a valid event name");
    if (isPlatformEvent(event))
        throw UsageError("event '" + event + "' is raised by the workflow itself and cannot be sent to it");
}

StepResult Interpreter::fire(const std::string& event) {
    checkSendable(event);
    Step step;
    step.configuration = configuration_;
    step.running = !finished();
    const std::vector<int> enabled = selectTransitions(step, &event);
    if (enabled.empty()) refuse(event);
    microstep(step, enabled);
    runToCompletion(step);
    return commit(step);
}

std::set<std::string> Interpreter::configuration() const {
    std::set<std::string> ids;
    for (const int node : configuration_) ids.insert(chart_->model().nodes[node].id);
    return ids;
}

StateSet Interpreter::activeAtomicStates() const {
    std::vector<std::string> ids;
    for (const int node : configuration_)
        if (chart_->model().nodes[node].children.empty()) ids.push_back(chart_->model().nodes[node].id);
    return StateSet(std::move(ids));
}

std::set<std::string> Interpreter::enabledEvents() const {
    const ChartModel& chart = chart_->model();
    std::set<std::string> events;
    for (const int node : configuration_)
        for (const int transition : chart.nodes[node].transitions)
            for (const std::string& descriptor : chart.transitions[transition].events)
                if (descriptor != "*" && !isPlatformEvent(descriptor)) events.insert(descriptor);
    return events;
}

bool Interpreter::finished() const {
    const ChartModel& chart = chart_->model();
    return std::any_of(configuration_.begin(), configuration_.end(), [&](int node) {
        return chart.nodes[node].isFinal && chart.nodes[node].parent == ChartModel::kRoot;
    });
}

bool Interpreter::matches(int transition, const std::string* event) const {
    const auto& descriptors = chart_->model().transitions[transition].events;
    if (!event) return descriptors.empty();
    return std::any_of(descriptors.begin(), descriptors.end(),
                       [&](const std::string& descriptor) { return descriptorMatches(descriptor, *event); });
}

// W3C selectTransitions / selectEventlessTransitions: for each active atomic state, the first
// transition in document order whose event matches and whose guards hold, looking at the
// state itself before its ancestors (so descendants preempt ancestors).
std::vector<int> Interpreter::selectTransitions(const Step& step, const std::string* event) const {
    const ChartModel& chart = chart_->model();
    std::vector<int> enabled;
    for (const int atomic : step.configuration) {
        if (!chart.nodes[atomic].children.empty()) continue;
        std::vector<int> chain{atomic};
        for (const int ancestor : chart.properAncestors(atomic, ChartModel::kRoot)) chain.push_back(ancestor);
        bool found = false;
        for (const int state : chain) {
            for (const int transition : chart.nodes[state].transitions) {
                if (!matches(transition, event)) continue;
                const TransitionNode& candidate = chart.transitions[transition];
                if (candidate.condition && !evaluate(*candidate.condition, "cond")) continue;
                const bool rulesHold =
                    std::all_of(candidate.rules.begin(), candidate.rules.end(),
                                [&](const CompiledRule& rule) { return evaluate(rule.condition, "cf:rule cond"); });
                if (!rulesHold) continue;
                // With one atomic state there is nothing to conflict with; the W3C conflict
                // resolution between parallel regions has no case to handle here.
                if (std::find(enabled.begin(), enabled.end(), transition) == enabled.end())
                    enabled.push_back(transition);
                found = true;
                break;
            }
            if (found) break;
        }
    }
    return enabled;
}

// The transitions of the active states that take `event`, in the order selectTransitions
// looks at them (the atomic state before its ancestors, document order within each).
std::vector<int> Interpreter::candidates(const std::string& event) const {
    const ChartModel& chart = chart_->model();
    std::vector<int> found;
    for (const int atomic : configuration_) {
        if (!chart.nodes[atomic].children.empty()) continue;
        std::vector<int> chain{atomic};
        for (const int ancestor : chart.properAncestors(atomic, ChartModel::kRoot)) chain.push_back(ancestor);
        for (const int node : chain)
            for (const int transition : chart.nodes[node].transitions)
                if (matches(transition, &event)) found.push_back(transition);
    }
    return found;
}

DryRun Interpreter::dryRun(const std::string& event) const {
    checkSendable(event);
    const ChartModel& chart = chart_->model();
    const bool known = std::any_of(chart.transitions.begin(), chart.transitions.end(), [&](const TransitionNode& t) {
        return std::any_of(t.events.begin(), t.events.end(),
                           [&](const std::string& descriptor) { return descriptorMatches(descriptor, event); });
    });
    if (!known) {
        std::set<std::string> names;
        for (const std::string& name : chart_->eventNames())
            if (!isPlatformEvent(name)) names.insert(name);
        throw UsageError("unknown event '" + event + "'; known events: " + text::joined(names, ", "));
    }
    DryRun run;
    std::vector<std::pair<const CompiledRule*, bool>> judged;
    for (const int transition : candidates(event)) {
        run.allowed = true;
        const TransitionNode& candidate = chart.transitions[transition];
        if (candidate.condition && !evaluate(*candidate.condition, "cond")) continue;
        std::vector<std::pair<const CompiledRule*, bool>> own;
        for (const CompiledRule& rule : candidate.rules)
            own.emplace_back(&rule, evaluate(rule.condition, "cf:rule cond"));
        // The first transition whose guards all hold is the one fire() takes (selectTransitions).
        if (std::all_of(own.begin(), own.end(), [](const auto& verdict) { return verdict.second; })) {
            run.enabled = true;
            judged = std::move(own);
            break;
        }
        judged.insert(judged.end(), own.begin(), own.end());
    }
    std::stable_sort(judged.begin(), judged.end(),
                     [](const auto& a, const auto& b) { return a.first->order < b.first->order; });
    for (const auto& [rule, passed] : judged) run.rules.push_back(RuleVerdict{rule->guard, passed});
    return run;
}

void Interpreter::refuse(const std::string& event) const {
    const DryRun run = dryRun(event);
    const std::string state = describe(configuration_);
    if (!run.allowed) {
        const auto allowed = enabledEvents();
        throw UsageError("event '" + event + "' is not allowed in state '" + state +
                         "'; allowed here: " + (allowed.empty() ? std::string("none") : text::joined(allowed, ", ")));
    }
    // Only the first failed rule of each id is reported, in document order.
    std::vector<RuleViolation> violations;
    std::vector<std::string> ids;
    for (const RuleVerdict& verdict : run.rules) {
        if (verdict.passed) continue;
        const bool seen = std::any_of(violations.begin(), violations.end(),
                                      [&](const RuleViolation& v) { return v.ruleId == verdict.rule.ruleId; });
        if (seen) continue;
        violations.push_back(RuleViolation{verdict.rule.ruleId, verdict.rule.message});
        ids.push_back(verdict.rule.ruleId);
    }
    if (violations.empty()) {
        throw RuleRefusal("event '" + event + "' is refused in state '" + state +
                              "': the situation meets the condition of none of its transitions",
                          {});
    }
    throw RuleRefusal("event '" + event + "' is refused in state '" + state + "' by " + text::joined(ids, ", "),
                      std::move(violations));
}

namespace {

// Evaluates a compiled expression against the caller's data, with the root element of the
// situation as context node; a failure names the chart, the line and the expression.
xml::XPathObjectPtr evaluateObject(const ChartModel& chart, xmlXPathContext* data, const CompiledExpression& expression,
                                   const char* what) {
    const std::string where =
        chart.sourceName + ':' + std::to_string(expression.line) + ": " + what + " '" + expression.text + "'";
    if (!data) throw Error(where + " needs situation data, but the interpreter was given none");
    const std::lock_guard<std::mutex> lock(chart.evaluationLock);
    xml::ErrorCapture capture; // some failures ("function x not found") come on the generic channel
    xml::takeFunctionError();  // forget a reason left by an earlier, unrelated evaluation
    data->node = data->doc ? xmlDocGetRootElement(data->doc) : nullptr;
    xml::XPathObjectPtr result(xmlXPathCompiledEval(expression.compiled.get(), data));
    capture.rethrowFailure();
    if (result) return result;
    std::string reason = capture.messages().empty() ? "evaluation failed" : capture.messages().back();
    // libxml2 prefixes "input:0: " (it knows no file for an expression): keep the reason.
    if (reason.rfind("input:", 0) == 0 && reason.find(": ") != std::string::npos)
        reason = reason.substr(reason.find(": ") + 2);
    std::string detail = xml::takeFunctionError();
    if (detail.empty()) detail = capture.genericText();
    throw Error(where + " cannot be evaluated: " + reason + (detail.empty() ? "" : " (" + detail + ")"));
}

} // namespace

bool Interpreter::evaluate(const CompiledExpression& expression, const char* what) const {
    return xmlXPathCastToBoolean(evaluateObject(chart_->model(), data_, expression, what).get()) != 0;
}

std::string Interpreter::evaluateString(const CompiledExpression& expression, const char* what) const {
    return xml::stringValue(evaluateObject(chart_->model(), data_, expression, what).get());
}

// W3C getTransitionDomain: the compound state (or the <scxml> root) whose descendants the
// transition exits and enters; -1 for a targetless transition, which exits nothing.
int Interpreter::transitionDomain(int transition) const {
    const ChartModel& chart = chart_->model();
    const TransitionNode& node = chart.transitions[transition];
    if (node.targets.empty()) return -1;
    const bool allInside = std::all_of(node.targets.begin(), node.targets.end(),
                                       [&](int target) { return chart.isDescendant(target, node.source); });
    if (node.internal && chart.isCompound(node.source) && allInside) return node.source;
    // findLCCA([source] + targets): the nearest compound proper ancestor of the source that
    // contains every target.
    for (const int ancestor : chart.properAncestors(node.source, -1)) {
        if (!chart.isCompound(ancestor)) continue;
        if (std::all_of(node.targets.begin(), node.targets.end(),
                        [&](int target) { return chart.isDescendant(target, ancestor); }))
            return ancestor;
    }
    return ChartModel::kRoot;
}

void Interpreter::microstep(Step& step, const std::vector<int>& transitions) const {
    const ChartModel& chart = chart_->model();
    // exitStates: every active descendant of each transition's domain, deepest and latest first.
    std::set<int> toExit;
    for (const int transition : transitions) {
        const int domain = transitionDomain(transition);
        if (domain < 0) continue;
        for (const int state : step.configuration)
            if (chart.isDescendant(state, domain)) toExit.insert(state);
    }
    for (auto it = toExit.rbegin(); it != toExit.rend(); ++it) {
        execute(step, chart.nodes[*it].onExit);
        step.configuration.erase(*it);
        step.result.exitedStates.push_back(chart.nodes[*it].id);
    }
    for (const int transition : transitions) execute(step, chart.transitions[transition].actions);
    enterStates(step, transitions, false);
}

// W3C enterStates with computeEntrySet, addDescendantStatesToEnter and
// addAncestorStatesToEnter. `initial` enters the chart's initial configuration instead.
void Interpreter::enterStates(Step& step, const std::vector<int>& transitions, bool initial) const {
    const ChartModel& chart = chart_->model();
    std::set<int> toEnter, defaultEntry;
    const auto addAncestors = [&](int state, int ancestor) {
        for (const int node : chart.properAncestors(state, ancestor))
            if (node != ChartModel::kRoot) toEnter.insert(node);
    };
    const auto addDescendants = [&](const auto& self, int state) -> void {
        toEnter.insert(state);
        if (chart.nodes[state].children.empty()) return;
        defaultEntry.insert(state);
        for (const int target : chart.nodes[state].initialTargets) self(self, target);
        for (const int target : chart.nodes[state].initialTargets) addAncestors(target, state);
    };
    if (initial) {
        for (const int target : chart.nodes[ChartModel::kRoot].initialTargets) {
            addDescendants(addDescendants, target);
            addAncestors(target, ChartModel::kRoot);
        }
    }
    for (const int transition : transitions) {
        const TransitionNode& node = chart.transitions[transition];
        for (const int target : node.targets) addDescendants(addDescendants, target);
        const int domain = transitionDomain(transition);
        for (const int target : node.targets) addAncestors(target, domain);
    }
    for (const int state : toEnter) {
        const StateNode& node = chart.nodes[state];
        step.configuration.insert(state);
        step.result.enteredStates.push_back(node.id);
        execute(step, node.onEntry);
        if (defaultEntry.count(state)) execute(step, node.initialActions);
        if (!node.isFinal) continue;
        if (node.parent == ChartModel::kRoot)
            step.running = false;
        else
            step.internalQueue.push_back("done.state." + chart.nodes[node.parent].id);
    }
}

void Interpreter::execute(Step& step, const std::vector<Action>& actions) const {
    const ChartModel& chart = chart_->model();
    for (const Action& action : actions) {
        switch (action.kind) {
        case Action::Kind::Raise:
            step.internalQueue.push_back(action.event);
            break;
        case Action::Kind::Log: {
            const std::string value = action.expression ? evaluateString(*action.expression, "expr") : "";
            if (action.label.empty())
                step.result.logs.push_back(value);
            else
                step.result.logs.push_back(action.expression ? action.label + ": " + value : action.label);
            break;
        }
        case Action::Kind::Send: {
            DelayedSend send{action.sendId, action.event, action.delay, ""};
            if (action.expression) {
                send.at = text::trimmed(evaluateString(*action.expression, "cf:at"));
                if (!isIsoDateOrDateTime(send.at)) {
                    throw Error(chart.sourceName + ':' + std::to_string(action.line) + ": cf:at of <send id='" +
                                action.sendId + "'> gave '" + send.at +
                                "', which is not an ISO 8601 date or date-time");
                }
            }
            auto& sends = step.result.sends;
            sends.erase(std::remove_if(sends.begin(), sends.end(),
                                       [&](const DelayedSend& earlier) { return earlier.sendId == send.sendId; }),
                        sends.end());
            sends.push_back(std::move(send));
            break;
        }
        case Action::Kind::Cancel: {
            auto& sends = step.result.sends;
            sends.erase(std::remove_if(sends.begin(), sends.end(),
                                       [&](const DelayedSend& earlier) { return earlier.sendId == action.sendId; }),
                        sends.end());
            auto& cancelled = step.result.cancelledSendIds;
            if (std::find(cancelled.begin(), cancelled.end(), action.sendId) == cancelled.end())
                cancelled.push_back(action.sendId);
            break;
        }
        }
    }
}

// The rest of a macrostep (W3C mainEventLoop): eventless transitions first, then one internal
// event at a time, until neither applies. Bounded, because a chart can loop forever.
void Interpreter::runToCompletion(Step& step) const {
    const ChartModel& chart = chart_->model();
    int microsteps = 0;
    std::deque<int> recent; // the last transitions taken, to name the states of a loop
    while (step.running) {
        std::vector<int> enabled = selectTransitions(step, nullptr);
        if (enabled.empty()) {
            if (step.internalQueue.empty()) break;
            const std::string event = step.internalQueue.front();
            step.internalQueue.pop_front();
            enabled = selectTransitions(step, &event);
            if (enabled.empty()) continue;
        }
        if (++microsteps > kMaxMicrosteps) {
            std::set<int> involved;
            for (const int transition : recent) {
                involved.insert(chart.transitions[transition].source);
                for (const int target : chart.transitions[transition].targets) involved.insert(target);
            }
            std::vector<std::string> names;
            for (const int node : involved) names.push_back(chart.nodes[node].id);
            throw Error(chart.sourceName + ": workflow '" + chart.name + "' does not settle: more than " +
                        std::to_string(kMaxMicrosteps) +
                        " microsteps without waiting for an event (a loop of eventless transitions or raised "
                        "events); states involved: " +
                        text::joined(names, ", "));
        }
        for (const int transition : enabled) recent.push_back(transition);
        while (recent.size() > 100) recent.pop_front();
        microstep(step, enabled);
    }
}

std::string Interpreter::describe(const std::set<int>& configuration) const {
    std::vector<std::string> ids;
    for (const int node : configuration)
        if (chart_->model().nodes[node].children.empty()) ids.push_back(chart_->model().nodes[node].id);
    return text::joined(ids, ", ");
}

StepResult Interpreter::commit(Step& step) {
    configuration_ = step.configuration;
    started_ = true;
    StepResult result = std::move(step.result);
    result.configuration = configuration();
    result.finished = finished();
    return result;
}

} // namespace caseflow::workflow
