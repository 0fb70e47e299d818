// Benchmark (not a test): caseflow at the scale of a whole region — 100 000 situations and
// 2 000 000 events over 2024-2026 — built in-process in minutes, then the interactive queries
// through the API of a real `caseflow serve` (a child process, so that its resident memory is
// its own), and verify and rebuild in events per second. Each figure is printed next to its
// target (issue 19): every interactive query < 50 ms (p50 and p99), server RSS < 100 MB,
// verify >= 100 000 events/s.
//
// How the data is made, so that verify, rebuild and every view work on it: a few hundred
// "template" situations are played through the real FundingProcess (the pilot scenarios cut
// after each of their steps, so that every phase is represented, then topped up with recorded
// consents); then each of the 100 000 situations copies one template's events, with its dates
// moved to its year, its amounts scaled and its reference made unique, appended through
// EventStore's own append API with the real projector, in big transactions. The chain, the
// hashes and the projections are therefore the store's own, not hand-written SQL.
//
// usage: bench_scale [--situations N] [--events N] [--keep FILE] [--reuse FILE] [--caseflow PATH]
//                    [--build-only] [--no-verify] [--no-reports] [--committee-only]
//   --keep FILE    keep the database built (for later runs: --reuse FILE skips the build)
//   --build-only   stop after the build; --no-verify: skip verify and rebuild, --no-reports: skip
//                  `due` and the committee report (at 100 000 situations they take minutes)
//   --committee-only  of the queries, only the committee report
#include "model/Clock.h"
#include "process/FundingProcess.h"
#include "process/Projection.h"
#include "service/Accounts.h"
#include "signature/ScenarioSigners.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "store/Transaction.h"
#include "xml/Xml.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <thread>

extern char** environ;

using namespace caseflow;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string readAll(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

// The pilot network with envelopes for the three years, large enough for a region.
std::string benchNetwork(const std::filesystem::path& pilot) {
    std::string text = readAll(pilot);
    const auto begin = text.find("<envelopes");
    const auto end = text.find("</envelopes>");
    const auto open = text.find('>', begin);
    text.replace(open + 1, end - open - 1,
                 "<envelope year=\"2024\" amount=\"3000000000\"/><envelope year=\"2025\" amount=\"3000000000\"/>"
                 "<envelope year=\"2026\" amount=\"3000000000\"/><envelope year=\"2027\" amount=\"3000000000\"/>");
    return text;
}

struct Step {
    std::string event, actor, date, data, signedBy;
};

struct Scenario {
    std::string registration;
    std::string openedOn;
    std::vector<Step> steps;
};

Scenario loadScenario(const std::filesystem::path& samples, const std::filesystem::path& file) {
    auto doc = xml::parseFile(file);
    Scenario scenario;
    xmlNode* root = xml::root(doc.get());
    scenario.registration = readAll(samples / "situations" / *xml::attribute(root, "situation"));
    const auto opened = scenario.registration.find("openedOn=\"");
    scenario.openedOn = scenario.registration.substr(opened + 10, 10);
    for (xmlNode* step : xml::children(root, "step")) {
        if (xml::attribute(step, "expect")) continue;
        auto data = xml::children(step);
        scenario.steps.push_back({*xml::attribute(step, "event"), *xml::attribute(step, "actor"),
                                  *xml::attribute(step, "date"), data.empty() ? "" : xml::serializeNode(data.front()),
                                  xml::attribute(step, "signedBy").value_or("")});
    }
    return scenario;
}

// A situation played through the real process, whose events the copies repeat: its first
// `baseEvents` events bring it to its phase, the ones after are recorded consents (no phase change).
struct Template {
    std::int64_t id = 0;
    std::string phase;
    std::size_t baseEvents = 0;
    std::vector<store::StoredEvent> events;
};

std::string withReference(std::string registration, const std::string& reference) {
    const auto begin = registration.find("<reference>") + 11;
    const auto end = registration.find("</reference>");
    registration.replace(begin, end - begin, reference);
    return registration;
}

constexpr int extraConsents = 24;

// Plays every scenario cut after each of its steps, then records consents on top.
std::vector<std::int64_t> playTemplates(FundingProcess& process, const std::filesystem::path& samples) {
    test::ScenarioSigners signers(process);
    std::vector<std::int64_t> ids;
    int counter = 0;
    for (const auto& entry : std::filesystem::directory_iterator(samples / "scenarios")) {
        const Scenario scenario = loadScenario(samples, entry.path());
        for (std::size_t cut = 0; cut <= scenario.steps.size(); ++cut) {
            BusinessClock::fix(Date::parse(scenario.openedOn));
            const std::string reference = "TPL-" + std::to_string(++counter);
            std::int64_t id = 0;
            try {
                id = process
                         .registerSituation(withReference(scenario.registration, reference), "bench.xml",
                                            Actor{"partner", "bench"})
                         .id;
            } catch (const std::exception& error) {
                std::fprintf(stderr, "template %s: %s\n", reference.c_str(), error.what());
                continue;
            }
            ids.push_back(id);
            std::string lastDate = scenario.openedOn;
            try {
                for (std::size_t n = 0; n < cut; ++n) {
                    const Step& step = scenario.steps[n];
                    FixedBusinessDate today(step.date);
                    lastDate = step.date;
                    if (!step.signedBy.empty())
                        signers.fire(id, step.event, step.data, step.actor, step.signedBy);
                    else
                        process.fire(id, step.event,
                                     step.data.empty() ? std::nullopt : std::optional<std::string>(step.data), "bench",
                                     Actor::parse(step.actor));
                }
                FixedBusinessDate today(lastDate);
                for (int n = 0; n < extraConsents; ++n)
                    process.fire(id, "consent.recorded",
                                 "<consent type=\"information-sharing\" given=\"true\" date=\"" + lastDate +
                                     "\" recordedBy=\"bench\" by=\"parent\">Accord renouvelé lors d'un contact de "
                                     "suivi.</consent>",
                                 "bench", Actor::parse("case_manager:bench"));
            } catch (const std::exception&) {
                // A cut whose state takes no consent (eligibility, closed...) or a step the
                // scenario needs more for: the template is what was recorded.
            }
        }
    }
    return ids;
}

// Moves every ISO date "YYYY-MM-DD" in `text` by `years`.
std::string shiftYears(const std::string& text, int years) {
    if (years == 0) return text;
    std::string out = text;
    for (std::size_t i = 0; i + 10 <= out.size(); ++i) {
        if (out[i + 4] != '-' || out[i + 7] != '-') continue;
        bool digits = true;
        for (std::size_t k : {0, 1, 2, 3, 5, 6, 8, 9})
            if (out[i + k] < '0' || out[i + k] > '9') digits = false;
        if (!digits || (out[i] != '1' && out[i] != '2')) continue;
        const int year = std::stoi(out.substr(i, 4)) + years;
        std::string shifted = std::to_string(year);
        if (out.compare(i + 5, 5, "02-29") == 0 && year % 4 != 0) out.replace(i + 5, 5, "02-28");
        out.replace(i, 4, shifted);
        i += 9;
    }
    return out;
}

// Scales every amount="N" by percent/100 (integer cents).
std::string scaleAmounts(const std::string& text, int percent) {
    if (percent == 100) return text;
    std::string out;
    out.reserve(text.size());
    std::size_t from = 0;
    for (std::size_t at = text.find("amount=\""); at != std::string::npos; at = text.find("amount=\"", from)) {
        const std::size_t begin = at + 8;
        const std::size_t end = text.find('"', begin);
        out.append(text, from, begin - from);
        const std::string value = text.substr(begin, end - begin);
        if (!value.empty() && value.find_first_not_of("0123456789") == std::string::npos)
            out += std::to_string(std::stoll(value) * percent / 100);
        else
            out += value;
        from = end;
    }
    out.append(text, from, std::string::npos);
    return out;
}

struct BuildFigures {
    std::int64_t situations = 0;
    std::int64_t events = 0;
    double seconds = 0;
};

// The phase mix of one year: older years are mostly followed up or closed.
std::string pickPhase(int year, std::mt19937& random) {
    static const std::vector<std::string> phases = {"youth-in-distress", "redirected",   "concertation-request",
                                                    "concertation",      "care-plan",    "financial-need",
                                                    "request-dossier",   "budget-check", "payment",
                                                    "follow-up",         "closed"};
    static const std::map<int, std::vector<int>> weights = {{2024, {1, 3, 1, 1, 1, 1, 1, 1, 6, 20, 64}},
                                                            {2025, {2, 4, 3, 3, 3, 3, 3, 4, 12, 33, 30}},
                                                            {2026, {6, 5, 10, 10, 10, 8, 8, 10, 12, 16, 5}}};
    const auto& w = weights.at(year);
    std::discrete_distribution<int> pick(w.begin(), w.end());
    return phases[static_cast<std::size_t>(pick(random))];
}

BuildFigures buildDatabase(const std::filesystem::path& file, const std::filesystem::path& scratch,
                           const std::filesystem::path& samples, std::int64_t situations, std::int64_t targetEvents) {
    const auto start = Clock::now();
    const auto networkFile = scratch / "bench-network.xml";
    std::ofstream(networkFile) << benchNetwork(samples / "network.xml");
    FundingProcess::initialize(file, networkFile);
    std::vector<std::int64_t> templateIds;
    {
        auto process = FundingProcess::open(file);
        templateIds = playTemplates(process, samples);
    }
    BusinessClock::fix(std::nullopt);
    std::fprintf(stderr, "  %zu template situations played through the workflow in %.1f s\n", templateIds.size(),
                 secondsSince(start));

    store::Database db = store::Database::open(file, store::OpenMode::MustExist);
    // The loader's own connection keeps the pages it rewrites (each situation's row, once per
    // event) in memory across a batch instead of spilling them; durability is unchanged.
    db.exec("PRAGMA cache_size = -262144");
    store::EventStore log(db);
    const auto chart = workflow::StateChart::load(defaultWorkflowPath());
    const auto network = NetworkSettings::fromFile(networkFile);
    std::map<std::string, std::vector<Template>> byPhase;
    for (const auto id : templateIds) {
        Template t;
        t.id = id;
        t.events = log.events(id);
        for (const auto& event : t.events) {
            // The phase is where the last event other than a consent left it.
            if (event.type == "consent.recorded" && event.sequence > 1) continue;
            t.phase = chart->phaseOf(EventPayload::parse(event.payload).outcome.activeStates.text());
            t.baseEvents = static_cast<std::size_t>(event.sequence);
        }
        byPhase[t.phase].push_back(std::move(t));
    }

    const store::Projector project = replayProjector(network, chart);
    std::mt19937 random(19);
    std::int64_t eventsSoFar = 0;
    {
        store::Database counter = store::Database::open(file, store::OpenMode::MustExist);
        auto count = counter.prepare("SELECT count(*) FROM events");
        count.step();
        eventsSoFar = count.columnInt(0);
    }
    const std::int64_t already = static_cast<std::int64_t>(templateIds.size());
    constexpr std::int64_t batch = 1000;
    struct Copy {
        const Template* from;
        std::int64_t id;
        std::size_t events;
        int years;
        int percent;
        std::string reference;
        std::size_t next = 0;
    };
    for (std::int64_t done = already; done < situations; done += batch) {
        std::vector<Copy> copies;
        const std::int64_t count = std::min(batch, situations - done);
        // Events still to make, spread over the situations still to make.
        const double perSituation =
            static_cast<double>(targetEvents - eventsSoFar) / static_cast<double>(situations - done);
        store::Transaction transaction(db);
        std::int64_t lastId = 0;
        {
            auto highest = db.prepare("SELECT COALESCE(MAX(situation_id), 0) FROM events");
            highest.step();
            lastId = highest.columnInt(0);
        }
        for (std::int64_t n = 0; n < count; ++n) {
            const int year = 2024 + static_cast<int>(random() % 3);
            auto found = byPhase.find(pickPhase(year, random));
            if (found == byPhase.end() || found->second.empty()) found = byPhase.find("closed");
            const Template& from = found->second[random() % found->second.size()];
            const std::size_t wanted = static_cast<std::size_t>(
                std::max(1.0, perSituation + static_cast<double>(static_cast<int>(random() % 9) - 4)));
            const std::size_t events =
                std::clamp(wanted, std::min(from.baseEvents, from.events.size()), from.events.size());
            copies.push_back({&from, 0, events, year - 2026, 50 + 25 * static_cast<int>(random() % 5),
                              "R" + std::to_string(year % 100) + "-" + std::to_string(done + n + 1)});
        }
        // Registrations first, then the rest of the batch's events interleaved, as a network's
        // days mix many situations' events; the whole batch is one bulk append (one head read,
        // one clock read, the INSERT prepared once) in one transaction, each event projected by
        // the real projector as it is inserted.
        std::vector<store::NewEvent> batchEvents;
        for (auto& copy : copies) {
            const store::StoredEvent& first = copy.from->events.front();
            std::string payload = scaleAmounts(shiftYears(first.payload, copy.years), copy.percent);
            const auto begin = payload.find("<reference>");
            if (begin != std::string::npos) {
                const auto end = payload.find("</reference>", begin);
                payload.replace(begin + 11, end - begin - 11, copy.reference);
            }
            // appendNewSituation's id rule (highest + 1), inside this batch's transaction.
            copy.id = ++lastId;
            batchEvents.push_back({copy.id, first.type, first.actor, std::move(payload)});
            copy.next = 1;
        }
        for (bool more = true; more;) {
            more = false;
            for (auto& copy : copies) {
                if (copy.next >= copy.events) continue;
                const store::StoredEvent& event = copy.from->events[copy.next];
                batchEvents.push_back({copy.id, event.type, event.actor,
                                       scaleAmounts(shiftYears(event.payload, copy.years), copy.percent)});
                ++copy.next;
                more = true;
            }
        }
        log.appendBulkInOpenTransaction(batchEvents, project);
        eventsSoFar += static_cast<std::int64_t>(batchEvents.size());
        transaction.commit();
        if ((done / batch) % 10 == 0)
            std::fprintf(stderr, "  %lld situations, %lld events, %.0f s (%.0f events/s)\n",
                         static_cast<long long>(done + count), static_cast<long long>(eventsSoFar), secondsSince(start),
                         static_cast<double>(eventsSoFar) / secondsSince(start));
    }
    return {situations, eventsSoFar, secondsSince(start)};
}

// --- the server, a child process -----------------------------------------------------------

class ServerProcess {
public:
    ServerProcess(const std::filesystem::path& caseflow, const std::filesystem::path& database) {
        Poco::Net::ServerSocket probe(0);
        port_ = probe.address().port();
        probe.close();
        const std::string bind = "127.0.0.1:" + std::to_string(port_);
        std::vector<std::string> args = {caseflow.string(), "--db", database.string(), "serve", "--bind", bind,
                                         "--threads",       "4",    "--access-log",    "off"};
        std::vector<char*> argv;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        if (posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0)
            throw std::runtime_error("cannot start " + caseflow.string());
        for (int attempt = 0; attempt < 300; ++attempt) {
            try {
                Poco::Net::HTTPClientSession session("127.0.0.1", port_);
                Poco::Net::HTTPRequest request("GET", "/health");
                session.sendRequest(request);
                Poco::Net::HTTPResponse response;
                session.receiveResponse(response);
                return;
            } catch (const Poco::Exception&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }
        throw std::runtime_error("the server did not answer");
    }
    ~ServerProcess() {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    std::uint16_t port() const { return port_; }
    // "VmRSS" or "VmHWM" from /proc, in MB.
    double memoryMb(const std::string& field) const {
        std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
        std::string line;
        while (std::getline(status, line))
            if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1)) / 1024.0;
        return -1;
    }

private:
    pid_t pid_ = 0;
    std::uint16_t port_ = 0;
};

struct Latency {
    double p50 = 0, p99 = 0;
    std::size_t bytes = 0;
    int status = 0;
};

struct Response {
    int status = 0;
    std::string body;
};

Response get(Poco::Net::HTTPClientSession& session, const std::string& target, const std::string& token) {
    Poco::Net::HTTPRequest request("GET", target, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + token);
    request.setKeepAlive(true);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Response result{static_cast<int>(response.getStatus()), {}};
    Poco::StreamCopier::copyToString(in, result.body);
    return result;
}

// p50 and p99 over `calls` requests, each target produced by `target(n)` (one connection, kept alive).
template <typename Target> Latency measure(std::uint16_t port, const std::string& token, int calls, Target target) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setKeepAlive(true);
    session.setTimeout(Poco::Timespan(120, 0));
    std::vector<double> ms;
    Latency latency;
    for (int n = 0; n < calls + 3; ++n) {
        const std::string path = target(n);
        const auto start = Clock::now();
        const Response response = get(session, path, token);
        const double elapsed = secondsSince(start) * 1000;
        if (n < 3) continue; // warm-up
        ms.push_back(elapsed);
        latency.bytes = response.body.size();
        latency.status = response.status;
        if (response.status != 200)
            std::fprintf(stderr, "  %s -> %d %s\n", path.c_str(), response.status,
                         response.body.substr(0, 200).c_str());
    }
    std::sort(ms.begin(), ms.end());
    latency.p50 = ms[ms.size() / 2];
    latency.p99 = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
    return latency;
}

// One row of the table; `rssMb`, the server's VmRSS after the query, shows which one grows it.
void printQuery(const char* name, const Latency& latency, double rssMb) {
    const bool met = latency.p50 < 50 && latency.p99 < 50 && latency.status == 200;
    std::printf("%-52s %8.2f %8.2f %9zu   < 50 ms   %-6s %7.1f\n", name, latency.p50, latency.p99, latency.bytes,
                latency.status != 200 ? "FAILED" : (met ? "met" : "MISSED"), rssMb);
}

// The cursor of the page after this one, from a list response ("" when it was the last).
std::string nextCursor(const std::string& body) {
    const auto at = body.find("\"cursor\":\"");
    if (at == std::string::npos) return "";
    const auto end = body.find('"', at + 10);
    return body.substr(at + 10, end - at - 10);
}

} // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // progress and figures as they come, even into a file
    std::int64_t situations = 100000, events = 2000000;
    std::optional<std::filesystem::path> keep, reuse;
    bool buildOnly = false, withVerify = true, withReports = true, committeeOnly = false;
    std::filesystem::path caseflowBinary = std::filesystem::absolute(argv[0]).parent_path().parent_path() / "caseflow";
    for (int i = 1; i < argc; ++i) {
        const std::string option = argv[i];
        if (option == "--build-only" || option == "--no-verify" || option == "--no-reports" ||
            option == "--committee-only") {
            buildOnly = buildOnly || option == "--build-only";
            committeeOnly = committeeOnly || option == "--committee-only";
            withVerify = withVerify && option != "--no-verify";
            withReports = withReports && option != "--no-reports";
            continue;
        }
        const char* value = i + 1 < argc ? argv[++i] : nullptr;
        if (!value) {
            std::cerr << "bench_scale: " << option << " needs a value\n";
            return 2;
        }
        if (option == "--situations")
            situations = std::atoll(value);
        else if (option == "--events")
            events = std::atoll(value);
        else if (option == "--keep")
            keep = std::filesystem::absolute(value);
        else if (option == "--reuse")
            reuse = std::filesystem::absolute(value);
        else if (option == "--caseflow")
            caseflowBinary = value;
        else {
            std::cerr << "usage: bench_scale [--situations N] [--events N] [--keep FILE] [--reuse FILE] [--caseflow "
                         "PATH] [--build-only] [--no-verify] [--no-reports] [--committee-only]\n";
            return 2;
        }
    }
    const std::filesystem::path samples = std::filesystem::path(CASEFLOW_SOURCE_DATA_DIR) / "samples/namur";
    const auto dir = std::filesystem::temp_directory_path() / ("caseflow-bench-scale-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::filesystem::path file = reuse ? *reuse : (keep ? *keep : dir / "scale.db");

    try {
        if (!reuse) {
            std::fprintf(stderr, "building %lld situations, about %lld events in %s\n",
                         static_cast<long long>(situations), static_cast<long long>(events), file.c_str());
            const BuildFigures built = buildDatabase(file, dir, samples, situations, events);
            std::printf("built %lld situations and %lld events in %.1f s (target < 600 s), %.0f MB on disk\n",
                        static_cast<long long>(built.situations), static_cast<long long>(built.events), built.seconds,
                        static_cast<double>(std::filesystem::file_size(file)) / 1e6);
        }
        if (buildOnly) {
            if (!keep) std::filesystem::remove_all(dir);
            return 0;
        }

        std::string coordinator, finance, caseManager, municipality = "Namur";
        std::int64_t count = 0;
        {
            auto process = FundingProcess::open(file);
            count = process.situationCount();
            service::Accounts accounts(process.accounts());
            const std::string suffix = std::to_string(::getpid());
            accounts.addUser("Bench Coordinator " + suffix, "coordinator", {});
            accounts.addUser("Bench Finance " + suffix, "finance", {});
            std::vector<std::int64_t> caseload;
            for (std::int64_t id = 7; id <= count; id += std::max<std::int64_t>(1, count / 120)) caseload.push_back(id);
            accounts.addUser("Bench Case Manager " + suffix, "case_manager", caseload);
            coordinator = accounts.issueToken("Bench Coordinator " + suffix, std::nullopt).secret;
            finance = accounts.issueToken("Bench Finance " + suffix, std::nullopt).secret;
            caseManager = accounts.issueToken("Bench Case Manager " + suffix, std::nullopt).secret;
        }

        {
            ServerProcess server(caseflowBinary, file);
            std::printf("server started: VmRSS %.1f MB\n", server.memoryMb("VmRSS"));
            std::mt19937 random(7);
            const auto anyId = [&](int) { return std::to_string(1 + random() % static_cast<unsigned>(count)); };
            // Cursors deep in the list, taken from the pages themselves.
            std::vector<std::string> cursors;
            if (!committeeOnly) {
                Poco::Net::HTTPClientSession session("127.0.0.1", server.port());
                std::string cursor;
                for (int page = 0; page < 60; ++page) {
                    const Response response =
                        get(session,
                            "/api/v1/situations?limit=500" + (cursor.empty() ? std::string() : "&cursor=" + cursor),
                            coordinator);
                    cursor = nextCursor(response.body);
                    if (cursor.empty()) break;
                    cursors.push_back(cursor);
                }
            }
            const int calls = 50;
            const auto report = [&server](const char* name, const Latency& latency) {
                printQuery(name, latency, server.memoryMb("VmRSS"));
            };
            std::printf("\n%-52s %8s %8s %9s   %-16s %s\n", "query (50 calls, one keep-alive connection)", "p50 ms",
                        "p99 ms", "bytes", "target", "RSS MB");
            if (!committeeOnly) {
                report("GET /situations (first page, 50)",
                       measure(server.port(), coordinator, calls, [](int) { return "/api/v1/situations"; }));
                report("GET /situations?cursor= (deep pages)", measure(server.port(), coordinator, calls, [&](int n) {
                           return "/api/v1/situations?cursor=" +
                                  (cursors.empty() ? std::string("")
                                                   : cursors[static_cast<std::size_t>(n) % cursors.size()]);
                       }));
                report("GET /situations?state=budget-check", measure(server.port(), coordinator, calls, [](int) {
                           return "/api/v1/situations?state=budget-check";
                       }));
                report("GET /situations?state=eligibility (rare)", measure(server.port(), coordinator, calls, [](int) {
                           return "/api/v1/situations?state=eligibility";
                       }));
                report("GET /situations?municipality=&state=follow-up",
                       measure(server.port(), coordinator, calls,
                               [&](int) { return "/api/v1/situations?state=follow-up&municipality=" + municipality; }));
                report("GET /situations?caseManager=", measure(server.port(), coordinator, calls, [&](int) {
                           std::string name = "Bench%20Case%20Manager%20" + std::to_string(::getpid());
                           return "/api/v1/situations?caseManager=" + name;
                       }));
                report("GET /situations?count=true",
                       measure(server.port(), coordinator, calls, [](int) { return "/api/v1/situations?count=true"; }));
                report("GET /situations (a case manager's own)",
                       measure(server.port(), caseManager, calls, [](int) { return "/api/v1/situations"; }));
                report("GET /situations (finance view)",
                       measure(server.port(), finance, calls, [](int) { return "/api/v1/situations"; }));
                report("GET /situations/{id} (random ids)", measure(server.port(), coordinator, calls, [&](int n) {
                           return "/api/v1/situations/" + anyId(n);
                       }));
                report("GET /envelopes/2025",
                       measure(server.port(), finance, calls, [](int) { return "/api/v1/envelopes/2025"; }));
            }
            if (withReports && !committeeOnly) {
                report("GET /due?at=2026-06-30 (coordinator)",
                       measure(server.port(), coordinator, calls, [](int) { return "/api/v1/due?at=2026-06-30"; }));
                report("GET /due?at=2026-06-30 (a case manager)",
                       measure(server.port(), caseManager, calls, [](int) { return "/api/v1/due?at=2026-06-30"; }));
            }
            if (withReports) {
                report("GET /reports/committee?year=2025&format=csv", measure(server.port(), coordinator, 10, [](int) {
                           return "/api/v1/reports/committee?year=2025&format=csv";
                       }));
            }
            const double rss = server.memoryMb("VmRSS"), hwm = server.memoryMb("VmHWM");
            std::printf("\nserver resident memory: VmRSS %.1f MB, VmHWM %.1f MB (target < 100 MB): %s\n", rss, hwm,
                        hwm < 100 ? "met" : "MISSED");
        }

        if (withVerify) {
            store::Database db = store::Database::open(file, store::OpenMode::MustExist);
            auto start = Clock::now();
            const auto chain = store::EventStore(db).verify();
            const double chainSeconds = secondsSince(start);
            std::printf("\nverify, hash chain and integrity_check: %lld events in %.1f s = %.0f events/s (target >= "
                        "100 000): %s%s\n",
                        static_cast<long long>(chain.eventsChecked), chainSeconds, chain.eventsChecked / chainSeconds,
                        chain.eventsChecked / chainSeconds >= 100000 ? "met" : "MISSED",
                        chain.intact ? "" : (" — NOT INTACT: " + chain.problem).c_str());
            // Reference in the same run: reading the same rows without hashing them.
            start = Clock::now();
            std::int64_t rows = 0;
            std::size_t bytes = 0;
            auto scan = db.prepare("SELECT position, situation_id, sequence, type, actor, recorded_at, payload, "
                                   "previous_hash, hash FROM events ORDER BY position");
            while (scan.step()) {
                ++rows;
                bytes += scan.columnText(6).size();
            }
            const double scanSeconds = secondsSince(start);
            std::printf("reference: reading the same %lld rows without hashing: %.1f s = %.0f rows/s (%.0f MB of "
                        "payloads)\n",
                        static_cast<long long>(rows), scanSeconds, rows / scanSeconds, bytes / 1e6);
        }
        if (withVerify) {
            auto process = FundingProcess::open(file);
            auto start = Clock::now();
            const auto report = process.verify();
            const double seconds = secondsSince(start);
            std::printf("caseflow verify (chain, projections replayed and compared, read log): %.1f s = %.0f "
                        "events/s%s\n",
                        seconds, report.eventsChecked / seconds,
                        report.intact ? "" : (" — problems: " + report.problem).c_str());
            start = Clock::now();
            const auto drifts = process.rebuild();
            const double rebuildSeconds = secondsSince(start);
            std::printf("caseflow rebuild: %.1f s = %.0f events/s (%zu drifts)\n", rebuildSeconds,
                        report.eventsChecked / rebuildSeconds, drifts.size());
        }
    } catch (const std::exception& error) {
        std::cerr << "bench_scale: " << error.what() << "\n";
        if (!keep && !reuse) std::filesystem::remove_all(dir);
        return 1;
    }
    if (!keep && !reuse) std::filesystem::remove_all(dir);
    return 0;
}
