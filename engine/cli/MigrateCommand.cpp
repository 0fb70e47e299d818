// `caseflow migrate --to ADDRESS`: moves a network to another database (SQLite file or
// postgresql://, either way) and proves the copy (issue 18, docs/postgresql.md "Moving a
// network"). What must stay true: the source is never written (its schema must already be
// current, so opening it migrates nothing); the destination is new or empty of caseflow data
// and receives the copy in one transaction; the exit code is 0 only when every proof line holds,
// and on any difference the destination is left as copied for inspection, and says so.
#include "cli/Commands.h"
#include "cli/ExitCodes.h"
#include "cli/Messages.h"
#include "core/Errors.h"
#include "i18n/Translator.h"
#include "process/Projection.h"
#include "store/Database.h"
#include "store/DatabaseCopy.h"
#include "store/Migrations.h"
#include "store/ProjectionCheck.h"
#include "store/ReadLogStore.h"

#include <cmath>
#include <iomanip>
#include <sstream>

namespace caseflow::cli {
namespace {

std::string oneDecimal(double value) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(1) << value;
    return text.str();
}

std::string perSecond(int64_t count, double seconds) {
    return std::to_string(static_cast<int64_t>(std::llround(seconds > 0 ? count / seconds : 0.0)));
}

bool sameDatabase(const std::filesystem::path& source, const std::filesystem::path& destination) {
    if (store::Database::isPostgresAddress(source.string()) || store::Database::isPostgresAddress(destination.string()))
        return source == destination;
    std::error_code ignored;
    return std::filesystem::weakly_canonical(source, ignored) ==
           std::filesystem::weakly_canonical(destination, ignored);
}

// The source opened only to read its schema version: a source behind this caseflow would be
// migrated (written) by FundingProcess::open, which the copy promises never to do.
void requireCurrentSchema(const std::filesystem::path& source) {
    store::Database db = store::Database::open(source, store::OpenMode::MustExist);
    const int version = store::currentSchemaVersion(db);
    if (version != store::latestSchemaVersion())
        throw UsageError(tr("{source} has schema version {version} and this caseflow writes version {latest}: "
                            "upgrade the source first (`caseflow verify --db {source}` does), then copy it",
                            {{"source", source.string()},
                             {"version", std::to_string(version)},
                             {"latest", std::to_string(store::latestSchemaVersion())}}));
}

// The projector that rebuilds the destination's projections: the same replay as `rebuild` and
// `verify`, from the source's first network settings. The settings and chart belong to `process`,
// which outlives the copy (hence the shared_ptrs that own nothing).
store::Projector replayOf(const FundingProcess& process) {
    std::shared_ptr<const NetworkSettings> first(std::shared_ptr<const NetworkSettings>(), &process.network());
    const auto settingsEvents = store::networkSettingsEvents(process.database());
    if (!settingsEvents.empty())
        first =
            NetworkSettings::fromString(settingsEvents.front().payload,
                                        "network settings of event " + std::to_string(settingsEvents.front().position));
    return replayProjector(std::move(first), std::shared_ptr<const workflow::StateChart>(
                                                 std::shared_ptr<const workflow::StateChart>(), &process.chart()));
}

std::string driftLine(const store::ProjectionDrift& drift) {
    const auto value = [](const std::optional<std::string>& text) {
        if (!text) return std::string("NULL");
        return "'" + (text->size() > 60 ? text->substr(0, 60) + "…" : *text) + "'";
    };
    if (drift.column.empty())
        return drift.table + " " + drift.key + ": " +
               (drift.replayed ? tr("only on the destination") : tr("missing on the destination"));
    return drift.table + " " + drift.key + ", " +
           tr("column {column}: source {source}, destination {destination}",
              {{"column", drift.column}, {"source", value(drift.stored)}, {"destination", value(drift.replayed)}});
}

// One line of the proof: what held, or the difference found.
struct ProofLine {
    bool holds = true;
    std::string text;
};

int migrateTo(Invocation& in) {
    const std::filesystem::path source = databasePath(in);
    const auto to = in.option("--to");
    if (!to || to->empty())
        throw UsageError(tr("migrate needs --to ADDRESS: a new SQLite file or a postgresql:// address"));
    const std::filesystem::path destinationAddress = *to;
    if (sameDatabase(source, destinationAddress))
        throw UsageError(tr("--to names the source database itself ({source})", {{"source", source.string()}}));

    requireCurrentSchema(source);
    const FundingProcess process = FundingProcess::open(source);
    store::Database& sourceDb = process.database();

    store::Database destination = store::Database::open(destinationAddress, store::OpenMode::CreateIfMissing);
    store::migrate(destination);
    if (const auto found = store::caseflowDataIn(destination); !found.empty()) {
        std::string tables;
        for (const auto& table : found) tables += (tables.empty() ? "" : ", ") + table;
        throw UsageError(tr("{destination} already holds caseflow data: {tables}. `caseflow migrate` copies into a "
                            "new or empty database only",
                            {{"destination", destinationAddress.string()}, {"tables", tables}}));
    }

    const store::SourceSnapshot snapshot(sourceDb);
    const store::LogHead sourceHead = store::logHead(sourceDb);
    in.err << tr("copying {events} events from {source} to {destination}",
                 {{"events", std::to_string(sourceHead.events)},
                  {"source", source.string()},
                  {"destination", destinationAddress.string()}})
           << std::endl;
    const auto summary =
        store::copyDatabase(sourceDb, destination, replayOf(process), [&](const store::CopyProgress& at) {
            in.err << tr("copied {done} of {total} events ({rate} events/s)",
                         {{"done", std::to_string(at.eventsCopied)},
                          {"total", std::to_string(at.eventsTotal)},
                          {"rate", perSecond(at.eventsCopied, at.seconds)}})
                   << std::endl;
        });
    in.out << tr("copied {events} events and {rows} rows from {source} to {destination} in {seconds} s ({rate} "
                 "events/s)",
                 {{"events", std::to_string(summary.events)},
                  {"rows", std::to_string(summary.rows)},
                  {"source", source.string()},
                  {"destination", destinationAddress.string()},
                  {"seconds", oneDecimal(summary.seconds)},
                  {"rate", perSecond(summary.events, summary.seconds)}})
           << "\n";

    // The proof: the destination as committed against the source's snapshot the copy read.
    std::vector<ProofLine> proof;
    const store::LogHead destinationHead = store::logHead(destination);
    if (destinationHead.events == sourceHead.events)
        proof.push_back({true, tr("events: {count} on both sides", {{"count", std::to_string(sourceHead.events)}})});
    else
        proof.push_back({false, tr("events: {source} in the source, {destination} in the destination",
                                   {{"source", std::to_string(sourceHead.events)},
                                    {"destination", std::to_string(destinationHead.events)}})});
    const auto headText = [](const store::LogHead& head) { return std::to_string(head.position) + ":" + head.hash; };
    if (destinationHead.position == sourceHead.position && destinationHead.hash == sourceHead.hash)
        proof.push_back({true, tr("head: {head} on both sides", {{"head", headText(sourceHead)}})});
    else
        proof.push_back({false, tr("head: source {source}, destination {destination}",
                                   {{"source", headText(sourceHead)}, {"destination", headText(destinationHead)}})});

    const store::VerifyReport chain = store::EventStore(destination).verifyChain();
    if (chain.chainIntact)
        proof.push_back({true, tr("hash chain: every one of the {count} events re-verified on the destination",
                                  {{"count", std::to_string(chain.eventsChecked)}})});
    else
        proof.push_back({false, tr("hash chain: {problem}", {{"problem", chain.problem}})});

    const auto drifts = store::compareProjections(sourceDb, destination);
    if (drifts.empty())
        proof.push_back({true, tr("projections: rebuilt on the destination from its events, equal to the source's "
                                  "({tables} tables and the network settings)",
                                  {{"tables", std::to_string(store::projectionTables().size())}})});
    else
        proof.push_back({false, tr("projections: {difference}", {{"difference", driftLine(drifts.front())}})});

    const auto tables = store::compareCopiedTables(sourceDb, destination);
    if (!tables.firstDifference)
        proof.push_back({true, tr("copied tables: the same {rows} rows in {tables} tables",
                                  {{"rows", std::to_string(tables.rows)}, {"tables", std::to_string(tables.tables)}})});
    else
        proof.push_back({false, tr("copied tables: {difference}", {{"difference", *tables.firstDifference}})});

    const store::ReadLogCheck reads = store::ReadLogStore(destination).verify();
    if (reads.intact)
        proof.push_back({true, tr("read log: its chain re-verified on the destination ({count} rows)",
                                  {{"count", std::to_string(reads.rowsChecked)}})});
    else
        proof.push_back({false, tr("read log: {problem}", {{"problem", reads.problem}})});

    const ProofLine* firstDifference = nullptr;
    for (const auto& line : proof) {
        in.out << (line.holds ? "  ✓ " : "  ✗ ") << line.text << "\n";
        if (!line.holds && !firstDifference) firstDifference = &line;
    }
    if (!firstDifference) {
        in.out << tr("proved: {destination} is a faithful copy of {source}",
                     {{"destination", destinationAddress.string()}, {"source", source.string()}})
               << "\n";
        return kOk;
    }
    in.out << tr("NOT PROVED: {difference}", {{"difference", firstDifference->text}}) << "\n"
           << tr("the destination is left as copied, for inspection: {destination}",
                 {{"destination", destinationAddress.string()}})
           << "\n";
    return kError;
}

} // namespace

void addMigrateCommand(std::vector<CommandSpec>& commands) {
    commands.push_back(
        {"migrate",
         "",
         "copy the database to a new SQLite file or PostgreSQL database, and prove the copy",
         "Moves a network between backends, either way: --to postgresql://… (the database's owner, who\n"
         "creates the schema) or --to FILE.db. The destination must be new or empty of caseflow data\n"
         "(otherwise it is refused, naming what is there). The source is only read, in one snapshot, so a\n"
         "server may keep writing meanwhile; its schema must be current. Everything goes into the\n"
         "destination in one transaction: an interrupted copy leaves it empty, and running the command\n"
         "again works. Events are copied one by one with every field and hash unchanged; projections are\n"
         "rebuilt on the destination from its events; users, tokens, assignments, the trust store, the\n"
         "directory, proofs, settings, idempotency keys and the read log are copied as they are. Web\n"
         "sessions are not: people sign in again. Progress goes to standard error every few seconds.\n"
         "Then the proof, one line each: the same number of events, the same head (position:hash), every\n"
         "event's hash re-verified on the destination, projections equal to the source's table by table,\n"
         "the same rows in the copied tables, the read log's chain. Exits 0 only when all hold; otherwise\n"
         "names the first difference, exits 1 and leaves the destination as copied, for inspection.",
         {{"--to", "ADDRESS", "the destination: a new SQLite file, or postgresql://… of an empty database", true}},
         0,
         0,
         migrateTo});
}

} // namespace caseflow::cli
