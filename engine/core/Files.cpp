// The one whole-file reader (see Files.h).
#include "core/Files.h"

#include "core/Errors.h"

#include <fstream>
#include <sstream>

namespace caseflow {

std::string readFile(const std::filesystem::path& path, const std::string& name) {
    const std::string shown = name.empty() ? path.string() : name;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw NotFound("cannot read " + shown + (shown == path.string() ? "" : " (" + path.string() + ")"));
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) throw NotFound("cannot read " + shown + " (read error)");
    return content.str();
}

} // namespace caseflow
