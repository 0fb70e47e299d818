// Commands about paying and booking (issue 17): record a payment with its supplier, invoice
// reference and proofs (`payment record`), take a stored proof back out (`payment proof`), and
// the year's accounting export (`payments export-accounting`). What must stay true: a proof is
// checked (PDF, PNG or JPEG by its first bytes; at most 10 MB) before anything is stored, and
// its bytes are stored in the transaction that records the payment naming it; the export is
// views::accountingRows, the same rows as GET /api/v1/payments/accounting.csv.
#include "cli/Commands.h"
#include "cli/ExitCodes.h"
#include "cli/Messages.h"
#include "core/Errors.h"
#include "core/Files.h"
#include "model/Date.h"
#include "model/EuroAmount.h"
#include "model/Situation.h"
#include "service/EventData.h"
#include "store/Database.h"
#include "store/ProofRepository.h"
#include "views/FinanceViews.h"
#include "xml/Xml.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace caseflow::cli {
namespace {

void writeFileAtomically(const std::filesystem::path& path, const std::string& bytes) {
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    // Written next to the target and renamed, so a reader never sees half a file.
    const auto partial = path.string() + ".partial";
    {
        std::ofstream out(partial, std::ios::binary);
        out << bytes;
        if (!out) throw Error(tr("cannot write {file}", {{"file", path.string()}}));
    }
    std::filesystem::rename(partial, path);
}

std::string requiredOption(const Invocation& in, const std::string& name) {
    auto value = in.option(name);
    if (!value || value->empty()) throw UsageError(tr("{option} is required", {{"option", name}}));
    return *value;
}

int recordPayment(Invocation& in) {
    const auto id = in.situationId(0);
    auto process = openProcess(in);
    service::PaymentInput input;
    input.requestId = requiredOption(in, "--request");
    const auto amount = parseEuroAmount(requiredOption(in, "--amount"));
    if (!std::holds_alternative<Cents>(amount) || std::get<Cents>(amount) <= 0)
        throw UsageError(tr("--amount must be an amount in euros above zero, such as 1 250,00"));
    input.amount = std::get<Cents>(amount);
    input.reference = requiredOption(in, "--reference");
    input.date = in.option("--date").value_or(Date::today().iso());
    if (!Date::parse(input.date)) throw UsageError(tr("--date must be a date YYYY-MM-DD"));
    input.supplier = in.option("--supplier").value_or("");
    input.invoiceReference = in.option("--invoice").value_or("");
    const Situation situation = Situation::fromStored(process.situation(id).document);
    const auto existing = views::paymentsOf(situation.document(), id);
    // The first of pay1, pay2... the situation does not hold yet, as the scenarios number them.
    std::size_t next = existing.size() + 1;
    const auto taken = [&](const std::string& candidate) {
        return std::any_of(existing.begin(), existing.end(),
                           [&](const views::PaymentFacts& payment) { return payment.paymentId == candidate; });
    };
    while (taken("pay" + std::to_string(next))) ++next;
    input.paymentId = in.option("--id").value_or("pay" + std::to_string(next));

    // Every file is read and checked before anything is stored.
    std::vector<std::pair<store::ProofFacts, std::string>> proofs;
    if (auto list = in.option("--proof")) {
        std::istringstream names(*list);
        for (std::string file; std::getline(names, file, ',');) {
            if (file.empty()) continue;
            if (std::filesystem::exists(file) &&
                std::filesystem::file_size(file) > static_cast<std::uintmax_t>(store::kMaxProofBytes))
                throw UsageError(
                    tr("the proof {file} is larger than 10 MB, the most a proof may have", {{"file", file}}));
            const std::string bytes = readFile(file);
            auto facts = store::inspectProof(std::filesystem::path(file).filename().string(), bytes);
            input.proofs.push_back(facts);
            proofs.emplace_back(std::move(facts), bytes);
        }
    }
    const auto storeFiles = [&](store::Database& database, const store::StoredEvent&) {
        store::ProofRepository repository(database);
        for (const auto& [facts, bytes] : proofs) repository.storeOnce(facts, bytes);
    };
    const auto result = process.fire(id, "payment.recorded", service::paymentXml(input), "payment", actorOf(in),
                                     std::nullopt, storeFiles);
    if (in.flag("--json")) {
        auto json = Poco::makeShared<Poco::JSON::Object>();
        json->set("id", result.situationId);
        json->set("paymentId", input.paymentId);
        json->set("version", result.version);
        json->set("state", result.outcome.activeStates.text());
        Poco::JSON::Array files;
        for (const auto& [facts, bytes] : proofs) files.add(facts.sha256);
        json->set("proofs", files);
        printJson(in.out, json);
        return kOk;
    }
    in.out << tr("situation {id}: payment {payment} recorded (version {version})",
                 {{"id", std::to_string(id)},
                  {"payment", input.paymentId},
                  {"version", std::to_string(result.version)}})
           << "\n";
    for (const auto& [facts, bytes] : proofs)
        in.out << "  " << tr("proof {file}: {sha256}", {{"file", facts.fileName}, {"sha256", facts.sha256}}) << "\n";
    return kOk;
}

int extractProof(Invocation& in) {
    const auto id = in.situationId(0);
    const std::string paymentId = in.positional(1);
    const std::string sha256 = in.positional(2);
    auto process = openProcess(in);
    const Situation situation = Situation::fromStored(process.situation(id).document);
    // The proof is read through its payment, so a SHA-256 alone reveals nothing.
    bool named = false;
    for (const auto& payment : views::paymentsOf(situation.document(), id))
        if (payment.paymentId == paymentId)
            for (const auto& proof : payment.proofs) named = named || proof.sha256 == sha256;
    if (!named)
        throw NotFound(tr("payment {payment} of situation {id} carries no proof {sha256}",
                          {{"payment", paymentId}, {"id", std::to_string(id)}, {"sha256", sha256}}));
    auto database = store::Database::open(databasePath(in), store::OpenMode::MustExist);
    const auto proof = store::ProofRepository(database).find(sha256);
    if (!proof) throw NotFound(tr("the proof {sha256} is not in this database", {{"sha256", sha256}}));
    process.recordRead(readerOf(in), {id}, "proof:" + sha256);
    writeFileAtomically(requiredOption(in, "--output"), proof->bytes);
    in.out << tr("wrote {file} ({type}, {size} bytes)", {{"file", *in.option("--output")},
                                                         {"type", proof->mediaType},
                                                         {"size", std::to_string(proof->bytes.size())}})
           << "\n";
    return kOk;
}

int exportAccounting(Invocation& in) {
    auto process = openProcess(in);
    if (!in.option("--year")) throw UsageError(tr("--year is required"));
    const int year = yearOf(in);
    const std::string language = views::networkLanguage(process.network());
    const auto rows = views::accountingRows(process, year, language);
    process.recordRead(readerOf(in), views::situationIdsOf(rows), "accounting-export");
    const std::string output = requiredOption(in, "--output");
    writeFileAtomically(output, views::accountingCsv(rows, language));
    in.out << tr("wrote {file}: {count} payments of {year}",
                 {{"file", output}, {"count", std::to_string(rows.size())}, {"year", std::to_string(year)}})
           << "\n";
    return kOk;
}

} // namespace

void addAccountingCommands(std::vector<CommandSpec>& commands) {
    commands.push_back({"payment record",
                        "ID",
                        "record a payment of a funding request, with its supplier, invoice reference and proofs",
                        "The payment.recorded event (R16, R18) as finance or the coordinator records it. Proofs are\n"
                        "PDF, PNG or JPEG files of at most 10 MB, checked by their first bytes (not their name),\n"
                        "stored once per content under their SHA-256 in the same transaction as the event, which\n"
                        "names each file by SHA-256, type, size and name.",
                        {{"--request", "REQUEST", "the funding request paid (fr1)"},
                         {"--amount", "AMOUNT", "the amount in euros (1 250,00)"},
                         {"--reference", "TEXT", "the transfer's reference"},
                         {"--date", "DATE", "the payment's date (default: today)"},
                         {"--id", "PAYMENT", "the payment's id (default: pay1, pay2... in the situation)"},
                         {"--supplier", "NAME", "who sent the invoice"},
                         {"--invoice", "REFERENCE", "the invoice's number"},
                         {"--proof", "FILE[,FILE...]", "invoices or proofs of expense (PDF, PNG, JPEG; 10 MB each)"},
                         {"--as", "ROLE:NAME", "who acts (default: $CASEFLOW_ACTOR, else coordinator:$USER)"}},
                        1,
                        1,
                        recordPayment});
    commands.push_back({"payment proof",
                        "ID PAYMENT SHA256",
                        "write a proof a payment carries to a file",
                        "The file as it was stored, named by the SHA-256 the payment.recorded event gives. The\n"
                        "read is recorded in the read log.",
                        {{"--output", "FILE", "where to write it (-o)"}, kReaderOption},
                        3,
                        3,
                        extractProof});
    commands.push_back(
        {"payments export-accounting",
         "",
         "write the year's payments for the accounting, as CSV",
         "One line per payment dated in the year (the one year rule: a payment counts in the year of\n"
         "its own date): date, amount in cents and formatted, structured communication, expense\n"
         "categories, supplier, invoice reference, decision reference (the signature id of the\n"
         "decision paid), situation, reference, request and payment. The header and the categories\n"
         "are in the network's language. The amounts add up to the envelope's paid figure.",
         {{"--year", "YEAR", "the year (required)"}, {"--output", "FILE", "the CSV file (-o)"}, kReaderOption},
         0,
         0,
         exportAccounting});
}

} // namespace caseflow::cli
