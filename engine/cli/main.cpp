// caseflow's command-line entry point: runs one command and turns every failure into a
// clear message and the exit code scripts rely on (0 ok, 1 error, 2 usage, 3 refused by a
// rule, 4 not found).
#include "cli/Commands.h"
#include "cli/ExitCodes.h"
#include "cli/Messages.h"
#include "core/Errors.h"
#include "i18n/InputExplanation.h"
#include "model/Clock.h"

#include <libxml/parser.h>

#include <iostream>

int main(int argc, char** argv) {
    using namespace caseflow;
    xmlInitParser();
    const std::vector<std::string> args(argv + 1, argv + argc);
    try {
        // The only read of CASEFLOW_TODAY, before the server (if any) starts its threads.
        BusinessClock::fixFromEnvironment();
        return cli::dispatch(cli::allCommands(), args, std::cout, std::cerr);
    } catch (const RuleRefusal& refusal) {
        std::cerr << "caseflow: " << cli::tr("refused:") << " " << refusal.what() << "\n";
        for (const auto& violation : refusal.violations())
            std::cerr << "  " << violation.ruleId << ": " << violation.message << "\n";
        return cli::kRefused;
    } catch (const InvalidInput& invalid) {
        std::cerr << "caseflow: " << cli::tr("invalid input:") << "\n";
        for (const auto& detail : i18n::explainInput(invalid, cli::messageLanguage()))
            std::cerr << "  " << detail << "\n";
        return cli::kUsage;
    } catch (const EventNotAllowed& notAllowed) {
        const std::string refusedEvent = cli::eventWords(notAllowed.event());
        const std::string state = cli::stateWords(notAllowed.state());
        std::cerr << "caseflow: "
                  << (notAllowed.unknownEvent()
                          ? cli::tr("unknown event {event}: the workflow has no such event, and the state {state} "
                                    "takes none by that name",
                                    {{"event", refusedEvent}, {"state", state}})
                          : cli::tr("{event} is not allowed in state {state}",
                                    {{"event", refusedEvent}, {"state", state}}))
                  << "\n  " << cli::tr("allowed here:")
                  << (notAllowed.allowedEvents().empty() ? " " + cli::tr("none") : std::string()) << "\n";
        for (const auto& event : notAllowed.allowedEvents()) std::cerr << "    " << cli::eventWords(event) << "\n";
        return cli::kUsage;
    } catch (const UsageError& usage) {
        std::cerr << "caseflow: " << usage.what() << "\n";
        return cli::kUsage;
    } catch (const NotFound& missing) {
        std::cerr << "caseflow: " << missing.what() << "\n";
        return cli::kNotFound;
    } catch (const Conflict& conflict) {
        std::cerr << "caseflow: " << cli::tr("conflict:") << " " << conflict.what() << "\n";
        return cli::kError;
    } catch (const std::exception& error) {
        std::cerr << "caseflow: " << cli::tr("error:") << " " << error.what() << "\n";
        return cli::kError;
    }
}
