// The web application of `caseflow serve` (issue 15): server-rendered pages for the network's
// staff, plugged into the service through service/PageFront.h, on the same port as the JSON
// API. Each request: security headers, the session from its cookie (else the sign-in page,
// keeping where the user was going), the CSRF token on every POST, the same authorisation
// matrix as the API (process/Authorisation.h), then one page built as a page model (PageModel)
// and rendered by a template of templates/web/ compiled once at start. What must stay true:
// no business rule lives here (the pages call the same use cases as the API); no exception
// leaves handleRequest; every response carries the headers of docs/web.md; nothing is stored
// by a GET.
#pragma once

#include "render/Environment.h"
#include "service/PageFront.h"
#include "web/AdminPages.h"
#include "web/LoginThrottle.h"
#include "web/Sessions.h"
#include "web/SigningPages.h"
#include "web/WebSettings.h"

#include <filesystem>
#include <memory>
#include <thread>

namespace caseflow::web {

struct Call;

class WebApplication : public service::PageFront {
public:
    // `database` is the service's (already migrated by its warm-up); the templates are
    // dataDir()/templates/web, all compiled here (a broken template stops the start).
    WebApplication(std::filesystem::path database, WebSettings settings);
    void handleRequest(service::ServiceState& state, service::Exchange& exchange, Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

    const WebSettings& settings() const { return settings_; }
    WebSettings& settings() { return settings_; }

private:
    friend class CallFormRequest; // the phase forms' view of a call (PhaseForms.h)
    void route(Call& call);
    void signInPage(Call& call, int status, const std::string& error = "");
    void signIn(Call& call);
    void signOut(Call& call);
    void caseload(Call& call);
    void due(Call& call);
    void situation(Call& call, std::int64_t id);
    void document(Call& call, std::int64_t id, const std::string& name);
    void diagram(Call& call, std::int64_t id);
    void laterPhaseForm(Call& call, std::int64_t id, const std::string& event);
    void signingPage(Call& call, std::int64_t id, const std::string& page); // web/SigningPages.h
    void language(Call& call);
    void staticFile(Call& call, const std::string& name);
    void errorPage(Call& call, int status, const std::string& message = "");
    void sendPage(Call& call, int status, const std::string& templateName, class PageModel& model);
    void beginModel(Call& call, PageModel& model, const std::string& pageName);

    WebSettings settings_;
    std::filesystem::path staticDirectory_;
    render::Environment templates_;
    ConnectionPool connections_;
    Sessions sessions_;
    LoginThrottle throttle_;
    PendingSignatures pendingSignatures_;
    DecisionDrafts decisionDrafts_;
    ReadChainWatch readChainWatch_;
    // Last, so that it is joined before the members it uses go.
    std::jthread startWalk_;
};

} // namespace caseflow::web
