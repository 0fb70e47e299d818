// What the HTTP service specifications share: a real pilot database (the Namur samples
// registered and driven through their scenarios, built once per ctest run and copied for each
// test: a file in the build tree on SQLite, a database on the throwaway cluster on PostgreSQL,
// cloned with CREATE DATABASE ... TEMPLATE), one user and token per role, the real server
// started in-process on a loopback port chosen by the system (connecting as the application
// role on PostgreSQL, as a deployment's servers do), and a small HTTP client. Header-only, because tests/CMakeLists
// builds the *_test.cpp files of tests/ and nothing under tests/service/.
#pragma once

#include "core/Errors.h"
#include "model/Clock.h"
#include "process/FundingProcess.h"
#include "process/SigningDesk.h"
#include "service/Accounts.h"
#include "service/Server.h"
#include "signature/ScenarioSigners.h"
#include "signature/XmlSignature.h"
#include "store/Database.h"
#include "store/Sha256.h"
#include "support/Pilot.h"
#include "support/TestDatabase.h"
#include "support/TestSupport.h"
#include "xml/Xml.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

namespace caseflow::test::http {

inline std::filesystem::path samplesDir() {
    return namurSamples();
}

// Everything the server sends on `socket` until it closes the connection (or the socket's
// receive timeout passes): what a raw-HTTP test reads after writing its bytes by hand.
inline std::string receiveUntilClosed(Poco::Net::StreamSocket& socket) {
    std::string answer;
    char buffer[4096];
    try {
        for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;)
            answer.append(buffer, static_cast<std::size_t>(n));
    } catch (const Poco::Exception&) {
        // A reset or a timeout ends the answer like a close.
    }
    return answer;
}

inline void replaceAll(std::string& text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

// The signing keys of the people who sign through the API in the tests, issued by the
// template database's certification authority (so every copy of the template trusts them).
inline std::map<std::string, signature::SigningKey>& signingKeys() {
    static std::map<std::string, signature::SigningKey> keys;
    return keys;
}
inline const signature::SigningKey& signingKey(const std::string& signer) {
    return signingKeys().at(signer);
}

// What a signer does on their own machine: signs the document the server prepared.
inline std::string signLocally(const std::string& preparedXml, const std::string& signer) {
    return signature::signDocument(preparedXml, signingKey(signer), "document to sign");
}

// Fires one scenario step as the CLI and scripts/drive-scenarios.sh do: signed steps through
// the signing desk with the signer's key.
inline void fireStep(FundingProcess& process, test::ScenarioSigners& signers, std::int64_t id,
                     const ScenarioStep& step) {
    FixedBusinessDate today(step.date);
    if (!step.signedBy.empty()) {
        signers.fire(id, step.event, step.data, step.actor, step.signedBy);
        return;
    }
    process.fire(id, step.event, step.data.empty() ? std::nullopt : std::optional<std::string>(step.data),
                 "scenario data", Actor::parse(step.actor));
}

// The ids of the situations the template holds, besides the 14 samples (ids 1..14).
inline constexpr std::int64_t kBudgetCheckSituation = 12; // KIR-26-012, fr1 of 1 250 EUR awaits budget check
inline constexpr std::int64_t kFirstLargeRequest = 15;    // copies of KIR-26-012 asking 9 000 EUR each
inline constexpr int kLargeRequests = 6;
inline constexpr Cents kLargeRequestCents = 900000;

// Registers a copy of sample 12 under `reference` and drives it to budget check with its
// two expense lines set to `lineCents` each.
inline std::int64_t driveToBudgetCheck(FundingProcess& process, test::ScenarioSigners& signers,
                                       const std::string& reference, Cents lineCents) {
    std::string registration = readFile(samplesDir() / "situations" / "12-beauraing-srj-budget-check.xml");
    replaceAll(registration, "KIR-26-012", reference);
    const auto id = process.registerSituation(registration, reference, Actor{"partner", "fixture"}).id;
    for (auto step : scenarioSteps("12-beauraing-srj-budget-check")) {
        if (step.refused()) continue;
        replaceAll(step.data, "amount=\"70000\"", "amount=\"" + std::to_string(lineCents) + "\"");
        replaceAll(step.data, "amount=\"55000\"", "amount=\"" + std::to_string(lineCents) + "\"");
        fireStep(process, signers, id, step);
    }
    return id;
}

// The people who sign over HTTP in the tests: their certificates are in the template's trust
// store, their keys are kept beside it (as they would be on their own machines).
inline const std::vector<std::string>& httpSigners() {
    // Sophie Second countersigns the decisions above the stronger-validation threshold (R14).
    static const std::vector<std::string> signers = {"coordinator:Marie Coordinator", "coordinator:Sophie Second",
                                                     "pedopsychiatrist:Dr Claire Dubois"};
    return signers;
}
inline constexpr const char* kTemplateKeyPassword = "service fixture";
inline std::string keyFileName(const std::string& signer) {
    std::string name = signer;
    for (auto& ch : name)
        if (ch == ':' || ch == ' ') ch = '-';
    return name + ".p12";
}

// The file that appears last in a template's folder, once the template is whole: the database
// itself on SQLite; on PostgreSQL the address of the cluster's database that holds it.
inline std::string templateMarker() {
    return testBackend() == Backend::Sqlite ? "template.db" : "template.address";
}

// The template's database address, in a folder where it is whole.
inline std::string templateAddressIn(const std::filesystem::path& dir) {
    return testBackend() == Backend::Sqlite ? (dir / "template.db").string() : readFile(dir / "template.address");
}

// The same into the database at `address`, the keys beside it in `dir`.
inline void buildTemplate(const std::filesystem::path& dir, const std::string& address) {
    FundingProcess::initialize(address, samplesDir() / "network.xml");
    auto process = FundingProcess::open(address);
    test::ScenarioSigners signers(process);
    std::map<std::string, std::int64_t> ids;
    for (const auto& stem : sampleStems()) {
        const auto text = readFile(samplesDir() / "situations" / (stem + ".xml"));
        ids[stem] = process.registerSituation(text, stem, Actor{"partner", "fixture"}).id;
    }
    for (const auto& stem : sampleStems()) {
        if (!std::filesystem::exists(samplesDir() / "scenarios" / (stem + ".xml"))) continue;
        for (const auto& step : scenarioSteps(stem))
            if (!step.refused()) fireStep(process, signers, ids[stem], step);
    }
    for (int n = 0; n < kLargeRequests; ++n)
        driveToBudgetCheck(process, signers, "KIR-26-1" + std::to_string(10 + n), kLargeRequestCents / 2);
    for (const auto& signer : httpSigners())
        writeFile(dir / keyFileName(signer), signers.keyFor(signer).pkcs12(kTemplateKeyPassword, signer));
    // The authority's key, as `caseflow ca init` writes it: the browser tests issue keys with
    // `caseflow signer add --ca-key` on copies of the template (tests/web/signing.test.mjs).
    writeFile(dir / "network-ca.key", signers.authority().key().encryptedPem(kTemplateKeyPassword));
}

// Builds the template in `dir`: the samples registered and driven (as scripts/drive-scenarios.sh
// does), kLargeRequests big requests awaiting budget check, and the HTTP signers' keys. On
// PostgreSQL the database is a new one on the cluster, dropped again if the build fails.
inline void buildTemplate(const std::filesystem::path& dir) {
    if (testBackend() == Backend::Postgres) {
        static std::atomic<int> counter{0};
        const std::string name = "cftpl_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
        createPostgresDatabase(name);
        try {
            buildTemplate(dir, postgresOwnerAddress(name));
        } catch (...) {
            dropPostgresDatabase(name);
            throw;
        }
        writeFile(dir / "template.address", postgresOwnerAddress(name));
        return;
    }
    buildTemplate(dir, (dir / "template.db").string());
}

// What the template is made from: the binary that builds and reads it (a rebuilt engine may
// store differently) and the files it reads. A template made from anything else is stale.
inline std::string templateFingerprint() {
    const auto self = std::filesystem::canonical("/proc/self/exe");
    std::string inputs = self.string() + "|" + std::to_string(std::filesystem::file_size(self)) + "|" +
                         std::to_string(std::filesystem::last_write_time(self).time_since_epoch().count());
    // A PostgreSQL template lives on the cluster it was built on; a new cluster needs a new one.
    if (testBackend() == Backend::Postgres) inputs += "|postgres|" + postgresClusterIdentity();
    for (const auto& folder : {samplesDir(), projectDir() / "workflows", projectDir() / "schemas"}) {
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(folder))
            if (entry.is_regular_file()) files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        for (const auto& path : files) inputs += "|" + path.string() + "|" + readFile(path);
    }
    return store::sha256Hex(inputs).substr(0, 16);
}

// Removes a template's folder and, on PostgreSQL, the cluster's database it names (if that
// cluster is still the one running: a template of an earlier cluster went with it).
inline void forgetTemplate(const std::filesystem::path& dir) {
    if (testBackend() == Backend::Postgres && std::filesystem::exists(dir / "template.address")) {
        try {
            dropPostgresDatabase(postgresDatabaseName(readFile(dir / "template.address")));
        } catch (const std::exception&) {
            // Gone with its cluster, or the cluster is down: nothing of it is left to drop.
        }
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
}

// The template's folder in the build tree, shared by every test process of a run: made by the
// ctest fixture "the service fixture database is built once for the run", or by the first test
// that finds it missing or stale (a test run straight from the binary). A folder named by the
// fingerprint appears whole or not at all: it is built under a private name, then renamed; when
// two processes build at once, the first rename wins and the other drops its copy.
// Each backend has a root of its own: a run of both suites at once must not remove the other's.
inline std::filesystem::path serviceTemplateDir(const std::filesystem::path& root = testBuildDir() /
                                                                                    (testBackend() == Backend::Sqlite
                                                                                         ? "service-fixture"
                                                                                         : "service-fixture-pg")) {
    const auto ready = root / templateFingerprint();
    if (std::filesystem::exists(ready / templateMarker())) return ready;
    std::filesystem::create_directories(root);
    const auto building = root / ("building-" + std::to_string(::getpid()) + "-" + ready.filename().string());
    std::filesystem::remove_all(building);
    std::filesystem::create_directories(building);
    try {
        buildTemplate(building);
    } catch (...) {
        forgetTemplate(building);
        throw;
    }
    std::error_code lost;
    std::filesystem::rename(building, ready, lost);
    if (lost) {
        forgetTemplate(building);
        if (!std::filesystem::exists(ready / templateMarker()))
            throw std::runtime_error("cannot put the service template at " + ready.string() + ": " + lost.message());
        return ready;
    }
    // Templates of earlier builds go; a folder still being built by another process stays.
    for (const auto& entry : std::filesystem::directory_iterator(root)) {
        const auto name = entry.path().filename().string();
        std::error_code ignored;
        if (entry.path() != ready && name.rfind("building-", 0) != 0) forgetTemplate(entry.path());
    }
    return ready;
}

// The template database of this run (its address), and the HTTP signers' keys loaded from beside it.
inline const std::string& templateDatabase() {
    static const std::string address = [] {
        const auto dir = serviceTemplateDir();
        for (const auto& signer : httpSigners())
            signingKeys().emplace(signer, signature::SigningKey::fromPkcs12(readFile(dir / keyFileName(signer)),
                                                                            kTemplateKeyPassword, signer));
        return templateAddressIn(dir);
    }();
    return address;
}

struct Response {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers; // names lower-cased

    std::string header(const std::string& name) const {
        auto found = headers.find(name);
        return found == headers.end() ? "" : found->second;
    }
    // No Catch2 macro here or in anything below that a request runs: client threads send
    // requests, and Catch2 v2's assertions and messages are not thread-safe. A failure throws,
    // carrying what a message would have said.
    Poco::JSON::Object::Ptr json() const {
        try {
            Poco::JSON::Parser parser;
            return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
        } catch (const Poco::Exception& error) {
            throw std::runtime_error("the response body is not a JSON object (" + error.displayText() + "): " + body);
        }
    }
    // The ids of the rules a refusal names (its "rules" array), in order.
    std::vector<std::string> ruleIds() const {
        std::vector<std::string> ids;
        auto rules = json()->getArray("rules");
        if (!rules) return ids;
        for (std::size_t i = 0; i < rules->size(); ++i) ids.push_back(rules->getObject(i)->getValue<std::string>("id"));
        return ids;
    }
    bool namesRule(const std::string& rule) const {
        const auto ids = ruleIds();
        return std::find(ids.begin(), ids.end(), rule) != ids.end();
    }
};

struct Request {
    std::string method = "GET";
    std::string path = {};
    std::string token = {}; // "" sends no Authorization header
    std::string body = {};
    std::string contentType = "application/json";
    std::vector<std::pair<std::string, std::string>> headers = {};
};

inline Response send(std::uint16_t port, const Request& request) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest http(request.method, request.path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!request.token.empty()) http.set("Authorization", "Bearer " + request.token);
    for (const auto& [name, value] : request.headers) http.set(name, value);
    if (!request.body.empty() || request.method == "POST") {
        http.setContentType(request.contentType);
        http.setContentLength(static_cast<std::streamsize>(request.body.size()));
    }
    std::ostream& out = session.sendRequest(http);
    out << request.body;
    Poco::Net::HTTPResponse httpResponse;
    std::istream& in = session.receiveResponse(httpResponse);
    Response response;
    response.status = httpResponse.getStatus();
    Poco::StreamCopier::copyToString(in, response.body);
    for (const auto& [name, value] : httpResponse) {
        std::string lower = name;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
        response.headers[lower] = value;
    }
    return response;
}

// The fixture's people (fixtureUsers(), and the second coordinator the signers add): tests name
// them through these rather than spelling the names again. In the web tests the
// pedopsychiatrist reads Dutch and the others French (web/WebFixture.h, languageOf).
namespace people {
inline const std::string kCoordinator = "Marie Coordinator";
inline const std::string kSecondCoordinator = "Sophie Second";
inline const std::string kCaseManager = "Élodie Massart";        // assigned to situation 12
inline const std::string kPedopsychiatrist = "Dr Claire Dubois"; // assigned to situation 12
inline const std::string kFinance = "Finn Finance";
inline const std::string kPartner = "Laurent Partner"; // assigned to situation 12
inline const std::string kCommittee = "Comité Member";
inline const std::string kOtherCaseManager = "Other CaseManager"; // assigned to situation 1
} // namespace people

// The users of every test database: one per role, the scoped ones assigned to situation 12
// (and the large requests), plus a case manager assigned elsewhere.
struct User {
    std::string name;
    std::string role;
    std::vector<std::int64_t> situations;
};

inline const std::vector<User>& fixtureUsers() {
    static const std::vector<User> users = {
        {people::kCoordinator, "coordinator", {}},
        {people::kCaseManager, "case_manager", {12}},
        {people::kPedopsychiatrist, "pedopsychiatrist", {12}},
        {people::kFinance, "finance", {}},
        {people::kPartner, "partner", {12}},
        {people::kCommittee, "committee", {}},
        {people::kOtherCaseManager, "case_manager", {1}},
    };
    return users;
}

class ServiceFixture {
public:
    // Copies the template database, creates the users and their tokens (as the database's owner,
    // as `caseflow user add` run by an administrator), starts the server (as the application role).
    explicit ServiceFixture(const std::function<void(service::ServiceConfig&)>& configure = {})
        : database_(dir_, "service.db", templateDatabase()) {
        {
            auto process = FundingProcess::open(database());
            service::Accounts accounts(process.accounts());
            for (const auto& user : fixtureUsers()) {
                accounts.addUser(user.name, user.role, user.situations);
                tokens_[user.name] = accounts.issueToken(user.name, std::nullopt).secret;
            }
        }
        service::ServiceConfig config;
        config.host = "127.0.0.1";
        config.port = 0;
        config.database = database_.appAddress();
        config.threads = 8;
        config.accessLog = (dir_ / "access.log").string();
        if (configure) configure(config);
        server_ = std::make_unique<service::Server>(config);
        server_->start();
    }

    // The database's address as its owner (the file on SQLite): what the tests read it through.
    const std::string& database() const { return database_.address(); }
    // The application role's address, the servers' (the file on SQLite).
    const std::string& appDatabase() const { return database_.appAddress(); }
    const ScratchDir& dir() const { return dir_; }
    std::uint16_t port() const { return server_->port(); }
    service::Server& server() { return *server_; }

    // The token of the fixture user with `role` (the assigned one for scoped roles).
    std::string token(const std::string& role) const {
        for (const auto& user : fixtureUsers())
            if (user.role == role) return tokens_.at(user.name);
        throw std::invalid_argument("no fixture user with role " + role);
    }
    std::string tokenOf(const std::string& name) const { return tokens_.at(name); }

    Response send(Request request) const { return http::send(port(), request); }
    Response get(const std::string& path, const std::string& role,
                 std::vector<std::pair<std::string, std::string>> headers = {}) const {
        return send({"GET", path, role.empty() ? "" : token(role), "", "application/json", std::move(headers)});
    }
    Response post(const std::string& path, const std::string& role, const std::string& body,
                  std::vector<std::pair<std::string, std::string>> headers = {}) const {
        return send({"POST", path, role.empty() ? "" : token(role), body, "application/json", std::move(headers)});
    }

    // The coordinator's decision about a funding request (`json` as the decision endpoint takes
    // it), prepared by the server and signed on "the coordinator's machine": ready to send.
    // The decision the JSON describes, prepared by the server and signed on Marie Coordinator's
    // machine. With `countersigned`, Sophie Second countersigns it first on hers (R14, above the
    // stronger-validation threshold), as `caseflow sign-file --countersign` does.
    Request signedDecision(std::int64_t situationId, const std::string& requestId, const std::string& json,
                           bool countersigned = false) const {
        const std::string base = "/api/v1/funding-requests/" + std::to_string(situationId) + "/" + requestId;
        Response toSign = post(base + "/decision/document-to-sign", "coordinator", json);
        INFO(toSign.body);
        REQUIRE(toSign.status == 200);
        std::string prepared = toSign.json()->getValue<std::string>("document");
        if (countersigned)
            prepared =
                countersignPreparedDecision(prepared, "document to sign", signingKey("coordinator:Sophie Second"));
        return {"POST", base + "/decision", token("coordinator"),
                signLocally(prepared, "coordinator:Marie Coordinator"), "application/xml"};
    }
    Response approve(std::int64_t situationId, const std::string& requestId, const std::string& json,
                     bool countersigned = false) const {
        return send(signedDecision(situationId, requestId, json, countersigned));
    }

    // A fingerprint of everything stored that a request could change: events, situations,
    // finance tables, idempotency keys. Equal before and after = nothing stored changed.
    std::string storedState() const {
        auto db = store::Database::open(database(), store::OpenMode::MustExist);
        // PostgreSQL's string_agg with an order: its rows move when updated, SQLite's stay.
        const bool postgres = db.dialect() == store::Dialect::Postgres;
        std::string state;
        for (const std::string& sql :
             {std::string("SELECT count(*) || ':' || COALESCE(MAX(hash), '') FROM events"),
              postgres ? std::string("SELECT string_agg(id || '/' || version, ',' ORDER BY id) FROM situations")
                       : std::string("SELECT group_concat(id || '/' || version, ',') FROM situations"),
              std::string(postgres ? "SELECT string_agg(" : "SELECT group_concat(") +
                  "situation_id || request_id || state || approved_cents || paid_cents, ','" +
                  (postgres ? " ORDER BY situation_id, request_id" : "") + ") FROM funding_requests",
              std::string("SELECT count(*) FROM payments"), std::string("SELECT count(*) FROM idempotency_keys"),
              std::string("SELECT count(*) FROM users"), std::string("SELECT count(*) FROM tokens")}) {
            auto query = db.prepare(sql);
            query.step();
            state += query.columnText(0) + "|";
        }
        return state;
    }

    // A full disk, as each backend says it, for the read log only: while `full`, every insert
    // into it fails (a trigger added behind the server's back, then dropped).
    void setReadLogFull(bool full) const {
        auto db = store::Database::open(database(), store::OpenMode::MustExist);
        const bool postgres = db.dialect() == store::Dialect::Postgres;
        if (!full) {
            db.exec(postgres ? "DROP TRIGGER read_log_full ON read_log" : "DROP TRIGGER read_log_full");
            return;
        }
        db.exec(postgres ? "CREATE FUNCTION read_log_full() RETURNS trigger LANGUAGE plpgsql AS "
                           "'BEGIN RAISE EXCEPTION ''could not extend file: No space left on device''; END'; "
                           "CREATE OR REPLACE TRIGGER read_log_full BEFORE INSERT ON read_log "
                           "FOR EACH ROW EXECUTE FUNCTION read_log_full();"
                         : "CREATE TRIGGER read_log_full BEFORE INSERT ON read_log "
                           "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;");
    }

    std::int64_t count(const std::string& sql) const {
        auto db = store::Database::open(database(), store::OpenMode::MustExist);
        auto query = db.prepare(sql);
        query.step();
        return query.columnInt(0);
    }

private:
    ScratchDir dir_;
    TestDatabase database_;
    std::map<std::string, std::string> tokens_;
    std::unique_ptr<service::Server> server_;
};

// A JSON string literal for `text` (quotes and escapes), to embed XML in request bodies.
inline std::string jsonString(const std::string& text) {
    std::string quoted = "\"";
    for (unsigned char ch : text) {
        switch (ch) {
        case '"':
            quoted += "\\\"";
            break;
        case '\\':
            quoted += "\\\\";
            break;
        case '\n':
            quoted += "\\n";
            break;
        case '\r':
            quoted += "\\r";
            break;
        case '\t':
            quoted += "\\t";
            break;
        default:
            if (ch < 0x20) {
                char escape[8];
                std::snprintf(escape, sizeof escape, "\\u%04x", ch);
                quoted += escape;
            } else {
                quoted += static_cast<char>(ch);
            }
        }
    }
    return quoted + "\"";
}

} // namespace caseflow::test::http
