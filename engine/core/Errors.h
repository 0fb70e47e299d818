// The error vocabulary shared by every module. Each kind maps to one CLI exit code and,
// later, one HTTP status, so a front end never has to guess what went wrong.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace caseflow {

// Anything that went wrong and is not one of the specific kinds below (exit code 1).
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The caller asked for something malformed: bad arguments, invalid document (exit code 2).
class UsageError : public Error {
public:
    using Error::Error;
};

// Input that does not satisfy a schema or parser; carries where it went wrong.
class InvalidInput : public UsageError {
public:
    InvalidInput(std::string what, std::vector<std::string> details = {})
        : UsageError(std::move(what)), details_(std::move(details)) {}
    const std::vector<std::string>& details() const { return details_; }

private:
    std::vector<std::string> details_;
};

// Data an event does not take (its workflow's <cf:event> declaration, docs/events.md), or a
// registration carrying a part that only a later event may add. Refused before any guard
// runs (exit code 2, HTTP 422 data-out-of-scope).
class DataOutOfScope : public UsageError {
public:
    enum class Reason { TakesNoData, OtherElement, AttributeCondition, WouldReplace, NothingToReplace, LaterPhase };
    DataOutOfScope(std::string what, Reason reason, std::string event, std::string element, std::string expected)
        : UsageError(std::move(what)), reason_(reason), event_(std::move(event)), element_(std::move(element)),
          expected_(std::move(expected)) {}
    Reason reason() const { return reason_; }
    const std::string& event() const { return event_; }
    const std::string& element() const { return element_; }
    // What the event takes, or (for AttributeCondition) the condition, or (for the replacements) the id.
    const std::string& expected() const { return expected_; }

private:
    Reason reason_;
    std::string event_;
    std::string element_;
    std::string expected_;
};

// A registration whose youth reference is already registered: names the existing situation.
class AlreadyRegistered : public UsageError {
public:
    AlreadyRegistered(std::string what, std::string reference, std::int64_t situationId)
        : UsageError(std::move(what)), reference_(std::move(reference)), situationId_(situationId) {}
    const std::string& reference() const { return reference_; }
    std::int64_t situationId() const { return situationId_; }

private:
    std::string reference_;
    std::int64_t situationId_;
};

// An event the situation's current state does not take: unknown to the workflow, raised by
// the workflow itself, or taken only in other states. The process decides it, once, and
// names the state and the events the state does take, so that no front end has to ask again
// (exit code 2, HTTP 409 event-not-allowed).
class EventNotAllowed : public UsageError {
public:
    EventNotAllowed(std::string what, std::string event, std::string state, std::vector<std::string> allowedEvents,
                    bool unknownEvent = false)
        : UsageError(std::move(what)), event_(std::move(event)), state_(std::move(state)),
          allowedEvents_(std::move(allowedEvents)), unknownEvent_(unknownEvent) {}
    // The workflow has no such event at all (a typing mistake, most often).
    bool unknownEvent() const { return unknownEvent_; }
    const std::string& event() const { return event_; }
    const std::string& state() const { return state_; } // the active states, space-separated
    const std::vector<std::string>& allowedEvents() const { return allowedEvents_; }

private:
    std::string event_;
    std::string state_;
    std::vector<std::string> allowedEvents_;
    bool unknownEvent_ = false;
};

// Something that was named does not exist: a situation, an event, a file (exit code 4).
class NotFound : public Error {
public:
    using Error::Error;
};

// A concurrent writer got there first; retrying with fresh data is the right answer.
class Conflict : public Error {
public:
    using Error::Error;
};

// One business rule that refused an action, identified by its stable id (R1...R19).
struct RuleViolation {
    std::string ruleId;
    std::string message; // already translated into the caller's language
};

// An action refused by the network's rules (exit code 3); lists every failed rule.
class RuleRefusal : public Error {
public:
    RuleRefusal(std::string what, std::vector<RuleViolation> violations)
        : Error(std::move(what)), violations_(std::move(violations)) {}
    const std::vector<RuleViolation>& violations() const { return violations_; }

private:
    std::vector<RuleViolation> violations_;
};

} // namespace caseflow
