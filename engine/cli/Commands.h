// The CLI's command table, one group of commands per file, and what they share.
#pragma once

#include "cli/CommandLine.h"
#include "process/FundingProcess.h"

#include <Poco/JSON/Object.h>

#include <filesystem>
#include <vector>

namespace caseflow::cli {

std::vector<CommandSpec> allCommands();

// Each group adds its commands to the table.
void addStoreCommands(std::vector<CommandSpec>& commands);
void addWorkflowCommands(std::vector<CommandSpec>& commands);
void addFinanceCommands(std::vector<CommandSpec>& commands);
void addPaymentCommands(std::vector<CommandSpec>& commands);
void addReportCommands(std::vector<CommandSpec>& commands);

void addRenderCommands(std::vector<CommandSpec>& commands);
void addServiceCommands(std::vector<CommandSpec>& commands);
void addSignatureCommands(std::vector<CommandSpec>& commands);
void addAccountingCommands(std::vector<CommandSpec>& commands); // issue 17: payments with proofs, accounting
void addMigrateCommand(std::vector<CommandSpec>& commands);     // issue 18: moving a network between databases

std::filesystem::path databasePath(const Invocation& invocation);
FundingProcess openProcess(const Invocation& invocation);
int yearOf(const Invocation& invocation);             // --year YYYY, else this year (Brussels)
std::string languageOf(const Invocation& invocation); // --lang, else LANGUAGE / LC_ALL / LANG, else en
Actor actorOf(const Invocation& invocation);          // --as, else $CASEFLOW_ACTOR, else coordinator:$USER
// Who said they act: --as, else $CASEFLOW_ACTOR, else nobody (no coordinator:$USER fallback),
// for the commands a role must ask for by name.
std::optional<Actor> declaredActorOf(const Invocation& invocation);
// Who reads personal data, for the read log: --as, else the OS account (os-user:LOGIN).
Actor readerOf(const Invocation& invocation);
// The --as option of the commands that show personal data.
extern const OptionSpec kReaderOption;
std::string readInputFile(const std::string& path); // "-" reads standard input
void printJson(std::ostream& out, const Poco::Dynamic::Var& value);
Poco::JSON::Object::Ptr situationJson(const SituationRecord& record, bool withDocument);
std::string reference(const SituationRecord& record);

} // namespace caseflow::cli
