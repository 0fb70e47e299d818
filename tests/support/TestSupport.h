// Shared helpers for the specifications: scratch directories, paths to the real
// project files, and running the real `caseflow` binary as a user would.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace caseflow::test {

// A fresh directory under the system temp dir, removed with everything in it on scope exit.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

// Sets (or, with nullopt, unsets) an environment variable for a scope, then restores it.
class ScopedEnvironment {
public:
    ScopedEnvironment(std::string name, const std::optional<std::string>& value);
    ~ScopedEnvironment();
    ScopedEnvironment(const ScopedEnvironment&) = delete;
    ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

private:
    std::string name_;
    std::optional<std::string> previous_;
};

// An external program the tests drive to check output as an outsider would (WeasyPrint, poppler's
// pdftotext, xmlsec1, LibreOffice), and the Debian package that provides it.
struct ExternalTool {
    std::string program;
    std::string package;
};

// An executable on the PATH, or nullopt.
std::optional<std::string> findTool(const std::string& program);

// True when every tool is on the PATH. When one is missing the check cannot run, and that must
// never pass silently in CI: with CASEFLOW_REQUIRE_TOOLS=1 the running test fails, naming the tool
// and its package; otherwise a warning names what is skipped and the caller returns.
bool externalToolsPresent(const std::vector<ExternalTool>& tools, const std::string& skipped);

std::filesystem::path projectDir();   // the source tree (schemas, samples, workflows...)
std::filesystem::path testsDir();     // tests/ in the source tree
std::filesystem::path testBuildDir(); // tests/ in the build tree: what one test run shares (the service template)
std::string readFile(const std::filesystem::path& path);
void writeFile(const std::filesystem::path& path, const std::string& content);

struct CommandResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};

// Variables set for a child process only, on top of the test's own environment: the way to hand
// the CLI a CASEFLOW_TODAY without a setenv that server threads could race.
using ChildEnvironment = std::map<std::string, std::string>;

// Runs the built `caseflow` binary with `arguments` (no shell involved), capturing output.
CommandResult runCli(const std::vector<std::string>& arguments, const std::string& stdinText = "",
                     const ChildEnvironment& environment = {});
std::filesystem::path cliPath(); // the built `caseflow` binary
// Runs any program the same way (e.g. the project's scripts, which the main job runs).
CommandResult runProgram(const std::filesystem::path& program, const std::vector<std::string>& arguments,
                         const std::string& stdinText = "", const ChildEnvironment& environment = {});

} // namespace caseflow::test
