// Event names and the descriptors that transitions match them with, as W3C SCXML 3.12.1
// defines: a descriptor matches an event whose dot-separated tokens start with the
// descriptor's tokens ("budget" matches "budget" and "budget.approved", not "budgets"), "*"
// matches every event, and a trailing ".*" is the same as nothing ("budget.*" = "budget").
// What must stay true: matching is purely token-wise, never a raw string prefix.
#pragma once

#include <string>
#include <string_view>

namespace caseflow::workflow {

// Dot-separated tokens of letters, digits, '-', '_' or ':', none empty ("budget.approved").
bool isValidEventName(std::string_view name);

// An event name, "*", or an event name followed by ".*".
bool isValidEventDescriptor(std::string_view descriptor);

// "budget.*" -> "budget"; "*" and plain names are returned unchanged.
std::string normalizeDescriptor(std::string_view descriptor);

// `descriptor` must be normalized.
bool descriptorMatches(std::string_view descriptor, std::string_view eventName);

// Events the interpreter raises itself (done.state.<id>): refused from outside.
bool isPlatformEvent(std::string_view name);

} // namespace caseflow::workflow
