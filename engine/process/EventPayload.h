// The stored form of an event: its data (one part of the situation document, or the whole
// document for a registration) and the workflow's outcome (the state configuration after
// the event, deadlines set and cancelled). Keeping the outcome in the log is what lets a
// rebuild reproduce the projection exactly, whatever the clock or other situations say
// at rebuild time.
//
//   <event type="plan.agreed">
//     <data><carePlan .../></data>
//     <outcome configuration="process plan-agreed" active="plan-agreed" finished="false" today="2026-03-02">
//       <deadline id="follow-up" event="followup.due" due="2026-09-01"/>
//       <cancel id="budget-check"/>
//     </outcome>
//   </event>
#pragma once

#include "workflow/StateSet.h"
#include "xml/Xml.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace caseflow {

struct Deadline {
    std::string sendId;
    std::string event;
    std::string due; // ISO date
};

struct WorkflowOutcome {
    std::set<std::string> configuration; // every active state
    workflow::StateSet activeStates;     // atomic states, document order: what users call "the state"
    bool finished = false;
    std::vector<Deadline> deadlines;
    std::vector<std::string> cancelled;
    std::optional<std::string> firedDeadline; // the send id this event fired, if any
    // The business date the guards saw as $today (ISO): when the event counts as having
    // happened, which the recording time is not when a day's work is entered later. Empty in
    // events stored before it was recorded.
    std::string today;
};

struct EventPayload {
    std::string type;
    xml::Document data; // null when the event carries none
    WorkflowOutcome outcome;

    std::string toXml() const;
    static EventPayload parse(const std::string& text);
    xmlNode* dataElement() const; // the part carried, or nullptr
};

} // namespace caseflow
