// Who performs an action: a role of docs/domain.md and a name, written "role:Name" on the
// command line. Guards read the role (R16: budget checks are the coordinator's).
#pragma once

#include <string>
#include <string_view>

namespace caseflow {

struct Actor {
    std::string role;
    std::string name;

    // "coordinator:Marie Dupont"; throws UsageError naming the valid roles.
    static Actor parse(std::string_view text);
    std::string toString() const { return role + ":" + name; }
};

bool isKnownRole(std::string_view role);
const char* knownRolesList(); // "coordinator, case_manager, ..."

} // namespace caseflow
