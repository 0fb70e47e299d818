// Parsing and help for the CLI. What must stay true: a usage mistake exits with 2 and
// says what was wrong and where to read more; help never needs a database.
#include "cli/CommandLine.h"

#include "cli/ExitCodes.h"
#include "cli/Messages.h"
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
        throw UsageError(tr("'{text}' is not a situation id (a positive number, as printed by `caseflow "
                            "situation list`)",
                            {{"text", text}}));
    return std::stoll(text);
}

const std::vector<OptionSpec>& globalOptions() {
    static const std::vector<OptionSpec> options = {
        {"--db", "DB", "the database: file or postgresql:// address (default: $CASEFLOW_DB, else ./caseflow.db)"},
        {"--json", "", "machine-readable output"},
        {"--lang", "LANG", "language of messages: fr, nl or en (default: from $LANG, else the network's first)"},
        {"--help", "", "show this help"},
    };
    return options;
}

void printCommandHelp(const CommandSpec& spec, std::ostream& out) {
    out << "usage: caseflow " << spec.name << (spec.arguments.empty() ? "" : " " + spec.arguments);
    for (const auto& option : spec.options) {
        const std::string text = option.name + (option.argument.empty() ? "" : " " + option.argument);
        out << " " << (option.required ? text : "[" + text + "]");
    }
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

namespace {

// Common options may come before the command ("caseflow --lang fr situation list"): they are
// moved after it, where the parser reads them.
std::vector<std::string> withLeadingOptionsMoved(const std::vector<std::string>& args) {
    std::vector<std::string> leading, rest;
    std::size_t i = 0;
    for (; i < args.size(); ++i) {
        const std::string& word = args[i];
        const std::string name = word.substr(0, word.find('='));
        const OptionSpec* spec = nullptr;
        for (const auto& option : globalOptions())
            if (option.name == name && name != "--help") spec = &option;
        if (!spec) break;
        leading.push_back(word);
        if (!spec->argument.empty() && word.find('=') == std::string::npos && i + 1 < args.size())
            leading.push_back(args[++i]);
    }
    rest.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
    rest.insert(rest.end(), leading.begin(), leading.end());
    return rest;
}

// The --lang of the command line, wherever it is, before any command is chosen: a usage
// mistake is explained in the language asked for.
std::optional<std::string> langOptionOf(const std::vector<std::string>& args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--lang" && i + 1 < args.size()) return args[i + 1];
        if (args[i].rfind("--lang=", 0) == 0) return args[i].substr(7);
    }
    return std::nullopt;
}

} // namespace

bool declaresOwnLanguage(const CommandSpec& spec) {
    return std::any_of(spec.options.begin(), spec.options.end(),
                       [](const OptionSpec& option) { return option.name == "--lang"; });
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
    out << "\nRun `caseflow COMMAND --help` for a command's options, `caseflow --version` for the version.\n"
           "Common options (--db, --json, --lang) may also come before the command.\n";
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

int dispatch(const std::vector<CommandSpec>& commands, const std::vector<std::string>& givenArgs, std::ostream& out,
             std::ostream& err) {
    const std::vector<std::string> args = withLeadingOptionsMoved(givenArgs);
    if (args.size() == 1 && (args[0] == "--version" || args[0] == "-V" || args[0] == "version")) {
        out << "caseflow " << CASEFLOW_VERSION << "\n";
        return kOk;
    }
    try {
        if (auto chosen = chosenLanguage(langOptionOf(args))) setMessageLanguage(*chosen);
    } catch (const UsageError&) {
        // A --lang we do not ship is reported by the command that reads it, with its name.
    }
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
        err << "caseflow: " << tr("unknown command '{command}'", {{"command", words.empty() ? "" : words[0]}})
            << "\n\n";
        printOverview(commands, err);
        return kUsage;
    }
    if (args[0] == "help") {
        printCommandHelp(*chosen, out);
        return kOk;
    }

    if (declaresOwnLanguage(*chosen)) {
        // Its --lang is the documents' language: messages follow the environment instead.
        setMessageLanguage(chosenLanguage(std::nullopt).value_or("en"));
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
                err << "caseflow " << chosen->name << ": " << tr("unknown option '{option}'", {{"option", word}})
                    << "\n"
                    << tr("Run `caseflow {command} --help` for the options.", {{"command", chosen->name}}) << "\n";
                return kUsage;
            }
            if (!spec->argument.empty() && !inlineValue) {
                if (i + 1 >= words.size()) {
                    err << "caseflow " << chosen->name << ": "
                        << tr("option {option} needs a value ({argument})",
                              {{"option", word}, {"argument", spec->argument}})
                        << "\n";
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
        err << "caseflow " << chosen->name << ": "
            << (chosen->arguments.empty() ? tr("expected no arguments")
                                          : tr("expected {arguments}", {{"arguments", chosen->arguments}}))
            << "\n"
            << tr("Run `caseflow {command} --help` for details.", {{"command", chosen->name}}) << "\n";
        return kUsage;
    }
    Invocation invocation(*chosen, std::move(positional), std::move(options), out, err);
    return chosen->run(invocation);
}

} // namespace caseflow::cli
