// Commands of the HTTP service: `serve`, and the users and tokens it authenticates
// (`user add|assign|list`, `token issue|revoke|list`). What must stay true: a token's secret
// is printed once, by `token issue`, and never again; `serve` stops only through SIGTERM or
// SIGINT, after the requests in progress are answered.
#include "cli/Commands.h"
#include "cli/ExitCodes.h"
#include "core/Errors.h"
#include "i18n/Translator.h"
#include "render/PdfWorker.h"
#include "service/Accounts.h"
#include "service/Server.h"
#include "store/SessionRepository.h"
#include "web/Passwords.h"
#include "web/WebApplication.h"

#include <Poco/JSON/Array.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <malloc.h>
#include <pthread.h>
#include <thread>
#include <unistd.h>

namespace caseflow::cli {
namespace {

using service::Accounts;

Poco::JSON::Object::Ptr userJson(const service::UserRecord& user) {
    auto json = Poco::makeShared<Poco::JSON::Object>();
    json->set("name", user.name);
    json->set("role", user.role);
    json->set("createdAt", user.createdAt);
    Poco::JSON::Array situations;
    for (auto id : user.situations) situations.add(id);
    json->set("situations", situations);
    return json;
}

std::string situationsText(const std::vector<std::int64_t>& ids) {
    std::string text;
    for (auto id : ids) text += (text.empty() ? "" : ",") + std::to_string(id);
    return text.empty() ? "-" : text;
}

// Assignments name situations that exist: a typo would silently give access to nothing,
// or later to someone else's situation.
std::vector<std::int64_t> existingSituations(FundingProcess& process, const std::string& list) {
    auto ids = service::parseSituationList(list);
    for (auto id : ids) process.situation(id);
    return ids;
}

int serve(Invocation& in) {
    service::ServiceConfig config;
    if (auto file = in.option("--config")) {
        config = service::ServiceConfig::load(*file);
        if (auto db = in.option("--db")) config.database = *db;
    } else {
        config.database = databasePath(in);
    }
    if (auto bind = in.option("--bind")) config.setBind(*bind);
    if (auto threads = in.option("--threads")) {
        if (threads->empty() || threads->size() > 4 || threads->find_first_not_of("0123456789") != std::string::npos)
            throw UsageError("--threads takes a number from 1 to 1024");
        config.threads = std::stoi(*threads);
    }
    const auto seconds = [](const std::string& option, const std::string& text) {
        if (text.empty() || text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos ||
            std::stoi(text) < 1 || std::stoi(text) > 3600)
            throw UsageError(option + " takes a number of seconds from 1 to 3600");
        return std::stoi(text);
    };
    if (auto head = in.option("--head-timeout")) config.headTimeoutSeconds = seconds("--head-timeout", *head);
    if (auto body = in.option("--body-timeout")) config.bodyTimeoutSeconds = seconds("--body-timeout", *body);
    if (auto log = in.option("--access-log")) config.accessLog = *log;
    if (auto workflow = in.option("--workflow")) config.workflow = *workflow;
    config.validate();

    // Termination signals are blocked before any thread starts, so every server thread
    // inherits the mask and only the sigwait below ever receives them: no handler runs in
    // the middle of a request.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    // PDFs go through long-lived WeasyPrint workers: two let one slow document not hold up
    // every other PDF request, more would only compete for the cores.
    render::configureSharedPdfWorkers(std::min(2u, std::max(1u, std::thread::hardware_concurrency())));
    service::Server server(config);
    // The web application answers every path outside the API (docs/web.md). Session lifetimes
    // may be shortened through the environment, for the browser tests only.
    web::WebSettings webSettings;
    webSettings.tls = config.tls();
    if (const char* idle = std::getenv("CASEFLOW_SESSION_IDLE_SECONDS"))
        webSettings.sessionIdleSeconds = std::max(1, std::atoi(idle));
    // The first start migrates the database (the pages' tables included) before the pages open it.
    server.state().pool.warmUp();
    server.state().pages = std::make_shared<web::WebApplication>(config.database, webSettings);
    server.start();
    in.out << "caseflow: listening on " << (server.tls() ? "https://" : "http://") << config.host << ":"
           << server.port() << " (database " << config.database.string() << ", " << config.threads << " threads)"
           << std::endl;
    // glibc keeps what a request freed in its per-thread arenas, so the resident memory stays
    // at the highest any request reached (a committee report over 100 000 situations holds
    // hundreds of MB while it runs, and four workers can each keep their own peak). The main
    // thread has nothing else to do: every few seconds it hands the free pages back, and the
    // resident memory falls back to what is in use (issue 19: server RSS < 100 MB). A build
    // with mimalloc (the default) returns freed pages by itself; the call then finds nothing.
    int received = -1;
    const timespec trimEvery{5, 0};
    while ((received = sigtimedwait(&signals, nullptr, &trimEvery)) < 0) malloc_trim(0);
    in.err << "caseflow: " << strsignal(received) << ", finishing the requests in progress" << std::endl;
    server.stop();
    in.err << "caseflow: stopped" << std::endl;
    return kOk;
}

int userAdd(Invocation& in) {
    const auto role = in.option("--role");
    if (!role) throw UsageError("user add needs --role ROLE");
    auto process = openProcess(in);
    std::vector<std::int64_t> situations;
    if (auto list = in.option("--situations")) situations = existingSituations(process, *list);
    const auto user = Accounts(process.accounts()).addUser(in.positional(0), *role, situations);
    if (in.flag("--json"))
        printJson(in.out, userJson(user));
    else
        in.out << "user '" << user.name << "' (" << user.role << "), situations " << situationsText(user.situations)
               << "\n";
    return kOk;
}

int userAssign(Invocation& in) {
    const auto list = in.option("--situations");
    if (!list) throw UsageError("user assign needs --situations 1,2,...");
    auto process = openProcess(in);
    const auto user = Accounts(process.accounts()).assign(in.positional(0), existingSituations(process, *list));
    if (in.flag("--json"))
        printJson(in.out, userJson(user));
    else
        in.out << "user '" << user.name << "' (" << user.role << "), situations " << situationsText(user.situations)
               << "\n";
    return kOk;
}

int userList(Invocation& in) {
    auto process = openProcess(in);
    const auto users = Accounts(process.accounts()).users();
    if (in.flag("--json")) {
        Poco::JSON::Array list;
        for (const auto& user : users) list.add(userJson(user));
        printJson(in.out, list);
        return kOk;
    }
    for (const auto& user : users)
        in.out << user.name << "  " << user.role << "  situations " << situationsText(user.situations) << "\n";
    if (users.empty()) in.err << "no users; add one with `caseflow user add NAME --role ROLE`\n";
    return kOk;
}

// The password a user signs in to the web application with: typed twice on a terminal (not
// echoed), else read as the first line of standard input (scripts, the pilot job).
int userPassword(Invocation& in) {
    auto process = openProcess(in);
    const std::string name = in.positional(0);
    auto rows = process.accounts();
    if (!rows.login(name)) throw NotFound("no user named '" + name + "'; add one with `caseflow user add`");
    std::string password;
    if (isatty(STDIN_FILENO)) {
        const char* first = getpass("new password: ");
        password = first ? first : "";
        const char* second = getpass("again: ");
        if (!second || password != second) throw UsageError("the two passwords differ");
    } else {
        std::getline(std::cin, password);
        if (!password.empty() && password.back() == '\r') password.pop_back();
    }
    rows.setPasswordHash(name, web::hashPassword(password));
    if (auto language = in.option("--lang")) rows.setLanguage(name, i18n::checkLanguage(*language));
    in.out << "password set for '" << name << "'\n";
    return kOk;
}

int tokenIssue(Invocation& in) {
    std::optional<int> days;
    if (auto text = in.option("--expires")) {
        if (text->empty() || text->size() > 4 || text->find_first_not_of("0123456789") != std::string::npos)
            throw UsageError("--expires takes a number of days from 1 to 3650");
        days = std::stoi(*text);
    }
    auto process = openProcess(in);
    const auto issued = Accounts(process.accounts()).issueToken(in.positional(0), days);
    if (in.flag("--json")) {
        auto json = Poco::makeShared<Poco::JSON::Object>();
        json->set("id", issued.record.id);
        json->set("user", issued.record.userName);
        json->set("token", issued.secret);
        if (issued.record.expiresAt) json->set("expiresAt", *issued.record.expiresAt);
        printJson(in.out, json);
    } else {
        in.out << issued.secret << "\n";
        in.err << "token " << issued.record.id << " for '" << issued.record.userName << "'"
               << (issued.record.expiresAt ? ", expires " + *issued.record.expiresAt : std::string(", no expiry"))
               << ". It is shown only this once: store it now.\n";
    }
    return kOk;
}

int tokenRevoke(Invocation& in) {
    auto process = openProcess(in);
    Accounts accounts(process.accounts());
    if (auto user = in.option("--user")) {
        if (in.positionalCount() > 0) throw UsageError("give a token id or --user NAME, not both");
        in.out << "revoked " << accounts.revokeTokensOf(*user) << " token(s) of '" << *user << "'\n";
        return kOk;
    }
    if (in.positionalCount() != 1)
        throw UsageError("token revoke needs a token id (see `caseflow token list`) or --user NAME");
    if (!accounts.revokeToken(in.positional(0))) throw NotFound("no active token " + in.positional(0));
    in.out << "revoked token " << in.positional(0) << "\n";
    return kOk;
}

int tokenList(Invocation& in) {
    auto process = openProcess(in);
    std::optional<std::string> name;
    if (in.positionalCount() > 0) name = in.positional(0);
    const auto tokens = Accounts(process.accounts()).tokens(name);
    if (in.flag("--json")) {
        Poco::JSON::Array list;
        for (const auto& token : tokens) {
            auto json = Poco::makeShared<Poco::JSON::Object>();
            json->set("id", token.id);
            json->set("user", token.userName);
            json->set("createdAt", token.createdAt);
            json->set("expiresAt", token.expiresAt ? Poco::Dynamic::Var(*token.expiresAt) : Poco::Dynamic::Var());
            json->set("revokedAt", token.revokedAt ? Poco::Dynamic::Var(*token.revokedAt) : Poco::Dynamic::Var());
            list.add(json);
        }
        printJson(in.out, list);
        return kOk;
    }
    for (const auto& token : tokens)
        in.out << token.id << "  " << token.userName << "  created " << token.createdAt << "  "
               << (token.revokedAt   ? "revoked " + *token.revokedAt
                   : token.expiresAt ? "expires " + *token.expiresAt
                                     : std::string("no expiry"))
               << "\n";
    return kOk;
}

} // namespace

void addServiceCommands(std::vector<CommandSpec>& commands) {
    commands.push_back(
        {"serve",
         "",
         "run the HTTP JSON API (docs/api.md) and the web application (docs/web.md) until SIGTERM or SIGINT",
         "Listens on --bind (default 127.0.0.1:8080); --config FILE (.json or key = value) sets the limits, TLS\n"
         "(tls.certificate and tls.privateKey) and the access log, see docs/api.md. On SIGTERM or SIGINT the\n"
         "server stops accepting, answers the requests in progress and exits 0.",
         {{"--config", "FILE", "service settings (JSON or properties)"},
          {"--bind", "HOST:PORT", "where to listen (default 127.0.0.1:8080; port 0 picks a free one)"},
          {"--threads", "N", "worker threads, each with its own database connection (default 16)"},
          {"--head-timeout", "SECONDS", "the whole request head must arrive within this (default 10)"},
          {"--body-timeout", "SECONDS", "the whole request body must arrive within this (default 15)"},
          {"--access-log", "FILE", "one JSON line per request: FILE, - for standard error (default), or off"},
          {"--workflow", "FILE", "the workflow definition (default: workflows/funding.scxml)"}},
         0,
         0,
         serve});
    commands.push_back(
        {"user add",
         "NAME",
         "create a user of the HTTP service with one role",
         "Roles: coordinator, case_manager, pedopsychiatrist, finance, partner, committee.\n"
         "Case managers, pedopsychiatrists and partners see only the situations they are assigned to.",
         {{"--role", "ROLE", "the user's role"}, {"--situations", "IDS", "assign these situations, e.g. 1,2,5"}},
         1,
         1,
         userAdd});
    commands.push_back({"user assign",
                        "NAME",
                        "assign more situations to a user",
                        "",
                        {{"--situations", "IDS", "situation ids, e.g. 1,2,5"}},
                        1,
                        1,
                        userAssign});
    commands.push_back(
        {"user password",
         "NAME",
         "set the password a user signs in to the web application with",
         "On a terminal the password is asked twice and not shown; otherwise the first line of standard\n"
         "input is the password (at least 10 characters). Stored as an Argon2id hash (docs/web.md).",
         {{"--lang", "LANG", "also set the user's language: fr, nl or en"}},
         1,
         1,
         userPassword});
    commands.push_back({"user list", "", "list the users, their roles and assignments", "", {}, 0, 0, userList});
    commands.push_back({"token issue",
                        "NAME",
                        "issue a bearer token for a user and print it once",
                        "Only the token's SHA-256 hash is stored: a lost token cannot be shown again, issue a new one.",
                        {{"--expires", "DAYS", "the token expires after DAYS days (default: never)"}},
                        1,
                        1,
                        tokenIssue});
    commands.push_back({"token revoke",
                        "[ID]",
                        "revoke a token by id, or all of a user's tokens",
                        "",
                        {{"--user", "NAME", "revoke every active token of this user"}},
                        0,
                        1,
                        tokenRevoke});
    commands.push_back(
        {"token list", "[NAME]", "list tokens (ids, owners, expiry; never the secrets)", "", {}, 0, 1, tokenList});
}

} // namespace caseflow::cli
