// The coordinator's administration pages (AdminPages.h): signers, accounts, API tokens and the
// read audit. What must stay true: every handler asks mayAdminister first; changes go through
// signature::TrustStore and service::Accounts, the CLI's own code paths, never through the rows
// directly; a token's secret leaves the server once, in the 200 answer to the form that issued
// it (not through a redirect, which would need it kept somewhere); no GET changes anything.
// Who did what is kept by the stores themselves (a signer's revokedBy and reason, a token's
// revokedAt, an account's disabledAt) and each POST, with its user, by the access log.
#include "web/AdminPages.h"

#include "core/Errors.h"
#include "model/Date.h"
#include "process/Authorisation.h"
#include "process/FundingProcess.h"
#include "service/Accounts.h"
#include "signature/TrustStore.h"
#include "store/AccountRepository.h"
#include "store/ReadLogStore.h"
#include "store/SessionRepository.h"
#include "web/Labels.h"
#include "web/Passwords.h"

#include <Poco/URI.h>

#include <algorithm>
#include <exception>
#include <map>

namespace caseflow::web {
namespace {

constexpr std::int64_t kReadsPerPage = 50;
constexpr int kDefaultTokenDays = 90;

// The `web` catalog in the user's language; scripts/extract-web-messages.py finds the calls.
std::string t(const std::string& msgid, const FormRequest& request) {
    return request.translate(msgid);
}

void requireAdministration(const FormRequest& request, Administration part) {
    if (!mayAdminister(request.role(), part))
        throw PageRefused(403, t("Your role does not give access to this page.", request));
}

std::optional<std::int64_t> numberOf(const std::string& text) {
    if (text.empty() || text.size() > 12 || text.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    return std::stoll(text);
}

service::Accounts accountsOf(FormRequest& request) {
    return service::Accounts(store::AccountRepository(request.database()));
}

// ---- accounts -------------------------------------------------------------------------------

void accountsPage(FormRequest& request, int status = 200, const FormEcho* echo = nullptr) {
    requireAdministration(request, Administration::Accounts);
    store::AccountRepository rows(request.database());
    service::Accounts accounts(rows);
    PageModel model;
    request.beginModel(model, "admin-accounts");
    model.attribute("done", request.queryValue("done"));
    for (const auto& role : kUserRoles)
        model.leaf("role", {{"id", std::string(role)}, {"label", roleLabel(std::string(role), request.language())}});
    std::map<std::string, service::UserRecord> users;
    for (auto& user : accounts.users()) users.emplace(user.name, std::move(user));
    for (const auto& login : rows.logins()) {
        std::string situations;
        const auto user = users.find(login.name);
        if (user != users.end())
            for (const auto id : user->second.situations)
                situations += (situations.empty() ? "" : ", ") + std::to_string(id);
        model.leaf("account", {{"name", login.name},
                               {"role", login.role},
                               {"roleLabel", roleLabel(login.role, request.language())},
                               {"language", login.language},
                               {"createdAt", user != users.end() ? user->second.createdAt : ""},
                               {"situations", situations},
                               {"scoped", isScopedRole(login.role) ? "true" : ""},
                               {"password", login.passwordHash ? "true" : ""},
                               {"disabledAt", login.disabledAt.value_or("")},
                               {"self", login.name == request.actor().name ? "true" : ""}});
    }
    if (echo) echo->write(model);
    request.sendPage(status, "admin-accounts", model);
}

void passwordProblem(FormEcho& echo, const std::string& password, const FormRequest& request) {
    try {
        checkPassword(password);
    } catch (const UsageError&) {
        echo.errors.push_back({"password", "", t("A password needs at least 10 characters.", request)});
    }
}

void accountsPost(FormRequest& request, const std::string& action) {
    requireAdministration(request, Administration::Accounts);
    const PostedForm& form = request.form();
    FormEcho echo{action, form.fields(), {}};
    const std::string name = form.value("name");
    store::AccountRepository rows(request.database());
    service::Accounts accounts(rows);
    if (action == "create") {
        const std::string role = form.value("role"), language = form.value("language");
        if (std::find(kUserRoles.begin(), kUserRoles.end(), role) == kUserRoles.end())
            echo.errors.push_back({"role", "", t("Choose one of the roles.", request)});
        if (language != "fr" && language != "nl" && language != "en")
            echo.errors.push_back({"language", "", t("Choose French, Dutch or English.", request)});
        if (rows.user(name)) echo.errors.push_back({"name", "", t("An account of that name exists already.", request)});
        std::vector<std::int64_t> situations;
        if (!form.value("situations").empty()) {
            try {
                situations = service::parseSituationList(form.value("situations"));
            } catch (const UsageError&) {
                echo.errors.push_back(
                    {"situations", "", t("Give situation numbers separated by commas, like 3,12.", request)});
            }
        }
        passwordProblem(echo, form.value("password"), request);
        if (!echo.errors.empty()) return accountsPage(request, 422, &echo);
        try {
            // One transaction: the user, their situations, password and language, or nothing.
            accounts.createAccount({name, role, situations, hashPassword(form.value("password")), language});
        } catch (const UsageError&) {
            echo.errors.push_back({"name", "",
                                   t("A name has 1 to 100 characters, no control characters and no space at either "
                                     "end.",
                                     request)});
            return accountsPage(request, 422, &echo);
        }
        return request.redirect("/admin/accounts?done=created");
    }
    if (!rows.login(name)) throw PageRefused(404, t("There is no such account.", request));
    if (action == "password") {
        passwordProblem(echo, form.value("password"), request);
        if (!echo.errors.empty()) return accountsPage(request, 422, &echo);
        rows.setPasswordHash(name, hashPassword(form.value("password")));
        store::SessionRepository(request.database()).removeAllOf(name);
        return request.redirect("/admin/accounts?done=password");
    }
    if (action == "assign") {
        try {
            accounts.assign(name, service::parseSituationList(form.value("situations")));
        } catch (const UsageError&) {
            echo.errors.push_back(
                {"situations", "", t("Give situation numbers separated by commas, like 3,12.", request)});
            return accountsPage(request, 422, &echo);
        }
        return request.redirect("/admin/accounts?done=assigned");
    }
    if (action == "disable") {
        if (name == request.actor().name) {
            echo.errors.push_back({"name", "", t("You cannot disable your own account.", request)});
            return accountsPage(request, 422, &echo);
        }
        // Its tokens are revoked by Accounts and its sessions end here: nothing it holds works on.
        accounts.setDisabled(name, true);
        store::SessionRepository(request.database()).removeAllOf(name);
        return request.redirect("/admin/accounts?done=disabled");
    }
    if (action == "enable") {
        accounts.setDisabled(name, false);
        return request.redirect("/admin/accounts?done=enabled");
    }
    throw PageRefused(404, t("There is no such page.", request));
}

// ---- tokens ---------------------------------------------------------------------------------

void tokensPage(FormRequest& request, int status = 200, const FormEcho* echo = nullptr,
                const service::IssuedToken* issued = nullptr) {
    requireAdministration(request, Administration::Tokens);
    store::AccountRepository rows(request.database());
    const std::string now = utcNowIso();
    PageModel model;
    request.beginModel(model, "admin-tokens");
    model.attribute("done", request.queryValue("done"));
    model.attribute("defaultDays", std::to_string(kDefaultTokenDays));
    for (const auto& login : rows.logins())
        if (!login.disabledAt) model.leaf("owner", {{"name", login.name}});
    const auto tokens = service::Accounts(rows).tokens();
    // Newest first: the one just issued or revoked is at the top.
    for (auto token = tokens.rbegin(); token != tokens.rend(); ++token) {
        const bool expired = token->expiresAt && *token->expiresAt <= now;
        model.leaf("token", {{"id", token->id},
                             {"owner", token->userName},
                             {"createdAt", token->createdAt},
                             {"expiresAt", token->expiresAt.value_or("")},
                             {"revokedAt", token->revokedAt.value_or("")},
                             {"expired", expired ? "true" : ""}});
    }
    if (issued)
        // The secret, this once: it is stored nowhere but as a hash.
        model.leaf("issued", {{"id", issued->record.id},
                              {"owner", issued->record.userName},
                              {"expiresAt", issued->record.expiresAt.value_or("")},
                              {"secret", issued->secret}});
    if (echo) echo->write(model);
    request.sendPage(status, "admin-tokens", model);
}

void tokensPost(FormRequest& request, const std::string& action) {
    requireAdministration(request, Administration::Tokens);
    const PostedForm& form = request.form();
    service::Accounts accounts = accountsOf(request);
    if (action == "revoke") {
        // Through Accounts, which is where any cache of tokens learns of it.
        if (!accounts.revokeToken(form.value("id")))
            throw PageRefused(404, t("There is no such active token.", request));
        return request.redirect("/admin/tokens?done=revoked");
    }
    if (action != "issue") throw PageRefused(404, t("There is no such page.", request));
    FormEcho echo{"issue", form.fields(), {}};
    const std::string owner = form.value("owner");
    const auto login = store::AccountRepository(request.database()).login(owner);
    if (!login || login->disabledAt)
        echo.errors.push_back({"owner", "", t("Choose an account that is not disabled.", request)});
    const auto days = numberOf(form.value("days"));
    if (!days || *days < 1 || *days > 3650)
        echo.errors.push_back({"days", "", t("A token is valid for 1 to 3650 days.", request)});
    if (!echo.errors.empty()) return tokensPage(request, 422, &echo);
    const auto issued = accounts.issueToken(owner, static_cast<int>(*days));
    tokensPage(request, 200, nullptr, &issued);
}

// ---- signers --------------------------------------------------------------------------------

std::string signerStatus(const signature::SignerRecord& signer, const std::string& now) {
    if (signer.revokedAt) return "revoked";
    if (signer.notAfter <= now) return "expired";
    if (signer.notBefore > now) return "not-yet-valid";
    return "valid";
}

void signersPage(FormRequest& request, int status = 200, const FormEcho* echo = nullptr) {
    requireAdministration(request, Administration::Signers);
    signature::TrustStore trust = request.process().trustStore();
    const std::string now = utcNowIso();
    PageModel model;
    request.beginModel(model, "admin-signers");
    model.attribute("done", request.queryValue("done"));
    if (const auto authority = trust.authority())
        model.leaf("authority", {{"subject", authority->subject}, {"notAfter", authority->certificate.notAfter()}});
    // The confirmation step: asked for by the revoke link, or shown again with the refusal.
    std::string confirming = request.queryValue("revoke");
    if (echo)
        for (const auto& [name, value] : echo->values)
            if (name == "fingerprint") confirming = value;
    for (const auto& signer : trust.signers()) {
        model.leaf("signer", {{"fingerprint", signer.fingerprint},
                              {"name", signer.name},
                              {"role", signer.role},
                              {"roleLabel", roleLabel(signer.role, request.language())},
                              {"subject", signer.certificate.subject()},
                              {"serial", signer.serial},
                              {"notBefore", signer.notBefore},
                              {"notAfter", signer.notAfter},
                              {"status", signerStatus(signer, now)},
                              {"revokedAt", signer.revokedAt.value_or("")},
                              {"revokedBy", signer.revokedBy.value_or("")},
                              {"reason", signer.revocationReason.value_or("")},
                              {"confirm", !signer.revokedAt && signer.fingerprint == confirming ? "true" : ""}});
    }
    if (echo) echo->write(model);
    request.sendPage(status, "admin-signers", model);
}

void signersPost(FormRequest& request, const std::string& action) {
    requireAdministration(request, Administration::Signers);
    if (action != "revoke") throw PageRefused(404, t("There is no such page.", request));
    const PostedForm& form = request.form();
    signature::TrustStore trust = request.process().trustStore();
    const auto signer = trust.signerByFingerprint(form.value("fingerprint"));
    if (!signer || signer->revokedAt) throw PageRefused(404, t("There is no such valid certificate.", request));
    const std::string reason = form.value("reason");
    if (reason.empty() || reason.size() > 500) {
        FormEcho echo{"revoke", form.fields(), {}};
        echo.errors.push_back(
            {"reason", "", t("Say why the certificate is revoked (at most 500 characters).", request)});
        return signersPage(request, 422, &echo);
    }
    // `caseflow signer revoke NAME --reason`: every certificate of that person not yet revoked.
    trust.revoke(signer->name, reason, request.actor().toString());
    request.redirect("/admin/signers?done=revoked");
}

// ---- the read audit -------------------------------------------------------------------------

void readsPage(FormRequest& request) {
    requireAdministration(request, Administration::ReadLog);
    store::ReadFilter filter;
    const std::string situation = request.queryValue("situation");
    if (!situation.empty()) filter.situationId = numberOf(situation);
    filter.userName = request.queryValue("user").substr(0, 200);
    const bool validFilter = situation.empty() || filter.situationId;
    const std::int64_t page = std::max<std::int64_t>(1, numberOf(request.queryValue("page")).value_or(1));
    store::ReadLogStore log(request.database());
    const std::int64_t total = validFilter ? log.countReads(filter) : 0;
    const std::int64_t pages = std::max<std::int64_t>(1, (total + kReadsPerPage - 1) / kReadsPerPage);
    PageModel model;
    request.beginModel(model, "admin-reads");
    model.attribute("filterSituation", situation).attribute("filterUser", filter.userName);
    model.attribute("page", std::to_string(page)).attribute("pages", std::to_string(pages));
    model.attribute("total", std::to_string(total));
    if (!validFilter)
        model.leaf("problem", {{"field", "situation"}}, t("A situation is given by its number, like 12.", request));
    // The pager's links keep the filters (each value escaped by the template's own writer).
    std::string query;
    const auto add = [&](const std::string& name, const std::string& value) {
        std::string encoded;
        Poco::URI::encode(value, "&=+?#/%", encoded);
        query += "&" + name + "=" + encoded;
    };
    if (!situation.empty()) add("situation", situation);
    if (!filter.userName.empty()) add("user", filter.userName);
    if (page > 1) model.leaf("previous", {{"page", std::to_string(page - 1)}, {"query", query}});
    if (page < pages) model.leaf("next", {{"page", std::to_string(page + 1)}, {"query", query}});
    for (const auto& userRow : store::AccountRepository(request.database()).users())
        model.leaf("reader", {{"name", userRow.name}});
    if (total > 0)
        for (const auto& read : log.newestReads(filter, kReadsPerPage, (page - 1) * kReadsPerPage))
            model.leaf("read", {{"id", std::to_string(read.id)},
                                {"at", read.record.readAt},
                                {"user", read.record.userName},
                                {"roleLabel", roleLabel(read.record.role, request.language())},
                                {"situation", std::to_string(read.record.situationId)},
                                {"what", read.record.what},
                                {"whatLabel", readLabel(read.record.what, request.language())}});
    // The check `caseflow verify` runs on the read log, from where the last view's ended.
    const auto finding = request.readChainWatch().check(request.database(), request.queryValue("chain") == "full");
    const store::ReadLogCheck& check = finding.check;
    model.leaf("chain", {{"intact", check.intact ? "true" : ""},
                         {"rows", std::to_string(check.rowsChecked)},
                         {"brokenAt", check.firstBrokenId ? std::to_string(*check.firstBrokenId) : ""},
                         {"inFull", finding.walkedInFull ? "true" : ""},
                         {"fullAt", finding.fullWalkAt},
                         {"query", query}});
    request.sendPage(200, "admin-reads", model);
}

} // namespace

void ReadChainWatch::expectStartWalk() {
    const std::lock_guard lock(mutex_);
    startWalkPending_ = true;
}

void ReadChainWatch::walkAtStart(const std::function<store::ReadLogCheck()>& walk) {
    std::unique_lock lock(mutex_);
    std::exception_ptr failure;
    try {
        const store::ReadLogCheck check = walk();
        // A broken chain leaves no checkpoint: the first view walks it again and says where.
        if (check.intact) {
            intactUpTo_ = check.reached;
            fullWalkAt_ = utcNowIso();
        }
    } catch (...) {
        failure = std::current_exception();
    }
    // Whatever the walk did, the views waiting for it go on (in full, when it left no checkpoint).
    startWalkPending_ = false;
    lock.unlock();
    startWalkDone_.notify_all();
    if (failure) std::rethrow_exception(failure);
}

ReadChainWatch::Finding ReadChainWatch::check(store::Database& db, bool inFull) {
    std::unique_lock lock(mutex_);
    startWalkDone_.wait(lock, [&] { return !startWalkPending_; });
    Finding finding;
    finding.walkedInFull = inFull || !intactUpTo_;
    const store::ReadLogStore log(db);
    finding.check = finding.walkedInFull ? log.verify() : log.verifyFrom(*intactUpTo_);
    if (finding.check.intact) {
        intactUpTo_ = finding.check.reached;
        if (finding.walkedInFull) fullWalkAt_ = utcNowIso();
    } else {
        // A broken chain stays broken: every view walks it whole again until it is mended.
        intactUpTo_.reset();
    }
    finding.fullWalkAt = fullWalkAt_;
    return finding;
}

bool serveAdminPage(FormRequest& request, const std::string& path) {
    const bool post = request.posted();
    // "/admin/accounts" -> "" (the page itself), "/admin/accounts/disable" -> "disable".
    const auto actionUnder = [&](const std::string& base) -> std::optional<std::string> {
        if (path == base) return std::string();
        if (path.rfind(base + "/", 0) == 0) return path.substr(base.size() + 1);
        return std::nullopt;
    };
    if (path == "/admin" && !post) {
        if (!mayAdministerAnything(request.role()))
            throw PageRefused(403, t("Your role does not give access to this page.", request));
        request.redirect("/admin/accounts");
        return true;
    }
    if (path == "/admin/reads" && !post) {
        readsPage(request);
        return true;
    }
    using Page = void (*)(FormRequest&, int, const FormEcho*);
    using Post = void (*)(FormRequest&, const std::string&);
    struct Part {
        const char* base;
        Page page;
        Post post;
        const char* postedToBase; // the action a POST to the page itself is
    };
    const Part parts[] = {
        {"/admin/accounts", accountsPage, accountsPost, "create"},
        {"/admin/tokens", [](FormRequest& r, int status, const FormEcho* echo) { tokensPage(r, status, echo); },
         tokensPost, "issue"},
        {"/admin/signers", signersPage, signersPost, ""},
    };
    for (const auto& part : parts) {
        const auto action = actionUnder(part.base);
        if (!action) continue;
        if (!post) {
            if (!action->empty()) return false;
            part.page(request, 200, nullptr);
        } else {
            part.post(request, action->empty() ? part.postedToBase : *action);
        }
        return true;
    }
    return false;
}

} // namespace caseflow::web
