// Where the engine finds its own files (schemas, workflows, templates, catalogs): the
// CASEFLOW_DATA_DIR environment variable, else the source tree it was built from.
#pragma once

#include <filesystem>

namespace caseflow {

std::filesystem::path dataDir();
std::filesystem::path schemaPath(const char* fileName); // dataDir()/schemas/fileName

} // namespace caseflow
