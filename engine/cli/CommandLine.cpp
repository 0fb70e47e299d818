// Parsing and help for the CLI. What must stay true: a usage mistake exits with 2 and
// says what was wrong and where to read more; help never needs a database.
#include "cli/CommandLine.h"

#include "cli/ExitCodes.h"
#include "core/Errors.h"

#include <algorithm>
#include <sstream>

namespace caseflow::cli {

std::optional<std::string> Invocation::option(const std::string& name) const {
    auto found = options_.find(name);
    if (found == options_.end()) return std::nullopt;
    return found->second;
}

std::int64_t Invocation::situationId(std::size_t index) const {
    return parseSituationId(positional(index));
}

std::int64_t parseSituationId(const std::string& text) {
    if (text.empty() || text.size() > 18 || !std::all_of(text.begin(), text.end(), ::isdigit) || text == "0")
        throw UsageError("'" + text +
                         "' is not a situation id (a positive number, as printed by `caseflow situation list`)");
    return std::stoll(text);
}

const std::vector<OptionSpec>& globalOptions() {
    static const std::vector<OptionSpec> options = {
        {"--db", "PATH", "the database file (default: $CASEFLOW_DB, else ./caseflow.db)"},
        {"--json", "", "machine-readable output"},
        {"--lang", "LANG", "language of messages: fr, nl or en (default: from $LANG)"},
        {"--help", "", "show this help"},
    };
    return options;
}

void printCommandHelp(const CommandSpec& spec, std::ostream& out) {
    out << "usage: caseflow " << spec.name << (spec.arguments.empty() ? "" : " " + spec.arguments);
    for (const auto& option : spec.options)
        out << " [" << option.name << (option.argument.empty() ? "" : " " + option.argument) << "]";
    out << "\n\n" << spec.summary << "\n";
    if (!spec.details.empty()) out << "\n" << spec.details << "\n";
    auto printOptions = [&](const std::vector<OptionSpec>& options) {
        for (const auto& option : options) {
            std::string left = "  " + option.name + (option.argument.empty() ? "" : " " + option.argument);
            if (left.size() < 24)
                left.resize(24, ' ');
            else
                left += "  ";
            out << left << option.help << "\n";
        }
    };
    if (!spec.options.empty()) {
        out << "\noptions:\n";
        printOptions(spec.options);
    }
    out << "\ncommon options:\n";
    printOptions(globalOptions());
    out << "\nexit codes: 0 ok, 1 error, 2 usage, 3 refused by a rule, 4 not found\n";
}

void printOverview(const std::vector<CommandSpec>& commands, std::ostream& out) {
    out << "caseflow " << CASEFLOW_VERSION
        << ": case-management funding for a youth mental-health network\n\nusage: caseflow COMMAND [ARGS] [OPTIONS]\n\n"
           "commands:\n";
    for (const auto& command : commands) {
        std::string left = "  " + command.name + (command.arguments.empty() ? "" : " " + command.arguments);
        if (left.size() < 34)
            left.resize(34, ' ');
        else
            left += "  ";
        out << left << command.summary << "\n";
    }
    out << "\nRun `caseflow COMMAND --help` for a command's options.\n";
}

void printReference(const std::vector<CommandSpec>& commands, std::ostream& out) {
    out << "# CLI reference\n\n"
           "Generated from `caseflow --help` by `scripts/generate-cli-doc.sh`; the test suite fails when\n"
           "this file and the binary disagree.\n\n```\n";
    printOverview(commands, out);
    out << "```\n";
    for (const auto& command : commands) {
        out << "\n## caseflow " << command.name << "\n\n```\n";
        printCommandHelp(command, out);
        out << "```\n";
    }
}

int dispatch(const std::vector<CommandSpec>& commands, const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err) {
    if (args.size() == 2 && args[0] == "help" && args[1] == "--markdown") {
        printReference(commands, out);
        return kOk;
    }
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        if (args.size() <= 1) {
            printOverview(commands, out);
            return args.empty() ? kUsage : kOk;
        }
    }
    std::vector<std::string> words = args;
    if (!words.empty() && words[0] == "help") words.erase(words.begin());
    // The longest command name that prefixes the arguments wins ("situation new" over "situation").
    const CommandSpec* chosen = nullptr;
    std::size_t consumed = 0;
    for (const auto& command : commands) {
        std::istringstream nameWords(command.name);
        std::vector<std::string> parts;
        for (std::string part; nameWords >> part;) parts.push_back(part);
        if (parts.size() > words.size() || parts.size() <= consumed) continue;
        if (std::equal(parts.begin(), parts.end(), words.begin())) {
            chosen = &command;
            consumed = parts.size();
        }
    }
    if (!chosen) {
        err << "caseflow: unknown command '" << (words.empty() ? "" : words[0]) << "'\n\n";
        printOverview(commands, err);
        return kUsage;
    }
    if (args[0] == "help") {
        printCommandHelp(*chosen, out);
        return kOk;
    }

    std::vector<std::string> positional;
    std::map<std::string, std::string> options;
    auto findOption = [&](const std::string& name) -> const OptionSpec* {
        for (const auto* list : {&chosen->options, &globalOptions()})
            for (const auto& option : *list)
                if (option.name == name) return &option;
        return nullptr;
    };
    for (std::size_t i = consumed; i < words.size(); ++i) {
        std::string word = words[i];
        if (word == "-h") word = "--help";
        if (word == "-o") word = "--output";
        if (word.size() > 1 && word[0] == '-' && word != "-") {
            std::string value;
            bool inlineValue = false;
            if (auto equals = word.find('='); equals != std::string::npos) {
                value = word.substr(equals + 1);
                word = word.substr(0, equals);
                inlineValue = true;
            }
            const OptionSpec* spec = findOption(word);
            if (!spec) {
                err << "caseflow " << chosen->name << ": unknown option '" << word << "'\n";
                err << "Run `caseflow " << chosen->name << " --help` for the options.\n";
                return kUsage;
            }
            if (!spec->argument.empty() && !inlineValue) {
                if (i + 1 >= words.size()) {
                    err << "caseflow " << chosen->name << ": option " << word << " needs a value (" << spec->argument
                        << ")\n";
                    return kUsage;
                }
                value = words[++i];
            }
            options[word] = value;
        } else {
            positional.push_back(word);
        }
    }
    if (options.count("--help")) {
        printCommandHelp(*chosen, out);
        return kOk;
    }
    if (positional.size() < chosen->minPositional || positional.size() > chosen->maxPositional) {
        err << "caseflow " << chosen->name << ": expected "
            << (chosen->arguments.empty() ? "no arguments" : chosen->arguments) << "\n";
        err << "Run `caseflow " << chosen->name << " --help` for details.\n";
        return kUsage;
    }
    Invocation invocation(*chosen, std::move(positional), std::move(options), out, err);
    return chosen->run(invocation);
}

} // namespace caseflow::cli
