#include "process/RuleMessages.h"

#include "core/Text.h"

#include "i18n/MoneyFormat.h"
#include "i18n/Translator.h"
#include "process/FundingProcess.h"

#include <boost/locale.hpp>

#include <map>
#include <sstream>

namespace caseflow {

namespace {} // namespace

std::vector<RuleViolation> localiseViolations(const std::vector<RuleViolation>& violations, const std::string& language,
                                              const NetworkSettings& network, const EnvelopeFigures& envelope) {
    const std::map<std::string, std::string> values = {
        {"minPartners", std::to_string(network.minPartners())},
        {"minMentalHealthPartners", std::to_string(network.minMentalHealthPartners())},
        {"followUpMinMonths", std::to_string(network.followUpMinMonths())},
        {"minAge", std::to_string(network.minAge())},
        {"maxAge", std::to_string(network.maxAge())},
        {"ceiling", i18n::formatMoney(network.ceilingPerIntervention(), language)},
        {"threshold", i18n::formatMoney(network.strongerValidationThreshold(), language)},
        {"remaining", i18n::formatMoney(envelope.remaining(), language)},
    };
    std::vector<RuleViolation> localised;
    for (const auto& violation : violations) {
        std::string text = i18n::translate(i18n::kWorkflowDomain, violation.message, language);
        localised.push_back({violation.ruleId, text::fillPlaceholders(text, [&](std::string_view name) {
                                 const auto found = values.find(std::string(name));
                                 return found == values.end() ? std::nullopt : std::optional(found->second);
                             })});
    }
    return localised;
}

std::string refusalHeader(const std::string& event, const std::string& state,
                          const std::vector<RuleViolation>& violations, const std::string& language) {
    // These two messages are the engine's, not a workflow's: scripts/extract-workflow-messages.sh
    // adds them to locales/workflow.pot.
    std::string text = i18n::translate(i18n::kWorkflowDomain,
                                       violations.empty() ? "event '{event}' is refused in state '{state}': the "
                                                            "situation meets the condition of none of its transitions"
                                                          : "event '{event}' is refused in state '{state}' by {rules}",
                                       language);
    std::string states, rules;
    for (const auto& name : text::words(state)) states += (states.empty() ? "" : " ") + localiseState(name, language);
    for (const auto& violation : violations) rules += (rules.empty() ? "" : ", ") + violation.ruleId;
    return text::fillPlaceholders(text, [&](std::string_view name) -> std::optional<std::string> {
        if (name == "event") return event;
        if (name == "state") return states;
        if (name == "rules") return rules;
        return std::nullopt;
    });
}

std::string localiseState(const std::string& state, const std::string& language) {
    return boost::locale::dpgettext(i18n::kWorkflowDomain, "state", state.c_str(), i18n::localeFor(language));
}

} // namespace caseflow
