// Payment runs (see PaymentRuns.h). What must stay true: the run's plan is made under the
// write lock (FundingProcess::fireTogether), so two runs built at once cannot both pay the same
// amount; the run event's payload holds everything its projection and its bank file need
// (debtor, creation time, transfers), so a rebuild and a re-export give them back unchanged.
#include "process/PaymentRuns.h"

#include "core/Errors.h"
#include "core/Text.h"
#include "i18n/Translator.h"
#include "model/Date.h"
#include "model/RequestState.h"
#include "model/Situation.h"
#include "process/FundingProcess.h"
#include "store/Database.h"
#include "store/FinanceRepository.h"
#include "xml/Xml.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>

namespace caseflow {
namespace {

struct Payee {
    std::string name;
    std::string iban;
};

std::optional<Payee> payeeOf(const xmlDoc* situation, const std::string& requestId) {
    xmlNode* requests = xml::firstChild(xml::root(situation), "fundingRequests");
    for (xmlNode* request : xml::children(requests, "fundingRequest")) {
        if (xml::attribute(request, "id").value_or("") != requestId) continue;
        if (xmlNode* payee = xml::firstChild(request, "payee"))
            return Payee{xml::attribute(payee, "name").value_or(""), xml::attribute(payee, "iban").value_or("")};
    }
    return std::nullopt;
}

std::vector<xmlNode*> paymentsIn(const xmlDoc* situation) {
    return xml::children(xml::firstChild(xml::root(situation), "payments"), "payment");
}

// The sentences of RunProblem, in the interface catalogs (scripts/extract-interface-messages.sh
// reads tr() here); English is the msgid itself.
std::string tr(const char* msgid, const std::string& language,
               std::initializer_list<std::pair<const char*, std::string>> values = {}) {
    return text::fillPlaceholders(i18n::translate(i18n::kInterfaceDomain, msgid, language),
                                  [&](std::string_view name) -> std::optional<std::string> {
                                      for (const auto& [key, value] : values)
                                          if (name == key) return value;
                                      return std::nullopt;
                                  });
}

std::string ibanCheckSaid(IbanProblem problem, const std::string& language) {
    switch (problem) {
    case IbanProblem::Characters:
        return tr("it holds characters other than letters, digits and spaces", language);
    case IbanProblem::Country:
        return tr("its first two letters are no country of the IBAN registry", language);
    case IbanProblem::Length:
        return tr("it does not have the length of its country's IBANs", language);
    case IbanProblem::CheckDigits:
        return tr("its check digits are wrong (mod 97): a typo", language);
    }
    return "";
}

// Why a run cannot pay `payee`, or nothing when it can.
std::optional<RunProblem> payeeProblem(const std::optional<Payee>& payee) {
    if (!payee || payee->name.empty()) return RunProblem{RunProblem::Kind::NoPayee, 0, {}, {}, {}};
    if (const auto problem = ibanProblem(payee->iban))
        return RunProblem{RunProblem::Kind::InvalidIban, 0, {}, {}, problem};
    return std::nullopt;
}

std::string joinedProblems(const std::vector<RunProblem>& problems) {
    std::string text = "the payment run cannot be built, nothing was recorded:";
    for (const auto& problem : problems) text += "\n  " + runProblemSaid(problem, "en");
    return text;
}

// UTC to the second, as the bank file's CreDtTm: "2026-11-29T09:17:12".
std::string utcSecondsNow() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[80];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                  utc.tm_hour, utc.tm_min, utc.tm_sec);
    return text;
}

std::string runIdOf(std::int64_t number) {
    char text[32];
    std::snprintf(text, sizeof text, "run-%04lld", static_cast<long long>(number));
    return text;
}

std::string paymentRunXml(const store::PaymentRunRow& run) {
    std::string xml = "<paymentRun id=\"" + xml::escaped(run.runId) + "\" createdAt=\"" + xml::escaped(run.createdAt) +
                      "\" by=\"" + xml::escaped(run.createdBy) + "\">";
    xml += "<debtor name=\"" + xml::escaped(run.debtorName) + "\" iban=\"" + xml::escaped(run.debtorIban) +
           "\" bic=\"" + xml::escaped(run.debtorBic) + "\"/>";
    for (const auto& transfer : run.transfers)
        xml += "<transfer line=\"" + std::to_string(transfer.line) + "\" situation=\"" +
               std::to_string(transfer.situationId) + "\" request=\"" + xml::escaped(transfer.requestId) +
               "\" payment=\"" + xml::escaped(transfer.paymentId) + "\" ordinal=\"" + std::to_string(transfer.ordinal) +
               "\" executionDate=\"" + transfer.executionDate + "\" amount=\"" + std::to_string(transfer.amountCents) +
               "\" payeeName=\"" + xml::escaped(transfer.payeeName) + "\" payeeIban=\"" +
               xml::escaped(transfer.payeeIban) + "\" communication=\"" + transfer.communication + "\"/>";
    return xml + "</paymentRun>";
}

std::int64_t integerAttribute(xmlNode* node, const char* name) {
    return std::stoll(xml::attribute(node, name).value_or("0"));
}

} // namespace

std::optional<PaymentReference> paymentReferenceIn(std::int64_t situationId, const xmlDoc* situation,
                                                   const std::string& paymentId) {
    int ordinal = 0;
    for (xmlNode* payment : paymentsIn(situation)) {
        ++ordinal;
        if (xml::attribute(payment, "id").value_or("") == paymentId) return PaymentReference{situationId, ordinal};
    }
    return std::nullopt;
}

std::optional<StructuredCommunication> paymentCommunication(std::int64_t situationId, const xmlDoc* situation,
                                                            const std::string& paymentId) {
    const auto reference = paymentReferenceIn(situationId, situation, paymentId);
    return reference ? communicationOf(*reference) : std::nullopt;
}

std::vector<DueAmount> paymentsDue(const FundingProcess& process) {
    std::vector<DueAmount> due;
    for (const auto& row : process.finance().requests()) {
        const auto state = parseRequestState(row.state);
        if (state != RequestState::Approved && state != RequestState::PartiallyPaid) continue;
        if (row.approvedCents <= row.paidCents) continue;
        const Situation situation = Situation::fromStored(row.situationDocument);
        const auto payee = payeeOf(situation.document(), row.requestId);
        DueAmount amount;
        amount.situationId = row.situationId;
        amount.requestId = row.requestId;
        amount.state = row.state;
        amount.approved = row.approvedCents;
        amount.paid = row.paidCents;
        amount.due = row.approvedCents - row.paidCents;
        if (payee) {
            amount.payeeName = payee->name;
            amount.payeeIban = payee->iban;
        }
        amount.problem = payeeProblem(payee);
        if (amount.problem) {
            amount.problem->situationId = amount.situationId;
            amount.problem->requestId = amount.requestId;
        }
        due.push_back(std::move(amount));
    }
    return due;
}

// Where a request stands, in words: the stored names (model/RequestState.h) are codes.
std::string requestStateSaid(const std::string& stored, const std::string& language) {
    const auto state = parseRequestState(stored);
    if (!state) return stored;
    switch (*state) {
    case RequestState::InPreparation:
        return tr("the request is still in preparation", language);
    case RequestState::BudgetCheck:
        return tr("the request is still under budget check", language);
    case RequestState::Approved:
        return tr("the approved amount is paid", language);
    case RequestState::Returned:
        return tr("the request was returned for completion", language);
    case RequestState::Rejected:
        return tr("the request was rejected", language);
    case RequestState::PartiallyPaid:
        return tr("the approved amount is paid", language);
    case RequestState::Paid:
        return tr("the approved amount is paid in full", language);
    case RequestState::Withdrawn:
        return tr("the request was withdrawn", language);
    case RequestState::Closed:
        return tr("the grant was closed at what was paid", language);
    }
    return stored;
}

std::string runProblemSaid(const RunProblem& problem, const std::string& language) {
    const auto aboutRequest = [&](const std::string& what) {
        return tr(
            "situation {situation}, request {request}: {problem}", language,
            {{"situation", std::to_string(problem.situationId)}, {"request", problem.requestId}, {"problem", what}});
    };
    switch (problem.kind) {
    case RunProblem::Kind::NoNetworkAccount:
        return tr("the network settings name no bank account (<bankAccount name iban bic>): a payment run needs the "
                  "account it pays from",
                  language);
    case RunProblem::Kind::NothingDue:
        return tr("nothing is due: no approved amount is still to pay", language);
    case RunProblem::Kind::NoSuchRequest:
        return aboutRequest(tr("there is no such funding request", language));
    case RunProblem::Kind::NothingLeftToPay:
        return aboutRequest(
            tr("nothing is left to pay: {state}", language, {{"state", requestStateSaid(problem.state, language)}}));
    case RunProblem::Kind::NoPayee:
        return aboutRequest(tr("the request names no payee", language));
    case RunProblem::Kind::InvalidIban:
        return aboutRequest(tr("the payee's IBAN is not valid: {why}", language,
                               {{"why", problem.iban ? ibanCheckSaid(*problem.iban, language) : ""}}));
    case RunProblem::Kind::TooManyPayments:
        return aboutRequest(tr("the situation has too many payments for a structured communication", language));
    }
    return "";
}

PaymentRunRefused::PaymentRunRefused(std::vector<RunProblem> problems)
    : InvalidInput(problems.size() == 1 && problems.front().situationId == 0 ? runProblemSaid(problems.front(), "en")
                                                                             : joinedProblems(problems)),
      problems_(std::move(problems)) {}

store::PaymentRunRow buildPaymentRun(FundingProcess& process, const RunOrder& order, const Actor& actor,
                                     const RunRecorded& alsoInTransaction) {
    const auto& account = process.network().bankAccount();
    if (!account) throw PaymentRunRefused({{RunProblem::Kind::NoNetworkAccount, 0, {}, {}, {}}});
    const Date today = Date::today();
    const auto executionDateOf = [&](const std::optional<std::string>& given) {
        const std::string text = given.value_or(order.executionDate);
        if (text.empty()) return today.iso();
        const auto date = Date::parse(text);
        if (!date) throw InvalidInput("the execution date '" + text + "' is not a date (YYYY-MM-DD)");
        if (*date < today)
            throw InvalidInput("the execution date " + text + " is in the past: a bank executes a run today or later");
        return date->iso();
    };

    executionDateOf(std::nullopt); // a wrong date is refused before anything is read or locked
    store::PaymentRunRow run;
    const auto plan = [&](store::Database& db) {
        store::FinanceRepository finance(db);
        run = {};
        run.runId = runIdOf(store::PaymentRunRepository(db).count() + 1);
        run.createdAt = utcSecondsNow();
        run.createdBy = actor.toString();
        run.debtorName = account->name;
        run.debtorIban = account->iban;
        run.debtorBic = account->bic;

        std::vector<RunSelection> selected = order.requests;
        if (order.all)
            for (const auto& amount : paymentsDue(process))
                selected.push_back({amount.situationId, amount.requestId, std::nullopt, std::nullopt});
        if (selected.empty()) throw PaymentRunRefused({{RunProblem::Kind::NothingDue, 0, {}, {}, {}}});

        std::vector<RunProblem> problems;
        std::map<std::int64_t, int> paymentsSoFar; // per situation, with this run's earlier transfers
        std::vector<BatchEvent> batch;
        for (const auto& selection : selected) {
            const std::string label =
                "situation " + std::to_string(selection.situationId) + ", request " + selection.requestId;
            const auto problemOf = [&](RunProblem::Kind kind) {
                return RunProblem{kind, selection.situationId, selection.requestId, {}, {}};
            };
            const auto totals = finance.request(selection.situationId, selection.requestId);
            if (!totals) {
                problems.push_back(problemOf(RunProblem::Kind::NoSuchRequest));
                continue;
            }
            const Cents due = totals->approvedCents - totals->paidCents;
            const Cents amount = selection.amount.value_or(due);
            if (amount <= 0) {
                problems.push_back(problemOf(RunProblem::Kind::NothingLeftToPay));
                problems.back().state = totals->state;
                continue;
            }
            const Situation situation = Situation::fromStored(process.situation(selection.situationId).document);
            const auto payee = payeeOf(situation.document(), selection.requestId);
            if (auto problem = payeeProblem(payee)) {
                problem->situationId = selection.situationId;
                problem->requestId = selection.requestId;
                problems.push_back(std::move(*problem));
                continue;
            }
            auto [counted, inserted] = paymentsSoFar.try_emplace(
                selection.situationId, static_cast<int>(paymentsIn(situation.document()).size()));
            const int ordinal = ++counted->second;
            const auto communication = communicationOf({selection.situationId, ordinal});
            if (!communication) {
                problems.push_back(problemOf(RunProblem::Kind::TooManyPayments));
                continue;
            }
            store::PaymentRunTransferRow transfer;
            transfer.line = static_cast<int>(run.transfers.size()) + 1;
            transfer.situationId = selection.situationId;
            transfer.requestId = selection.requestId;
            transfer.paymentId = run.runId + "-" + std::to_string(transfer.line);
            transfer.ordinal = ordinal;
            transfer.executionDate = executionDateOf(selection.executionDate);
            transfer.amountCents = amount;
            transfer.payeeName = payee->name;
            transfer.payeeIban = *compactIban(payee->iban);
            transfer.communication = communication->digits();
            run.totalCents += amount;
            // Recorded on the day the run is built, the day finance commits the money; the bank
            // is asked to execute it on the execution date.
            batch.push_back({selection.situationId, "payment.recorded",
                             "<payment id=\"" + transfer.paymentId + "\" request=\"" +
                                 xml::escaped(selection.requestId) + "\" date=\"" + today.iso() + "\" amount=\"" +
                                 std::to_string(amount) + "\" reference=\"" + run.runId + "\"/>",
                             label});
            run.transfers.push_back(std::move(transfer));
        }
        if (!problems.empty()) throw PaymentRunRefused(std::move(problems));
        run.transferCount = static_cast<int>(run.transfers.size());
        return batch;
    };
    const auto recordRun = [&](store::Database& db, const std::vector<store::StoredEvent>&) {
        const auto stored = store::EventStore(db).appendNetworkEventInTransaction(
            {store::networkStream, std::string(paymentRunEvent), actor.toString(), paymentRunXml(run)},
            projectPaymentRun);
        run.position = stored.position;
        if (alsoInTransaction) alsoInTransaction(db, run, stored);
    };
    process.fireTogether(plan, actor, recordRun);
    return run;
}

void projectPaymentRun(store::Database& db, const store::StoredEvent& event) {
    const auto document = xml::parseString(event.payload, "payment run of event " + std::to_string(event.position));
    xmlNode* root = xml::root(document.get());
    if (xml::name(root) != "paymentRun")
        throw Error("event " + std::to_string(event.position) + " (" + event.type + ") holds no <paymentRun>");
    store::PaymentRunRow run;
    run.runId = xml::attribute(root, "id").value_or("");
    run.position = event.position;
    run.createdAt = xml::attribute(root, "createdAt").value_or("");
    run.createdBy = xml::attribute(root, "by").value_or("");
    if (xmlNode* debtor = xml::firstChild(root, "debtor")) {
        run.debtorName = xml::attribute(debtor, "name").value_or("");
        run.debtorIban = xml::attribute(debtor, "iban").value_or("");
        run.debtorBic = xml::attribute(debtor, "bic").value_or("");
    }
    for (xmlNode* node : xml::children(root, "transfer")) {
        store::PaymentRunTransferRow transfer;
        transfer.line = static_cast<int>(integerAttribute(node, "line"));
        transfer.situationId = integerAttribute(node, "situation");
        transfer.requestId = xml::attribute(node, "request").value_or("");
        transfer.paymentId = xml::attribute(node, "payment").value_or("");
        transfer.ordinal = static_cast<int>(integerAttribute(node, "ordinal"));
        transfer.executionDate = xml::attribute(node, "executionDate").value_or("");
        transfer.amountCents = integerAttribute(node, "amount");
        transfer.payeeName = xml::attribute(node, "payeeName").value_or("");
        transfer.payeeIban = xml::attribute(node, "payeeIban").value_or("");
        transfer.communication = xml::attribute(node, "communication").value_or("");
        run.totalCents += transfer.amountCents;
        run.transfers.push_back(std::move(transfer));
    }
    run.transferCount = static_cast<int>(run.transfers.size());
    store::PaymentRunRepository(db).saveRun(run);
}

std::optional<FoundPayment> findPayment(const FundingProcess& process, const StructuredCommunication& communication) {
    const auto reference = paymentOf(communication);
    if (!reference) return std::nullopt;
    std::optional<SituationRecord> record;
    try {
        record = process.situation(reference->situationId);
    } catch (const NotFound&) {
        return std::nullopt;
    }
    const Situation situation = Situation::fromStored(record->document);
    const auto payments = paymentsIn(situation.document());
    if (reference->ordinal > static_cast<int>(payments.size())) return std::nullopt;
    xmlNode* payment = payments[static_cast<std::size_t>(reference->ordinal - 1)];
    FoundPayment found;
    found.situationId = reference->situationId;
    found.requestId = xml::attribute(payment, "request").value_or("");
    found.paymentId = xml::attribute(payment, "id").value_or("");
    found.date = xml::attribute(payment, "date").value_or("");
    found.amount = parseCents(xml::attribute(payment, "amount").value_or("")).value_or(0);
    found.reference = xml::attribute(payment, "reference").value_or("");
    if (const auto payee = payeeOf(situation.document(), found.requestId)) {
        found.payeeName = payee->name;
        found.payeeIban = payee->iban;
    }
    found.communication = communication.formatted();
    found.runId = process.paymentRuns().runOfPayment(found.situationId, found.paymentId);
    return found;
}

} // namespace caseflow
