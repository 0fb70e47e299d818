// The documents of a situation, as the CLI and the HTTP service ask for them: a document
// name (concertation-request, minutes, care-plan, funding-request, budget-decision,
// payment-notice), a language (fr, nl, fr+nl, nl+fr) and a format (html, pdf, odt) in, the
// file's bytes out. What must stay true: every function here is safe to call from many
// threads at once (templates are compiled once and shared; each render has its own state);
// an unknown name is a UsageError listing the valid ones; a document that does not apply
// to the situation yet is NotApplicable, never an empty document.
#pragma once

#include "model/NetworkSettings.h"
#include "process/FundingProcess.h"
#include "render/Environment.h"
#include "render/TemplateError.h"
#include "signature/Verifier.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace caseflow::render {

struct RenderRequest {
    std::string document;        // one of documentNames()
    std::string language = "fr"; // one of languageParameters()
    std::string format = "html"; // one of formatNames()
    std::string item;            // which concertation, request, payment...: "" for the latest
    // Finance's reading (R19, issue 17): only the budget decision and the payment notice, rendered
    // from render/FinanceDocumentView's copy of the situation, and a PDF without the signed element.
    bool financeView = false;
};

const std::vector<std::string>& documentNames();
const std::vector<std::string>& formatNames();
std::string contentType(const std::string& format);   // "text/html; charset=utf-8", "application/pdf", ...
std::string fileExtension(const std::string& format); // "html", "pdf", "odt"

// Throws UsageError naming what is wrong and listing the valid values.
void checkRequest(const RenderRequest& request);

// Approved amounts of every situation, to show a budget decision's "envelope after the
// decision" (R18): the envelope of the year R18's rule gives (NetworkSettings::commitmentYear),
// what all approvals of that year up to and
// including that decision commit, what remains. Decisions are ordered by date, then
// situation id, then position in the situation. Immutable once built; share it freely.
class EnvelopeLedger {
public:
    static std::shared_ptr<const EnvelopeLedger> build(const std::vector<SituationRecord>& situations,
                                                       const NetworkSettings& network);
    struct Figures {
        int year = 0;
        Cents envelope = 0;
        Cents committed = 0;
        Cents remaining() const { return envelope - committed; }
    };
    // After the situation's n-th budget decision (1-based, document order); nullopt when unknown.
    std::optional<Figures> after(std::int64_t situationId, int position) const;

private:
    struct Approval {
        std::string date;
        std::optional<int> year; // the envelope it commits (R18); nullopt when its dates are not dates
        std::int64_t situationId = 0;
        int position = 0;
        Cents amount = 0;
        bool approved = false;
    };
    std::vector<Approval> decisions_;
    std::map<int, Cents> envelopes_;
};

// What the network's signature authority says about the signed elements of situations (the
// care plan, each budget decision), as process/GuardFacts.h verifies them for the workflow:
// the Verifier's status and the signer checked against the person the element names.
// Verified once, before rendering (the trust store lives in the database, which belongs to
// one thread); immutable afterwards, so renders on any thread share it.
class SignatureLedger {
public:
    static std::shared_ptr<const SignatureLedger> build(FundingProcess& process,
                                                        const std::vector<SituationRecord>& situations);
    struct Entry {
        std::string of;   // "carePlan" or "budgetDecision"
        int position = 0; // the budget decision's position in the situation (1-based); 0 for the plan
        signature::Verification verification;
        std::string signedOn; // the business date of the event that recorded the signed element (ISO)
    };
    // The signed elements of a situation at this version (unsigned ones are not listed).
    const std::vector<Entry>* of(std::int64_t situationId, std::int64_t version) const;

private:
    std::map<std::pair<std::int64_t, std::int64_t>, std::vector<Entry>> entries_;
};

// What a document may show besides the situation itself.
struct RenderContext {
    std::shared_ptr<const EnvelopeLedger> ledger; // null: the envelope shows "not provided"
    // null: a signed element shows "signature not verified" (nothing vouches for it)
    std::shared_ptr<const SignatureLedger> signatures;
};

class DocumentRenderer {
public:
    explicit DocumentRenderer(const Environment& environment = Environment::shared()) : environment_(environment) {}

    // The document's bytes in the requested format. Throws UsageError (bad request),
    // NotApplicable, TemplateError, MissingTool (PDF without WeasyPrint).
    std::string render(const SituationRecord& record, const NetworkSettings& network, const RenderRequest& request,
                       const RenderContext& context = {}) const;

    // Whether the document applies to the situation now (its subject exists).
    bool applies(const SituationRecord& record, const NetworkSettings& network, const std::string& document,
                 const std::string& item = "") const;

    const Environment& environment() const { return environment_; }

private:
    const Environment& environment_;
};

// Every item a document can be about, in the situation's order: each concertation (minutes),
// each funding request, each budget decision ("REQUEST-dN", N its position among the
// situation's decisions, whatever its outcome), each payment; {""} for the documents about
// the one concertation request or care plan. Empty when the situation has none yet.
std::vector<std::string> documentItems(const SituationRecord& record, const std::string& document);

// Convenience entry points over the shared environment.
std::string renderDocument(const SituationRecord& record, const NetworkSettings& network, const RenderRequest& request,
                           const RenderContext& context = {});
// Reads the situation and every situation's approvals (for the envelope) from the process.
// (Not const: the signatures are verified against the database's trust store.)
std::string renderDocument(FundingProcess& process, std::int64_t situationId, const RenderRequest& request);
// The same for a record the caller has already read (the HTTP service does, to check access).
std::string renderDocument(FundingProcess& process, const SituationRecord& record, const RenderRequest& request);
// What a document of this request needs from the process besides the record: the envelope
// ledger for a budget decision (read from every situation), the verified signatures of the
// record's care plan and decisions.
RenderContext renderContext(FundingProcess& process, const SituationRecord& record, const RenderRequest& request);

// A suggested file name: "KIR-26-003_care-plan_fr+nl.pdf", "KIR-26-003_budget-decision-fr1-d2_fr.pdf".
std::string documentFileName(const SituationRecord& record, const RenderRequest& request);

} // namespace caseflow::render
