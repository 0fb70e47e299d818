// Questions about a loaded chart that need no situation: its states and transitions as plain
// values, the events it knows, the states it can never reach, and a Graphviz drawing. What
// must stay true: nothing here mutates the model (charts are shared between threads).
#include "workflow/StateChart.h"

#include "workflow/ChartModel.h"
#include "workflow/EventDescriptor.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <sstream>

namespace caseflow::workflow {
namespace {

std::string dotString(const std::string& text) {
    std::string result = "\"";
    for (const char ch : text) {
        if (ch == '"' || ch == '\\') result += '\\';
        if (ch == '\n')
            result += "\\n";
        else
            result += ch;
    }
    return result + '"';
}

} // namespace

StateChart::StateChart(Key, std::unique_ptr<ChartModel> model) : model_(std::move(model)) {
    const ChartModel& chart = *model_;
    name_ = chart.name;
    sourceName_ = chart.sourceName;
    for (const int target : chart.nodes[ChartModel::kRoot].initialTargets) initial_.push_back(chart.nodes[target].id);
    for (size_t i = 1; i < chart.nodes.size(); ++i) {
        const StateNode& node = chart.nodes[i];
        StateInfo info;
        info.id = node.id;
        info.parent = node.parent == ChartModel::kRoot ? "" : chart.nodes[node.parent].id;
        info.isFinal = node.isFinal;
        info.isAtomic = node.children.empty();
        info.line = node.line;
        for (const int target : node.initialTargets) info.initial.push_back(chart.nodes[target].id);
        states_.push_back(std::move(info));
    }
    declarations_ = chart.declarations;
    phases_ = chart.phases;
    for (const TransitionNode& node : chart.transitions) {
        Transition transition;
        transition.source = chart.nodes[node.source].id;
        transition.events = node.writtenEvents;
        for (const int target : node.targets) transition.targets.push_back(chart.nodes[target].id);
        transition.cond = node.condition ? node.condition->text : "";
        for (const CompiledRule& rule : node.rules) transition.rules.push_back(rule.guard);
        transition.internal = node.internal;
        transition.line = node.line;
        transitions_.push_back(std::move(transition));
    }
}

StateChart::~StateChart() = default;

std::string toString(DataChange change) {
    switch (change) {
    case DataChange::Add:
        return "add";
    case DataChange::Replace:
        return "replace";
    case DataChange::AddOrReplace:
        return "add-or-replace";
    case DataChange::AddOrReplaceLatest:
        return "add-or-replace-latest";
    case DataChange::Set:
        return "set";
    }
    return "add";
}

namespace {

// `$name` in an XPath text, not the start of a longer variable name.
bool mentionsVariable(const std::string& text, std::string_view name) {
    const std::string reference = "$" + std::string(name);
    for (auto at = text.find(reference); at != std::string::npos; at = text.find(reference, at + 1)) {
        const std::size_t end = at + reference.size();
        const char next = end < text.size() ? text[end] : ' ';
        if (!(std::isalnum(static_cast<unsigned char>(next)) || next == '_' || next == '-' || next == '.')) return true;
    }
    return false;
}

bool anyActionMentions(const std::vector<Action>& actions, std::string_view variable) {
    return std::any_of(actions.begin(), actions.end(), [&](const Action& action) {
        return action.expression && mentionsVariable(action.expression->text, variable);
    });
}

} // namespace

bool StateChart::mayRead(std::string_view variable, const std::string& event) const {
    const std::lock_guard lock(readsMutex_);
    const auto key = std::make_pair(std::string(variable), event);
    if (const auto known = reads_.find(key); known != reads_.end()) return known->second;
    const ChartModel& chart = model();
    // Events a macrostep may raise itself, whose transitions then run in the same step.
    std::vector<std::string> events{event};
    for (const StateNode& node : chart.nodes)
        for (const auto* actions : {&node.initialActions, &node.onEntry, &node.onExit})
            for (const Action& action : *actions)
                if (action.kind == Action::Kind::Raise) events.push_back(action.event);
    for (const TransitionNode& transition : chart.transitions)
        for (const Action& action : transition.actions)
            if (action.kind == Action::Kind::Raise) events.push_back(action.event);
    bool reads = false;
    for (const StateNode& node : chart.nodes)
        reads = reads || anyActionMentions(node.initialActions, variable) ||
                anyActionMentions(node.onEntry, variable) || anyActionMentions(node.onExit, variable);
    for (const TransitionNode& transition : chart.transitions) {
        if (reads) break;
        const bool taken = transition.events.empty() ||
                           std::any_of(transition.events.begin(), transition.events.end(), [&](const std::string& d) {
                               return std::any_of(events.begin(), events.end(),
                                                  [&](const std::string& e) { return descriptorMatches(d, e); });
                           });
        reads = anyActionMentions(transition.actions, variable) ||
                (taken && ((transition.condition && mentionsVariable(transition.condition->text, variable)) ||
                           std::any_of(transition.rules.begin(), transition.rules.end(), [&](const CompiledRule& rule) {
                               return mentionsVariable(rule.condition.text, variable);
                           })));
    }
    reads_.emplace(key, reads);
    return reads;
}

bool StateChart::submitsDossier(const std::string& event) const {
    const EventDeclaration* declaration = declarationOf(event);
    return declaration && declaration->submitsDossier;
}

const EventDeclaration* StateChart::approvingEvent() const {
    for (const EventDeclaration& declaration : declarations_)
        if (declaration.approvesRequest) return &declaration;
    return nullptr;
}

std::string StateChart::phaseOf(const std::string& state) const {
    const ChartModel& chart = *model_;
    const auto found = chart.index.find(state);
    if (found == chart.index.end()) return "";
    const int phase = chart.phaseOfNode[found->second];
    return phase < 0 ? "" : chart.phases[phase].id;
}

const EventDeclaration* StateChart::declarationOf(const std::string& event) const {
    for (const EventDeclaration& declaration : declarations_)
        if (declaration.event == event) return &declaration;
    return nullptr;
}

std::set<std::string> StateChart::eventNames() const {
    std::set<std::string> names;
    for (const TransitionNode& transition : model_->transitions)
        for (const std::string& descriptor : transition.events)
            if (descriptor != "*") names.insert(descriptor);
    return names;
}

std::vector<std::string> StateChart::unreachableStates() const {
    const ChartModel& chart = *model_;
    std::vector<bool> reached(chart.nodes.size(), false);
    std::deque<int> pending;
    // Entering a state activates its ancestors and, for a compound state, its default entry.
    const auto enter = [&](int target) {
        std::deque<int> toEnter{target};
        for (const int ancestor : chart.properAncestors(target, ChartModel::kRoot)) toEnter.push_back(ancestor);
        while (!toEnter.empty()) {
            const int node = toEnter.front();
            toEnter.pop_front();
            if (reached[node]) continue;
            reached[node] = true;
            pending.push_back(node);
            for (const int initial : chart.nodes[node].initialTargets) {
                toEnter.push_back(initial);
                for (const int between : chart.properAncestors(initial, node)) toEnter.push_back(between);
            }
        }
    };
    for (const int initial : chart.nodes[ChartModel::kRoot].initialTargets) enter(initial);
    while (!pending.empty()) {
        const int node = pending.front();
        pending.pop_front();
        for (const int transition : chart.nodes[node].transitions)
            for (const int target : chart.transitions[transition].targets) enter(target);
    }
    std::vector<std::string> unreachable;
    for (size_t i = 1; i < chart.nodes.size(); ++i)
        if (!reached[i]) unreachable.push_back(chart.nodes[i].id);
    return unreachable;
}

std::string StateChart::toDot(const std::set<std::string>& highlighted) const {
    const ChartModel& chart = *model_;
    // Graphviz cannot point an edge at a cluster, so each compound state gets a small point
    // node inside its cluster ("its entry") and edges to or from the state use it with
    // lhead/ltail; ids are derived from node indices so no state id can break the syntax.
    const auto dotNode = [&](int node) { return (chart.isCompound(node) ? "entry" : "state") + std::to_string(node); };
    const auto isHighlighted = [&](int node) { return highlighted.count(chart.nodes[node].id) != 0; };
    std::ostringstream out;
    out << "digraph " << dotString(name_) << " {\n"
        << "  compound=true;\n  rankdir=LR;\n"
        << "  node [shape=box, style=rounded, fontname=\"sans-serif\"];\n"
        << "  edge [fontname=\"sans-serif\", fontsize=10];\n"
        << "  start [shape=point, width=0.15];\n";

    const auto writeState = [&](const auto& self, int node, int depth) -> void {
        const std::string indent(static_cast<size_t>(depth) * 2, ' ');
        const StateNode& state = chart.nodes[node];
        if (chart.isCompound(node)) {
            out << indent << "subgraph cluster" << node << " {\n"
                << indent << "  label=" << dotString(state.id) << ";\n"
                << indent
                << "  style=" << (isHighlighted(node) ? "\"rounded,filled\"; fillcolor=\"#dbe9f6\"" : "rounded")
                << ";\n"
                << indent << "  " << dotNode(node) << " [shape=point, width=0.1];\n";
            for (const int child : state.children) self(self, child, depth + 1);
            out << indent << "}\n";
        } else {
            out << indent << dotNode(node) << " [label=" << dotString(state.id);
            if (state.isFinal) out << ", peripheries=2";
            if (isHighlighted(node)) out << ", style=\"rounded,filled\", fillcolor=\"#8fb8de\"";
            out << "];\n";
        }
    };
    for (const int child : chart.nodes[ChartModel::kRoot].children) writeState(writeState, child, 1);

    for (const int initial : chart.nodes[ChartModel::kRoot].initialTargets) {
        out << "  start -> " << dotNode(initial);
        if (chart.isCompound(initial)) out << " [lhead=cluster" << initial << "]";
        out << ";\n";
    }
    for (size_t i = 1; i < chart.nodes.size(); ++i) {
        for (const int initial : chart.nodes[i].initialTargets) {
            out << "  " << dotNode(static_cast<int>(i)) << " -> " << dotNode(initial) << " [style=dotted";
            if (chart.isCompound(initial)) out << ", lhead=cluster" << initial;
            out << "];\n";
        }
    }
    for (const TransitionNode& transition : chart.transitions) {
        std::string label;
        for (const auto& descriptor : transition.writtenEvents) label += (label.empty() ? "" : " ") + descriptor;
        if (transition.condition) label += (label.empty() ? "[" : " [") + transition.condition->text + "]";
        if (!transition.rules.empty()) {
            std::vector<std::string> ids; // a rule split over several elements is drawn once
            for (const auto& rule : transition.rules)
                if (std::find(ids.begin(), ids.end(), rule.guard.ruleId) == ids.end()) ids.push_back(rule.guard.ruleId);
            std::string rules;
            for (const auto& id : ids) rules += (rules.empty() ? "" : ", ") + id;
            label += (label.empty() ? "{" : "\n{") + rules + "}";
        }
        const int source = transition.source;
        const bool targetless = transition.targets.empty();
        const int target = targetless ? source : transition.targets.front();
        std::vector<std::string> attributes{"label=" + dotString(label)};
        if (targetless) attributes.push_back("style=dashed");
        // lhead/ltail make Graphviz clip the edge at the cluster border, which it refuses
        // when one end lies inside the other's cluster.
        if (chart.isCompound(source) && source != target && !chart.isDescendant(target, source))
            attributes.push_back("ltail=cluster" + std::to_string(source));
        if (chart.isCompound(target) && source != target && !chart.isDescendant(source, target))
            attributes.push_back("lhead=cluster" + std::to_string(target));
        out << "  " << dotNode(source) << " -> " << dotNode(target) << " [";
        for (size_t a = 0; a < attributes.size(); ++a) out << (a ? ", " : "") << attributes[a];
        out << "];\n";
    }
    out << "}\n";
    return out.str();
}

} // namespace caseflow::workflow
