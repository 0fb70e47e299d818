// Serialising event payloads. What must stay true: parse(toXml(p)) gives back p exactly,
// because rebuilds depend on it.
#include "process/EventPayload.h"

#include "core/Text.h"

#include "core/Errors.h"
#include "xml/Xml.h"

#include <sstream>

namespace caseflow {

std::string EventPayload::toXml() const {
    std::ostringstream out;
    out << "<event type=\"" << xml::escaped(type) << "\">";
    if (xmlNode* element = dataElement()) out << "<data>" << xml::serializeNode(element) << "</data>";
    std::string all;
    for (const auto& state : outcome.configuration) all += (all.empty() ? "" : " ") + state;
    out << "<outcome configuration=\"" << xml::escaped(all) << "\" active=\""
        << xml::escaped(outcome.activeStates.text()) << "\" finished=\"" << (outcome.finished ? "true" : "false")
        << "\"";
    if (outcome.firedDeadline) out << " fired=\"" << xml::escaped(*outcome.firedDeadline) << "\"";
    if (!outcome.today.empty()) out << " today=\"" << xml::escaped(outcome.today) << "\"";
    out << ">";
    for (const auto& cancelled : outcome.cancelled) out << "<cancel id=\"" << xml::escaped(cancelled) << "\"/>";
    for (const auto& deadline : outcome.deadlines) {
        out << "<deadline id=\"" << xml::escaped(deadline.sendId) << "\" event=\"" << xml::escaped(deadline.event)
            << "\" due=\"" << xml::escaped(deadline.due) << "\"/>";
    }
    out << "</outcome></event>";
    return out.str();
}

xmlNode* EventPayload::dataElement() const {
    if (!data) return nullptr;
    return xml::root(data.get());
}

EventPayload EventPayload::parse(const std::string& text) {
    auto doc = xml::parseString(text, "event payload");
    xmlNode* event = xml::root(doc.get());
    if (xml::name(event) != "event") throw Error("stored event payload has no <event> root");
    EventPayload payload;
    payload.type = xml::attribute(event, "type").value_or("");
    if (xmlNode* data = xml::firstChild(event, "data")) {
        for (xmlNode* child = data->children; child; child = child->next) {
            if (child->type != XML_ELEMENT_NODE) continue;
            payload.data.reset(xmlNewDoc(xml::x("1.0")));
            xmlDocSetRootElement(payload.data.get(), xmlDocCopyNode(child, payload.data.get(), 1));
            break;
        }
    }
    if (xmlNode* outcome = xml::firstChild(event, "outcome")) {
        for (const auto& state : text::words(xml::attribute(outcome, "configuration").value_or("")))
            payload.outcome.configuration.insert(state);
        payload.outcome.activeStates = workflow::StateSet::parse(xml::attribute(outcome, "active").value_or(""));
        payload.outcome.finished = xml::attribute(outcome, "finished").value_or("") == "true";
        payload.outcome.firedDeadline = xml::attribute(outcome, "fired");
        payload.outcome.today = xml::attribute(outcome, "today").value_or("");
        for (xmlNode* cancel : xml::children(outcome, "cancel"))
            payload.outcome.cancelled.push_back(xml::attribute(cancel, "id").value_or(""));
        for (xmlNode* deadline : xml::children(outcome, "deadline")) {
            payload.outcome.deadlines.push_back({xml::attribute(deadline, "id").value_or(""),
                                                 xml::attribute(deadline, "event").value_or(""),
                                                 xml::attribute(deadline, "due").value_or("")});
        }
    }
    return payload;
}

} // namespace caseflow
