// Reading a whole file, written once: every reader of schemas, templates, keys, inputs and
// PDFs gets the same error for a file that cannot be read (NotFound, naming the file as the
// user knows it and, when different, its path).
#pragma once

#include <filesystem>
#include <string>

namespace caseflow {

// The bytes of `path`. `name` is how the user knows the file ("--data", "the key file"...);
// empty means the path itself. Throws NotFound when the file cannot be opened or read.
std::string readFile(const std::filesystem::path& path, const std::string& name = {});

} // namespace caseflow
