// Reading an SCXML document into a ChartModel. What must stay true: every element and
// attribute of the document is either understood or refused with `file:line` (an ignored
// element would be a rule that silently does not apply); every XPath expression is compiled
// here, once; every state reference is resolved here, so the Interpreter never meets a
// dangling id. A named rule set (<cf:rules id>) is written once and read into every transition
// that includes it (<cf:rules ref>), as if its rules were written there.
#include "core/Errors.h"
#include "model/Situation.h"
#include "model/XsBoolean.h"
#include "workflow/ChartModel.h"
#include "workflow/EventDescriptor.h"
#include "workflow/IsoDuration.h"
#include "workflow/StateChart.h"
#include "workflow/XPathFunctions.h"
#include "xml/Xml.h"

#include <libxml/xpathInternals.h>

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <map>
#include <sstream>

namespace caseflow::workflow {
namespace {

std::vector<std::string> splitSpaces(const std::string& text) {
    std::vector<std::string> tokens;
    std::istringstream in(text);
    for (std::string token; in >> token;) tokens.push_back(token);
    return tokens;
}

bool isBlank(const std::string& text) {
    return std::all_of(text.begin(), text.end(),
                       [](char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; });
}

bool inNamespace(const xmlNode* node, const char* uri) {
    return node->ns && node->ns->href && std::strcmp(xml::c(node->ns->href), uri) == 0;
}

bool isScxml(const xmlNode* node, const char* elementName) {
    return node->type == XML_ELEMENT_NODE && inNamespace(node, kScxmlNamespace) && xml::name(node) == elementName;
}

bool isWorkflow(const xmlNode* node, const char* elementName) {
    return node->type == XML_ELEMENT_NODE && inNamespace(node, kWorkflowNamespace) && xml::name(node) == elementName;
}

// The element's name as the author wrote it (with its prefix), for messages.
std::string displayName(const xmlNode* node) {
    std::string result = node->ns && node->ns->prefix ? xml::c(node->ns->prefix) + std::string(":") : "";
    return result + xml::name(node);
}

std::string displayName(const xmlAttr* attribute) {
    std::string result = attribute->ns && attribute->ns->prefix ? xml::c(attribute->ns->prefix) + std::string(":") : "";
    return result + (attribute->name ? xml::c(attribute->name) : "");
}

std::optional<std::string> workflowAttribute(const xmlNode* node, const char* attributeName) {
    const xml::XmlString value(xmlGetNsProp(node, xml::x(attributeName), xml::x(kWorkflowNamespace)));
    if (!value) return std::nullopt;
    return std::string(xml::c(value.get()));
}

// libxml2 formats its XPath errors as "input:0: Invalid expression": keep the reason only.
std::string libxmlReason(const std::vector<std::string>& messages) {
    if (messages.empty()) return "syntax error";
    std::string message = messages.front();
    if (message.rfind("input:", 0) == 0) {
        const auto separator = message.find(": ");
        if (separator != std::string::npos) message = message.substr(separator + 2);
    }
    return message;
}

class Loader {
public:
    explicit Loader(std::string sourceName) : model_(std::make_unique<ChartModel>()) {
        model_->sourceName = std::move(sourceName);
        compileContext_.reset(xmlXPathNewContext(nullptr));
        if (!compileContext_) throw Error("out of memory creating an XPath context");
        registerCaseflowFunctions(compileContext_.get());
    }

    std::unique_ptr<ChartModel> load(const xmlDoc* document) {
        xmlNode* root = xml::root(document);
        if (!root || !isScxml(root, "scxml")) {
            fail(root, std::string("the root element must be <scxml> in the namespace ") + kScxmlNamespace);
            throwIfFailed();
        }
        readScxml(root);
        throwIfFailed(); // references are only worth resolving in a well-formed structure
        resolveReferences();
        checkDeclaredEvents();
        resolvePhases();
        throwIfFailed();
        return std::move(model_);
    }

private:
    struct PendingInitial {
        std::string attribute; // initial="..." as written
        bool hasAttribute = false;
        bool hasElement = false; // an <initial> child
        std::string elementTarget;
        int line = 0;
    };

    std::unique_ptr<ChartModel> model_;
    xml::XPathContextPtr compileContext_;
    std::vector<std::string> errors_;
    std::vector<PendingInitial> initials_;       // parallel to model_->nodes
    std::vector<std::string> transitionTargets_; // parallel to model_->transitions
    int ruleCount_ = 0;
    struct RuleSet {
        std::vector<xmlNode*> rules; // the <cf:rule> elements, compiled again where included
        int line = 0;
        bool included = false;
    };
    std::map<std::string, RuleSet> ruleSets_; // <cf:rules id="..."> at the top level

    void fail(const xmlNode* node, const std::string& message) { failAt(xml::line(node), message); }
    void failAt(int line, const std::string& message) {
        // A rule of a set included twice would otherwise report its own mistake twice.
        const std::string error = model_->sourceName + ':' + std::to_string(line) + ": " + message;
        if (std::find(errors_.begin(), errors_.end(), error) == errors_.end()) errors_.push_back(error);
    }

    void throwIfFailed() {
        if (errors_.empty()) return;
        std::string all;
        for (const auto& message : errors_) all += (all.empty() ? "" : "\n") + message;
        throw InvalidInput(all, errors_);
    }

    void unsupported(const xmlNode* node) { fail(node, "element <" + displayName(node) + "> is not supported"); }

    void misplaced(const xmlNode* node, const xmlNode* parent) {
        fail(node, "element <" + displayName(node) + "> is not allowed in <" + displayName(parent) + ">");
    }

    // Refuses every attribute not in the lists: no-namespace ones in `plain`, cf: ones in
    // `extension`. Namespace declarations are not attributes and are not seen here.
    void checkAttributes(const xmlNode* node, std::initializer_list<const char*> plain,
                         std::initializer_list<const char*> extension = {}) {
        for (const xmlAttr* attribute = node->properties; attribute; attribute = attribute->next) {
            const char* attributeName = attribute->name ? xml::c(attribute->name) : "";
            const auto& allowed = !attribute->ns ? plain
                                  : std::strcmp(xml::c(attribute->ns->href), kWorkflowNamespace) == 0
                                      ? extension
                                      : std::initializer_list<const char*>{};
            const bool known = std::any_of(allowed.begin(), allowed.end(), [&](const char* candidate) {
                return std::strcmp(candidate, attributeName) == 0;
            });
            if (!known)
                fail(node,
                     "attribute '" + displayName(attribute) + "' of <" + displayName(node) + "> is not supported");
        }
    }

    std::string required(const xmlNode* node, const char* attributeName) {
        const auto value = xml::attribute(node, attributeName);
        if (!value || isBlank(*value)) {
            fail(node, "<" + displayName(node) + "> needs a non-empty '" + attributeName + "' attribute");
            return "";
        }
        return *value;
    }

    // Element children, refusing text (nothing in the subset carries text) and skipping comments.
    std::vector<xmlNode*> elementChildren(xmlNode* parent) {
        std::vector<xmlNode*> result;
        for (xmlNode* child = parent->children; child; child = child->next) {
            if (child->type == XML_ELEMENT_NODE) {
                result.push_back(child);
            } else if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) {
                if (!isBlank(xml::text(child))) fail(child, "text is not allowed in <" + displayName(parent) + ">");
            }
        }
        return result;
    }

    void noChildren(xmlNode* element) {
        for (xmlNode* child : elementChildren(element)) unsupported(child);
    }

    std::optional<CompiledExpression> compile(const xmlNode* node, const std::string& text, const std::string& what) {
        if (isBlank(text)) {
            fail(node, what + " of <" + displayName(node) + "> is empty");
            return std::nullopt;
        }
        xml::ErrorCapture capture;
        xml::XPathCompiledPtr compiled(xmlXPathCtxtCompile(compileContext_.get(), xml::x(text.c_str())));
        if (!compiled) {
            fail(node, what + " of <" + displayName(node) + "> is not a valid XPath 1.0 expression: '" + text +
                           "': " + libxmlReason(capture.messages()));
            return std::nullopt;
        }
        return CompiledExpression{text, xml::line(node), std::move(compiled)};
    }

    void readScxml(xmlNode* root) {
        checkAttributes(root, {"initial", "name", "version"});
        if (const auto version = xml::attribute(root, "version"); version && *version != "1.0")
            fail(root, "version must be 1.0, not '" + *version + "'");
        std::string fileStem = std::filesystem::path(model_->sourceName).stem().string();
        model_->name = xml::attribute(root, "name").value_or(fileStem);

        model_->nodes.push_back(StateNode{});
        model_->nodes[ChartModel::kRoot].line = xml::line(root);
        initials_.push_back(PendingInitial{});
        if (const auto initial = xml::attribute(root, "initial")) {
            initials_[ChartModel::kRoot] = PendingInitial{*initial, true, false, "", xml::line(root)};
        }
        // Rule sets first, so that a transition may include one defined further down.
        for (xmlNode* child : elementChildren(root))
            if (isWorkflow(child, "rules")) readRuleSet(child);
        for (xmlNode* child : elementChildren(root)) {
            if (isWorkflow(child, "rules"))
                continue;
            else if (isScxml(child, "state"))
                readState(child, ChartModel::kRoot, false);
            else if (isScxml(child, "final"))
                readState(child, ChartModel::kRoot, true);
            else if (isWorkflow(child, "event"))
                readEventDeclaration(child);
            else if (isWorkflow(child, "phase"))
                readPhase(child);
            else if (isScxml(child, "transition") || isScxml(child, "onentry") || isScxml(child, "onexit") ||
                     isScxml(child, "initial"))
                misplaced(child, root);
            else
                unsupported(child);
        }
        if (model_->nodes[ChartModel::kRoot].children.empty()) fail(root, "<scxml> contains no state");
        for (const auto& [id, set] : ruleSets_)
            if (!set.included) failAt(set.line, "rules '" + id + "' are defined but no transition includes them");
    }

    // <cf:rules id="..."> holding <cf:rule> elements only: read where a transition includes it.
    void readRuleSet(xmlNode* element) {
        checkAttributes(element, {"id"});
        const std::string id = required(element, "id");
        RuleSet set;
        set.line = xml::line(element);
        for (xmlNode* child : elementChildren(element)) {
            if (isWorkflow(child, "rule"))
                set.rules.push_back(child);
            else
                isScxml(child, "transition") || isWorkflow(child, "rules") ? misplaced(child, element)
                                                                           : unsupported(child);
        }
        if (set.rules.empty()) fail(element, "<cf:rules> must contain at least one <cf:rule>");
        if (id.empty()) return;
        if (const auto earlier = ruleSets_.find(id); earlier != ruleSets_.end()) {
            fail(element, "rules '" + id + "' are already defined at line " + std::to_string(earlier->second.line));
            return;
        }
        ruleSets_.emplace(id, std::move(set));
    }

    // <cf:rules ref="..."/> inside a transition: the set's rules, in their order, at this place.
    void includeRuleSet(xmlNode* element, TransitionNode& transition) {
        checkAttributes(element, {"ref"});
        noChildren(element);
        const std::string ref = required(element, "ref");
        if (ref.empty()) return;
        const auto found = ruleSets_.find(ref);
        if (found == ruleSets_.end()) {
            std::string known;
            for (const auto& [id, set] : ruleSets_) known += (known.empty() ? "" : ", ") + id;
            fail(element,
                 "rules '" + ref + "' are not defined; defined rule sets: " + (known.empty() ? "none" : known));
            return;
        }
        found->second.included = true;
        for (xmlNode* rule : found->second.rules) readRule(rule, transition);
    }

    void readState(xmlNode* element, int parent, bool isFinal) {
        if (isFinal)
            checkAttributes(element, {"id"});
        else
            checkAttributes(element, {"id", "initial"});
        const std::string id = required(element, "id");
        if (!id.empty() && splitSpaces(id).size() != 1) fail(element, "state id '" + id + "' contains white space");

        const int node = static_cast<int>(model_->nodes.size());
        model_->nodes.push_back(StateNode{});
        initials_.push_back(PendingInitial{});
        model_->nodes[node].id = id;
        model_->nodes[node].parent = parent;
        model_->nodes[node].isFinal = isFinal;
        model_->nodes[node].line = xml::line(element);
        model_->nodes[parent].children.push_back(node);
        if (!id.empty() && !model_->index.emplace(id, node).second)
            fail(element, "state id '" + id + "' is already used at line " +
                              std::to_string(model_->nodes[model_->index[id]].line));
        if (const auto initial = xml::attribute(element, "initial"); initial && !isFinal) {
            initials_[node].attribute = *initial;
            initials_[node].hasAttribute = true;
            initials_[node].line = xml::line(element);
        }

        for (xmlNode* child : elementChildren(element)) {
            if (isScxml(child, "onentry")) {
                checkAttributes(child, {});
                auto actions = readExecutableContent(child);
                auto& onEntry = model_->nodes[node].onEntry;
                onEntry.insert(onEntry.end(), std::make_move_iterator(actions.begin()),
                               std::make_move_iterator(actions.end()));
            } else if (isScxml(child, "onexit")) {
                checkAttributes(child, {});
                auto actions = readExecutableContent(child);
                auto& onExit = model_->nodes[node].onExit;
                onExit.insert(onExit.end(), std::make_move_iterator(actions.begin()),
                              std::make_move_iterator(actions.end()));
            } else if (isFinal && (isScxml(child, "transition") || isScxml(child, "initial") ||
                                   isScxml(child, "state") || isScxml(child, "final"))) {
                misplaced(child, element);
            } else if (isScxml(child, "transition")) {
                readTransition(child, node);
            } else if (isScxml(child, "initial")) {
                readInitialElement(child, node);
            } else if (isScxml(child, "state")) {
                readState(child, node, false);
            } else if (isScxml(child, "final")) {
                readState(child, node, true);
            } else {
                unsupported(child);
            }
        }
    }

    // <cf:event name="..."> with <cf:takes element="..." change="..."> children, each with
    // optional <cf:attribute name="..." value="..."/> or present="true|false" conditions.
    void readEventDeclaration(xmlNode* element) {
        checkAttributes(element, {"name", "submits-dossier", "approves-request"});
        EventDeclaration declaration;
        declaration.event = required(element, "name");
        declaration.line = xml::line(element);
        declaration.submitsDossier = flag(element, "submits-dossier");
        declaration.approvesRequest = flag(element, "approves-request");
        if (!declaration.event.empty() && !isValidEventName(declaration.event))
            fail(element, "'" + declaration.event + "' is not a valid event name (dot-separated words, no wildcard)");
        for (const EventDeclaration& earlier : model_->declarations)
            if (!declaration.event.empty() && earlier.event == declaration.event)
                fail(element,
                     "event '" + declaration.event + "' is already declared at line " + std::to_string(earlier.line));
        for (xmlNode* child : elementChildren(element)) {
            if (!isWorkflow(child, "takes")) {
                isScxml(child, "state") || isScxml(child, "transition") ? misplaced(child, element)
                                                                        : unsupported(child);
                continue;
            }
            if (auto scope = readTakes(child, declaration)) declaration.takes.push_back(std::move(*scope));
        }
        if (declaration.takes.empty())
            fail(element, "<cf:event> must contain at least one <cf:takes>; an event that takes no data needs no "
                          "declaration");
        model_->declarations.push_back(std::move(declaration));
    }

    // An optional xs:boolean attribute (model/XsBoolean.h), false when absent.
    bool flag(const xmlNode* element, const char* attributeName) {
        const auto value = xml::attribute(element, attributeName);
        if (!value) return false;
        const auto parsed = parseXsBoolean(*value);
        if (!parsed)
            fail(element, std::string(attributeName) + " must be true or false (or 1 or 0), not '" + *value + "'");
        return parsed.value_or(false);
    }

    // <cf:phase id="..." states="..."/>: the states are resolved once all are read.
    void readPhase(xmlNode* element) {
        checkAttributes(element, {"id", "states"});
        noChildren(element);
        PhaseDeclaration phase;
        phase.id = required(element, "id");
        phase.line = xml::line(element);
        if (!phase.id.empty() && splitSpaces(phase.id).size() != 1)
            fail(element, "phase id '" + phase.id + "' contains white space");
        for (const PhaseDeclaration& earlier : model_->phases)
            if (!phase.id.empty() && earlier.id == phase.id)
                fail(element, "phase '" + phase.id + "' is already declared at line " + std::to_string(earlier.line));
        phase.states = splitSpaces(required(element, "states"));
        model_->phases.push_back(std::move(phase));
    }

    // Each listed state exists and is listed once; once a chart declares phases, every atomic
    // state belongs to one (itself or an ancestor listed), so a report never meets a state it
    // cannot place.
    void resolvePhases() {
        std::vector<int> listed(model_->nodes.size(), -1);
        for (size_t p = 0; p < model_->phases.size(); ++p) {
            const PhaseDeclaration& phase = model_->phases[p];
            for (const std::string& id : phase.states) {
                const int node = resolveState(id, phase.line, "state", " of phase '" + phase.id + "'");
                if (node < 0) continue;
                if (listed[node] >= 0)
                    failAt(phase.line, "state '" + id + "' is already in phase '" + model_->phases[listed[node]].id +
                                           "' (line " + std::to_string(model_->phases[listed[node]].line) + ")");
                else
                    listed[node] = static_cast<int>(p);
            }
        }
        model_->phaseOfNode.assign(model_->nodes.size(), -1);
        for (size_t i = 1; i < model_->nodes.size(); ++i) {
            int phase = listed[i];
            for (int ancestor = model_->nodes[i].parent; phase < 0 && ancestor > ChartModel::kRoot;
                 ancestor = model_->nodes[ancestor].parent)
                phase = listed[ancestor];
            model_->phaseOfNode[i] = phase;
            if (phase < 0 && !model_->phases.empty() && model_->nodes[i].children.empty())
                failAt(model_->nodes[i].line, "state '" + model_->nodes[i].id +
                                                  "' belongs to no <cf:phase>: once a chart declares phases, "
                                                  "every atomic state must be in one");
        }
    }

    std::optional<DataScope> readTakes(xmlNode* element, const EventDeclaration& declaration) {
        checkAttributes(element, {"element", "change"});
        DataScope scope;
        scope.element = required(element, "element");
        scope.line = xml::line(element);
        const std::string change = required(element, "change");
        const PartKind kind = eventPartKind(scope.element);
        bool valid = !scope.element.empty() && !change.empty();
        if (!scope.element.empty() && kind == PartKind::None) {
            std::string known;
            for (const auto& part : situationPartOrder())
                if (eventPartKind(part) != PartKind::None) known += (known.empty() ? "" : ", ") + part;
            fail(element,
                 "element '" + scope.element + "' is not a part of the situation an event can carry (" + known + ")");
            valid = false;
        }
        if (change == "add")
            scope.change = DataChange::Add;
        else if (change == "replace")
            scope.change = DataChange::Replace;
        else if (change == "add-or-replace")
            scope.change = DataChange::AddOrReplace;
        else if (change == "add-or-replace-latest")
            scope.change = DataChange::AddOrReplaceLatest;
        else if (change == "set")
            scope.change = DataChange::Set;
        else if (!change.empty()) {
            fail(element,
                 "change must be add, replace, add-or-replace, add-or-replace-latest or set, not '" + change + "'");
            valid = false;
        }
        if (valid && kind == PartKind::Single && scope.change != DataChange::Set)
            fail(element, "<" + scope.element + "> is a single part of the situation: its change is 'set'");
        if (valid && kind == PartKind::ListMember && scope.change == DataChange::Set)
            fail(element,
                 "<" + scope.element +
                     "> is a member of a list: its change is add, replace, add-or-replace or add-or-replace-latest, "
                     "not 'set'");
        for (const DataScope& earlier : declaration.takes)
            if (earlier.element == scope.element)
                fail(element, "event '" + declaration.event + "' already takes <" + scope.element + "> at line " +
                                  std::to_string(earlier.line));
        for (xmlNode* child : elementChildren(element)) {
            if (!isWorkflow(child, "attribute")) {
                unsupported(child);
                continue;
            }
            checkAttributes(child, {"name", "value", "present"});
            noChildren(child);
            AttributeCondition condition;
            condition.name = required(child, "name");
            const auto value = xml::attribute(child, "value");
            const auto present = xml::attribute(child, "present");
            if (value.has_value() == present.has_value())
                fail(child, "<cf:attribute> needs exactly one of 'value' and 'present'");
            else if (value)
                condition.value = *value;
            else if (*present == "true" || *present == "false")
                condition.present = *present == "true";
            else
                fail(child, "present must be 'true' or 'false', not '" + *present + "'");
            scope.attributes.push_back(std::move(condition));
        }
        return scope;
    }

    // Every declared event must be one a transition of the chart takes: a declaration for an
    // event nobody fires is a typo that would leave the real event taking no data.
    void checkDeclaredEvents() {
        for (const EventDeclaration& declaration : model_->declarations) {
            if (declaration.event.empty()) continue;
            const bool handled =
                std::any_of(model_->transitions.begin(), model_->transitions.end(), [&](const auto& t) {
                    return std::any_of(t.events.begin(), t.events.end(), [&](const std::string& descriptor) {
                        return descriptor != "*" && descriptorMatches(descriptor, declaration.event);
                    });
                });
            if (!handled)
                failAt(declaration.line,
                       "event '" + declaration.event + "' is declared but no transition of the chart takes it");
            const auto takes = [&](const char* part) {
                return std::any_of(declaration.takes.begin(), declaration.takes.end(),
                                   [&](const DataScope& scope) { return scope.element == part; });
            };
            if (declaration.submitsDossier && !takes("fundingRequest"))
                failAt(declaration.line,
                       "event '" + declaration.event + "' submits a dossier, so it must take a <fundingRequest>");
            if (declaration.approvesRequest && !takes("budgetDecision"))
                failAt(declaration.line,
                       "event '" + declaration.event + "' approves a request, so it must take a <budgetDecision>");
        }
        const EventDeclaration* approving = nullptr;
        for (const EventDeclaration& declaration : model_->declarations) {
            if (!declaration.approvesRequest) continue;
            if (approving)
                failAt(declaration.line, "event '" + declaration.event + "' approves a request, but so does '" +
                                             approving->event + "' (line " + std::to_string(approving->line) +
                                             "): the finance checks dry-run one approval");
            else
                approving = &declaration;
        }
    }

    void readInitialElement(xmlNode* element, int node) {
        checkAttributes(element, {});
        if (initials_[node].hasElement) fail(element, "a state may contain only one <initial>");
        const auto children = elementChildren(element);
        const xmlNode* transition = nullptr;
        for (xmlNode* child : children) {
            if (!isScxml(child, "transition")) {
                isScxml(child, "onentry") || isScxml(child, "onexit") || isScxml(child, "state")
                    ? misplaced(child, element)
                    : unsupported(child);
            } else if (transition) {
                fail(child, "<initial> must contain exactly one <transition>");
            } else {
                transition = child;
                checkAttributes(child, {"target"});
                initials_[node].elementTarget = required(child, "target");
                for (xmlNode* content : elementChildren(child)) {
                    if (auto action = readAction(content, child))
                        model_->nodes[node].initialActions.push_back(std::move(*action));
                }
            }
        }
        if (!transition) fail(element, "<initial> must contain exactly one <transition>");
        initials_[node].hasElement = true;
        initials_[node].line = xml::line(element);
    }

    void readTransition(xmlNode* element, int source) {
        checkAttributes(element, {"event", "cond", "target", "type"});
        TransitionNode transition;
        transition.source = source;
        transition.line = xml::line(element);
        if (const auto event = xml::attribute(element, "event")) {
            transition.writtenEvents = splitSpaces(*event);
            if (transition.writtenEvents.empty())
                fail(element, "the event attribute is empty: leave it out for an eventless transition");
            for (const auto& descriptor : transition.writtenEvents) {
                if (!isValidEventDescriptor(descriptor))
                    fail(element, "'" + descriptor + "' is not a valid event descriptor");
                transition.events.push_back(normalizeDescriptor(descriptor));
            }
        }
        if (const auto cond = xml::attribute(element, "cond")) transition.condition = compile(element, *cond, "cond");
        if (const auto type = xml::attribute(element, "type")) {
            if (*type == "internal")
                transition.internal = true;
            else if (*type != "external")
                fail(element, "type must be 'internal' or 'external', not '" + *type + "'");
        }
        for (xmlNode* child : elementChildren(element)) {
            if (isWorkflow(child, "rule")) {
                readRule(child, transition);
            } else if (isWorkflow(child, "rules")) {
                includeRuleSet(child, transition);
            } else if (auto action = readAction(child, element)) {
                transition.actions.push_back(std::move(*action));
            }
        }
        // A finance check shows one rule id: the rules feeding it must share it.
        for (size_t i = 0; i < transition.rules.size(); ++i)
            for (size_t j = 0; j < i; ++j) {
                const RuleGuard& earlier = transition.rules[j].guard;
                const RuleGuard& rule = transition.rules[i].guard;
                if (!rule.check.empty() && rule.check == earlier.check && rule.ruleId != earlier.ruleId) {
                    failAt(rule.line, "check '" + rule.check + "' is fed by rule " + earlier.ruleId + " at line " +
                                          std::to_string(earlier.line) + ", not " + rule.ruleId +
                                          ": a check has one rule id");
                    break;
                }
            }
        const int index = static_cast<int>(model_->transitions.size());
        model_->transitions.push_back(std::move(transition));
        transitionTargets_.push_back(xml::attribute(element, "target").value_or(""));
        model_->nodes[source].transitions.push_back(index);
    }

    void readRule(xmlNode* element, TransitionNode& transition) {
        checkAttributes(element, {"id", "cond", "message", "check", "unmet"});
        noChildren(element);
        CompiledRule rule;
        rule.guard.ruleId = required(element, "id");
        rule.guard.message = required(element, "message");
        rule.guard.line = xml::line(element);
        if (const auto check = xml::attribute(element, "check")) {
            rule.guard.check = *check;
            if (isBlank(*check) || splitSpaces(*check).size() != 1)
                fail(element, "check '" + *check + "' must be one name without white space");
        }
        if (const auto unmet = xml::attribute(element, "unmet")) {
            if (*unmet == "attention")
                rule.guard.attention = true;
            else if (*unmet != "fail")
                fail(element, "unmet must be 'fail' or 'attention', not '" + *unmet + "'");
            if (rule.guard.check.empty()) fail(element, "unmet only applies to a rule that feeds a check");
        }
        rule.order = ruleCount_++;
        const auto cond = xml::attribute(element, "cond");
        if (!cond) {
            required(element, "cond");
            return;
        }
        rule.guard.expression = *cond;
        auto compiled = compile(element, *cond, "cond");
        if (!compiled) return;
        rule.condition = std::move(*compiled);
        transition.rules.push_back(std::move(rule));
    }

    std::vector<Action> readExecutableContent(xmlNode* block) {
        std::vector<Action> actions;
        for (xmlNode* child : elementChildren(block)) {
            if (auto action = readAction(child, block)) actions.push_back(std::move(*action));
        }
        return actions;
    }

    std::string requiredEventName(const xmlNode* element) {
        const std::string event = required(element, "event");
        if (!event.empty() && !isValidEventName(event))
            fail(element, "'" + event + "' is not a valid event name (dot-separated words, no wildcard)");
        return event;
    }

    // One element of executable content; refuses (and returns nullopt for) anything else.
    std::optional<Action> readAction(xmlNode* element, const xmlNode* parent) {
        Action action;
        action.line = xml::line(element);
        if (isScxml(element, "raise")) {
            checkAttributes(element, {"event"});
            action.kind = Action::Kind::Raise;
            action.event = requiredEventName(element);
        } else if (isScxml(element, "log")) {
            checkAttributes(element, {"label", "expr"});
            action.kind = Action::Kind::Log;
            action.label = xml::attribute(element, "label").value_or("");
            if (const auto expr = xml::attribute(element, "expr")) action.expression = compile(element, *expr, "expr");
        } else if (isScxml(element, "send")) {
            checkAttributes(element, {"event", "id", "delay"}, {"at"});
            action.kind = Action::Kind::Send;
            action.event = requiredEventName(element);
            action.sendId = required(element, "id");
            const auto delay = xml::attribute(element, "delay");
            const auto at = workflowAttribute(element, "at");
            if (delay.has_value() == at.has_value()) {
                fail(element, "<send> needs exactly one of 'delay' (an ISO 8601 duration) and 'cf:at' (an XPath date)");
            } else if (delay) {
                if (!IsoDuration::parse(*delay))
                    fail(element, "delay '" + *delay + "' is not an ISO 8601 duration such as P6M, P14D or PT48H");
                action.delay = *delay;
            } else {
                action.expression = compile(element, *at, "cf:at");
            }
        } else if (isScxml(element, "cancel")) {
            checkAttributes(element, {"sendid"});
            action.kind = Action::Kind::Cancel;
            action.sendId = required(element, "sendid");
        } else {
            const bool structural = isScxml(element, "state") || isScxml(element, "final") ||
                                    isScxml(element, "transition") || isScxml(element, "onentry") ||
                                    isScxml(element, "onexit") || isScxml(element, "initial") ||
                                    isWorkflow(element, "rule") || isWorkflow(element, "rules");
            structural ? misplaced(element, parent) : unsupported(element);
            return std::nullopt;
        }
        noChildren(element);
        return action;
    }

    // `what` names the reference in messages ("target", "initial"), `of` says whose it is.
    int resolveState(const std::string& id, int line, const std::string& what, const std::string& of) {
        const auto found = model_->index.find(id);
        if (found == model_->index.end()) {
            failAt(line, what + " '" + id + "'" + of + " is not a state of this chart");
            return -1;
        }
        return found->second;
    }

    // A single target state: without <parallel>, two targets could never be active together.
    int resolveSingle(const std::string& text, int line, const std::string& what, const std::string& of) {
        const auto ids = splitSpaces(text);
        if (ids.size() != 1) {
            failAt(line,
                   what + of + " must name exactly one state (parallel states are not supported), not '" + text + "'");
            return -1;
        }
        return resolveState(ids.front(), line, what, of);
    }

    void resolveReferences() {
        for (size_t i = 0; i < model_->transitions.size(); ++i) {
            auto& transition = model_->transitions[i];
            if (isBlank(transitionTargets_[i])) continue;
            const int target = resolveSingle(transitionTargets_[i], transition.line, "target", "");
            if (target >= 0) transition.targets.push_back(target);
        }
        for (size_t i = 0; i < model_->nodes.size(); ++i) {
            const int node = static_cast<int>(i);
            auto& state = model_->nodes[i];
            const auto& pending = initials_[i];
            const std::string of = node == ChartModel::kRoot ? " of the chart" : " of state '" + state.id + "'";
            if (pending.hasAttribute && pending.hasElement) {
                failAt(pending.line, "state '" + state.id + "' has both an initial attribute and an <initial> element");
                continue;
            }
            if (state.children.empty()) {
                if (pending.hasAttribute || pending.hasElement)
                    failAt(pending.line, "state '" + state.id + "' has an initial but no child states");
                continue;
            }
            int target = state.children.front(); // W3C: the first child in document order
            if (pending.hasAttribute || pending.hasElement) {
                target = resolveSingle(pending.hasAttribute ? pending.attribute : pending.elementTarget, pending.line,
                                       "initial", of);
                if (target < 0) continue;
                if (!model_->isDescendant(target, node)) {
                    failAt(pending.line,
                           "initial '" + model_->nodes[target].id + "'" + of + " is not a descendant of it");
                    continue;
                }
            }
            state.initialTargets = {target};
        }
    }
};

std::shared_ptr<const StateChart> build(const xmlDoc* document, const std::string& sourceName) {
    Loader loader(sourceName);
    return std::make_shared<const StateChart>(StateChart::Key{}, loader.load(document));
}

} // namespace

std::shared_ptr<const StateChart> StateChart::load(const std::filesystem::path& file) {
    const xml::Document document = xml::parseFile(file);
    return build(document.get(), file.string());
}

std::shared_ptr<const StateChart> StateChart::loadString(std::string_view text, const std::string& name) {
    const xml::Document document = xml::parseString(text, name);
    return build(document.get(), name);
}

} // namespace caseflow::workflow
