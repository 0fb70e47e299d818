// A small, declarative command-line parser: each command states its arguments and
// options once, and the same declaration drives parsing, `--help` and docs/cli.md.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace caseflow::cli {

struct OptionSpec {
    std::string name;     // "--db"
    std::string argument; // "PATH", or "" for a flag
    std::string help;
    bool required = false; // shown without brackets in the usage line; the command refuses without it
};

class Invocation;

struct CommandSpec {
    std::string name;      // "situation new"
    std::string arguments; // "FILE"
    std::string summary;
    std::string details;
    std::vector<OptionSpec> options;
    std::size_t minPositional = 0;
    std::size_t maxPositional = 0;
    std::function<int(Invocation&)> run;
};

class Invocation {
public:
    Invocation(const CommandSpec& spec, std::vector<std::string> positional, std::map<std::string, std::string> options,
               std::ostream& output, std::ostream& errors)
        : out(output), err(errors), spec_(spec), positional_(std::move(positional)), options_(std::move(options)) {}

    const CommandSpec& spec() const { return spec_; }
    const std::string& positional(std::size_t index) const { return positional_.at(index); }
    std::size_t positionalCount() const { return positional_.size(); }
    std::optional<std::string> option(const std::string& name) const;
    bool flag(const std::string& name) const { return options_.count(name) > 0; }
    std::int64_t situationId(std::size_t index) const; // positional parsed as a situation id

    std::ostream& out;
    std::ostream& err;

private:
    const CommandSpec& spec_;
    std::vector<std::string> positional_;
    std::map<std::string, std::string> options_;
};

// A situation id as typed by a user; throws UsageError for anything but a positive number.
std::int64_t parseSituationId(const std::string& text);

// A command whose own --lang names the language of the documents it writes (render, the
// committee report): its messages follow the environment, not that option.
bool declaresOwnLanguage(const CommandSpec& spec);

// Options every command accepts.
const std::vector<OptionSpec>& globalOptions();

void printCommandHelp(const CommandSpec& spec, std::ostream& out);
void printOverview(const std::vector<CommandSpec>& commands, std::ostream& out);
// The whole reference as Markdown (`caseflow help --markdown`), the source of docs/cli.md.
void printReference(const std::vector<CommandSpec>& commands, std::ostream& out);

// Finds the command (longest matching name), parses its options; returns the exit code.
int dispatch(const std::vector<CommandSpec>& commands, const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err);

} // namespace caseflow::cli
