// Event-scoped data (see EventScope.h). What must stay true: the check depends only on the
// chart's declarations, the event's name and data, and the situation before the event, so
// the same function judges a live event and a stored one.
#include "process/EventScope.h"

#include "model/Situation.h"
#include "model/XsBoolean.h"
#include "process/EventPayload.h"
#include "workflow/EventDescriptor.h"

#include <algorithm>
#include <map>

namespace caseflow {
namespace {

using workflow::DataChange;
using workflow::DataScope;
using Reason = DataOutOfScope::Reason;

const char* const kRegistrationParts[] = {"youth", "emergency", "consents", "partners", "request"};

std::string describeScope(const DataScope& scope) {
    std::string text = "<" + scope.element;
    for (const auto& condition : scope.attributes) {
        if (!condition.value.empty())
            text += " " + condition.name + "=\"" + condition.value + "\"";
        else
            text += std::string(" ") + (condition.present ? "with " : "without ") + condition.name;
    }
    return text + "> (" + workflow::toString(scope.change) + ")";
}

std::string describeElement(const xmlNode* data) {
    std::string text = "<" + xml::name(data);
    for (const char* attribute : {"id", "kind", "outcome", "needed", "renewalOf"})
        if (const auto value = xml::attribute(data, attribute))
            text += " " + std::string(attribute) + "=\"" + *value + "\"";
    return text + ">";
}

// The condition of `scope` that `data` does not meet, described, or "".
std::string unmetCondition(const DataScope& scope, const xmlNode* data) {
    for (const auto& condition : scope.attributes) {
        const auto value = xml::attribute(data, condition.name.c_str());
        if (!condition.value.empty()) {
            // A flag meets its declared value in any of its xs:boolean spellings ("1" is "true").
            const auto flag = parseXsBoolean(condition.value);
            const bool meets = value == condition.value || (flag && value && parseXsBoolean(*value) == flag);
            if (!meets) return condition.name + "=\"" + condition.value + "\"";
        } else if (value.has_value() != condition.present) {
            return std::string(condition.present ? "a " : "no ") + condition.name + " attribute";
        }
    }
    return "";
}

// Where the member of `element` with `id` stands in its list before the event: absent, the
// latest member, or an older one.
enum class Standing { Absent, Latest, Older };

Standing standingOf(const xmlDoc* before, const std::string& element, const std::string& id) {
    const xmlNode* situation = before ? xml::root(before) : nullptr;
    for (const xmlNode* list = situation ? situation->children : nullptr; list; list = list->next) {
        if (list->type != XML_ELEMENT_NODE) continue;
        const auto members = xml::children(const_cast<xmlNode*>(list), element.c_str());
        for (std::size_t n = 0; n < members.size(); ++n)
            if (xml::attribute(members[n], "id") == id)
                return n + 1 == members.size() ? Standing::Latest : Standing::Older;
    }
    return Standing::Absent;
}

} // namespace

std::string describeTakes(const workflow::EventDeclaration* declaration) {
    if (!declaration) return "no data";
    std::string text;
    for (const auto& scope : declaration->takes) text += (text.empty() ? "" : " or ") + describeScope(scope);
    return text;
}

namespace {

// `anyEvent`: also judge events no transition of the chart takes (stored ones); live ones are
// left to the interpreter, whose "unknown event" says more.
void checkScope(const workflow::StateChart& chart, const std::string& event, const xmlNode* data, const xmlDoc* before,
                bool anyEvent) {
    const auto* declaration = chart.declarationOf(event);
    if (!data) return; // an event that takes data may still be fired without (the guards decide)
    const std::string element = xml::name(data);
    const std::string received = describeElement(data);
    if (!declaration) {
        const auto known = chart.eventNames();
        const bool chartTakesIt = std::any_of(known.begin(), known.end(), [&](const std::string& descriptor) {
            return workflow::descriptorMatches(descriptor, event);
        });
        if (!chartTakesIt && !anyEvent) return;
        throw DataOutOfScope("event '" + event + "' takes no data, but received " + received, Reason::TakesNoData,
                             event, element, "no data");
    }
    const DataScope* scope = nullptr;
    for (const auto& candidate : declaration->takes)
        if (candidate.element == element) scope = &candidate;
    if (!scope)
        throw DataOutOfScope("event '" + event + "' does not take " + received + "; it takes " +
                                 describeTakes(declaration),
                             Reason::OtherElement, event, element, describeTakes(declaration));
    if (const std::string unmet = unmetCondition(*scope, data); !unmet.empty())
        throw DataOutOfScope("event '" + event + "' takes <" + element + "> only with " + unmet + ", not " + received,
                             Reason::AttributeCondition, event, element, unmet);
    const auto id = xml::attribute(data, "id");
    const Standing standing = id ? standingOf(before, element, *id) : Standing::Absent;
    const bool replaces = standing != Standing::Absent;
    if (scope->change == DataChange::AddOrReplaceLatest && standing == Standing::Older)
        throw DataOutOfScope("event '" + event + "' adds a new <" + element +
                                 "> or replaces the latest one: the one with id '" + *id +
                                 "' is an older one and cannot be replaced by it",
                             Reason::WouldReplace, event, element, *id);
    if (scope->change == DataChange::Add && replaces)
        throw DataOutOfScope("event '" + event + "' only adds a new <" + element + ">: the one with id '" + *id +
                                 "' is already recorded and cannot be replaced by it",
                             Reason::WouldReplace, event, element, *id);
    if (scope->change == DataChange::Replace && !replaces)
        throw DataOutOfScope("event '" + event + "' replaces a recorded <" + element +
                                 ">, and there is none with id '" + id.value_or("") + "'",
                             Reason::NothingToReplace, event, element, id.value_or(""));
}

} // namespace

void checkEventScope(const workflow::StateChart& chart, const std::string& event, const xmlNode* data,
                     const xmlDoc* before) {
    checkScope(chart, event, data, before, false);
}

void checkRegistrationScope(const xmlDoc* situation) {
    std::string allowed;
    for (const char* part : kRegistrationParts) allowed += std::string(allowed.empty() ? "" : ", ") + "<" + part + ">";
    for (xmlNode* child : xml::children(xml::root(situation))) {
        const std::string name = xml::name(child);
        if (std::find(std::begin(kRegistrationParts), std::end(kRegistrationParts), name) !=
            std::end(kRegistrationParts))
            continue;
        throw DataOutOfScope(std::to_string(xml::line(child)) + ": a registration takes " + allowed + " only, not <" +
                                 name + ">: it is recorded later, by its own event",
                             Reason::LaterPhase, kRegistrationEvent, name, allowed);
    }
}

std::optional<std::string> storedEventScopeProblem(const workflow::StateChart& chart, const store::StoredEvent& event,
                                                   const xmlDoc* before) {
    try {
        const EventPayload payload = EventPayload::parse(event.payload);
        if (event.sequence == 1) {
            if (!payload.dataElement()) return "a registration without a situation document";
            checkRegistrationScope(payload.data.get());
        } else {
            checkScope(chart, event.type, payload.dataElement(), before, true);
        }
    } catch (const DataOutOfScope& outOfScope) {
        return outOfScope.what();
    }
    return std::nullopt;
}

std::vector<std::string> storedScopeProblems(const workflow::StateChart& chart, const store::EventStore& events) {
    std::vector<std::string> problems;
    std::map<std::int64_t, std::optional<Situation>> situations; // as each one's events projected it so far
    events.forEachEvent([&](const store::StoredEvent& event) {
        // The network's own stream holds settings, not situation data: no workflow event scopes it.
        if (event.situationId == store::networkStream) return;
        auto& situation = situations[event.situationId];
        const auto problem =
            storedEventScopeProblem(chart, event, situation ? situation->document() : static_cast<xmlDoc*>(nullptr));
        if (problem)
            problems.push_back("event " + std::to_string(event.position) + " (situation " +
                               std::to_string(event.situationId) + ", " + event.type + "): " + *problem);
        const EventPayload payload = EventPayload::parse(event.payload);
        xmlNode* data = payload.dataElement();
        try {
            if (event.sequence == 1 && data)
                situation = Situation::fromStored(xml::serializeNode(data));
            else if (situation && data)
                situation->apply(data);
        } catch (const Error& error) {
            problems.push_back("event " + std::to_string(event.position) + " (situation " +
                               std::to_string(event.situationId) + ", " + event.type + "): " + error.what());
        }
    });
    return problems;
}

} // namespace caseflow
