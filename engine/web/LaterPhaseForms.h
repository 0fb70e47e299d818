// The forms of the later phases (issue 15): the care plan (`plan.agreed`, `plan.revised`), its
// signature in the split flow (`plan.signed`: the document to sign as a download, signed on the
// signer's machine with `caseflow sign-file`, uploaded back and verified), the financial need (`need.identified`,
// `need.none`) and the funding request (`dossier.updated`, `dossier.submitted`), at /situations/{id}/events/{event}.
// Each builds the event's data element as docs/events.md describes from plain fields (ids generated here, amounts typed
// in euros the Belgian way) and fires it through FundingProcess::fire, the use case the CLI and the API call. What must
// stay true: no business rule lives here (the workflow's rules decide; a refusal comes back as one error per failed
// rule next to its field); a refused or invalid form answers 422 with everything typed; an accepted one redirects (303)
// to the situation; nothing is stored by a GET.
#pragma once

#include "model/EuroAmount.h"
#include "process/Actor.h"
#include "process/FundingProcess.h"
#include "web/Forms.h"
#include "web/PageModel.h"

#include <cstdint>
#include <functional>
#include <string>

namespace caseflow::web {

// What a later-phase form needs from the request pipeline (WebApplication owns sessions, the
// CSRF check, the authorisation matrix and the page chrome; this module only the forms).
struct PhaseFormCall {
    FundingProcess& process;
    std::int64_t situationId = 0;
    std::string event; // the path's last part
    bool post = false;
    PostedForm form; // what was posted (urlencoded or an upload), already CSRF-checked
    std::string language;
    Actor actor;
    std::function<void(PageModel&, const std::string& pageName)> beginModel;
    std::function<void(int status, const std::string& templateName, PageModel&)> sendPage;
    std::function<void(const std::string& location)> redirect;
    // A download: its content type, file name and bytes.
    std::function<void(const std::string& type, const std::string& fileName, const std::string& bytes)> sendFile;
};

// Why a typed amount is not one (model/EuroAmount.h), in the user's language: the expense
// lines' and the payments' forms say it the same way.
std::string amountProblem(EuroAmountProblem problem, const std::string& language);

// Whether `event` is one of the later phases' forms ("plan.signed/document" is the download).
bool isLaterPhaseForm(const std::string& event);
// Shows (GET) or handles (POST) the form; the caller has checked the user may fire events on it.
void handleLaterPhaseForm(PhaseFormCall& call);

} // namespace caseflow::web
