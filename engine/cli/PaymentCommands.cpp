// Commands about paying (issue 17): what is still to pay, payment runs and their SEPA file
// (pain.001.001.03), and the payment a bank line's structured communication names. What must
// stay true: a run is built by process/PaymentRuns (one transaction, every transfer judged by
// the workflow), this file only reads options and prints; IBANs are shown grouped by four;
// every read of payees is in the read log before it is shown.
#include "cli/Commands.h"
#include "cli/ExitCodes.h"
#include "cli/Messages.h"
#include "core/Errors.h"
#include "i18n/MoneyFormat.h"
#include "model/BankAccount.h"
#include "process/PaymentRuns.h"
#include "views/Pain001.h"
#include "views/PaymentRunViews.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <fstream>

namespace caseflow::cli {
namespace {

using Object = Poco::JSON::Object;

Object::Ptr object() {
    return Poco::makeShared<Object>(Poco::JSON_PRESERVE_KEY_ORDER);
}

// "3/fr1,4/fr2": the requests a run pays, by situation id and request id.
std::vector<RunSelection> requestsOf(const std::string& list) {
    std::vector<RunSelection> requests;
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t end = list.find(',', start);
        if (end == std::string::npos) end = list.size();
        const std::string item = list.substr(start, end - start);
        const auto slash = item.find('/');
        if (slash == std::string::npos || slash + 1 == item.size())
            throw UsageError(tr("--request takes SITUATION/REQUEST, e.g. 3/fr1; got '{item}'", {{"item", item}}));
        requests.push_back({parseSituationId(item.substr(0, slash)), item.substr(slash + 1), std::nullopt, {}});
        start = end + 1;
    }
    return requests;
}

int due(Invocation& in) {
    auto process = openProcess(in);
    const auto amounts = paymentsDue(process);
    std::vector<std::int64_t> ids;
    for (const auto& amount : amounts) ids.push_back(amount.situationId);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    process.recordRead(readerOf(in), ids, "payments-due");
    const std::string language = languageOf(in);
    if (in.flag("--json")) {
        Poco::JSON::Array list;
        for (const auto& amount : amounts) list.add(views::dueAmountJson(amount));
        auto json = object();
        json->set("due", list);
        printJson(in.out, json);
        return kOk;
    }
    if (amounts.empty()) {
        in.out << tr("nothing is due: every approved amount is paid") << "\n";
        return kOk;
    }
    Cents total = 0;
    for (const auto& amount : amounts) {
        total += amount.due;
        in.out << padded(std::to_string(amount.situationId) + "/" + amount.requestId, 14)
               << padded(i18n::formatMoney(amount.due, language), 14, true) << "  " << padded(amount.payeeName, 28)
               << " " << groupedIban(amount.payeeIban) << "\n";
        if (amount.problem)
            in.out << "    "
                   << tr("cannot be paid: {problem}", {{"problem", runProblemSaid(*amount.problem, language)}}) << "\n";
    }
    in.out << tr("{count} to pay, {total} in all",
                 {{"count", std::to_string(amounts.size())}, {"total", i18n::formatMoney(total, language)}})
           << "\n";
    return kOk;
}

int run(Invocation& in) {
    RunOrder order;
    order.all = in.flag("--all");
    if (auto list = in.option("--request")) order.requests = requestsOf(*list);
    if (order.all == !order.requests.empty())
        throw UsageError(tr("say what the run pays: --all, or --request SITUATION/REQUEST[,...]"));
    order.executionDate = in.option("--execution-date").value_or("");
    auto process = openProcess(in);
    const std::string language = languageOf(in);
    const auto built = [&] {
        try {
            return buildPaymentRun(process, order, actorOf(in));
        } catch (const PaymentRunRefused& refused) {
            // Said again in the reader's language, one line per request the run cannot pay.
            std::vector<std::string> lines{tr("the payment run cannot be built, nothing was recorded:")};
            for (const auto& problem : refused.problems()) lines.push_back(runProblemSaid(problem, language));
            throw InvalidInput(refused.what(), lines);
        }
    }();
    if (in.flag("--json")) {
        auto json = object();
        json->set("runId", built.runId);
        json->set("createdAt", built.createdAt);
        json->set("transferCount", built.transferCount);
        json->set("totalCents", built.totalCents);
        printJson(in.out, json);
        return kOk;
    }
    in.out << tr("payment run {run} (transfers: {count}, total: {total})",
                 {{"run", built.runId},
                  {"count", std::to_string(built.transferCount)},
                  {"total", i18n::formatMoney(built.totalCents, language)}})
           << "\n";
    for (const auto& transfer : built.transfers) {
        const auto communication = StructuredCommunication::parse(transfer.communication);
        in.out << "  " << padded(std::to_string(transfer.situationId) + "/" + transfer.requestId, 14)
               << padded(i18n::formatMoney(transfer.amountCents, language), 14, true) << "  "
               << groupedIban(transfer.payeeIban) << "  " << (communication ? communication->formatted() : "") << "  "
               << transfer.executionDate << "\n";
    }
    in.out << tr("export it for the bank: caseflow payments export {run} -o FILE.xml", {{"run", built.runId}}) << "\n";
    return kOk;
}

store::PaymentRunRow runNamed(const FundingProcess& process, const std::string& runId) {
    auto found = process.paymentRuns().run(runId);
    if (!found) throw NotFound(tr("there is no payment run '{run}'", {{"run", runId}}));
    return *found;
}

int exportRun(Invocation& in) {
    auto process = openProcess(in);
    const auto found = runNamed(process, in.positional(0));
    std::vector<std::int64_t> ids;
    for (const auto& transfer : found.transfers) ids.push_back(transfer.situationId);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    process.recordRead(readerOf(in), ids, "payment-run:" + found.runId);
    const std::string file = views::pain001(found);
    const std::string output = in.option("--output").value_or("-");
    if (output == "-") {
        in.out << file;
        return kOk;
    }
    std::ofstream stream(output, std::ios::binary | std::ios::trunc);
    if (!(stream << file)) throw Error(tr("cannot write {file}", {{"file", output}}));
    in.out << tr("wrote {file} (transfers: {count}, total: {total})",
                 {{"file", output},
                  {"count", std::to_string(found.transferCount)},
                  {"total", i18n::formatMoney(found.totalCents, languageOf(in))}})
           << "\n";
    return kOk;
}

int runs(Invocation& in) {
    auto process = openProcess(in);
    const auto all = process.paymentRuns().runs();
    const std::string language = languageOf(in);
    if (in.flag("--json")) {
        Poco::JSON::Array list;
        for (const auto& each : all) list.add(views::paymentRunJson(each, false));
        auto json = object();
        json->set("paymentRuns", list);
        printJson(in.out, json);
        return kOk;
    }
    if (all.empty()) in.out << tr("no payment run yet") << "\n";
    for (const auto& each : all)
        in.out << padded(each.runId, 10) << padded(each.createdAt, 21)
               << padded(std::to_string(each.transferCount), 4, true)
               << padded(i18n::formatMoney(each.totalCents, language), 16, true) << "  " << each.createdBy << "\n";
    return kOk;
}

int find(Invocation& in) {
    const std::string quoted = in.positional(0);
    const auto communication = StructuredCommunication::parse(quoted);
    if (!communication)
        throw InvalidInput(tr("'{text}' is not a structured communication: twelve digits, the last two the first "
                              "ten mod 97 (+++123/4567/89002+++)",
                              {{"text", quoted}}));
    auto process = openProcess(in);
    const auto found = findPayment(process, *communication);
    if (!found)
        throw NotFound(tr("no payment carries the communication {communication}",
                          {{"communication", communication->formatted()}}));
    process.recordRead(readerOf(in), {found->situationId}, "payment-found");
    if (in.flag("--json")) {
        printJson(in.out, views::foundPaymentJson(*found));
        return kOk;
    }
    in.out << tr("{communication}: payment {payment} of situation {situation}, request {request}",
                 {{"communication", found->communication},
                  {"payment", found->paymentId},
                  {"situation", std::to_string(found->situationId)},
                  {"request", found->requestId}})
           << "\n";
    in.out << "  " << i18n::formatMoney(found->amount, languageOf(in)) << "  " << found->date << "  "
           << found->payeeName << "  " << groupedIban(found->payeeIban) << "\n";
    if (found->runId) in.out << "  " << tr("in payment run {run}", {{"run", *found->runId}}) << "\n";
    return kOk;
}

} // namespace

void addPaymentCommands(std::vector<CommandSpec>& commands) {
    commands.push_back({"payments due",
                        "",
                        "what is still to pay: per approved request, approved − paid, with its payee",
                        "A payment run records its payments when it is built, so what a run carries is no\n"
                        "longer due. A request whose payee has no valid IBAN is listed with the reason.",
                        {{"--json", "", "print JSON"}, kReaderOption},
                        0,
                        0,
                        due});
    commands.push_back({"payments run",
                        "",
                        "build a payment run: record the payments and keep them for the bank file (pain.001)",
                        "Each transfer is recorded as its situation's payment.recorded, judged by the workflow\n"
                        "(R16, R18), all in one transaction: if one is refused nothing is recorded and every\n"
                        "refusal is listed. Prints the run id and totals; `payments export RUN` writes its file.\n"
                        "The payments are dated today; the bank is asked to execute them on --execution-date.",
                        {{"--all", "", "pay every amount due (see `payments due`)"},
                         {"--request", "SIT/REQ[,...]", "pay these requests only, each what is due (e.g. 3/fr1,4/fr1)"},
                         {"--execution-date", "DATE", "the date the bank executes the transfers (default: today)"},
                         {"--json", "", "print JSON"},
                         {"--as", "ROLE:NAME", "who builds it: finance or coordinator (default: $CASEFLOW_ACTOR)"}},
                        0,
                        0,
                        run});
    commands.push_back({"payments export",
                        "RUN",
                        "write a payment run as a SEPA credit-transfer file (pain.001.001.03)",
                        "One PmtInf per execution date; each transfer with its end-to-end id (the payment id),\n"
                        "amount, payee, IBAN and structured communication (CdtrRefInf SCOR, issuer BBA).\n"
                        "Exporting a run again writes the same bytes.",
                        {{"--output", "FILE", "where to write (-o; default: standard output)"}, kReaderOption},
                        1,
                        1,
                        exportRun});
    commands.push_back({"payments runs",
                        "",
                        "list the payment runs: id, created, transfers, total, by whom",
                        "",
                        {{"--json", "", "print JSON"}},
                        0,
                        0,
                        runs});
    commands.push_back({"payments find",
                        "COMMUNICATION",
                        "the payment a bank line's structured communication names",
                        "Takes +++123/4567/89002+++, ***123/4567/89002***, 123/4567/89002 or the twelve digits;\n"
                        "refuses a communication whose check digits are wrong.",
                        {{"--json", "", "print JSON"}, kReaderOption},
                        1,
                        1,
                        find});
}

} // namespace caseflow::cli
