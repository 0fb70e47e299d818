// The CLI's exit codes (docs/cli.md): scripts branch on these, so they never change.
#pragma once

namespace caseflow::cli {
inline constexpr int kOk = 0;
inline constexpr int kError = 1;
inline constexpr int kUsage = 2;
inline constexpr int kRefused = 3;
inline constexpr int kNotFound = 4;
} // namespace caseflow::cli
