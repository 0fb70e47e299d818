#include "process/Actor.h"

#include "core/Errors.h"

#include <array>

namespace caseflow {
namespace {
constexpr std::array<std::string_view, 7> kRoles = {
    "coordinator", "case_manager", "pedopsychiatrist", "finance", "partner", "committee", "system"};
}

bool isKnownRole(std::string_view role) {
    for (auto known : kRoles)
        if (known == role) return true;
    return false;
}

const char* knownRolesList() {
    return "coordinator, case_manager, pedopsychiatrist, finance, partner, committee, system";
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
