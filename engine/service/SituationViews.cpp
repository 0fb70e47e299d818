// Views of a situation (see SituationViews.h). What must stay true: a funding request's
// view copies the finance summary's fields by name, never the situation document.
#include "service/SituationViews.h"

#include "i18n/MoneyFormat.h"
#include "service/Problem.h"

#include <Poco/JSON/Array.h>

namespace caseflow::service {

using Array = Poco::JSON::Array;
using views::object;

Poco::JSON::Object::Ptr fundingRequestJson(const FundingRequestSummary& request, const NetworkSettings& network,
                                           const std::string& language) {
    auto json = object();
    json->set("situationId", request.situationId);
    json->set("requestId", request.requestId);
    json->set("reference", request.reference);
    json->set("situationVersion", request.situationVersion);
    json->set("state", request.state);
    json->set("year", request.year);
    json->set("date", request.date);
    if (!request.renewalOf.empty()) json->set("renewalOf", request.renewalOf);
    if (!request.submittedAt.empty()) json->set("submittedAt", request.submittedAt);
    if (!request.decidedAt.empty()) json->set("decidedAt", request.decidedAt);
    json->set("requestedCents", request.requested);
    json->set("approvedCents", request.approved);
    json->set("paidCents", request.paid);
    Array lines;
    for (const auto& line : request.lines) {
        auto item = object();
        item->set("category", line.category);
        item->set("action", line.action);
        item->set("amountCents", line.amount);
        lines.add(item);
    }
    json->set("lines", lines);
    if (request.payeeName || request.payeeIban) {
        auto payee = object();
        if (request.payeeName) payee->set("name", *request.payeeName);
        if (request.payeeIban) payee->set("iban", *request.payeeIban);
        json->set("payee", payee);
    }
    json->set("noDoubleSubsidyDeclared", request.noDoubleSubsidyDeclared);

    const std::vector<std::pair<std::string, std::string>> args = {
        {"requested", i18n::formatMoney(request.requested, language)},
        {"ceiling", i18n::formatMoney(network.ceilingPerIntervention(), language)},
        {"threshold", i18n::formatMoney(network.strongerValidationThreshold(), language)},
    };
    Array checks;
    for (const auto& check : request.checks) {
        auto item = object();
        item->set("id", check.id);
        item->set("rule", check.ruleId);
        item->set("status", std::string(checkStatusName(check.status)));
        std::string message;
        if (check.id == "ceiling")
            message = check.status == CheckStatus::Pass ? "{requested} requested, within the ceiling of {ceiling}."
                                                        : "{requested} requested, above the ceiling of {ceiling}.";
        else if (check.id == "second-validation")
            message = check.status == CheckStatus::Pass ? "No second validation needed (threshold {threshold})."
                                                        : "Above {threshold}: the approval needs a second validation.";
        else if (check.id == "envelope")
            message = check.status == CheckStatus::Pass ? "The envelope of the year can cover the amount requested."
                                                        : "The envelope of the year cannot cover the amount requested.";
        else if (check.id == "no-double-subsidy")
            message = check.status == CheckStatus::Pass ? "The request declares the expense is not funded elsewhere."
                                                        : "The no-double-subsidy declaration is missing.";
        else if (check.id == "plan-validated")
            message = check.status == CheckStatus::Pass ? "The care plan is validated by the pedopsychiatrist."
                                                        : "The care plan is not validated by the pedopsychiatrist.";
        else if (check.id == "completeness")
            message =
                check.status == CheckStatus::Pass ? "The request form is complete." : "The request form is incomplete.";
        // A check a workflow adds has no summary of its own: its first unmet rule says it.
        if (!message.empty())
            item->set("message", serviceText(message, language, args));
        else
            item->set("message", check.unmet.empty() ? std::string() : check.unmet.front().message);
        if (!check.unmet.empty()) {
            Array unmet;
            for (const auto& rule : check.unmet) unmet.add(rule.message);
            item->set("unmet", unmet);
        }
        checks.add(item);
    }
    json->set("checks", checks);
    return json;
}

} // namespace caseflow::service
