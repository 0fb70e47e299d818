// The compiled form of a StateChart, shared by the loader (which builds it), StateChart (which
// answers questions about it) and the Interpreter (which runs it). Private to engine/workflow.
// What must stay true: node 0 is the <scxml> element itself (never part of a configuration),
// nodes are in document order (pre-order, so an ancestor's index is always smaller than its
// descendants'), every index stored here is valid, and nothing changes after load except the
// evaluation lock.
#pragma once

#include "workflow/StateChart.h"
#include "xml/Xml.h"

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace caseflow::workflow {

// An XPath expression compiled at load, with where it came from for error messages.
struct CompiledExpression {
    std::string text;
    int line = 0;
    xml::XPathCompiledPtr compiled;
};

// One element of executable content (<raise>, <log>, <send>, <cancel>).
struct Action {
    enum class Kind { Raise, Log, Send, Cancel };
    Kind kind = Kind::Raise;
    int line = 0;
    std::string event;                            // raise, send
    std::string label;                            // log
    std::string sendId;                           // send, cancel
    std::string delay;                            // send: ISO 8601 duration, or ""
    std::optional<CompiledExpression> expression; // log: expr; send: cf:at
};

struct StateNode {
    std::string id;
    int parent = -1;
    std::vector<int> children; // child states in document order; empty for an atomic state
    bool isFinal = false;
    int line = 0;
    std::vector<int> initialTargets;    // resolved default entry (explicit or first child)
    std::vector<Action> initialActions; // content of an <initial> element's transition
    std::vector<Action> onEntry, onExit;
    std::vector<int> transitions; // indices into ChartModel::transitions, document order
};

struct CompiledRule {
    RuleGuard guard;
    CompiledExpression condition;
    int order = 0; // document order among all rules of the chart
};

struct TransitionNode {
    int source = 0;
    std::vector<std::string> events;        // normalized descriptors
    std::vector<std::string> writtenEvents; // as in the document, for StateChart::transitions()
    std::optional<CompiledExpression> condition;
    std::vector<CompiledRule> rules;
    std::vector<int> targets;
    bool internal = false;
    std::vector<Action> actions;
    int line = 0;
};

struct ChartModel {
    std::string name;       // <scxml name>, else the file's stem
    std::string sourceName; // the file (or given name) that messages cite
    std::vector<StateNode> nodes;
    std::vector<TransitionNode> transitions;
    std::unordered_map<std::string, int> index; // state id -> node
    std::vector<EventDeclaration> declarations; // <cf:event>, document order
    std::vector<PhaseDeclaration> phases;       // <cf:phase>, document order
    std::vector<int> phaseOfNode;               // node -> index into phases, -1: none (own or inherited)
    // libxml2 caches function lookups inside a compiled expression on its first evaluation,
    // so evaluating one expression from two threads at once would race: evaluations of this
    // chart's expressions are serialised. They are short; the lock is never contended long.
    mutable std::mutex evaluationLock;

    static constexpr int kRoot = 0;

    bool isCompound(int node) const { return node == kRoot || !nodes[node].children.empty(); }
    // True when `node` is a proper descendant of `ancestor`.
    bool isDescendant(int node, int ancestor) const {
        for (int current = nodes[node].parent; current >= 0; current = nodes[current].parent)
            if (current == ancestor) return true;
        return false;
    }
    // Ancestors of `node`, nearest first, stopping before `stop` (-1: up to and including the root).
    std::vector<int> properAncestors(int node, int stop) const {
        std::vector<int> result;
        for (int current = nodes[node].parent; current >= 0 && current != stop; current = nodes[current].parent)
            result.push_back(current);
        return result;
    }
};

} // namespace caseflow::workflow
