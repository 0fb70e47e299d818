// A workflow definition: a W3C SCXML document (the subset described in
// docs/workflow-language.md) loaded, checked and compiled once. What must stay true: a
// StateChart is immutable after load and may be shared by any number of threads and
// interpreters; everything that can be wrong with a definition (an unsupported element, an
// unknown target, an XPath syntax error) is refused at load with `file:line`, never found
// later while a case is being processed.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow::workflow {

inline constexpr const char* kScxmlNamespace = "http://www.w3.org/2005/07/scxml";
inline constexpr const char* kWorkflowNamespace = "urn:caseflow:workflow:1";

// A business rule guarding a transition (<cf:rule>): the transition is enabled only when
// `expression` holds, and a refused event reports `ruleId` with `message`, a gettext msgid
// that the caller translates.
// `check` names the finance check the rule feeds (cf:rule check="..."), "" for none; a rule
// with unmet="attention" is one a decision can still meet with something more (a second
// validation), so the check shows "attention" rather than "fail" when it does not hold.
struct RuleGuard {
    std::string ruleId;
    std::string message;
    std::string expression;
    int line = 0;
    std::string check;
    bool attention = false;
};

struct Transition {
    std::string source;
    std::vector<std::string> events;  // descriptors as written; empty for an eventless transition
    std::vector<std::string> targets; // empty for a targetless transition, else exactly one id
    std::string cond;                 // "" when there is none
    std::vector<RuleGuard> rules;
    bool internal = false;
    int line = 0;
};

struct StateInfo {
    std::string id;
    std::string parent; // "" for a top-level state
    bool isFinal = false;
    bool isAtomic = true;
    int line = 0;
    std::vector<std::string> initial; // the default entry target of a compound state, else empty
};

// What an event's data may do to the situation document (<cf:takes change="...">):
//   add            a new member of a list (a new id, for members that have one), never a replacement;
//   replace        the member of a list with the same id, which must already be there;
//   add-or-replace either of the above;
//   add-or-replace-latest  a new member, or the list's latest member, never an older one
//                  (a funding request in preparation, not one already decided);
//   set            the single element of that name, added or replaced.
enum class DataChange { Add, Replace, AddOrReplace, AddOrReplaceLatest, Set };
std::string toString(DataChange change);

// A condition on one attribute of the data element (<cf:attribute>): it must equal `value`,
// or (when `value` is empty) be present or absent as `present` says.
struct AttributeCondition {
    std::string name;
    std::string value;
    bool present = true;
};

// One element an event takes as data (<cf:takes>).
struct DataScope {
    std::string element;
    DataChange change = DataChange::Add;
    std::vector<AttributeCondition> attributes;
    int line = 0;
};

// The data an event takes (<cf:event name="..."> with its <cf:takes> children); an event
// without a declaration takes no data at all.
// What the engine outside the chart needs to know of an event is declared on it too:
//   submits-dossier   its funding request goes to the budget check (the finance tables say so);
//   approves-request  the budget check's approval: the finance checks are a dry run of it.
struct EventDeclaration {
    std::string event;
    std::vector<DataScope> takes;
    int line = 0;
    bool submitsDossier = false;
    bool approvesRequest = false;
};

// A phase of the process (<cf:phase id="..." states="...">), which the committee report counts
// situations by. A state belongs to the phase that lists it or its nearest listed ancestor.
struct PhaseDeclaration {
    std::string id;
    std::vector<std::string> states;
    int line = 0;
};

struct ChartModel; // the compiled form the Interpreter runs, private to engine/workflow

class StateChart {
public:
    // Both throw InvalidInput whose message lists every problem as `file:line: message`.
    static std::shared_ptr<const StateChart> load(const std::filesystem::path& file);
    static std::shared_ptr<const StateChart> loadString(std::string_view text, const std::string& name);

    const std::string& name() const { return name_; }
    const std::string& sourceName() const { return sourceName_; }               // file name used in messages
    const std::vector<StateInfo>& states() const { return states_; }            // document order
    const std::vector<Transition>& transitions() const { return transitions_; } // document order
    const std::vector<std::string>& initial() const { return initial_; }        // the chart's initial target

    // Every event descriptor used in a transition, ".*" removed, "*" left out.
    std::set<std::string> eventNames() const;
    // States that no chain of initial entries and transition targets can ever activate
    // (conditions are ignored, so a state listed here is certainly dead).
    std::vector<std::string> unreachableStates() const;
    // The data `event` takes, as its <cf:event> declares it (nullptr: none).
    const EventDeclaration* declarationOf(const std::string& event) const;
    // True when `event` is declared submits-dossier="true".
    bool submitsDossier(const std::string& event) const;
    // The event declared approves-request="true" (at most one), nullptr when none is.
    const EventDeclaration* approvingEvent() const;
    const std::vector<PhaseDeclaration>& phases() const { return phases_; } // document order
    // The phase `state` belongs to, "" when the chart declares none for it (or no such state).
    std::string phaseOf(const std::string& state) const;
    // False only when no expression that firing `event` can evaluate reads `$variable`: not
    // the conditions and rules of the transitions it or an event raised anywhere in the chart
    // can take, nor of the eventless ones, nor any action's expression. The firing path leaves
    // out what no guard will read (the envelope's sums when no rule looks at the envelope).
    bool mayRead(std::string_view variable, const std::string& event) const;
    // Graphviz DOT: compound states as clusters, final states with a double border, the
    // `highlighted` states (typically the active configuration) filled.
    std::string toDot(const std::set<std::string>& highlighted = {}) const;

    // Not part of the API: only load() constructs a chart (make_shared needs it public).
    struct Key {
        explicit Key() = default;
    };
    StateChart(Key, std::unique_ptr<ChartModel> model);
    ~StateChart();
    StateChart(const StateChart&) = delete;
    StateChart& operator=(const StateChart&) = delete;

private:
    friend class Interpreter;
    const ChartModel& model() const { return *model_; }

    std::unique_ptr<ChartModel> model_;
    std::string name_;
    std::string sourceName_;
    std::vector<StateInfo> states_;
    std::vector<Transition> transitions_;
    std::vector<std::string> initial_;
    std::vector<EventDeclaration> declarations_;
    std::vector<PhaseDeclaration> phases_;
    // mayRead's answers by variable and event: a chart answers a few dozen questions, once each.
    mutable std::mutex readsMutex_;
    mutable std::map<std::pair<std::string, std::string>, bool> reads_;
};

} // namespace caseflow::workflow
