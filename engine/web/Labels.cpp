// The label tables (see Labels.h).
#include "web/Labels.h"

#include "i18n/Translator.h"

#include <map>

namespace caseflow::web {
namespace {

std::string lookup(const std::map<std::string, const char*>& table, const std::string& id,
                   const std::string& language) {
    const auto found = table.find(id);
    return found == table.end() ? id : i18n::translate(i18n::kWebDomain, found->second, language);
}

} // namespace

namespace {

// The workflow catalogs' own event labels (context "event", shared with the CLI), with a
// capital as a list item starts; the table below only where the catalog has none (English).
std::string workflowEventLabel(const std::string& event, const std::string& language) {
    const std::string label = i18n::translateInContext(i18n::kWorkflowDomain, "event", event, language);
    return label == event ? std::string() : i18n::capitalised(label, language);
}

} // namespace

std::string eventLabel(const std::string& event, const std::string& language) {
    if (auto label = workflowEventLabel(event, language); !label.empty()) return label;
    static const std::map<std::string, const char*> labels = {
        {"situation.registered", "Situation registered"},
        {"consent.recorded", "Consent recorded"},
        {"partner.added", "Partner added"},
        {"concertation.requested", "Concertation requested"},
        {"concertation.held", "Concertation held"},
        {"plan.agreed", "Care plan agreed"},
        {"plan.signed", "Care plan signed"},
        {"plan.revised", "Care plan revised"},
        {"need.identified", "Financial need identified"},
        {"need.none", "No financial need"},
        {"dossier.updated", "Funding request updated"},
        {"dossier.submitted", "Funding request submitted"},
        {"budget.approved", "Budget approved"},
        {"budget.rejected", "Budget rejected"},
        {"budget.returned", "Dossier returned"},
        {"budget-check.overdue", "Budget check overdue"},
        {"payment.recorded", "Payment recorded"},
        {"followup.due", "Follow-up due"},
        {"review.due", "Review due"},
        {"review.held", "Review held"},
        {"renewal.requested", "Renewal requested"},
        {"situation.closed", "Situation closed"},
    };
    return lookup(labels, event, language);
}

std::string documentLabel(const std::string& document, const std::string& language) {
    static const std::map<std::string, const char*> labels = {
        {"concertation-request", "Concertation request"},
        {"minutes", "Minutes of the concertation"},
        {"care-plan", "Care plan"},
        {"funding-request", "Funding request"},
        {"budget-decision", "Budget decision"},
        {"payment-notice", "Payment notice"},
    };
    return lookup(labels, document, language);
}

std::string roleLabel(const std::string& role, const std::string& language) {
    static const std::map<std::string, const char*> labels = {
        {"coordinator", "coordinator"}, {"case_manager", "case manager"}, {"pedopsychiatrist", "pedopsychiatrist"},
        {"finance", "finance"},         {"partner", "partner"},           {"committee", "steering committee"},
        {"system", "the system"},
    };
    return lookup(labels, role, language);
}

std::string readLabel(const std::string& what, const std::string& language) {
    // The code is "kind" or "kind:detail" (a document's name, a payment run's id, a proof's digest).
    static const std::map<std::string, const char*> labels = {
        {"situation", "Situation viewed"},
        {"list", "List of situations"},
        {"history", "History of the situation"},
        {"document", "Document"},
        {"document-to-sign", "Document to sign"},
        {"signed", "Signed document"},
        {"proof", "Proof"},
        {"budget-check", "Budget check"},
        {"funding-requests", "Funding requests"},
        {"payments-export", "Payments export"},
        {"payments-due", "Payments due"},
        {"payment-run", "Payment run"},
        {"payment-run-file", "Payment run file"},
        {"payment-found", "Payment looked up"},
        {"accounting-export", "Accounting export"},
    };
    const auto colon = what.find(':');
    const std::string kind = what.substr(0, colon);
    if (labels.find(kind) == labels.end()) return what;
    std::string label = lookup(labels, kind, language);
    if (colon == std::string::npos) return label;
    const std::string detail = what.substr(colon + 1);
    const bool namesDocument = kind == "document" || kind == "document-to-sign" || kind == "signed";
    if (!namesDocument) return label + ": " + detail;
    // The signing desk calls the budget decision "decision" in its codes.
    return label + ": " + documentLabel(detail == "decision" ? "budget-decision" : detail, language);
}

} // namespace caseflow::web
