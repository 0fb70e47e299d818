// The `render` commands: documents of a situation as HTML, PDF/A or ODT (issue 4).
// What must stay true: the CLI holds no rendering logic, it calls render/DocumentRenderer.h.
#include "cli/Commands.h"

namespace caseflow::cli {

void addRenderCommands(std::vector<CommandSpec>&) {}

} // namespace caseflow::cli
