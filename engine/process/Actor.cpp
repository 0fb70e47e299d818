// Who acts (see Actor.h). What must stay true: the known roles are the authorisation matrix's
// (process/Authorisation.h) and the process's own "system", listed nowhere else here.
#include "process/Actor.h"

#include "core/Errors.h"
#include "process/Authorisation.h"

#include <algorithm>

namespace caseflow {

// The users' roles of the authorisation matrix, and the process's own.
bool isKnownRole(std::string_view role) {
    return role == kSystemRole || std::find(kUserRoles.begin(), kUserRoles.end(), role) != kUserRoles.end();
}

const char* knownRolesList() {
    static const std::string list = [] {
        std::string joined;
        for (const auto role : kUserRoles) joined.append(role).append(", ");
        return joined.append(kSystemRole);
    }();
    return list.c_str();
}

Actor Actor::parse(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size())
        throw UsageError("actor '" + std::string(text) + "' must be written ROLE:NAME, e.g. coordinator:Marie Dupont");
    Actor actor{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
    if (!isKnownRole(actor.role)) throw UsageError("unknown role '" + actor.role + "'; roles are: " + knownRolesList());
    if (actor.name.size() > 200) throw UsageError("actor name longer than 200 characters");
    return actor;
}

} // namespace caseflow
