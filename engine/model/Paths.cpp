#include "model/Paths.h"

#include <cstdlib>

namespace caseflow {

std::filesystem::path dataDir() {
    if (const char* dir = std::getenv("CASEFLOW_DATA_DIR"); dir && *dir) return dir;
    return CASEFLOW_SOURCE_DATA_DIR;
}

std::filesystem::path schemaPath(const char* fileName) {
    return dataDir() / "schemas" / fileName;
}

} // namespace caseflow
