// Payment runs on finance's page (/finance, FinancePages.h): what is due (process/PaymentRuns'
// paymentsDue, the data of `caseflow payments due`), a run built for an execution date from
// everything due or from the requests ticked, the past runs, and each run's pain.001 file.
// What must stay true: a run is built by buildPaymentRun, all or nothing, exactly as the API and
// the CLI build it; one rendered form builds at most one run (its random key is stored in
// idempotency_keys in the run's own transaction, so a double click finds it and builds nothing
// more); the file is views::pain001 of the stored run, the bytes `caseflow payments export`
// writes; nothing clinical is shown (R19): references, request ids, payees, IBANs, amounts.
#include "web/FinancePages.h"

#include "core/Errors.h"
#include "model/Date.h"
#include "process/Authorisation.h"
#include "process/FundingProcess.h"
#include "process/PaymentRuns.h"
#include "store/IdempotencyKeys.h"
#include "store/Sha256.h"
#include "views/Pain001.h"
#include "views/PaymentRunViews.h"
#include "web/Passwords.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace caseflow::web {
namespace {

std::string t(const std::string& msgid, const FormRequest& request) {
    return request.translate(msgid);
}

std::string with(std::string text, const std::string& placeholder, const std::string& value) {
    const auto at = text.find(placeholder);
    if (at != std::string::npos) text.replace(at, placeholder.size(), value);
    return text;
}

constexpr const char* kRunPrefix = "/finance/runs/";
constexpr const char* kFileSuffix = "/pain.001.xml";

// Thrown inside the run's transaction when another submission of the same form stored its key
// first: the run is rolled back and the first one stands.
struct RunKeyAlreadyStored {};

bool isFormKey(const std::string& key) {
    return key.size() == 32 && key.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string runPage(const std::string& runId) {
    return "/finance?done=run&run=" + runId;
}

bool may(const FormRequest& request, Operation operation) {
    return permissionFor(request.role(), operation).allowed();
}

// "3/fr1" -> {3, "fr1"}; nullopt for anything else.
std::optional<RunSelection> selectionOf(const std::string& item) {
    const auto slash = item.find('/');
    if (slash == std::string::npos || slash == 0 || slash > 12 || slash + 1 >= item.size() ||
        item.find_first_not_of("0123456789") != slash)
        return std::nullopt;
    return RunSelection{std::stoll(item.substr(0, slash)), item.substr(slash + 1), std::nullopt, std::nullopt};
}

} // namespace

void writePaymentRuns(FormRequest& request, PageModel& model, const std::vector<FundingRequestSummary>& requests,
                      std::vector<std::int64_t>& shown) {
    FundingProcess& process = request.process();
    if (may(request, Operation::ListPaymentsDue)) {
        std::map<std::pair<std::int64_t, std::string>, std::string> references;
        for (const auto& funding : requests) references[{funding.situationId, funding.requestId}] = funding.reference;
        const auto due = paymentsDue(process);
        const PostedForm& form = request.form();
        const auto ticked = form.values("pay");
        Cents total = 0;
        for (const auto& amount : due) total += amount.due;
        model.open("due").attribute("today", Date::today().iso()).attribute("total", std::to_string(total));
        // A new key each time the form is rendered: posting this form twice builds one run.
        if (may(request, Operation::BuildPaymentRun) && !due.empty()) model.attribute("key", randomHex(16));
        for (const auto& amount : due) {
            const std::string item = std::to_string(amount.situationId) + "/" + amount.requestId;
            model.leaf("amount",
                       {{"situation", std::to_string(amount.situationId)},
                        {"request", amount.requestId},
                        {"item", item},
                        {"reference", references[{amount.situationId, amount.requestId}]},
                        {"approved", std::to_string(amount.approved)},
                        {"paid", std::to_string(amount.paid)},
                        {"due", std::to_string(amount.due)},
                        {"payee", amount.payeeName},
                        {"iban", amount.payeeIban},
                        {"problem", amount.problem ? runProblemSaid(*amount.problem, request.language()) : ""},
                        {"ticked", std::find(ticked.begin(), ticked.end(), item) != ticked.end() ? "true" : ""}});
            shown.push_back(amount.situationId);
        }
        model.close();
    }
    if (may(request, Operation::ListPaymentRuns)) {
        const auto repository = process.paymentRuns();
        const bool files = may(request, Operation::ExportPaymentRun);
        model.open("runs").attribute("shown", request.queryValue("run"));
        for (const auto& run : repository.runs()) {
            const auto full = repository.run(run.runId);
            const std::string execution =
                full && !full->transfers.empty() ? full->transfers.front().executionDate : std::string();
            model.leaf("run", {{"id", run.runId},
                               {"builtOn", run.createdAt.substr(0, 10)},
                               {"executionDate", execution},
                               {"count", std::to_string(run.transferCount)},
                               {"total", std::to_string(run.totalCents)},
                               {"file", files ? "true" : ""}});
        }
        model.close();
    }
}

void financePaymentRun(FormRequest& request) {
    requireOperation(request, static_cast<int>(Operation::BuildPaymentRun));
    const PostedForm& form = request.form();
    const std::string key = form.value("key");
    if (!isFormKey(key))
        throw PageRefused(400, t("The payment run form is incomplete: reload the page and try again.", request));
    const bool all = form.value("scope") == "all";
    auto ticked = form.values("pay");
    std::sort(ticked.begin(), ticked.end());
    const std::string executionDate = form.value("executionDate");
    const std::string storedKey = "web-run:" + key;
    // The key stands for this run as asked: the same form posted again matches it.
    std::string asked = "payment-run\n" + executionDate + "\n" + (all ? "all" : "ticked");
    for (const auto& item : ticked) asked += "\n" + item;
    const std::string fingerprint = store::sha256Hex(asked);
    FundingProcess& process = request.process();
    store::IdempotencyKeys keys = process.idempotencyKeys();
    const auto alreadyBuilt = [&]() -> std::optional<std::string> {
        const auto stored = keys.find(storedKey);
        if (!stored) return std::nullopt;
        if (stored->userName != request.actor().name || stored->fingerprint != fingerprint)
            throw PageRefused(409, t("This payment run form was already used for another run: reload the page and "
                                     "choose again.",
                                     request));
        return stored->response;
    };
    if (const auto location = alreadyBuilt()) return request.redirect(*location);

    FormEcho echo{"run", form.fields(), {}};
    const auto date = Date::parse(executionDate);
    if (!date)
        echo.errors.push_back({"executionDate", "", t("Give a date as YYYY-MM-DD (a real day).", request)});
    else if (*date < Date::today())
        echo.errors.push_back({"executionDate", "",
                               t("The execution date is in the past: a bank executes a run today or later.", request)});
    RunOrder order;
    order.all = all;
    order.executionDate = date ? date->iso() : "";
    if (!all) {
        for (const auto& item : ticked) {
            if (const auto selection = selectionOf(item))
                order.requests.push_back(*selection);
            else
                echo.errors.push_back({"", "", with(t("'{item}' is not a funding request.", request), "{item}", item)});
        }
        if (ticked.empty())
            echo.errors.push_back(
                {"pay", "", t("Tick the requests to pay, or build a run of everything due.", request)});
    }
    if (!echo.errors.empty()) return financePage(request, 422, &echo);

    std::string location;
    const auto storeKey = [&](store::Database& database, const store::PaymentRunRow& run,
                              const store::StoredEvent& event) {
        location = runPage(run.runId);
        const bool stored = store::IdempotencyKeys(database).storeOnce(
            {storedKey, request.actor().name, fingerprint, 0, event.position, 303, location, event.recordedAt});
        if (!stored) throw RunKeyAlreadyStored{};
    };
    try {
        const auto run = buildPaymentRun(process, order, request.actor(), storeKey);
        std::vector<std::int64_t> paid;
        for (const auto& transfer : run.transfers) paid.push_back(transfer.situationId);
        std::sort(paid.begin(), paid.end());
        paid.erase(std::unique(paid.begin(), paid.end()), paid.end());
        request.recordRead(paid, "payment-run:" + run.runId);
    } catch (const RuleRefusal& refusal) {
        if (const auto earlier = alreadyBuilt()) return request.redirect(*earlier);
        // Every transfer the workflow refused, each with its rule and the request it concerns.
        echo.errors = errorsOfRefusal(refusal, {});
        for (auto& error : echo.errors) error.field = "";
        return financePage(request, 422, &echo);
    } catch (const PaymentRunRefused& refused) {
        if (const auto earlier = alreadyBuilt()) return request.redirect(*earlier);
        // What buildPaymentRun refuses before the workflow is asked (a request with nothing
        // left to pay, no valid payee, nothing due): one line each, in the reader's language.
        for (const auto& problem : refused.problems())
            echo.errors.push_back({"", "", runProblemSaid(problem, request.language())});
        echo.errors.insert(echo.errors.begin(),
                           {"", "", t("The payment run was not built; nothing was recorded.", request)});
        return financePage(request, 422, &echo);
    } catch (...) {
        if (const auto earlier = alreadyBuilt()) return request.redirect(*earlier);
        throw;
    }
    request.redirect(location);
}

bool servePaymentRunFile(FormRequest& request, const std::string& path, const SendFile& sendFile) {
    const std::string prefix = kRunPrefix, suffix = kFileSuffix;
    if (path.size() <= prefix.size() + suffix.size() || path.rfind(prefix, 0) != 0 ||
        path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0)
        return false;
    requireOperation(request, static_cast<int>(Operation::ExportPaymentRun));
    const std::string runId = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
    const auto run = request.process().paymentRuns().run(runId);
    if (!run) throw PageRefused(404, t("There is no such payment run.", request));
    std::vector<std::int64_t> situations;
    for (const auto& transfer : run->transfers) situations.push_back(transfer.situationId);
    std::sort(situations.begin(), situations.end());
    situations.erase(std::unique(situations.begin(), situations.end()), situations.end());
    request.recordRead(situations, "payment-run-file:" + run->runId);
    sendFile({"application/xml; charset=utf-8", "attachment; filename=\"" + run->runId + ".pain.001.xml\"", "",
              views::pain001(*run)});
    return true;
}

} // namespace caseflow::web
