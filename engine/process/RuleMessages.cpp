#include "process/RuleMessages.h"

#include "core/Text.h"

#include "i18n/MoneyFormat.h"
#include "i18n/Translator.h"
#include "process/FundingProcess.h"

#include <boost/locale.hpp>

#include <map>
#include <sstream>

namespace caseflow {

namespace {

// A rule message agrees in number with the first count it names ("Au moins 1 des partenaires
// présents doit…" / "… 2 des partenaires présents doivent…"): its catalog entry is a plural one
// (msgid_plural) and the count picks the form. A message whose entry has no plural forms keeps
// its single translation, so a catalog may add plural forms one message at a time.
std::string translateRuleMessage(const std::string& msgid, const std::map<std::string, long>& counts,
                                 const std::string& language) {
    for (const auto& name : text::placeholders(msgid)) {
        const auto count = counts.find(name);
        if (count == counts.end()) continue;
        std::string plural = i18n::translatePlural(i18n::kWorkflowDomain, msgid, msgid, count->second, language);
        if (plural != msgid || language == "en") return plural;
        break;
    }
    return i18n::translate(i18n::kWorkflowDomain, msgid, language);
}

} // namespace

std::vector<RuleViolation> localiseViolations(const std::vector<RuleViolation>& violations, const std::string& language,
                                              const NetworkSettings& network, const EnvelopeFigures& envelope) {
    const std::map<std::string, long> counts = {
        {"minPartners", network.minPartners()},
        {"minMentalHealthPartners", network.minMentalHealthPartners()},
        {"followUpMinMonths", network.followUpMinMonths()},
        {"selfConsentAge", network.selfConsentAge()},
    };
    std::map<std::string, std::string> values = {
        {"minAge", std::to_string(network.minAge())},
        {"maxAge", std::to_string(network.maxAge())},
        {"ceiling", i18n::formatMoney(network.ceilingPerIntervention(), language)},
        {"threshold", i18n::formatMoney(network.strongerValidationThreshold(), language)},
        {"remaining", i18n::formatMoney(envelope.remaining(), language)},
    };
    for (const auto& [name, count] : counts) values[name] = std::to_string(count);
    std::vector<RuleViolation> localised;
    for (const auto& violation : violations) {
        const std::string text = translateRuleMessage(violation.message, counts, language);
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

namespace {

// One of the engine's R18 msgids (scripts/extract-workflow-messages.sh adds them to
// locales/workflow.pot), translated, with the figure's shares filled in.
std::string underSpendingText(const char* msgid, const UnderSpendingFigure& figure, const std::string& language) {
    return text::fillPlaceholders(i18n::translate(i18n::kWorkflowDomain, msgid, language),
                                  [&](std::string_view name) -> std::optional<std::string> {
                                      if (name == "elapsed")
                                          return i18n::formatPermille(figure.elapsedPermille, language);
                                      if (name == "committed")
                                          return i18n::formatPermille(figure.committedPermille, language);
                                      if (name == "paid") return i18n::formatPermille(figure.paidPermille, language);
                                      if (name == "points") return std::to_string(figure.warningPoints);
                                      return std::nullopt;
                                  });
}

} // namespace

std::string envelopeProgress(const UnderSpendingFigure& figure, const std::string& language) {
    if (!figure.envelopeKnown) return "";
    return underSpendingText("{elapsed} of the year has passed; {committed} of the envelope is committed, {paid} paid.",
                             figure, language);
}

std::string underSpendingWarning(const UnderSpendingFigure& figure, const std::string& language) {
    if (!figure.warning) return "";
    return underSpendingText("Under-spending (R18): the commitments lag the year by more than {points} points.", figure,
                             language);
}

} // namespace caseflow
