// The one place a state set is split and joined (see StateSet.h).
#include "workflow/StateSet.h"

#include "core/Text.h"

#include <algorithm>

namespace caseflow::workflow {

StateSet StateSet::parse(std::string_view text) {
    return StateSet(text::words(text));
}

std::string StateSet::text() const {
    return text::joined(states_, " ");
}

bool StateSet::contains(std::string_view state) const {
    return std::find(states_.begin(), states_.end(), state) != states_.end();
}

} // namespace caseflow::workflow
