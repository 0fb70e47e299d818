// Event name syntax and W3C descriptor matching. What must stay true: "a" never matches "ab"
// (tokens, not characters) and a descriptor matches exactly what the W3C algorithm says.
#include "workflow/EventDescriptor.h"

namespace caseflow::workflow {
namespace {

bool isNameCharacter(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
           ch == ':';
}

} // namespace

bool isValidEventName(std::string_view name) {
    if (name.empty() || name.front() == '.' || name.back() == '.') return false;
    char previous = '\0';
    for (const char ch : name) {
        if (ch == '.' && previous == '.') return false;
        if (ch != '.' && !isNameCharacter(ch)) return false;
        previous = ch;
    }
    return true;
}

bool isValidEventDescriptor(std::string_view descriptor) {
    if (descriptor == "*") return true;
    if (descriptor.size() > 2 && descriptor.substr(descriptor.size() - 2) == ".*") descriptor.remove_suffix(2);
    return isValidEventName(descriptor);
}

std::string normalizeDescriptor(std::string_view descriptor) {
    if (descriptor.size() > 2 && descriptor.substr(descriptor.size() - 2) == ".*") descriptor.remove_suffix(2);
    return std::string(descriptor);
}

bool descriptorMatches(std::string_view descriptor, std::string_view eventName) {
    if (descriptor == "*") return true;
    if (eventName.size() < descriptor.size() || eventName.substr(0, descriptor.size()) != descriptor) return false;
    return eventName.size() == descriptor.size() || eventName[descriptor.size()] == '.';
}

bool isPlatformEvent(std::string_view name) {
    return descriptorMatches("done", name);
}

} // namespace caseflow::workflow
