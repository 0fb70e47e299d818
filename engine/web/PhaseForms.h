// The forms of the workflow's phases (issue 15): which event each form fires and the handler
// that shows it (GET) and fires it (POST) at /situations/{id}/events/{event}. A handler sees a
// request only through FormRequest, so it holds no HTTP, session or SQL detail and the forms
// of every phase are written the same way. What must stay true: each form fires the same
// workflow event the CLI fires, through FundingProcess::fire, with the data element
// docs/events.md describes, built by the server (ids included); a refused event answers 422
// with every failed rule next to its field and what was typed; an accepted one answers 303 to
// the situation. The early phases are in EarlyPhaseForms.cpp, the later in LaterPhaseForms.cpp.
#pragma once

#include "process/Actor.h"
#include "web/Forms.h"
#include "web/PageModel.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow {
class FundingProcess;
namespace store {
class Database;
}
} // namespace caseflow

namespace caseflow::web {

// A refusal the pipeline turns into an error page (403, 404...) in the user's language.
class PageRefused : public Error {
public:
    PageRefused(int status, std::string message) : Error(std::move(message)), status_(status) {}
    int status() const { return status_; }

private:
    int status_;
};

class ReadChainWatch;

// What a form handler may see and do of one request (WebApplication implements it).
class FormRequest {
public:
    virtual ~FormRequest() = default;
    virtual bool posted() const = 0;
    virtual const PostedForm& form() const = 0; // empty on a GET
    virtual std::string queryValue(const std::string& name) const = 0;
    virtual const std::string& language() const = 0;
    virtual const std::string& role() const = 0;
    virtual Actor actor() const = 0;
    // Whether the signed-in user is assigned to the situation (case managers, partners...).
    virtual bool assignedTo(std::int64_t situationId) const = 0;
    // Gives the signed-in user the situation (a scoped role who registers one works on it).
    virtual void assign(std::int64_t situationId) = 0;
    virtual FundingProcess& process() = 0;   // for this request, its language the user's
    virtual store::Database& database() = 0; // the web application's own connection
    virtual void recordRead(const std::vector<std::int64_t>& situations, const std::string& what) = 0;
    // The read audit's check of the read log's chain, kept between requests (AdminPages.h).
    virtual ReadChainWatch& readChainWatch() = 0;
    virtual void beginModel(PageModel& model, const std::string& pageName) = 0;
    virtual void sendPage(int status, const std::string& templateName, PageModel& model) = 0;
    virtual void redirect(const std::string& location) = 0;
    // The `web` catalog in the user's language.
    virtual std::string translate(const std::string& msgid) const = 0;
};

using PhaseFormHandler = void (*)(FormRequest& request, std::int64_t situationId);

struct PhaseForm {
    std::string_view event;
    PhaseFormHandler handler;
};

// The early phases' forms (EarlyPhaseForms.cpp): consent.recorded, partner.added,
// concertation.requested, concertation.held.
const std::vector<PhaseForm>& earlyPhaseForms();
// The corrections' and closing events' forms (CorrectionForms.cpp): youth.moved,
// youth.placement-changed, family.language-changed, registration.corrected, request.withdrawn,
// grant.closed, situation.closed.
const std::vector<PhaseForm>& correctionForms();
// The form of `event`, or nullptr when it has none (yet).
const PhaseForm* findPhaseForm(std::string_view event);

// Pages of the early phases that are not an event of an existing situation.
void registrationForm(FormRequest& request);                         // /situations/new
void directoryPage(FormRequest& request);                            // /directory
void directoryPost(FormRequest& request, const std::string& action); // /directory, /directory/{action}
// A sector of situation.xsd in words, in the user's language.
std::string sectorLabel(const std::string& sector, const FormRequest& request);
// The directory's first entries, taken from the partners of the situations already registered
// (the pilot's), when it is empty: a coordinator starts from what the network already knows.
void seedDirectoryIfEmpty(store::Database& db, FundingProcess& process);

} // namespace caseflow::web
