// What the command groups share: where the database is, who acts, JSON output.
#include "cli/Commands.h"
#include "cli/Messages.h"

#include "core/Files.h"

#include "core/Errors.h"
#include "i18n/Translator.h"
#include "views/SituationViews.h"

#include <Poco/JSON/Stringifier.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <pwd.h>
#include <sstream>
#include <unistd.h>

namespace caseflow::cli {

std::vector<CommandSpec> allCommands() {
    std::vector<CommandSpec> commands;
    addStoreCommands(commands);
    addWorkflowCommands(commands);
    addFinanceCommands(commands);
    addPaymentCommands(commands);
    addReportCommands(commands);
    addRenderCommands(commands);
    addServiceCommands(commands);
    addSignatureCommands(commands);
    addAccountingCommands(commands);
    return commands;
}

// A file or a postgresql:// address, passed on as given: store::Database::open tells them apart.
std::filesystem::path databasePath(const Invocation& invocation) {
    if (auto db = invocation.option("--db")) return *db;
    if (const char* env = std::getenv("CASEFLOW_DB"); env && *env) return env;
    return "caseflow.db";
}

FundingProcess openProcess(const Invocation& invocation) {
    std::optional<std::filesystem::path> workflow;
    if (auto file = invocation.option("--workflow")) workflow = *file;
    auto process = FundingProcess::open(databasePath(invocation), workflow);
    process.setLanguage(settleMessageLanguage(invocation, &process.network()));
    return process;
}

int yearOf(const Invocation& invocation) {
    const auto text = invocation.option("--year");
    if (!text) return Date::today().year();
    if (text->size() != 4 || text->find_first_not_of("0123456789") != std::string::npos)
        throw UsageError(tr("--year needs a year like 2026, got '{value}'", {{"value", *text}}));
    return std::stoi(*text);
}

std::string languageOf(const Invocation& invocation) {
    // The explicit choice, else the run's language (the network's first once a process is open).
    const auto option = declaresOwnLanguage(invocation.spec()) ? std::nullopt : invocation.option("--lang");
    return chosenLanguage(option).value_or(messageLanguage());
}

std::optional<Actor> declaredActorOf(const Invocation& invocation) {
    if (auto actor = invocation.option("--as")) return Actor::parse(*actor);
    if (const char* env = std::getenv("CASEFLOW_ACTOR"); env && *env) return Actor::parse(env);
    return std::nullopt;
}

Actor actorOf(const Invocation& invocation) {
    if (auto actor = declaredActorOf(invocation)) return *actor;
    const char* user = std::getenv("USER");
    return Actor{"coordinator", user && *user ? user : "coordinator"};
}

const OptionSpec kReaderOption{"--as", "ROLE:NAME",
                               "who reads, for the read log (default: the OS account, as os-user:LOGIN)"};

Actor readerOf(const Invocation& invocation) {
    if (auto actor = invocation.option("--as")) return Actor::parse(*actor);
    // The account the process runs as, not $USER or $CASEFLOW_ACTOR: an environment variable
    // is whatever the reader wants it to say.
    const uid_t uid = ::geteuid();
    const passwd* account = ::getpwuid(uid);
    return Actor{"os-user", account && account->pw_name ? account->pw_name : "uid-" + std::to_string(uid)};
}

std::string readInputFile(const std::string& path) {
    std::ostringstream content;
    if (path == "-") {
        content << std::cin.rdbuf();
        return content.str();
    }
    if (std::filesystem::is_directory(path)) throw UsageError(path + " is a directory, not a file");
    return readFile(path);
}

void printJson(std::ostream& out, const Poco::Dynamic::Var& value) {
    Poco::JSON::Stringifier::stringify(value, out, 2);
    out << "\n";
}

std::string reference(const SituationRecord& record) {
    try {
        return Situation::fromStored(record.document).reference();
    } catch (const std::exception&) {
        return "?";
    }
}

Poco::JSON::Object::Ptr situationJson(const SituationRecord& record, bool withDocument) {
    // The command line reads the whole database: the full view, the same one the HTTP service
    // gives the coordinator.
    auto json = views::situationSummary(record, View::Full);
    if (withDocument) json->set("document", record.document);
    return json;
}

} // namespace caseflow::cli
