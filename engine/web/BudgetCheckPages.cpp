// The coordinator's budget check (/budget-check, FinancePages.h): the dossiers waiting for a
// decision with the automatic checks the workflow's own approval guards compute (a dry run of
// budget.approved, FundingProcess::fundingRequests), the expense lines and the plan action each
// supports, the year's envelope with its monthly chart; returning and rejecting with reasons.
// What must stay true: no check is computed here (the rules and their ids come from the
// workflow, their messages in the user's language); a return or a rejection is the same
// budget.returned / budget.rejected event, with the same data element, as the API's decision
// endpoint fires, and a refusal comes back as the failed rules next to the decision's form;
// an approval is signed, so the page only leads to the signing page.
#include "web/FinancePages.h"

#include "model/Date.h"
#include "process/Authorisation.h"
#include "process/CommitteeReport.h"
#include "process/FundingProcess.h"
#include "service/EventData.h"
#include "xml/Xml.h"

#include <algorithm>

namespace caseflow::web {
namespace {

// The `web` catalog in the user's language; scripts/extract-web-messages.py finds the calls.
std::string t(const std::string& msgid, const FormRequest& request) {
    return request.translate(msgid);
}

// A check of FundingCheck in words; an unknown one (a workflow's new check) by its id.
std::string checkLabel(const std::string& check, const FormRequest& request) {
    if (check == "ceiling") return t("Within the ceiling", request);
    if (check == "second-validation") return t("Second validation", request);
    if (check == "completeness") return t("Request complete", request);
    if (check == "envelope") return t("Within the envelope", request);
    if (check == "no-double-subsidy") return t("No double subsidy", request);
    if (check == "plan-validated") return t("Care plan signed", request);
    return check;
}

std::string statusLabel(CheckStatus status, const FormRequest& request) {
    switch (status) {
    case CheckStatus::Pass:
        return t("passed", request);
    case CheckStatus::Attention:
        return t("needs attention", request);
    case CheckStatus::Fail:
        break;
    }
    return t("failed", request);
}

std::string decisionFormName(std::int64_t situationId, const std::string& requestId) {
    return "decision-" + std::to_string(situationId) + "-" + requestId;
}

// The envelope of `year` and its months, cumulated (the committee report's own monthly figures,
// so the two charts never disagree). The chart is drawn by templates/web/fragments/envelope-chart.
void writeEnvelope(FormRequest& request, PageModel& model, int year) {
    FundingProcess& process = request.process();
    if (!process.network().envelope(year)) return;
    const Date today = Date::today();
    const EnvelopeForecast forecast = process.envelopeForecast(year, today);
    const EnvelopeFigures& figures = forecast.figures;
    const UnderSpendingFigure& under = forecast.underSpending;
    model.open("envelope")
        .attribute("year", std::to_string(year))
        .attribute("amount", std::to_string(figures.amount))
        .attribute("committed", std::to_string(figures.committed))
        .attribute("paid", std::to_string(figures.paid))
        .attribute("remaining", std::to_string(figures.remaining()))
        .attribute("forecast", std::to_string(forecast.projectedCommitted))
        .attribute("projectedUnspent", std::to_string(forecast.projectedUnspent()))
        .attribute("asOf", forecast.asOf)
        .attribute("elapsedPercent", std::to_string(under.elapsedPermille / 10))
        .attribute("committedPercent", std::to_string(under.committedPermille / 10))
        .attribute("warningPoints", std::to_string(under.warningPoints))
        .attribute("warning", under.warning ? "true" : "");
    // The chart's scale: the envelope, or the largest cumulated figure when it was overspent.
    const CommitteeFigures months = computeCommitteeFigures(process, year, today);
    Cents top = std::max<Cents>(figures.amount, 1);
    for (const auto& month : months.months) top = std::max({top, month.committedCumulative, month.paidCumulative});
    model.attribute("scale", std::to_string(top));
    for (const auto& month : months.months) {
        // Heights out of the chart's 160 units, in integers (money never passes through
        // floating point, even to be drawn).
        const auto height = [&](Cents cents) { return std::to_string(cents * 160 / top); };
        model.leaf("month", {{"number", std::to_string(month.month)},
                             {"committed", std::to_string(month.committedCumulative)},
                             {"paid", std::to_string(month.paidCumulative)},
                             {"committedHeight", height(month.committedCumulative)},
                             {"paidHeight", height(month.paidCumulative)}});
    }
    model.close();
}

// The plan action `id` of the situation, in words ("" when the plan has none of that id).
std::string actionText(const std::string& document, const std::string& actionId) {
    const auto doc = xml::parseString(document, "situation");
    xml::XPath xpath(doc.get());
    xpath.setStringVariable("action", actionId);
    return xpath.string("normalize-space(/situation/carePlan/actions/action[@id = $action])");
}

} // namespace

void budgetCheckPage(FormRequest& request, int status, const FormEcho* echo) {
    requireOperation(request, static_cast<int>(Operation::DecideFundingRequest));
    FundingProcess& process = request.process();
    PageModel model;
    request.beginModel(model, "budget-check");
    model.attribute("done", request.queryValue("done"));
    const int year = Date::today().year();
    writeEnvelope(request, model, year);
    std::vector<std::int64_t> shown;
    for (const auto& funding : process.fundingRequests("budget-check")) {
        const SituationRecord record = process.situation(funding.situationId);
        model.open("request")
            .attribute("situation", std::to_string(funding.situationId))
            .attribute("id", funding.requestId)
            .attribute("version", std::to_string(record.version))
            .attribute("reference", funding.reference)
            .attribute("date", funding.date)
            .attribute("submittedAt", funding.submittedAt)
            .attribute("requested", std::to_string(funding.requested))
            .attribute("form", decisionFormName(funding.situationId, funding.requestId));
        for (const auto& check : funding.checks) {
            model.open("check")
                .attribute("id", check.id)
                .attribute("rule", check.ruleId)
                .attribute("status", checkStatusName(check.status))
                .attribute("label", checkLabel(check.id, request))
                .attribute("statusLabel", statusLabel(check.status, request));
            for (const auto& unmet : check.unmet) model.leaf("unmet", {{"rule", unmet.ruleId}}, unmet.message);
            model.close();
        }
        for (const auto& line : funding.lines) {
            std::string category = line.category;
            for (const auto& known : process.network().expenseCategories())
                if (known.id == line.category) {
                    const auto label = known.labels.find(request.language() == "nl" ? "nl" : "fr");
                    if (label != known.labels.end()) category = label->second;
                }
            model.leaf("line", {{"category", category},
                                {"action", line.action},
                                {"actionText", actionText(record.document, line.action)},
                                {"amount", std::to_string(line.amount)}});
        }
        model.close();
        shown.push_back(funding.situationId);
    }
    // The coordinator reads the dossiers (their plan actions): written to the read log first.
    request.recordRead(shown, "budget-check");
    if (echo) echo->write(model);
    request.sendPage(status, "budget-check", model);
}

void budgetCheckDecision(FormRequest& request) {
    requireOperation(request, static_cast<int>(Operation::DecideFundingRequest));
    const PostedForm& form = request.form();
    const std::string outcome = form.value("outcome");
    if (outcome != "returned" && outcome != "rejected")
        throw PageRefused(400, t("Choose to return the dossier or to reject the request.", request));
    const std::string situationText = form.value("situation");
    if (situationText.empty() || situationText.size() > 12 ||
        situationText.find_first_not_of("0123456789") != std::string::npos)
        throw PageRefused(404, t("There is no such funding request.", request));
    const std::int64_t situationId = std::stoll(situationText);
    const std::string requestId = form.value("request");
    FundingProcess& process = request.process();
    const auto requests = process.fundingRequests("budget-check");
    if (std::none_of(requests.begin(), requests.end(), [&](const FundingRequestSummary& summary) {
            return summary.situationId == situationId && summary.requestId == requestId;
        }))
        throw PageRefused(404, t("There is no such funding request.", request));

    service::BudgetDecisionInput input;
    input.requestId = requestId;
    input.outcome = outcome;
    input.date = Date::today().iso();
    input.by = request.actor().name;
    // One reason a line, as the API takes a list: the workflow (R16) refuses a return or a
    // rejection without any.
    std::string reasons = form.value("reasons");
    std::size_t start = 0;
    while (start <= reasons.size()) {
        const auto end = std::min(reasons.find('\n', start), reasons.size());
        std::string reason = reasons.substr(start, end - start);
        const auto first = reason.find_first_not_of(" \t\r");
        if (first != std::string::npos)
            input.reasons.push_back(reason.substr(first, reason.find_last_not_of(" \t\r") - first + 1));
        start = end + 1;
    }
    FormEcho echo{decisionFormName(situationId, requestId), form.fields(), {}};
    if (input.reasons.size() > 20 ||
        std::any_of(input.reasons.begin(), input.reasons.end(), [](const std::string& r) { return r.size() > 2000; })) {
        echo.errors.push_back({"reasons", "", t("Give at most 20 reasons of 2000 characters each.", request)});
        return budgetCheckPage(request, 422, &echo);
    }
    std::optional<std::int64_t> expected;
    const std::string version = form.value("version");
    if (!version.empty() && version.size() < 19 && version.find_first_not_of("0123456789") == std::string::npos)
        expected = std::stoll(version);
    try {
        process.fire(situationId, "budget." + outcome, service::budgetDecisionXml(input), "budget decision",
                     request.actor(), expected);
    } catch (const RuleRefusal& refusal) {
        echo.errors = errorsOfRefusal(refusal, {{"R16", "reasons"}});
        return budgetCheckPage(request, 422, &echo);
    } catch (const Conflict&) {
        echo.errors.push_back(
            {"", "", t("The dossier changed while you were deciding: read it again and decide.", request)});
        return budgetCheckPage(request, 409, &echo);
    }
    request.redirect("/budget-check?done=" + outcome);
}

} // namespace caseflow::web
