// Specification of who may do what over HTTP: the matrix of docs/authorisation.md, read from
// the document itself, checked cell by cell (every role x every endpoint) against the running
// server and against the table the server enforces; the finance and committee views carry no
// clinical field (R19); the actor is always the token's user; every read is recorded.
#include "model/BankAccount.h"
#include "service/Authorisation.h"
#include "service/Routes.h"
#include "service/ServiceFixture.h"

#include <Poco/JSON/Array.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

using caseflow::service::Access;
using caseflow::service::Operation;
using caseflow::service::View;
using caseflow::test::http::jsonString;
using caseflow::test::http::Request;
using caseflow::test::http::Response;
using caseflow::test::http::ServiceFixture;

namespace {

const std::vector<std::string> kRoles = {"coordinator", "case_manager", "pedopsychiatrist",
                                         "finance",     "partner",      "committee"};

struct MatrixRow {
    std::string operation;
    std::string method;
    std::string path;
    std::map<std::string, std::string> cells; // role -> yes, no, assigned, public, finance view, committee view
};

std::string trim(std::string text) {
    text.erase(0, text.find_first_not_of(' '));
    text.erase(text.find_last_not_of(' ') + 1);
    return text;
}

std::vector<MatrixRow> documentedMatrix() {
    const std::string doc = caseflow::test::readFile(caseflow::test::projectDir() / "docs" / "authorisation.md");
    const auto begin = doc.find("<!-- matrix:begin -->");
    const auto end = doc.find("<!-- matrix:end -->");
    REQUIRE(begin != std::string::npos);
    REQUIRE(end != std::string::npos);
    std::istringstream lines(doc.substr(begin, end - begin));
    std::vector<MatrixRow> rows;
    std::vector<std::string> header;
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] != '|' || line.find("---") != std::string::npos) continue;
        std::vector<std::string> cells;
        std::istringstream split(line.substr(1));
        for (std::string cell; std::getline(split, cell, '|');) cells.push_back(trim(cell));
        if (header.empty()) {
            header = cells;
            REQUIRE(std::vector<std::string>(header.begin() + 2, header.end()) == kRoles);
            continue;
        }
        MatrixRow row;
        row.operation = cells.at(0);
        row.method = cells.at(1).substr(0, cells.at(1).find(' '));
        row.path = cells.at(1).substr(cells.at(1).find(' ') + 1);
        for (std::size_t i = 0; i < kRoles.size(); ++i) row.cells[kRoles[i]] = cells.at(i + 2);
        rows.push_back(row);
    }
    return rows;
}

std::string cellOf(const caseflow::service::Permission& permission) {
    switch (permission.access) {
    case Access::Public:
        return "public";
    case Access::Denied:
        return "no";
    case Access::Assigned:
        return "assigned";
    case Access::All:
        return permission.view == View::Finance     ? "finance view"
               : permission.view == View::Committee ? "committee view"
                                                    : "yes";
    }
    return "?";
}

std::string consentData() {
    return R"(<consent type="informed" given="true" date="2026-05-01" recordedBy="Test">Informed again.</consent>)";
}

// A request for `operation` on situation `id` that a permitted caller gets a success for.
Request requestFor(const std::string& operation, std::int64_t id, int serial, const std::string& signedPlan) {
    const std::string situation = "/api/v1/situations/" + std::to_string(id);
    const std::string request = "/api/v1/funding-requests/" + std::to_string(id) + "/fr1";
    if (operation == "health") return {"GET", "/health"};
    if (operation == "openApi") return {"GET", "/api/v1/openapi.json"};
    if (operation == "metrics") return {"GET", "/metrics"};
    if (operation == "listSituations") return {"GET", "/api/v1/situations"};
    if (operation == "registerSituation") {
        std::string xml = caseflow::test::readFile(caseflow::test::http::samplesDir() / "situations" /
                                                   "01-namur-early-childhood.xml");
        caseflow::test::http::replaceAll(xml, "KIR-26-001", "KIR-AUTH-" + std::to_string(serial));
        return {"POST", "/api/v1/situations", "", xml, "application/xml"};
    }
    if (operation == "getSituation") return {"GET", situation};
    if (operation == "fireEvent")
        return {"POST", situation + "/events", "",
                "{\"event\": \"consent.recorded\", \"data\": " + jsonString(consentData()) + "}"};
    if (operation == "listEvents") return {"GET", situation + "/events"};
    if (operation == "renderDocument") return {"GET", situation + "/documents/care-plan"};
    if (operation == "listDue") return {"GET", "/api/v1/due?at=2027-12-31"};
    if (operation == "listFundingRequests") return {"GET", "/api/v1/funding-requests"};
    if (operation == "decideFundingRequest")
        return {"POST", request + "/decision", "", R"({"outcome": "returned", "reasons": ["Add the quote."]})"};
    if (operation == "prepareDecisionSignature")
        return {"POST", request + "/decision/document-to-sign", "",
                R"({"outcome": "approved", "amountCents": 900000, "date": "2026-06-20"})"};
    if (operation == "prepareCarePlanSignature") return {"GET", situation + "/care-plan/document-to-sign"};
    if (operation == "submitSignature") return {"POST", situation + "/signatures", "", signedPlan, "application/xml"};
    if (operation == "recordPayment")
        return {"POST",
                request + "/payments",
                "",
                // With a proof, which getProof reads afterwards (issue 17).
                R"({"amountCents": 1000, "date": "2026-06-25", "reference": "AUTH-)" + std::to_string(serial) +
                    R"(", "proofs": [{"fileName": "auth.pdf", "contentBase64": "JVBERi0xLjQgT3BlbkFQSSB3YWxrCg=="}]})",
                "application/json",
                {{"Idempotency-Key", "auth-" + std::to_string(serial)}}};
    if (operation == "getEnvelope") return {"GET", "/api/v1/envelopes/2026"};
    if (operation == "exportPayments") return {"GET", "/api/v1/payments.csv?year=2026"};
    if (operation == "getCommitteeReport") return {"GET", "/api/v1/reports/committee?year=2026&format=csv"};
    if (operation == "getProof")
        return {"GET", "/api/v1/proofs/d6250cfc2376f653577d34fc327cdc20cdb4dc930c1ef36d2d1ef577165ba813"};
    if (operation == "exportAccounting") return {"GET", "/api/v1/payments/accounting.csv?year=2026"};
    // Payment runs (issue 17): what is due, a bank line's communication (situation 1's first
    // payment), the run of the approved request `id`, then that run read and exported.
    if (operation == "listPaymentsDue") return {"GET", "/api/v1/payments/due"};
    if (operation == "findPayment")
        return {"GET", "/api/v1/payments?communication=" + caseflow::communicationOf({1, 1})->digits()};
    if (operation == "listPaymentRuns") return {"GET", "/api/v1/payment-runs"};
    if (operation == "buildPaymentRun")
        return {"POST",
                "/api/v1/payment-runs",
                "",
                "{\"requests\": [\"" + std::to_string(id) + "/fr1\"]}",
                "application/json",
                {{"Idempotency-Key", "auth-run-" + std::to_string(serial)}}};
    if (operation == "getPaymentRun") return {"GET", "/api/v1/payment-runs/run-0001"};
    if (operation == "exportPaymentRun") return {"GET", "/api/v1/payment-runs/run-0001/pain.001.xml"};
    FAIL("no request for operation " << operation);
    return {};
}

bool situationScoped(const std::string& path) {
    return path.find("{id}") != std::string::npos || path.find("{situationId}") != std::string::npos;
}

std::set<std::int64_t> idsIn(const Response& response, const std::string& list, const std::string& key) {
    std::set<std::int64_t> ids;
    auto array = response.json()->getArray(list);
    for (std::size_t i = 0; i < array->size(); ++i) ids.insert(array->getObject(i)->getValue<std::int64_t>(key));
    return ids;
}

} // namespace

TEST_CASE("The documented matrix is the matrix the server enforces", "[service]") {
    const auto rows = documentedMatrix();
    std::set<std::string> documented;
    for (const auto& row : rows) {
        documented.insert(row.operation);
        bool known = false;
        for (Operation operation : caseflow::service::allOperations()) {
            if (caseflow::service::operationName(operation) != row.operation) continue;
            known = true;
            for (const auto& role : kRoles) {
                INFO(row.operation << " for " << role);
                CHECK(row.cells.at(role) == cellOf(caseflow::service::permissionFor(role, operation)));
            }
        }
        CHECK(known);
        bool routed = false;
        for (const auto& route : caseflow::service::routes())
            if (route.method == row.method && route.path == row.path &&
                caseflow::service::operationName(route.operation) == row.operation)
                routed = true;
        INFO(row.method << " " << row.path);
        CHECK(routed);
    }
    CHECK(documented.size() == caseflow::service::allOperations().size());
    CHECK(rows.size() == caseflow::service::routes().size());
    // A role the matrix does not know is denied everything that is not public.
    for (Operation operation : caseflow::service::allOperations())
        if (!caseflow::service::isPublic(operation))
            CHECK_FALSE(caseflow::service::permissionFor("system", operation).allowed());
}

TEST_CASE("Every role on every endpoint gets exactly what the matrix gives it", "[service]") {
    ServiceFixture service;
    // Situation 15 (a large request) is where the finance writes land, so that the budget
    // approval and the payments have something to act on; 12 is the assigned situation,
    // 3 one nobody scoped is assigned to.
    constexpr std::int64_t assigned = 12, unassigned = 3, finance = caseflow::test::http::kFirstLargeRequest;
    // Payments need a signed approval, and the signature endpoint a signed document (a care
    // plan for situation 12, which is past signing: the workflow answers 409, after the matrix).
    REQUIRE(
        service.approve(finance, "fr1", R"({"outcome": "approved", "amountCents": 900000, "date": "2026-06-20"})", true)
            .status == 200);
    const std::string signedPlan =
        caseflow::test::http::signLocally(service.get("/api/v1/situations/12/care-plan/document-to-sign", "coordinator")
                                              .json()
                                              ->getValue<std::string>("document"),
                                          "pedopsychiatrist:Dr Claire Dubois");
    const auto consentsBefore =
        service.count("SELECT count(*) FROM events WHERE type = 'consent.recorded' AND situation_id = 12");
    int serial = 0;
    auto run = [&](const std::string& operation, const std::string& role, std::int64_t id) {
        Request request = requestFor(operation, id, ++serial, signedPlan);
        // Finance's view of documents holds the decision and the payment notice only (issue 17):
        // it asks for the notice of situation 1, paid; the care plan stays 403 to it.
        if (operation == "renderDocument" && role == "finance")
            request.path = "/api/v1/situations/1/documents/payment-notice";
        if (!role.empty()) request.token = service.token(role);
        return service.send(request);
    };
    const auto rows = documentedMatrix();
    for (const auto& row : rows) {
        const std::int64_t target = row.operation == "decideFundingRequest" ? finance + 1
                                    : row.operation == "recordPayment" || row.operation == "prepareDecisionSignature" ||
                                            row.operation == "buildPaymentRun"
                                        ? finance
                                        : assigned;
        if (row.cells.at("coordinator") != "public") {
            INFO(row.operation << " without a token");
            Response anonymous = run(row.operation, "", target);
            CHECK(anonymous.status == 401);
            CHECK(anonymous.json()->getValue<std::string>("type") == "urn:caseflow:problem:unauthenticated");
        }
        for (const auto& role : kRoles) {
            const std::string cell = row.cells.at(role);
            INFO(row.operation << " as " << role << " (" << cell << ")");
            Response response = run(row.operation, cell == "public" ? "" : role, target);
            INFO(response.body.substr(0, 400));
            if (cell == "no") {
                CHECK(response.status == 403);
                CHECK(response.json()->getValue<std::string>("type") == "urn:caseflow:problem:forbidden");
                continue;
            }
            // Allowed: a success; the signature endpoint then lets the workflow refuse a care
            // plan signed after its time (409), which is past the matrix.
            if (row.operation == "submitSignature")
                CHECK(response.status == 409);
            else
                CHECK(response.status / 100 == 2);
            if (cell == "assigned") {
                if (situationScoped(row.path)) {
                    Response other = run(row.operation, role, unassigned);
                    CHECK(other.status == 403);
                } else if (row.operation == "listSituations") {
                    CHECK(idsIn(response, "situations", "id") == std::set<std::int64_t>{12});
                } else if (row.operation == "listDue") {
                    for (auto id : idsIn(response, "deadlines", "situationId")) CHECK(id == 12);
                }
            }
        }
    }
    // The writes the matrix allowed happened, as the token's users.
    // Two payments recorded one by one, then the rest paid by finance's payment run.
    CHECK(service.count("SELECT count(*) FROM payments WHERE situation_id = 15") == 3);
    CHECK(service.count(
              "SELECT count(*) FROM events WHERE actor = 'finance:Finn Finance' AND type = 'payment.recorded'") == 2);
    CHECK(service.count("SELECT count(*) FROM payment_runs WHERE created_by = 'finance:Finn Finance'") == 1);
    CHECK(service.count("SELECT count(*) FROM events WHERE actor = 'coordinator:Marie Coordinator' AND type = "
                        "'budget.returned' AND situation_id = 16") == 1);
    CHECK(service.count("SELECT count(*) FROM events WHERE type = 'consent.recorded' AND situation_id = 12") ==
          consentsBefore + 4);
    CHECK(service.count("SELECT count(DISTINCT actor) FROM (SELECT actor FROM events WHERE type = 'consent.recorded' "
                        "AND situation_id = 12 ORDER BY position DESC LIMIT 4) AS recent WHERE actor IN "
                        "('case_manager:Élodie Massart', 'pedopsychiatrist:Dr Claire Dubois', "
                        "'partner:Laurent Partner', 'coordinator:Marie Coordinator')") == 4);
}

TEST_CASE("Finance and committee receive no clinical field (R19)", "[service]") {
    ServiceFixture service;
    // Clinical or identifying content of situation 12 (samples/namur/situations/12-..., its scenario).
    const std::vector<std::string> secrets = {
        "Sarah",        "Lemaire",           "2009-11-23",         "Beauraing",
        "Houyet",       "automutilations",   "thérapie familiale", "séances",
        "Cabinet",      "Taxi social",       "Sans transport",     "Laurent Colin",
        "Élodie",       "<situation",        "carePlan",           "objective",
        "concertation", "Thérapie familiale"};
    // "thérapie" alone is the network's category label ("Soins et thérapie"), which finance's list
    // shows as the word for `therapy` (issue 17): the clinical text is the therapy described.
    for (const std::string role : {"finance", "committee"}) {
        for (const std::string path : {"/api/v1/situations/12", "/api/v1/situations", "/api/v1/funding-requests",
                                       "/api/v1/payments.csv?year=2026", "/api/v1/payments/accounting.csv?year=2026"}) {
            Response response = service.get(path, role);
            if (response.status == 403) continue; // not every one of these is open to both roles
            REQUIRE(response.status == 200);
            for (const auto& secret : secrets) {
                INFO(role << " " << path << " leaks '" << secret << "'");
                CHECK(response.body.find(secret) == std::string::npos);
            }
        }
    }
    // The views are whitelists: exactly these keys, nothing that a schema change could add.
    const auto keys = [](const Poco::JSON::Object::Ptr& object) {
        std::set<std::string> names;
        for (const auto& [name, value] : *object) names.insert(name);
        return names;
    };
    auto finance = service.get("/api/v1/situations/12", "finance").json();
    CHECK(keys(finance) == std::set<std::string>{"id", "reference", "version", "state", "registeredAt", "updatedAt",
                                                 "states", "fundingRequests", "budgetDecisions", "payments"});
    auto request = finance->getArray("fundingRequests")->getObject(0);
    CHECK(keys(request) == std::set<std::string>{"id", "date", "lines", "requestedCents", "noDoubleSubsidy", "payee"});
    CHECK(keys(request->getArray("lines")->getObject(0)) == std::set<std::string>{"category", "amountCents"});
    auto committee = service.get("/api/v1/situations/12", "committee").json();
    CHECK(keys(committee) == std::set<std::string>{"id", "reference", "state", "category", "registeredAt", "updatedAt",
                                                   "states", "fundingRequests", "budgetDecisions", "payments"});
    CHECK(keys(committee->getArray("fundingRequests")->getObject(0)) ==
          std::set<std::string>{"id", "date", "lines", "requestedCents"});
    // The full view does carry the document, for the roles entitled to it.
    CHECK(service.get("/api/v1/situations/12", "pedopsychiatrist").body.find("Sarah") != std::string::npos);
}

TEST_CASE("The actor is the token's user, whatever the request claims", "[service]") {
    ServiceFixture service;
    const std::string decision =
        "{\"event\": \"budget.approved\", \"data\": " +
        jsonString(
            R"(<budgetDecision request="fr1" date="2026-06-20" outcome="approved" amount="125000" by="Marie"/>)") +
        "}";
    const auto before = service.storedState();
    // A case manager cannot approve a budget by firing the event directly: the guards see
    // the role of the token (R16), not a role the client wrote.
    Response refused = service.post("/api/v1/situations/12/events", "case_manager", decision,
                                    {{"X-Caseflow-Actor", "coordinator:Marie Coordinator"}, {"X-Role", "coordinator"}});
    REQUIRE(refused.status == 422);
    auto rules = refused.json()->getArray("rules");
    bool r16 = false;
    for (std::size_t i = 0; i < rules->size(); ++i)
        r16 = r16 || rules->getObject(i)->getValue<std::string>("id") == "R16";
    CHECK(r16);
    // There is no field through which a client could name an actor.
    Response claimed = service.post("/api/v1/situations/12/events", "case_manager",
                                    R"({"event": "consent.recorded", "actor": "coordinator:Marie"})");
    CHECK(claimed.status == 400);
    CHECK(claimed.json()->getValue<std::string>("type") == "urn:caseflow:problem:unknown-field");
    CHECK(service.storedState() == before);
}

TEST_CASE("Every read of a situation is recorded: who, when, what", "[service]") {
    ServiceFixture service;
    const auto reads = [&](const std::string& where) {
        return service.count("SELECT count(*) FROM read_log WHERE " + where);
    };
    REQUIRE(service.get("/api/v1/situations/12", "pedopsychiatrist").status == 200);
    REQUIRE(service.get("/api/v1/situations/12/events", "case_manager").status == 200);
    REQUIRE(service.get("/api/v1/situations", "partner").status == 200);
    REQUIRE(service.get("/api/v1/situations/12", "finance").status == 200);
    REQUIRE(service.get("/api/v1/situations/3", "case_manager").status == 403);
    CHECK(reads("user_name = 'Dr Claire Dubois' AND role = 'pedopsychiatrist' AND situation_id = 12 AND what = "
                "'situation' AND read_at LIKE '20__-__-__T__:__:__.___Z'") == 1);
    CHECK(reads("user_name = 'Élodie Massart' AND situation_id = 12 AND what = 'history'") == 1);
    CHECK(reads("user_name = 'Laurent Partner' AND what = 'list'") == 1); // only situation 12 was listed
    CHECK(reads("user_name = 'Finn Finance' AND situation_id = 12 AND what = 'situation'") == 1);
    CHECK(reads("situation_id = 3") == 0); // refused reads read nothing
}
