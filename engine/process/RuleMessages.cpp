#include "process/RuleMessages.h"

#include "i18n/MoneyFormat.h"
#include "i18n/Translator.h"
#include "process/FundingProcess.h"

#include <boost/locale.hpp>

#include <map>

namespace caseflow {

std::vector<RuleViolation> localiseViolations(const std::vector<RuleViolation>& violations, const std::string& language,
                                              const NetworkSettings& network, const EnvelopeFigures& envelope) {
    const std::map<std::string, std::string> values = {
        {"minPartners", std::to_string(network.minPartners())},
        {"minMentalHealthPartners", std::to_string(network.minMentalHealthPartners())},
        {"followUpMinMonths", std::to_string(network.followUpMinMonths())},
        {"ceiling", i18n::formatMoney(network.ceilingPerIntervention(), language)},
        {"threshold", i18n::formatMoney(network.strongerValidationThreshold(), language)},
        {"remaining", i18n::formatMoney(envelope.remaining(), language)},
    };
    std::vector<RuleViolation> localised;
    for (const auto& violation : violations) {
        std::string text = i18n::translate(i18n::kWorkflowDomain, violation.message, language);
        for (const auto& [name, value] : values) {
            const std::string placeholder = "{" + name + "}";
            for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size()))
                text.replace(at, placeholder.size(), value);
        }
        localised.push_back({violation.ruleId, text});
    }
    return localised;
}

std::string localiseState(const std::string& state, const std::string& language) {
    return boost::locale::dpgettext(i18n::kWorkflowDomain, "state", state.c_str(), i18n::localeFor(language));
}

} // namespace caseflow
