// Files that hold secrets: private keys written readable by their owner only, and passwords
// read from a file (never from the command line, where `ps` and shell histories would show
// them). What must stay true: a key file is created with mode 0600 from the start (never
// widened then narrowed) and never overwrites an existing file.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace caseflow::signature {

// Creates `path` (mode 0600) with `bytes`; throws UsageError when it exists, Error otherwise.
void writePrivateFile(const std::filesystem::path& path, std::string_view bytes);

// The password in `file` (its first line; given with `option`), else in the environment
// variable `variable`. Throws UsageError naming both when neither is set, NotFound when the
// file is missing.
std::string readPassword(const std::optional<std::string>& file, const std::string& option, const char* variable,
                         const std::string& what);

} // namespace caseflow::signature
