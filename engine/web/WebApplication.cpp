// The web application's request pipeline and pages (see WebApplication.h).
#include "web/WebApplication.h"

#include "core/Errors.h"
#include "core/Files.h"
#include "i18n/Translator.h"
#include "model/Date.h"
#include "model/Paths.h"
#include "process/Authorisation.h"
#include "process/DueList.h"
#include "render/DocumentRenderer.h"
#include "render/LanguageSpec.h"
#include "service/Accounts.h"
#include "service/ForwardedFor.h"
#include "service/Principal.h"
#include "store/AccountRepository.h"
#include "store/ReadLogStore.h"
#include "store/SessionRepository.h"
#include "store/SituationRepository.h"
#include "web/AdminPages.h"
#include "web/FinancePages.h"
#include "web/Forms.h"
#include "web/Labels.h"
#include "web/LaterPhaseForms.h"
#include "web/PageModel.h"
#include "web/Passwords.h"
#include "web/PhaseDiagram.h"
#include "web/PhaseForms.h"
#include "workflow/StateSet.h"

#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

namespace caseflow::web {

// One request in hand: what was asked, by whom, in which language.
struct Call {
    Call(service::ServiceState& serviceState, service::Exchange& connection, Poco::Net::HTTPServerRequest& httpRequest,
         Poco::Net::HTTPServerResponse& httpResponse)
        : state(serviceState), exchange(connection), request(httpRequest), response(httpResponse),
          method(httpRequest.getMethod()) {}
    service::ServiceState& state;
    service::Exchange& exchange;
    Poco::Net::HTTPServerRequest& request;
    Poco::Net::HTTPServerResponse& response;
    std::string method;
    std::string path;
    std::vector<std::pair<std::string, std::string>> query;
    std::string language = "fr";
    std::optional<store::SessionRow> session;
    std::optional<store::LoginRow> user;
    std::set<std::int64_t> assigned;
    std::string body;
    bool sent = false;
    int status = 0;
    // Whether cookies get Secure and the __Host- prefix: TLS here, or behind a trusted proxy
    // that terminated it (settings.tls, or service::clientUsesTls).
    bool secure = false;

    std::string queryValue(const std::string& name) const {
        for (const auto& [key, value] : query)
            if (key == name) return value;
        return "";
    }
    Actor actor() const { return Actor{user->role, user->name}; }
    service::Principal principal() const { return {user->name, user->role, assigned}; }
    std::string target() const { return request.getURI(); }
};

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxFormBytes = 64 * 1024;

class HttpError : public Error {
public:
    HttpError(int status, std::string message) : Error(std::move(message)), status_(status) {}
    int status() const { return status_; }

private:
    int status_;
};

std::string t(const std::string& msgid, const std::string& language) {
    return i18n::translate(i18n::kWebDomain, msgid, language);
}

// `secure`: the browser reached us over TLS, ours or a trusted proxy's (Call::secure).
std::string cookieName(bool secure) {
    // __Host-: only over TLS, only for this host, Path=/ — no subdomain can plant or read it.
    return secure ? "__Host-caseflow_session" : "caseflow_session";
}

std::string signInCookieName(bool secure) {
    return secure ? "__Host-caseflow_signin" : "caseflow_signin";
}

std::string cookieHeader(bool secure, const std::string& name, const std::string& value, bool expire = false) {
    std::string header = name + "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
    if (secure) header += "; Secure";
    if (expire) header += "; Max-Age=0";
    return header;
}

std::string cookie(const Call& call, const std::string& name) {
    Poco::Net::NameValueCollection cookies;
    call.request.getCookies(cookies);
    return cookies.get(name, "");
}

void securityHeaders(Poco::Net::HTTPServerResponse& response) {
    response.set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                                            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    response.set("Referrer-Policy", "no-referrer");
    response.set("X-Content-Type-Options", "nosniff");
    response.set("X-Frame-Options", "DENY");
}

void send(Call& call, int status, const std::string& type, const std::string& content,
          const std::string& cacheControl = "no-store") {
    call.response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    call.response.setContentType(type);
    call.response.set("Cache-Control", cacheControl);
    call.response.set("Content-Language", call.language);
    call.response.setContentLength64(static_cast<Poco::Int64>(content.size()));
    call.sent = true;
    call.status = status;
    call.response.sendBuffer(content.data(), content.size());
}

// A local path to go back to after signing in or switching language: anything else (another
// site, a scheme, "//host") would make the application an open redirect.
std::string localTarget(const std::string& target, const std::string& fallback = "/caseload") {
    if (target.empty() || target.front() != '/' || target.size() > 2048) return fallback;
    if (target.size() > 1 && (target[1] == '/' || target[1] == '\\')) return fallback;
    if (target.find_first_of("\r\n") != std::string::npos) return fallback;
    if (target.rfind("/sign-in", 0) == 0 || target.rfind("/sign-out", 0) == 0) return fallback;
    return target;
}

void redirect(Call& call, const std::string& location) {
    call.response.set("Location", location);
    send(call, 303, "text/plain; charset=utf-8", "See " + location + "\n");
}

std::string encode(const std::string& text) {
    std::string encoded;
    Poco::URI::encode(text, "&=?#+/%", encoded);
    return encoded;
}

void readForm(Call& call) {
    auto& request = call.request;
    const Poco::Int64 length = request.getContentLength64();
    if (request.getChunkedTransferEncoding() || length > static_cast<Poco::Int64>(kMaxFormBytes))
        throw HttpError(413, "The form is too large.");
    if (length > 0) {
        std::istream& in = request.stream();
        char buffer[8192];
        while (in && call.body.size() < static_cast<std::size_t>(length)) {
            in.read(buffer, sizeof buffer);
            call.body.append(buffer, static_cast<std::size_t>(in.gcount()));
        }
        if (Clock::now() >= call.exchange.bodyDeadline || call.body.size() < static_cast<std::size_t>(length))
            throw HttpError(400, "The form did not arrive whole.");
    }
    call.exchange.bodyRead();
}

std::string today() {
    return Date::today().iso();
}

std::optional<std::int64_t> situationId(const std::string& text) {
    if (text.empty() || text.size() > 12 || text.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    const auto id = std::stoll(text);
    return id > 0 ? std::optional(id) : std::nullopt;
}

bool returnedDossier(const SituationRecord& record) {
    if (record.state.find("dossier-in-preparation") == std::string::npos) return false;
    const auto doc = xml::parseString(record.document, "situation");
    xml::XPath xpath(doc.get());
    return xpath.boolean("(/situation/budgetDecisions/budgetDecision)[last()]/@outcome = 'returned'");
}

} // namespace

// The phase forms' view of a call (PhaseForms.h): they reach the request, the user, the process
// and the page machinery through it and nothing else.
class CallFormRequest : public FormRequest {
public:
    CallFormRequest(WebApplication& application, Call& call)
        : application_(application), call_(call),
          form_(call.method == "POST" ? PostedForm::parse(call.body) : PostedForm()) {}
    bool posted() const override { return call_.method == "POST"; }
    const PostedForm& form() const override { return form_; }
    std::string queryValue(const std::string& name) const override { return call_.queryValue(name); }
    const std::string& language() const override { return call_.language; }
    const std::string& role() const override { return call_.user->role; }
    Actor actor() const override { return call_.actor(); }
    bool assignedTo(std::int64_t situationId) const override { return call_.assigned.count(situationId) > 0; }
    void assign(std::int64_t situationId) override {
        auto db = application_.connections_.acquire();
        service::Accounts(store::AccountRepository(*db)).assign(call_.user->name, {situationId});
        call_.assigned.insert(situationId);
    }
    FundingProcess& process() override {
        if (!process_) {
            process_.emplace(call_.state.pool.acquire());
            (*process_)->setLanguage(call_.language);
        }
        return **process_;
    }
    store::Database& database() override {
        if (!database_) database_.emplace(application_.connections_);
        return *database_->lease;
    }
    void recordRead(const std::vector<std::int64_t>& situations, const std::string& what) override {
        call_.state.readLog.record(call_.principal(), situations, what);
    }
    ReadChainWatch& readChainWatch() override { return application_.readChainWatch_; }
    void beginModel(PageModel& model, const std::string& pageName) override {
        application_.beginModel(call_, model, pageName);
    }
    void sendPage(int status, const std::string& templateName, PageModel& model) override {
        application_.sendPage(call_, status, templateName, model);
    }
    void redirect(const std::string& location) override { caseflow::web::redirect(call_, location); }
    std::string translate(const std::string& msgid) const override { return t(msgid, call_.language); }

private:
    WebApplication& application_;
    Call& call_;
    PostedForm form_;
    std::optional<service::ProcessPool::Lease> process_;
    // A lease can be neither copied nor moved: it is built in place.
    struct HeldConnection {
        explicit HeldConnection(ConnectionPool& pool) : lease(pool.acquire()) {}
        ConnectionPool::Lease lease;
    };
    std::optional<HeldConnection> database_;
};

WebApplication::WebApplication(std::filesystem::path database, WebSettings settings)
    : settings_(std::move(settings)), staticDirectory_(dataDir() / "templates" / "web" / "static"),
      templates_(dataDir() / "templates" / "web", "templates/web", i18n::kWebDomain), connections_(database),
      sessions_(settings_), throttle_(settings_) {
    for (const auto& name : templates_.templateNames()) templates_.get(name);
    auto process = FundingProcess::open(database);
    auto db = connections_.acquire();
    seedDirectoryIfEmpty(*db, process);
    // The read audit's whole walk of the read log, off the start's path (seconds at a million
    // reads): the page's views wait for it instead of each starting one.
    readChainWatch_.expectStartWalk();
    startWalk_ = std::jthread([this] {
        try {
            readChainWatch_.walkAtStart([this] {
                auto lease = connections_.acquire();
                return store::ReadLogStore(*lease).verify();
            });
        } catch (const std::exception& error) {
            std::cerr << "caseflow serve: the read log's walk at start failed (the read audit walks it at its next "
                         "view): "
                      << error.what() << "\n";
        }
    });
}

void WebApplication::handleRequest(service::ServiceState& state, service::Exchange& exchange,
                                   Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    const auto started = Clock::now();
    Call call(state, exchange, request, response);
    call.secure = settings_.tls || service::clientUsesTls(request, state.config);
    securityHeaders(response);
    try {
        try {
            Poco::URI uri(request.getURI());
            call.path = uri.getPath();
            call.query = uri.getQueryParameters();
        } catch (const Poco::Exception&) {
            throw HttpError(400, "The address is malformed.");
        }
        call.language = i18n::negotiateLanguage(request.get("Accept-Language", ""), "fr");
        if (call.method == "HEAD") call.method = "GET";
        route(call);
    } catch (const HttpError& error) {
        if (!call.sent) errorPage(call, error.status(), error.what());
    } catch (const NotFound&) {
        if (!call.sent) errorPage(call, 404);
    } catch (const UsageError& error) {
        if (!call.sent) errorPage(call, 400, error.what());
    } catch (const std::exception& error) {
        std::cerr << "caseflow serve: page " << call.method << " " << call.path << " failed: " << error.what() << "\n";
        try {
            if (!call.sent) errorPage(call, 500);
        } catch (const std::exception&) {
        }
    }
    if (!call.sent) {
        try {
            send(call, 500, "text/plain; charset=utf-8", "Internal error\n");
        } catch (const std::exception&) {
        }
    }
    service::AccessRecord record;
    record.time = utcNowIso();
    record.requestId = state.nextRequestId++;
    record.remote = service::clientAddress(request, state.config);
    record.method = request.getMethod().substr(0, 16);
    record.path = call.path.substr(0, 512);
    for (char& ch : record.path)
        if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) > 0x7e) ch = '?';
    record.route = "web";
    record.status = call.status;
    record.durationMs = std::chrono::duration<double>(Clock::now() - started).count() * 1000;
    if (call.user) {
        record.user = call.user->name;
        record.role = call.user->role;
    }
    try {
        state.accessLog.write(record);
    } catch (...) {
    }
}

void WebApplication::route(Call& call) {
    const std::string& path = call.path;
    const bool get = call.method == "GET", post = call.method == "POST";
    if (!get && !post) {
        call.response.set("Allow", "GET, HEAD, POST");
        throw HttpError(405, "This page takes GET and POST only.");
    }
    if (get && path.rfind("/static/", 0) == 0) return staticFile(call, path.substr(8));
    if (post) readForm(call);

    if (path == "/sign-in") {
        if (get) {
            const std::string wanted = call.queryValue("lang");
            if (wanted == "fr" || wanted == "nl" || wanted == "en") call.language = wanted;
            return signInPage(call, 200);
        }
        return signIn(call);
    }

    // Everything else needs a session.
    SessionLoss loss = SessionLoss::None;
    {
        auto db = connections_.acquire();
        const std::string identifier = cookie(call, cookieName(call.secure));
        if (!identifier.empty()) call.session = sessions_.resume(*db, identifier, loss);
        if (call.session) {
            call.user = store::AccountRepository(*db).login(call.session->userName);
            if (!call.user || call.user->disabledAt) {
                sessions_.close(*db, identifier);
                call.session.reset();
                call.user.reset();
            } else {
                const auto ids = store::AccountRepository(*db).assignments(call.user->name);
                call.assigned.insert(ids.begin(), ids.end());
                call.language = call.user->language;
            }
        }
    }
    if (!call.session) {
        // A GET comes back after signing in; a form posted into an ended session cannot be
        // replayed safely, so its page is where the user goes back to.
        std::string next = get ? call.target() : localTarget(call.request.get("Referer", ""), "/caseload");
        if (post) {
            const auto form = PostedForm::parse(call.body);
            next = localTarget(form.value("back"), "/caseload");
        }
        std::string location = "/sign-in?next=" + encode(localTarget(next));
        if (loss == SessionLoss::Expired) location += "&expired=1";
        return redirect(call, location);
    }
    if (post && !csrfMatches(call.session->csrfToken, PostedForm::parse(call.request.getContentType(), call.body)))
        throw HttpError(403, t("The form was refused: its security token is missing or out of date. Reload the page "
                               "and try again.",
                               call.language));

    if (path == "/" && get) return redirect(call, "/caseload");
    if (path == "/caseload" && get) return caseload(call);
    if (path == "/due" && get) return due(call);
    if (path == "/sign-out" && post) return signOut(call);
    if (path == "/language" && post) return language(call);
    // Accounts moved to the administration (issue 16): an old bookmark still finds them.
    if (path == "/accounts" && get) return redirect(call, "/admin/accounts");
    if (path == "/signatures" && get) return signingPage(call, 0, "list");
    if (path == "/directory" || path.rfind("/directory/", 0) == 0 || path == "/situations/new") {
        CallFormRequest request(*this, call);
        try {
            if (path == "/situations/new") return registrationForm(request);
            if (path == "/directory" && get) return directoryPage(request);
            if (post) return directoryPost(request, path == "/directory" ? "add" : path.substr(11));
        } catch (const PageRefused& refused) {
            throw HttpError(refused.status(), refused.what());
        }
    }
    if (path == "/budget-check" || path == "/finance" || path.rfind("/finance/", 0) == 0 || path == "/committee" ||
        path.rfind("/committee/", 0) == 0) {
        CallFormRequest request(*this, call);
        const SendFile sendFile = [&](const FileResponse& file) {
            if (!file.disposition.empty()) call.response.set("Content-Disposition", file.disposition);
            if (!file.contentSecurityPolicy.empty())
                call.response.set("Content-Security-Policy", file.contentSecurityPolicy);
            send(call, 200, file.contentType, file.body);
        };
        try {
            if (serveFinancePage(request, path, sendFile)) return;
        } catch (const PageRefused& refused) {
            throw HttpError(refused.status(), refused.what());
        }
    }
    if (path == "/admin" || path.rfind("/admin/", 0) == 0) {
        CallFormRequest request(*this, call);
        try {
            if (serveAdminPage(request, path)) return;
        } catch (const PageRefused& refused) {
            throw HttpError(refused.status(), refused.what());
        }
    }
    if (path.rfind("/situations/", 0) == 0) {
        const std::string rest = path.substr(12);
        const auto slash = rest.find('/');
        const auto id = situationId(rest.substr(0, slash));
        if (!id) throw NotFound("no such page");
        if (slash == std::string::npos && get) return situation(call, *id);
        const std::string tail = rest.substr(slash + 1);
        if (tail == "workflow.svg" && get) return diagram(call, *id);
        if (tail.rfind("documents/", 0) == 0 && get) return document(call, *id, tail.substr(10));
        if (tail.rfind("events/", 0) == 0)
            if (const PhaseForm* form = findPhaseForm(tail.substr(7))) {
                CallFormRequest request(*this, call);
                try {
                    return form->handler(request, *id);
                } catch (const PageRefused& refused) {
                    throw HttpError(refused.status(), refused.what());
                }
            }
        if (tail.rfind("events/", 0) == 0 && isLaterPhaseForm(tail.substr(7)))
            return laterPhaseForm(call, *id, tail.substr(7));
        if (tail.rfind("sign/", 0) == 0 && !signingPageOf(tail.substr(5)).empty())
            return signingPage(call, *id, signingPageOf(tail.substr(5)));
    }
    throw NotFound("no such page");
}

void WebApplication::beginModel(Call& call, PageModel& model, const std::string& pageName) {
    model.open("page").attribute("lang", call.language).attribute("name", pageName).attribute("today", today());
    model.attribute("target", localTarget(call.target(), "/caseload"));
    if (call.session) model.attribute("csrf", call.session->csrfToken);
    if (call.user) {
        model.attribute("user", call.user->name).attribute("role", call.user->role);
        model.attribute("coordinator", call.user->role == "coordinator" ? "true" : "");
        model.attribute("administration", mayAdministerAnything(call.user->role) ? "true" : "");
    }
}

void WebApplication::sendPage(Call& call, int status, const std::string& templateName, PageModel& model) {
    model.close();
    const auto doc = model.document();
    render::RenderInputs inputs;
    inputs.situation = doc.get();
    inputs.language = render::LanguageSpec::page(call.language);
    const std::string html = templates_.get(templateName)->render(inputs);
    send(call, status, "text/html; charset=utf-8", html);
}

void WebApplication::errorPage(Call& call, int status, const std::string& message) {
    PageModel model;
    beginModel(call, model, "error");
    model.attribute("status", std::to_string(status));
    if (!message.empty()) model.leaf("message", {}, message);
    sendPage(call, status, "error", model);
}

void WebApplication::staticFile(Call& call, const std::string& name) {
    // Only plain names of files in the one folder: no path can climb out of it.
    if (name.empty() || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-.") != std::string::npos ||
        name.front() == '.')
        throw NotFound("no such file");
    const auto file = staticDirectory_ / name;
    if (!std::filesystem::is_regular_file(file)) throw NotFound("no such file");
    const auto extension = file.extension().string();
    const std::string type = extension == ".css"   ? "text/css; charset=utf-8"
                             : extension == ".js"  ? "text/javascript; charset=utf-8"
                             : extension == ".svg" ? "image/svg+xml"
                                                   : "application/octet-stream";
    send(call, 200, type, readFile(file), "public, max-age=3600");
}

void WebApplication::signInPage(Call& call, int status, const std::string& error) {
    PageModel model;
    beginModel(call, model, "sign-in");
    // The sign-in form's CSRF token rides in a cookie of its own (double submit): there is no
    // session yet to hold it.
    std::string token = cookie(call, signInCookieName(call.secure));
    if (token.size() != 64) token = randomHex(32);
    call.response.add("Set-Cookie", cookieHeader(call.secure, signInCookieName(call.secure), token));
    model.leaf("signin",
               {{"csrf", token},
                {"next", localTarget(call.queryValue("next").empty() ? PostedForm::parse(call.body).value("next")
                                                                     : call.queryValue("next"))},
                {"expired", call.queryValue("expired") == "1" ? "true" : ""},
                {"name", PostedForm::parse(call.body).value("name")}},
               error);
    sendPage(call, status, "sign-in", model);
}

void WebApplication::signIn(Call& call) {
    const auto form = PostedForm::parse(call.body);
    const std::string expected = cookie(call, signInCookieName(call.secure));
    if (expected.size() != 64 || !csrfMatches(expected, form))
        throw HttpError(403, t("The form was refused: its security token is missing or out of date. Reload the page "
                               "and try again.",
                               call.language));
    const std::string wanted = form.value("lang");
    if (wanted == "fr" || wanted == "nl" || wanted == "en") call.language = wanted;
    const std::string name = form.value("name").substr(0, 200);
    const std::string address = service::clientAddress(call.request, call.state.config);
    if (const auto wait = throttle_.blockedFor(name, address)) {
        const std::string minutes = std::to_string((*wait + 59) / 60);
        std::string message = t("Too many failed attempts. Try again in {minutes} minutes.", call.language);
        message.replace(message.find("{minutes}"), 9, minutes);
        call.response.set("Retry-After", std::to_string(*wait));
        return signInPage(call, 429, message);
    }
    auto db = connections_.acquire();
    const auto login = store::AccountRepository(*db).login(name);
    const bool valid = verifyPassword(login ? login->passwordHash : std::nullopt, form.value("password"));
    if (!valid || !login || login->disabledAt) {
        throttle_.recordFailure(name, address);
        // One message whatever went wrong: it must not tell which names exist.
        return signInPage(call, 401, t("The name or the password is not right.", call.language));
    }
    throttle_.recordSuccess(name);
    const auto opened = sessions_.open(*db, login->name);
    call.response.add("Set-Cookie", cookieHeader(call.secure, cookieName(call.secure), opened.identifier));
    call.response.add("Set-Cookie", cookieHeader(call.secure, signInCookieName(call.secure), "", true));
    call.user = login;
    redirect(call, localTarget(form.value("next")));
}

void WebApplication::signOut(Call& call) {
    auto db = connections_.acquire();
    sessions_.close(*db, cookie(call, cookieName(call.secure)));
    call.response.add("Set-Cookie", cookieHeader(call.secure, cookieName(call.secure), "", true));
    redirect(call, "/sign-in?signed-out=1");
}

void WebApplication::language(Call& call) {
    const auto form = PostedForm::parse(call.body);
    const std::string language = i18n::checkLanguage(form.value("lang"));
    auto db = connections_.acquire();
    store::AccountRepository(*db).setLanguage(call.user->name, language);
    redirect(call, localTarget(form.value("back")));
}

void WebApplication::caseload(Call& call) {
    const Permission permission = permissionFor(call.user->role, Operation::ListSituations);
    if (!permission.allowed()) throw HttpError(403, t("Your role does not give access to this page.", call.language));
    auto process = call.state.pool.acquire();
    process->setLanguage(call.language);
    const std::string stateFilter = call.queryValue("state");
    const bool overdueOnly = call.queryValue("overdue") == "1";
    const bool attentionOnly = call.queryValue("attention") == "1";
    const Date onDay = Date::parseOrThrow(today(), "today");
    // R2's transition ages the youth is at today (age-11-12, age-18), as `caseflow due` lists
    // them: redirected and closed situations are no one's caseload, so they carry none.
    // The row loop has the document parsed already and passes the birth date it read.
    const auto attentionOf = [&](const SituationRecord& record, std::optional<std::string> birthDate = {}) {
        if (record.state.rfind("redirected", 0) == 0 || record.state == "closed") return std::vector<std::string>{};
        if (!birthDate) {
            const auto doc = xml::parseString(record.document, "situation");
            birthDate = xml::XPath(doc.get()).string("string(/situation/youth/birthDate)");
        }
        const auto born = Date::parse(*birthDate);
        return born ? process->network().attentionFlags(*born, onDay) : std::vector<std::string>{};
    };
    // Keyset paging in SQL (issue 19): `after` is the last id of the page before; the state,
    // the overdue flag and a case manager's scope are in the query, so only a page of rows is
    // read. The attention ages depend on today and each youth's birth date, which only the
    // document holds: with that filter, pages of rows are read until this page is full.
    const std::size_t pageSize = std::max<std::size_t>(1, settings_.caseloadPageSize);
    const std::int64_t after = situationId(call.queryValue("after")).value_or(0);
    const std::string now = today();
    store::SituationFilter filter;
    if (!stateFilter.empty()) filter.state = stateFilter;
    if (overdueOnly) filter.overdueOn = now;
    if (permission.access == Access::Assigned) filter.assignedTo.push_back(call.user->name);
    const int limit = static_cast<int>(pageSize);
    std::vector<SituationRecord> kept;
    std::optional<std::int64_t> nextAfter;
    for (std::int64_t from = after;;) {
        auto chunk = process->situationPage(filter, from, limit);
        for (auto& record : chunk.records) {
            // The query chose by assignment already; maySee stays the rule every list obeys.
            if (!maySee(permission, call.assigned.count(record.id) > 0)) continue;
            if (attentionOnly && attentionOf(record).empty()) continue;
            if (kept.size() == pageSize) {
                nextAfter = kept.back().id;
                break;
            }
            kept.push_back(std::move(record));
        }
        if (nextAfter || !chunk.nextAfter) break;
        if (kept.size() == pageSize && !attentionOnly) {
            nextAfter = kept.back().id;
            break;
        }
        from = *chunk.nextAfter;
    }
    std::vector<std::int64_t> ids;
    for (const auto& record : kept) ids.push_back(record.id);
    std::map<std::int64_t, store::DeadlineRow> next;
    std::optional<std::int64_t> previous;
    std::optional<std::int64_t> total;
    {
        auto db = connections_.acquire();
        for (auto& deadline : store::DeadlineRepository(*db).nextPending(ids)) next[deadline.situationId] = deadline;
        if (after > 0 && !attentionOnly)
            previous = store::SituationRepository(*db).previousAfter(filter, kept.empty() ? after + 1 : kept.front().id,
                                                                     limit);
        else if (after > 0)
            previous = 0; // back to the first page: what comes before is known only by reading it all
    }
    if (!attentionOnly) total = process->situationCount(filter);

    PageModel model;
    beginModel(call, model, "caseload");
    model.open("filters")
        .attribute("state", stateFilter)
        .attribute("overdue", overdueOnly ? "true" : "")
        .attribute("attention", attentionOnly ? "true" : "");
    std::set<std::string> states;
    for (const auto& state : process->chart().states())
        if (state.isAtomic) states.insert(state.id);
    for (const auto& state : states)
        model.leaf("state", {{"id", state}, {"selected", state == stateFilter ? "true" : ""}});
    model.close();

    std::vector<std::int64_t> shown;
    model.open("situations");
    if (total) model.attribute("total", std::to_string(*total));
    if (previous) model.attribute("previous", std::to_string(*previous));
    if (nextAfter) model.attribute("next", std::to_string(*nextAfter));
    for (const SituationRecord& record : kept) {
        const auto doc = xml::parseString(record.document, "situation");
        xml::XPath xpath(doc.get());
        const auto deadline = next.find(record.id);
        model.open("situation")
            .attribute("id", std::to_string(record.id))
            .attribute("state", record.state)
            .attribute("category", record.category ? std::to_string(*record.category) : "");
        if (permission.view == View::Full) {
            model.attribute("reference", xpath.string("string(/situation/youth/reference)"));
            model.attribute("municipality", record.municipality);
        }
        if (deadline != next.end()) {
            model.attribute("due", deadline->second.due).attribute("dueEvent", deadline->second.event);
            if (deadline->second.due < now) model.attribute("overdue", "true");
        }
        if (returnedDossier(record)) model.attribute("returned", "true");
        for (const auto& flag : attentionOf(record, xpath.string("string(/situation/youth/birthDate)")))
            model.leaf("attention", {{"flag", flag}});
        model.close();
        shown.push_back(record.id);
    }
    model.close();
    call.state.readLog.record(call.principal(), shown, "list");
    sendPage(call, 200, "caseload", model);
}

void WebApplication::due(Call& call) {
    const Permission permission = permissionFor(call.user->role, Operation::ListDue);
    if (!permission.allowed()) throw HttpError(403, t("Your role does not give access to this page.", call.language));
    // One page of deadlines read in SQL (issue 19), `after` the cursor of the last one shown; a
    // scoped user's page is its assignments, chosen by the query itself.
    std::optional<store::DeadlineKey> after;
    if (const std::string cursor = call.queryValue("after"); !cursor.empty()) {
        after = parseDueCursor(cursor);
        if (!after)
            throw HttpError(
                400, t("This page of deadlines does not exist: start again from the first page.", call.language));
    }
    auto process = call.state.pool.acquire();
    const Date horizon = Date::parseOrThrow(today(), "today").addDays(14);
    const std::string now = today();
    DueQuery query;
    query.at = horizon;
    if (permission.access == Access::Assigned) query.assignedTo = call.user->name;
    const auto page = dueDeadlinesPage(process->database(), query, after,
                                       static_cast<int>(std::max<std::size_t>(1, settings_.caseloadPageSize)));
    PageModel model;
    beginModel(call, model, "due");
    model.open("deadlines").attribute("until", horizon.iso());
    if (after) model.attribute("later", "true");
    if (page.next) model.attribute("next", dueCursor(*page.next));
    for (const auto& deadline : page.deadlines) {
        if (!maySee(permission, call.assigned.count(deadline.situationId) > 0)) continue;
        model.leaf("deadline", {{"situation", std::to_string(deadline.situationId)},
                                {"event", deadline.event},
                                {"label", eventLabel(deadline.event, call.language)},
                                {"due", deadline.due},
                                {"overdue", deadline.due < now ? "true" : ""}});
    }
    model.close();
    sendPage(call, 200, "due", model);
}

void WebApplication::situation(Call& call, std::int64_t id) {
    const Permission permission = permissionFor(call.user->role, Operation::ReadSituation);
    if (!permission.allowed()) throw HttpError(403, t("Your role does not give access to this page.", call.language));
    auto process = call.state.pool.acquire();
    process->setLanguage(call.language);
    const SituationRecord record = process->situation(id);
    if (!maySee(permission, call.assigned.count(id) > 0))
        throw HttpError(403, t("This situation is not one of yours.", call.language));
    call.state.readLog.record(call.principal(), {id}, "situation");

    PageModel model;
    beginModel(call, model, "situation");
    const auto doc = xml::parseString(record.document, "situation");
    xml::XPath xpath(doc.get());
    model.open("situation")
        .attribute("id", std::to_string(record.id))
        .attribute("state", record.state)
        .attribute("version", std::to_string(record.version))
        .attribute("category", record.category ? std::to_string(*record.category) : "")
        .attribute("registeredAt", record.registeredAt)
        .attribute("view", permission.view == View::Full ? "full" : "restricted");
    if (permission.view == View::Full) {
        model.attribute("reference", xpath.string("string(/situation/youth/reference)"));
        model.attribute("municipality", record.municipality);
    }
    if (permissionFor(call.user->role, Operation::FireEvent).allowed())
        for (const auto& event : process->allowedEvents(id)) {
            // Reminders that deadlines raise (followup.due, review.due...) declare no data: they
            // are not something a person does, so they are not offered.
            if (!process->chart().declarationOf(event)) continue;
            model.leaf("event", {{"name", event},
                                 {"label", eventLabel(event, call.language)},
                                 {"form", findPhaseForm(event) || isLaterPhaseForm(event) ? "true" : ""}});
        }
    for (const auto& step : phaseSteps(process->chart(), record.state, call.language))
        model.leaf("phase", {{"id", step.id},
                             {"label", step.label},
                             {"done", step.done ? "true" : ""},
                             {"current", step.current ? "true" : ""}});
    if (call.queryValue("registered") == "1") {
        // The outcome of the registration form: the category derived (R2) and, when the
        // eligibility step redirected the situation, why and to whom.
        model.leaf("registered", {{"redirection", xpath.string("string(/situation/redirection/@reason)")},
                                  {"redirectedTo", xpath.string("string(/situation/redirection/redirectedTo)")}});
    }

    if (const std::string done = call.queryValue("done"); done == "youth.moved" || done == "registration.corrected" ||
                                                          done == "youth.placement-changed" ||
                                                          done == "family.language-changed") {
        // A correction's outcome: recorded, and whether the eligibility step redirected the
        // situation (a move out of the territory) or reopened it.
        model.leaf("corrected", {{"label", eventLabel(done, call.language)},
                                 {"redirection", xpath.string("string(/situation/redirection/@reason)")},
                                 {"redirectedTo", xpath.string("string(/situation/redirection/redirectedTo)")}});
    }
    const Permission documents = permissionFor(call.user->role, Operation::RenderDocument);
    if (documents.allowed() && documents.view == View::Full) {
        const render::DocumentRenderer renderer;
        for (const auto& name : render::documentNames())
            if (renderer.applies(record, process->network(), name))
                model.leaf("document", {{"name", name}, {"label", documentLabel(name, call.language)}});
    }
    const Permission history = permissionFor(call.user->role, Operation::ReadHistory);
    if (history.allowed() && history.view == View::Full) {
        call.state.readLog.record(call.principal(), {id}, "history");
        for (const auto& event : process->history(id))
            model.leaf("history",
                       {{"sequence", std::to_string(event.sequence)},
                        {"type", event.type},
                        {"label", eventLabel(event.type, call.language)},
                        {"roleLabel", roleLabel(event.actor.substr(0, event.actor.find(':')), call.language)},
                        {"actor", event.actor.substr(event.actor.find(':') + 1)},
                        {"role", event.actor.substr(0, event.actor.find(':'))},
                        {"at", event.recordedAt}});
    }
    model.close();
    sendPage(call, 200, "situation", model);
}

void WebApplication::document(Call& call, std::int64_t id, const std::string& name) {
    const Permission permission = permissionFor(call.user->role, Operation::RenderDocument);
    if (!permission.allowed() || permission.view != View::Full)
        throw HttpError(403, t("Your role does not give access to this page.", call.language));
    render::RenderRequest request;
    request.document = name;
    request.language = call.queryValue("lang").empty() ? call.language : call.queryValue("lang");
    if (request.language == "en") request.language = "fr";
    request.format = call.queryValue("format").empty() ? "html" : call.queryValue("format");
    request.item = call.queryValue("item");
    render::checkRequest(request);
    auto process = call.state.pool.acquire();
    const SituationRecord record = process->situation(id);
    if (!maySee(permission, call.assigned.count(id) > 0))
        throw HttpError(403, t("This situation is not one of yours.", call.language));
    call.state.readLog.record(call.principal(), {id}, "document:" + name);
    const std::string bytes = render::renderDocument(*process, record, request);
    if (request.format == "html") {
        // A document's HTML carries its print stylesheet inline and no script: it gets a
        // policy of its own, which allows that style and nothing else.
        call.response.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                                     "frame-ancestors 'none'; form-action 'none'; base-uri 'none'");
    } else {
        call.response.set("Content-Disposition",
                          "attachment; filename=\"" + render::documentFileName(record, request) + "\"");
    }
    send(call, 200, render::contentType(request.format), bytes);
}

void WebApplication::diagram(Call& call, std::int64_t id) {
    const Permission permission = permissionFor(call.user->role, Operation::ReadSituation);
    if (!permission.allowed()) throw HttpError(403, t("Your role does not give access to this page.", call.language));
    auto process = call.state.pool.acquire();
    const SituationRecord record = process->situation(id);
    if (!maySee(permission, call.assigned.count(id) > 0))
        throw HttpError(403, t("This situation is not one of yours.", call.language));
    // The SVG is drawn for the user's language: it holds the phases' names and "you are here".
    call.response.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'");
    send(call, 200, "image/svg+xml",
         phaseDiagramSvg(phaseSteps(process->chart(), record.state, call.language), call.language,
                         call.queryValue("layout") == "vertical"));
}

// The later phases' forms (web/LaterPhaseForms.h), under the same matrix as firing an event
// through the API: a user who may not fire events, or not on this situation, gets 403.
void WebApplication::laterPhaseForm(Call& call, std::int64_t id, const std::string& event) {
    const Permission permission = permissionFor(call.user->role, Operation::FireEvent);
    if (!permission.allowed()) throw HttpError(403, t("Your role does not give access to this page.", call.language));
    auto process = call.state.pool.acquire();
    process->setLanguage(call.language);
    process->situation(id);
    if (!maySee(permission, call.assigned.count(id) > 0))
        throw HttpError(403, t("This situation is not one of yours.", call.language));
    PhaseFormCall form{
        *process,
        id,
        event,
        call.method == "POST",
        call.method == "POST" ? PostedForm::parse(call.request.getContentType(), call.body) : PostedForm(),
        call.language,
        call.actor(),
        [&](PageModel& model, const std::string& name) { beginModel(call, model, name); },
        [&](int status, const std::string& name, PageModel& model) { sendPage(call, status, name, model); },
        [&](const std::string& location) { redirect(call, location); },
        [&](const std::string& type, const std::string& fileName, const std::string& bytes) {
            call.response.set("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
            send(call, 200, type, bytes);
        }};
    handleLaterPhaseForm(form);
}

// Signing in the browser (web/SigningPages.h), under the same matrix as firing an event.
void WebApplication::signingPage(Call& call, std::int64_t id, const std::string& page) {
    const Permission permission = permissionFor(call.user->role, Operation::FireEvent);
    if (!permission.allowed()) throw HttpError(403, t("Your role does not give access to this page.", call.language));
    auto process = call.state.pool.acquire();
    process->setLanguage(call.language);
    if (id != 0) {
        process->situation(id);
        if (!maySee(permission, call.assigned.count(id) > 0))
            throw HttpError(403, t("This situation is not one of yours.", call.language));
    }
    SigningCall signing{
        *process,
        pendingSignatures_,
        decisionDrafts_,
        page,
        id,
        call.method == "POST",
        call.method == "POST" ? PostedForm::parse(call.body) : PostedForm(),
        call.language,
        call.actor(),
        [&](std::int64_t situation) { return maySee(permission, call.assigned.count(situation) > 0); },
        [&](PageModel& model, const std::string& name) { beginModel(call, model, name); },
        [&](int status, const std::string& name, PageModel& model) { sendPage(call, status, name, model); },
        [&](const std::string& location) { redirect(call, location); },
        [&](int status, const std::string& body) { send(call, status, "application/json; charset=utf-8", body); },
        call.queryValue("request")};
    handleSigningPage(signing);
}

} // namespace caseflow::web
