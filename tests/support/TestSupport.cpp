#include "support/TestSupport.h"

#include <algorithm>

#include <catch2/catch.hpp>

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <unistd.h>

namespace caseflow::test {

ScratchDir::ScratchDir() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("caseflow-test-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

ScopedEnvironment::ScopedEnvironment(std::string name, const std::optional<std::string>& value)
    : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) previous_ = old;
    if (value)
        setenv(name_.c_str(), value->c_str(), 1);
    else
        unsetenv(name_.c_str());
}

ScopedEnvironment::~ScopedEnvironment() {
    if (previous_)
        setenv(name_.c_str(), previous_->c_str(), 1);
    else
        unsetenv(name_.c_str());
}

std::optional<std::string> findTool(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::istringstream directories(path ? path : "/usr/bin:/bin");
    for (std::string directory; std::getline(directories, directory, ':');) {
        const auto candidate = std::filesystem::path(directory) / program;
        if (!directory.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    return std::nullopt;
}

bool externalToolsPresent(const std::vector<ExternalTool>& tools, const std::string& skipped) {
    std::string missing;
    for (const auto& tool : tools)
        if (!findTool(tool.program))
            missing += (missing.empty() ? "" : ", ") + tool.program + " (apt-get install " + tool.package + ")";
    if (missing.empty()) return true;
    const char* required = std::getenv("CASEFLOW_REQUIRE_TOOLS");
    if (required && std::string(required) == "1")
        FAIL("CASEFLOW_REQUIRE_TOOLS=1 and not installed: " << missing << "; " << skipped << " cannot run");
    WARN("not installed: " << missing << "; " << skipped << " skipped (CASEFLOW_REQUIRE_TOOLS=1 makes this a failure)");
    return false;
}

std::filesystem::path projectDir() {
    return CASEFLOW_SOURCE_DATA_DIR;
}
std::filesystem::path testsDir() {
    return CASEFLOW_TESTS_DIR;
}
std::filesystem::path testBuildDir() {
    return CASEFLOW_TEST_BUILD_DIR;
}

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

void writeFile(const std::filesystem::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + path.string());
    out << content;
}

CommandResult runCli(const std::vector<std::string>& arguments, const std::string& stdinText,
                     const ChildEnvironment& environment) {
    // The CLI speaks the network's first language when nothing chose one (docs/cli.md); tests
    // read its English unless they ask for a language themselves.
    ChildEnvironment withLanguage = environment;
    const bool languageChosen = std::any_of(arguments.begin(), arguments.end(), [](const std::string& argument) {
        return argument == "--lang" || argument.rfind("--lang=", 0) == 0;
    });
    if (!languageChosen && !environment.count("LANGUAGE") && !environment.count("LC_ALL") &&
        !environment.count("LC_MESSAGES") && !environment.count("LANG"))
        withLanguage["LANGUAGE"] = "en";
    return runProgram(cliPath(), arguments, stdinText, withLanguage);
}

std::filesystem::path cliPath() {
    return CASEFLOW_CLI_PATH;
}

CommandResult runProgram(const std::filesystem::path& program, const std::vector<std::string>& arguments,
                         const std::string& stdinText, const ChildEnvironment& environment) {
    Poco::Pipe inPipe, outPipe, errPipe;
    Poco::Process::Args args(arguments.begin(), arguments.end());
    Poco::ProcessHandle handle =
        Poco::Process::launch(program.string(), args, &inPipe, &outPipe, &errPipe, environment);
    {
        Poco::PipeOutputStream input(inPipe);
        input << stdinText;
        input.close();
    }
    CommandResult result;
    // Drain stderr on another thread so a chatty child never blocks on a full pipe.
    std::thread errReader([&] {
        Poco::PipeInputStream err(errPipe);
        Poco::StreamCopier::copyToString(err, result.err);
    });
    Poco::PipeInputStream out(outPipe);
    Poco::StreamCopier::copyToString(out, result.out);
    errReader.join();
    result.exitCode = handle.wait();
    return result;
}

} // namespace caseflow::test
