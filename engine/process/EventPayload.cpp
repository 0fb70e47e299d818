// Serialising event payloads. What must stay true: parse(toXml(p)) gives back p exactly,
// because rebuilds depend on it.
#include "process/EventPayload.h"

#include "model/Errors.h"

#include <sstream>

namespace caseflow {
namespace {

std::string escapeAttribute(const std::string& value) {
    std::string escaped;
    for (char ch : value) {
        switch (ch) {
        case '&': escaped += "&amp;"; break;
        case '<': escaped += "&lt;"; break;
        case '>': escaped += "&gt;"; break;
        case '"': escaped += "&quot;"; break;
        default: escaped += ch;
        }
    }
    return escaped;
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> words;
    std::istringstream in(text);
    for (std::string word; in >> word;) words.push_back(word);
    return words;
}

} // namespace

std::string joinStates(const std::vector<std::string>& states) {
    std::string joined;
    for (const auto& state : states) joined += (joined.empty() ? "" : " ") + state;
    return joined;
}

std::string EventPayload::toXml() const {
    std::ostringstream out;
    out << "<event type=\"" << escapeAttribute(type) << "\">";
    if (xmlNode* element = dataElement()) out << "<data>" << xml::serializeNode(element) << "</data>";
    std::string all;
    for (const auto& state : outcome.configuration) all += (all.empty() ? "" : " ") + state;
    out << "<outcome configuration=\"" << escapeAttribute(all) << "\" active=\""
        << escapeAttribute(joinStates(outcome.activeStates)) << "\" finished=\"" << (outcome.finished ? "true" : "false")
        << "\"";
    if (outcome.firedDeadline) out << " fired=\"" << escapeAttribute(*outcome.firedDeadline) << "\"";
    out << ">";
    for (const auto& cancelled : outcome.cancelled) out << "<cancel id=\"" << escapeAttribute(cancelled) << "\"/>";
    for (const auto& deadline : outcome.deadlines) {
        out << "<deadline id=\"" << escapeAttribute(deadline.sendId) << "\" event=\"" << escapeAttribute(deadline.event)
            << "\" due=\"" << escapeAttribute(deadline.due) << "\"/>";
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
        for (const auto& state : split(xml::attribute(outcome, "configuration").value_or("")))
            payload.outcome.configuration.insert(state);
        payload.outcome.activeStates = split(xml::attribute(outcome, "active").value_or(""));
        payload.outcome.finished = xml::attribute(outcome, "finished").value_or("") == "true";
        payload.outcome.firedDeadline = xml::attribute(outcome, "fired");
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
