// Who is calling: the user a bearer token belongs to, with the role given to that user by
// `caseflow user add` and the situations they are assigned to. What must stay true: the
// actor handed to the process layer is always built from here, never from anything the
// client sent, so a client can never claim a role it was not given.
#pragma once

#include "process/Actor.h"

#include <cstdint>
#include <set>
#include <string>

namespace caseflow::service {

struct Principal {
    std::string name;
    std::string role;
    std::set<std::int64_t> situations; // assignments; meaningful for the scoped roles

    Actor actor() const { return Actor{role, name}; }
    bool isAssignedTo(std::int64_t situationId) const { return situations.count(situationId) > 0; }
};

} // namespace caseflow::service
