// Commands about the database and the situations in it: init, register, list, show,
// the audit trail, verification and rebuild.
#include "cli/Commands.h"
#include "cli/ExitCodes.h"
#include "cli/Messages.h"
#include "core/Errors.h"
#include "i18n/MoneyFormat.h"
#include "i18n/Translator.h"
#include "model/Situation.h"
#include "store/Backup.h"
#include "store/Database.h"
#include "views/SituationViews.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <iomanip>
#include <map>

namespace caseflow::cli {
namespace {

const OptionSpec kWorkflowOption{"--workflow", "FILE", "run with another workflow than the one recorded at init"};
const OptionSpec kAsOption{"--as", "ROLE:NAME", "who acts (default: $CASEFLOW_ACTOR, else coordinator:$USER)"};

// Code points, not bytes, so accented names keep the columns straight.
std::size_t utf8Length(const std::string& text) {
    std::size_t length = 0;
    for (unsigned char ch : text)
        if ((ch & 0xC0) != 0x80) ++length;
    return length;
}

std::string pad(std::string text, std::size_t width) {
    const std::size_t length = utf8Length(text);
    if (length < width) text.append(width - length, ' ');
    return text;
}

std::string padLeft(const std::string& text, std::size_t width) {
    const std::size_t length = utf8Length(text);
    return length < width ? std::string(width - length, ' ') + text : text;
}

// What each situation asked for, was granted and received, over all its funding requests
// (a renewal adds to the first request; a rejected request counts as asked, not granted).
struct SituationAmounts {
    Cents requested = 0;
    Cents approved = 0;
    Cents paid = 0;
};

std::map<std::int64_t, SituationAmounts> amountsBySituation(const FundingProcess& process) {
    std::map<std::int64_t, SituationAmounts> amounts;
    for (const auto& request : process.fundingRequests()) {
        auto& sums = amounts[request.situationId];
        sums.requested += request.requested;
        sums.approved += request.approved;
        sums.paid += request.paid;
    }
    return amounts;
}

int init(Invocation& in) {
    const auto network = in.option("--network");
    if (!network) throw UsageError("init needs --network FILE (e.g. samples/namur/network.xml)");
    const auto path = databasePath(in);
    std::optional<std::filesystem::path> workflow;
    if (auto file = in.option("--workflow")) workflow = *file;
    FundingProcess::initialize(path, *network, workflow, actorOf(in).toString());
    auto process = FundingProcess::open(path);
    const std::string& language = settleMessageLanguage(in, &process.network());
    in.out << tr("initialised {file} for network '{network}' ({label}), workflow '{workflow}'",
                 {{"file", path.string()},
                  {"network", process.network().id()},
                  {"label", process.network().label(language)},
                  {"workflow", process.chart().name()}})
           << "\n";
    return kOk;
}

// What registration decided, never silent (issue 13): the state reached or, for a redirected
// youth, the rule, the reason read from the document and where the youth was sent.
std::vector<std::string> registrationOutcome(const SituationRecord& record, const NetworkSettings& network) {
    const Situation situation = Situation::fromStored(record.document);
    xmlNode* redirection = xml::firstChild(xml::root(situation.document()), "redirection");
    if (!redirection) return {tr("registered: {state}", {{"state", stateWords(record.state)}})};
    const std::string reason = xml::attribute(redirection, "reason").value_or("");
    std::vector<std::string> lines;
    if (reason == "emergency") {
        lines.push_back(tr("redirected (R3): an emergency is not handled by this scheme"));
    } else if (reason == "out-of-territory") {
        lines.push_back(tr("redirected (R1): the postal code {postalCode} is outside the network's territory",
                           {{"postalCode", situation.postalCode()}}));
    } else {
        const Date on = situation.openedOn().value_or(Date::today());
        lines.push_back(tr("redirected (R1): aged {age} on {date}, outside the network's age range ({min} to {max})",
                           {{"age", std::to_string(ageOn(situation.birthDate(), on))},
                            {"date", on.iso()},
                            {"min", std::to_string(network.minAge())},
                            {"max", std::to_string(network.maxAge())}}));
    }
    if (xmlNode* to = xml::firstChild(redirection, "redirectedTo"))
        lines.push_back(tr("sent to: {to}", {{"to", xml::text(to)}}));
    return lines;
}

int situationNew(Invocation& in) {
    auto process = openProcess(in);
    const std::string file = in.positional(0);
    const auto record =
        process.registerSituation(readInputFile(file), file == "-" ? "standard input" : file, actorOf(in));
    if (in.flag("--json")) {
        auto json = situationJson(record, false);
        views::addIdentityFacts(*json, record, View::Full, process.network(), Date::today());
        printJson(in.out, json);
        return kOk;
    }
    // The id first, alone on its line: scripts read it with `head -1`.
    in.out << record.id << "\n";
    for (const auto& line : registrationOutcome(record, process.network())) in.out << line << "\n";
    return kOk;
}

// `--limit N [--after ID]`: one page of the list, as the API pages it; without them the whole
// list, as scripts have always read it.
std::vector<SituationRecord> listedSituations(Invocation& in, FundingProcess& process) {
    if (!in.option("--limit") && !in.option("--after")) return process.situations(in.option("--state"));
    int limit = 50;
    if (const auto text = in.option("--limit")) {
        if (text->empty() || text->size() > 5 || !std::all_of(text->begin(), text->end(), ::isdigit) ||
            std::stoi(*text) < 1 || std::stoi(*text) > 10000)
            throw UsageError(tr("--limit must be a whole number from 1 to 10000"));
        limit = std::stoi(*text);
    }
    const std::int64_t after = in.option("--after") ? parseSituationId(*in.option("--after")) : 0;
    store::SituationFilter filter;
    filter.state = in.option("--state");
    auto page = process.situationPage(filter, after, limit);
    // On standard error, so that the listed lines stay the same with or without paging.
    if (page.nextAfter)
        in.err << tr("more situations: continue with --after {id}", {{"id", std::to_string(*page.nextAfter)}}) << "\n";
    return std::move(page.records);
}

int situationList(Invocation& in) {
    auto process = openProcess(in);
    const auto records = listedSituations(in, process);
    const auto amounts = amountsBySituation(process);
    std::vector<std::int64_t> listed;
    for (const auto& record : records) listed.push_back(record.id);
    process.recordRead(readerOf(in), listed, "list");
    auto amountsOf = [&](std::int64_t id) {
        const auto found = amounts.find(id);
        return found == amounts.end() ? SituationAmounts{} : found->second;
    };
    if (in.flag("--json")) {
        Poco::JSON::Array list;
        for (const auto& record : records) {
            auto json = situationJson(record, false);
            views::addIdentityFacts(*json, record, View::Full, process.network(), Date::today());
            const auto sums = amountsOf(record.id);
            json->set("requestedCents", sums.requested);
            json->set("approvedCents", sums.approved);
            json->set("paidCents", sums.paid);
            list.add(json);
        }
        printJson(in.out, list);
        return kOk;
    }
    const std::string language = languageOf(in);
    // Headers and states in the user's language; a state label wider than its column pushes
    // the amounts right rather than being cut.
    in.out << pad(tr("ID"), 4) << pad(tr("REFERENCE"), 12) << pad(tr("CAT"), 4) << pad(tr("MUNICIPALITY"), 16)
           << pad(tr("VER"), 4) << pad(tr("STATE"), 28) << padLeft(tr("REQUESTED"), 12) << padLeft(tr("APPROVED"), 12)
           << padLeft(tr("PAID"), 12) << "\n";
    SituationAmounts total;
    for (const auto& record : records) {
        const auto sums = amountsOf(record.id);
        in.out << pad(std::to_string(record.id), 4) << pad(reference(record), 12)
               << pad(record.category ? std::to_string(*record.category) : "-", 4) << pad(record.municipality, 16)
               << pad(std::to_string(record.version), 4) << pad(stateLabel(record.state), 28)
               << padLeft(i18n::formatMoney(sums.requested, language), 12)
               << padLeft(i18n::formatMoney(sums.approved, language), 12)
               << padLeft(i18n::formatMoney(sums.paid, language), 12) << "\n";
        total.requested += sums.requested;
        total.approved += sums.approved;
        total.paid += sums.paid;
    }
    if (records.size() > 1)
        in.out << pad(tr("total"), 68) << padLeft(i18n::formatMoney(total.requested, language), 12)
               << padLeft(i18n::formatMoney(total.approved, language), 12)
               << padLeft(i18n::formatMoney(total.paid, language), 12) << "\n";
    if (records.empty())
        in.err << (in.option("--state")
                       ? tr("no situations in state {state}", {{"state", stateWords(*in.option("--state"))}})
                       : tr("no situations"))
               << "\n";
    return kOk;
}

int situationShow(Invocation& in) {
    const auto id = in.situationId(0); // a malformed id is a usage error, before any database work
    auto process = openProcess(in);
    const auto record = process.situation(id);
    process.recordRead(readerOf(in), {id}, "situation");
    if (in.flag("--json")) {
        auto json = situationJson(record, true);
        views::addIdentityFacts(*json, record, View::Full, process.network(), Date::today());
        printJson(in.out, json);
    } else if (in.flag("--xml")) {
        in.out << Situation::fromStored(record.document).toXml(true);
    } else {
        auto json = situationJson(record, false);
        const auto field = [&](const std::string& label, const std::string& value) {
            in.out << "  " << pad(label + ":", 15) << value << "\n";
        };
        in.out << tr("situation {id} ({reference})",
                     {{"id", std::to_string(record.id)}, {"reference", reference(record)}})
               << "\n";
        field(tr("category"), record.category ? std::to_string(*record.category) : tr("outside every band"));
        field(tr("municipality"), record.municipality);
        field(tr("state"), stateWords(record.state));
        field(tr("version"), std::to_string(record.version));
        field(tr("registered"), record.registeredAt);
        field(tr("updated"), record.updatedAt);
        in.out << tr("use --xml for the whole document, `caseflow events {id}` for its history",
                     {{"id", std::to_string(record.id)}})
               << "\n";
    }
    return kOk;
}

int events(Invocation& in) {
    const auto id = in.situationId(0);
    auto process = openProcess(in);
    const auto history = process.history(id);
    process.recordRead(readerOf(in), {id}, "history");
    if (in.flag("--json")) {
        Poco::JSON::Array list;
        for (const auto& event : history) {
            auto item = Poco::makeShared<Poco::JSON::Object>();
            item->set("position", event.position);
            item->set("sequence", event.sequence);
            item->set("type", event.type);
            item->set("actor", event.actor);
            item->set("recordedAt", event.recordedAt);
            item->set("payload", event.payload);
            item->set("previousHash", event.previousHash);
            item->set("hash", event.hash);
            list.add(item);
        }
        printJson(in.out, list);
        return kOk;
    }
    for (const auto& event : history) {
        const auto payload = EventPayload::parse(event.payload);
        in.out << std::setw(3) << event.sequence << "  " << event.recordedAt << "  " << pad(eventWords(event.type), 24)
               << "  " << pad(event.actor, 34) << " -> " << stateWords(payload.outcome.activeStates.text()) << "\n";
        if (xmlNode* data = payload.dataElement()) {
            std::string summary = "<" + xml::name(data);
            for (const char* key : {"id", "date", "outcome", "amount", "request"})
                if (auto value = xml::attribute(data, key)) summary += std::string(" ") + key + "=\"" + *value + "\"";
            in.out << "       " << summary << ">\n";
        }
        for (const auto& deadline : payload.outcome.deadlines)
            in.out << "       "
                   << tr("deadline {id}: {event} on {date}",
                         {{"id", deadline.sendId}, {"event", eventWords(deadline.event)}, {"date", deadline.due}})
                   << "\n";
        in.out << "       " << tr("hash") << " " << event.hash.substr(0, 16) << "…\n";
    }
    return kOk;
}

Poco::JSON::Array driftsJson(const std::vector<store::ProjectionDrift>& drifts) {
    Poco::JSON::Array list;
    for (const auto& drift : drifts) {
        auto item = Poco::makeShared<Poco::JSON::Object>(Poco::JSON_PRESERVE_KEY_ORDER);
        item->set("table", drift.table);
        item->set("key", drift.key);
        item->set("column", drift.column);
        item->set("stored", drift.stored ? Poco::Dynamic::Var(*drift.stored) : Poco::Dynamic::Var());
        item->set("replayed", drift.replayed ? Poco::Dynamic::Var(*drift.replayed) : Poco::Dynamic::Var());
        item->set("description", drift.describe());
        list.add(item);
    }
    return list;
}

// A head `verify` printed earlier and the operator kept elsewhere, given back: NUMBER:HASH.
struct NotedHead {
    std::int64_t number = 0; // the event's position, or the read log row's id
    std::string hash;
};

NotedHead parseNotedHead(const std::string& option, const std::string& numberName, const std::string& text) {
    const auto colon = text.find(':');
    const std::string number = text.substr(0, colon);
    const std::string hash = colon == std::string::npos ? std::string() : text.substr(colon + 1);
    if (number.empty() || number.size() > 15 || number.find_first_not_of("0123456789") != std::string::npos ||
        hash.size() != 64 || hash.find_first_not_of("0123456789abcdef") != std::string::npos)
        throw UsageError(option + " needs " + numberName +
                         ":HASH as verify printed it (e.g. 169:3fa2…, 64 hex digits), got '" + text + "'");
    return {std::stoll(number), hash};
}

// The event at the noted position must still be there with that hash, so removing the newest
// events cannot go unnoticed.
std::optional<std::string> eventHeadProblem(const store::VerifyReport& report, const NotedHead& noted,
                                            FundingProcess& process) {
    const std::string position = std::to_string(noted.number);
    if (report.headPosition < noted.number)
        return "the log ends at event " + std::to_string(report.headPosition) + ", but event " + position +
               " was recorded when the head was noted: events were removed";
    if (process.eventHash(noted.number) != std::optional<std::string>(noted.hash))
        return "event " + position + " no longer has the hash noted for it: the log was rewritten since";
    return std::nullopt;
}

// The same for the read log (R19): whoever removes the newest read records, to hide what they
// opened, leaves a chain that still links up; the row noted earlier is gone or changed.
std::optional<std::string> readHeadProblem(const store::VerifyReport& report, const NotedHead& noted,
                                           FundingProcess& process) {
    const std::string id = std::to_string(noted.number);
    if (report.readHeadId < noted.number)
        return "the read log ends at row " + std::to_string(report.readHeadId) + ", but row " + id +
               " was written when its head was noted: read records were removed";
    if (process.readHash(noted.number) != std::optional<std::string>(noted.hash))
        return "read log row " + id + " no longer has the hash noted for it: the read log was rewritten since";
    return std::nullopt;
}

int verify(Invocation& in) {
    // Malformed heads are refused before the (long) walk.
    std::optional<NotedHead> eventHead, readHead;
    if (auto text = in.option("--expect-head")) eventHead = parseNotedHead("--expect-head", "POSITION", *text);
    if (auto text = in.option("--expect-read-head")) readHead = parseNotedHead("--expect-read-head", "ID", *text);
    auto process = openProcess(in);
    auto report = process.verify();
    // A head is compared whenever its chain itself links up, drifting projections or not.
    if (eventHead && report.chainIntact)
        if (auto problem = eventHeadProblem(report, *eventHead, process)) report.addProblem(*problem);
    if (readHead && report.readChainIntact)
        if (auto problem = readHeadProblem(report, *readHead, process)) report.addProblem(*problem);
    // PostgreSQL's storage is the operator's to check (pg_amcheck): say so rather than claim it.
    const bool postgres = process.database().dialect() == store::Dialect::Postgres;
    if (in.flag("--json")) {
        auto json = Poco::makeShared<Poco::JSON::Object>();
        json->set("intact", report.intact);
        json->set("eventsChecked", report.eventsChecked);
        Poco::JSON::Array notes;
        for (const auto& note : report.notes) notes.add(note);
        json->set("notes", notes);
        json->set("readsChecked", report.readsChecked);
        if (report.firstBrokenPosition) json->set("firstBrokenPosition", *report.firstBrokenPosition);
        json->set("problem", report.problem);
        Poco::JSON::Array problems;
        for (const auto& problem : report.problems) problems.add(problem);
        json->set("problems", problems);
        json->set("drifts", driftsJson(report.drifts));
        json->set("headPosition", report.headPosition);
        json->set("headHash", report.headHash);
        json->set("readHeadId", report.readHeadId);
        json->set("readHeadHash", report.readHeadHash);
        printJson(in.out, json);
    } else if (report.intact) {
        // Counted apart, so that each takes its own plural ("1 event", "2 read log rows").
        const std::string events = trn("{count} event", "{count} events", static_cast<long>(report.eventsChecked));
        const std::string reads =
            trn("{count} read log row", "{count} read log rows", static_cast<long>(report.readsChecked));
        in.out << (postgres ? tr("intact: {events}, hash chain, projections, network settings and {reads} verified",
                                 {{"events", events}, {"reads", reads}})
                            : tr("intact: {events}, hash chain, projections, network settings, {reads} and database "
                                 "integrity verified",
                                 {{"events", events}, {"reads", reads}}))
               << "\n";
        if (postgres)
            in.out << tr("note: PostgreSQL's own storage is not checked by caseflow: run pg_amcheck on the database "
                         "(docs/deployment.md)")
                   << "\n";
        const std::string headLabel = tr("head:"), readsLabel = tr("reads:");
        const std::size_t width = std::max<std::size_t>(8, std::max(utf8Length(headLabel), utf8Length(readsLabel)) + 1);
        const std::string indent(width, ' ');
        if (report.headPosition > 0)
            in.out << pad(headLabel, width) << report.headPosition << ":" << report.headHash << "\n"
                   << indent
                   << tr("(keep it elsewhere; `caseflow verify --expect-head` with it proves no event was removed "
                         "since)")
                   << "\n";
        if (report.readHeadId > 0)
            in.out << pad(readsLabel, width) << report.readHeadId << ":" << report.readHeadHash << "\n"
                   << indent
                   << tr("(the read log's head: `caseflow verify --expect-read-head` with it proves no read record "
                         "was removed since)")
                   << "\n";
    } else {
        in.out << trn("BROKEN: {count} problem", "BROKEN: {count} problems", static_cast<long>(report.problems.size()))
               << "\n";
        for (const auto& problem : report.problems) in.out << "  " << problem << "\n";
    }
    return report.intact ? kOk : kError;
}

int rebuild(Invocation& in) {
    auto process = openProcess(in);
    const auto drifts = process.rebuild();
    // Counted, not loaded: at 100 000 situations their documents are half a gigabyte.
    const auto situations = process.situationCount();
    if (in.flag("--json")) {
        auto json = Poco::makeShared<Poco::JSON::Object>();
        json->set("situations", static_cast<Poco::Int64>(situations));
        json->set("changed", driftsJson(drifts));
        printJson(in.out, json);
        return kOk;
    }
    if (drifts.empty()) {
        in.out << tr("nothing had drifted") << "\n";
    } else {
        in.out << trn("changed {count} value that differed from the log:",
                      "changed {count} values that differed from the log:", static_cast<long>(drifts.size()))
               << "\n";
        for (const auto& drift : drifts) in.out << "  " << drift.describe() << "\n";
    }
    in.out << trn("projections rebuilt from the event log ({count} situation)",
                  "projections rebuilt from the event log ({count} situations)", static_cast<long>(situations))
           << "\n";
    return kOk;
}

// backup and restore copy SQLite's pages; a PostgreSQL database has its own tools.
void requireDatabaseFile(const Invocation& in) {
    if (store::Database::isPostgresAddress(databasePath(in).string()))
        throw UsageError(tr("backup and restore copy an SQLite file: back up a PostgreSQL database with pg_dump and "
                            "check the copy with `caseflow verify --expect-head` (docs/deployment.md)"));
}

int backup(Invocation& in) {
    requireDatabaseFile(in);
    const auto report = store::backupDatabase(databasePath(in), in.positional(0), in.flag("--force"));
    in.out << tr("backed up {events} events to {file} ({bytes} bytes)", {{"events", std::to_string(report.events)},
                                                                         {"file", in.positional(0)},
                                                                         {"bytes", std::to_string(report.bytes)}})
           << "\n";
    return kOk;
}

int restore(Invocation& in) {
    requireDatabaseFile(in);
    const auto report = store::restoreDatabase(in.positional(0), databasePath(in), in.flag("--force"));
    in.out << tr("restored {events} events from {file} into {database} (hash chain verified)",
                 {{"events", std::to_string(report.events)},
                  {"file", in.positional(0)},
                  {"database", databasePath(in).string()}})
           << "\n";
    return kOk;
}

} // namespace

void addStoreCommands(std::vector<CommandSpec>& commands) {
    commands.push_back({"init",
                        "",
                        "create a database for a network",
                        "Creates the database (or upgrades its schema) and records the network's settings. New or\n"
                        "changed settings are recorded as a network.settings event in the hash-chained log.",
                        {{"--network", "FILE", "the network settings (e.g. samples/namur/network.xml)"},
                         {"--workflow", "FILE", "the workflow the network runs (default: workflows/funding.scxml)"},
                         kAsOption},
                        0,
                        0,
                        init});
    commands.push_back(
        {"situation new",
         "FILE",
         "register a situation from its XML document and print its id",
         "The document is validated against schemas/situation.xsd; FILE may be - for standard input.\n"
         "Registration runs the workflow's eligibility step: emergencies (R3) and youths outside the\n"
         "territory or age range (R1) are redirected, never dropped. The document holds phase 1 only\n"
         "(youth, emergency, consents, partners, request): any later part is refused, naming it (exit 2),\n"
         "and so are a birth date after the registration date (R1, exit 3) and a youth reference already\n"
         "registered. Prints the new id on the first line, then the outcome in the user's language: the\n"
         "state reached, or why the youth was redirected (the rule, the postal code or age) and where the\n"
         "network sends them. A redirected youth is registered all the same (exit 0): the situation\n"
         "records the redirection, and a registration.corrected event can reopen a wrong one.",
         {kAsOption, kWorkflowOption},
         1,
         1,
         situationNew});
    commands.push_back({"situation list",
                        "",
                        "list situations with their state and amounts",
                        "Amounts add up every funding request of a situation: requested, approved, paid.",
                        {{"--state", "STATE", "only situations in this state"},
                         {"--limit", "N", "print N situations at most (1 to 10000), then how to continue"},
                         {"--after", "ID", "start after situation ID (with --limit: the next page)"},
                         kReaderOption,
                         kWorkflowOption},
                        0,
                        0,
                        situationList});
    commands.push_back({"situation show",
                        "ID",
                        "show one situation",
                        "",
                        {{"--xml", "", "print the situation document"}, kReaderOption, kWorkflowOption},
                        1,
                        1,
                        situationShow});
    commands.push_back({"events",
                        "ID",
                        "show a situation's audit trail, oldest first",
                        "",
                        {kReaderOption, kWorkflowOption},
                        1,
                        1,
                        events});
    commands.push_back(
        {"verify",
         "",
         "check the hash chains, the projections and the database's integrity",
         "Exits 0 only when every event's hash and link is intact, PRAGMA integrity_check passes,\n"
         "every projection (situations, funding requests, payments, deadlines) and the stored network\n"
         "settings equal a replay of the log in memory, every stored event carries only the data its\n"
         "event takes (docs/events.md), and the read log's own chain is intact;\n"
         "otherwise names every problem: the first broken event, each drifting row (table, key,\n"
         "column, stored vs replayed value), the first broken read log row. It prints the head\n"
         "(position:hash of the newest event): a chain cut after its newest events still links up,\n"
         "so note the head somewhere else and give it back with --expect-head to prove nothing was\n"
         "removed since. The read log's head (id:hash of the newest read record) is printed too, for\n"
         "--expect-read-head: removing the newest read records also leaves a chain that links up.",
         {{"--expect-head", "POSITION:HASH", "the head a previous verify printed; fail if it is gone"},
          {"--expect-read-head", "ID:HASH", "the read log's head a previous verify printed; fail if it is gone"},
          kWorkflowOption},
         0,
         0,
         verify});
    commands.push_back({"rebuild",
                        "",
                        "rebuild every projection from the event log",
                        "Drops the situation, finance and deadline tables and replays the log in one transaction,\n"
                        "after listing every value that differed from the log (what verify reports as drift).",
                        {kWorkflowOption},
                        0,
                        0,
                        rebuild});
    commands.push_back({"backup",
                        "FILE",
                        "copy the database to FILE while it is in use (SQLite online backup)",
                        "The copy is written beside FILE under a temporary name and renamed when complete, so a\n"
                        "failed backup never leaves a partial file.",
                        {{"--force", "", "overwrite FILE if it exists"}},
                        1,
                        1,
                        backup});
    commands.push_back({"restore",
                        "FILE",
                        "replace the database with a backup, after checking it",
                        "Refuses a file that is not a caseflow database, one of a newer schema, or one whose hash\n"
                        "chain or integrity check fails. Replacing a database that holds events needs --force.",
                        {{"--force", "", "replace a database that holds events"}},
                        1,
                        1,
                        restore});
}

} // namespace caseflow::cli
