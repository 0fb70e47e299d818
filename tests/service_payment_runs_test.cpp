// Specifications of payment runs over HTTP (issue 17): finance sees what is due, builds a run
// once per Idempotency-Key, downloads its SEPA file (validated against ISO 20022's
// pain.001.001.03 schema, tests/data/iso20022), finds a payment back from a bank line's
// structured communication, and nothing clinical is ever in what it receives (R19).
#include "model/BankAccount.h"
#include "service/ServiceFixture.h"
#include "views/Pain001.h"

#include <Poco/JSON/Array.h>

using caseflow::communicationOf;
using caseflow::test::http::Response;
using caseflow::test::http::ServiceFixture;

namespace {

// Situation 16 (a copy of KIR-26-012 asking 9 000 EUR) approved with its countersignature
// (R14) and paid 4 000,00 by hand: 5 000,00 is due.
void approveAndPayPart(ServiceFixture& service) {
    REQUIRE(service.approve(16, "fr1", R"({"outcome": "approved", "amountCents": 900000, "date": "2026-06-20"})", true)
                .status == 200);
    Response paid = service.post("/api/v1/funding-requests/16/fr1/payments", "finance",
                                 R"({"amountCents": 400000, "date": "2026-06-25", "reference": "BY-HAND-1"})",
                                 {{"Idempotency-Key", "by-hand-1"}});
    REQUIRE(paid.status == 201);
    // The payment's communication: situation 16, its first payment.
    CHECK(paid.json()->getValue<std::string>("structuredCommunication") == communicationOf({16, 1})->formatted());
}

std::int64_t dueOf(const Response& due, std::int64_t situationId) {
    auto list = due.json()->getArray("due");
    for (std::size_t i = 0; i < list->size(); ++i)
        if (list->getObject(i)->getValue<std::int64_t>("situationId") == situationId)
            return list->getObject(i)->getValue<std::int64_t>("dueCents");
    return 0;
}

} // namespace

TEST_CASE("Finance builds a payment run over HTTP once per key and downloads its pain.001, valid and stable",
          "[service][finance]") {
    ServiceFixture service;
    approveAndPayPart(service);
    Response due = service.get("/api/v1/payments/due", "finance");
    REQUIRE(due.status == 200);
    CHECK(dueOf(due, 16) == 500000);

    const std::string order = R"({"requests": ["16/fr1"]})";
    Response built = service.post("/api/v1/payment-runs", "finance", order, {{"Idempotency-Key", "run-of-the-week"}});
    INFO(built.body);
    REQUIRE(built.status == 201);
    const std::string runId = built.json()->getValue<std::string>("runId");
    CHECK(built.header("location") == "/api/v1/payment-runs/" + runId);
    CHECK(built.json()->getValue<std::int64_t>("totalCents") == 500000);
    auto transfer = built.json()->getArray("transfers")->getObject(0);
    CHECK(transfer->getValue<std::string>("payeeIban") == "BE24063987654338");
    CHECK(transfer->getValue<std::string>("structuredCommunication") == communicationOf({16, 2})->formatted());

    // The retry of a lost response: the same answer, and nothing paid twice.
    Response again = service.post("/api/v1/payment-runs", "finance", order, {{"Idempotency-Key", "run-of-the-week"}});
    CHECK(again.status == 201);
    CHECK(again.header("idempotent-replayed") == "true");
    CHECK(again.body == built.body);
    CHECK(service.count("SELECT count(*) FROM payments WHERE situation_id = 16") == 2);
    CHECK(service.count("SELECT count(*) FROM payment_runs") == 1);
    CHECK(dueOf(service.get("/api/v1/payments/due", "finance"), 16) == 0);
    // A new key for the same order: nothing is left to pay, and it says so.
    Response nothing = service.post("/api/v1/payment-runs", "finance", order, {{"Idempotency-Key", "another-key"}});
    CHECK(nothing.status == 422);
    CHECK_THAT(nothing.body, Catch::Contains("nothing is left to pay"));

    Response file = service.get("/api/v1/payment-runs/" + runId + "/pain.001.xml", "coordinator");
    REQUIRE(file.status == 200);
    CHECK(file.header("content-type").rfind("application/xml", 0) == 0);
    const auto schema =
        caseflow::xml::Schema::load(caseflow::test::testsDir() / "data" / "iso20022" / "pain.001.001.03.xsd");
    const auto document = caseflow::xml::parseString(file.body, "pain.001 over HTTP");
    CHECK_NOTHROW(schema->validate(document.get(), "pain.001 over HTTP"));
    CHECK_THAT(file.body, Catch::Contains("<InstdAmt Ccy=\"EUR\">5000.00</InstdAmt>") &&
                              Catch::Contains("<NbOfTxs>1</NbOfTxs>") &&
                              Catch::Contains("<CtrlSum>5000.00</CtrlSum>") &&
                              Catch::Contains("<Ref>" + communicationOf({16, 2})->digits() + "</Ref>"));
    CHECK(service.get("/api/v1/payment-runs/" + runId + "/pain.001.xml", "finance").body == file.body);

    Response listed = service.get("/api/v1/payment-runs", "coordinator");
    REQUIRE(listed.status == 200);
    CHECK(listed.json()->getArray("paymentRuns")->size() == 1);
    CHECK(service.get("/api/v1/payment-runs/" + runId, "finance").json()->getValue<std::string>("runId") == runId);
}

TEST_CASE("A bank line's structured communication finds its payment over HTTP, and a wrong one says why",
          "[service][finance]") {
    ServiceFixture service;
    approveAndPayPart(service);
    REQUIRE(service.post("/api/v1/payment-runs", "finance", R"({"requests": ["16/fr1"]})", {{"Idempotency-Key", "k"}})
                .status == 201);

    // As a statement prints it, + encoded in the query.
    std::string quoted = communicationOf({16, 2})->formatted();
    caseflow::test::http::replaceAll(quoted, "+", "%2B");
    Response found = service.get("/api/v1/payments?communication=" + quoted, "finance");
    INFO(found.body);
    REQUIRE(found.status == 200);
    CHECK(found.json()->getValue<std::int64_t>("situationId") == 16);
    CHECK(found.json()->getValue<std::int64_t>("amountCents") == 500000);
    CHECK(found.json()->getValue<std::string>("runId") == "run-0001");
    CHECK(service.get("/api/v1/payments?communication=" + communicationOf({16, 1})->digits(), "finance")
              .json()
              ->getValue<std::string>("reference") == "BY-HAND-1");

    std::string typo = communicationOf({16, 2})->digits();
    typo.back() = typo.back() == '9' ? '0' : static_cast<char>(typo.back() + 1);
    Response wrong = service.get("/api/v1/payments?communication=" + typo, "finance", {{"Accept-Language", "fr"}});
    CHECK(wrong.status == 400);
    CHECK_THAT(wrong.json()->getValue<std::string>("detail"), Catch::Contains("modulo 97"));
    CHECK(service.get("/api/v1/payments?communication=" + communicationOf({16, 3})->digits(), "finance").status == 404);
    CHECK(service.get("/api/v1/payments", "finance").status == 400);

    // The payments export carries the same communications.
    Response csv = service.get("/api/v1/payments.csv", "finance");
    CHECK_THAT(csv.body, Catch::Contains(",structured_communication\r\n") &&
                             Catch::Contains(communicationOf({16, 2})->formatted() + "\r\n"));
}

TEST_CASE("What finance receives about payment runs carries no clinical content (R19)", "[service][finance]") {
    ServiceFixture service;
    approveAndPayPart(service);
    Response built =
        service.post("/api/v1/payment-runs", "finance", R"({"requests": ["16/fr1"]})", {{"Idempotency-Key", "r19"}});
    REQUIRE(built.status == 201);
    // Situation 16 is a copy of KIR-26-012: its youth, clinical words and partners.
    const std::vector<std::string> secrets = {
        "Sarah",   "Lemaire",     "2009-11-23",    "Beauraing", "Houyet",     "automutilations", "thérapie",
        "séances", "Taxi social", "Laurent Colin", "Élodie",    "<situation", "carePlan",        "KIR-26"};
    const std::vector<std::string> paths = {"/api/v1/payments/due", "/api/v1/payment-runs",
                                            "/api/v1/payment-runs/run-0001",
                                            "/api/v1/payment-runs/run-0001/pain.001.xml",
                                            "/api/v1/payments?communication=" + communicationOf({16, 2})->digits()};
    for (const auto& path : paths) {
        Response response = service.get(path, "finance");
        REQUIRE(response.status == 200);
        for (const auto& secret : secrets) {
            INFO(path << " leaks '" << secret << "'");
            CHECK(response.body.find(secret) == std::string::npos);
        }
    }
    for (const auto& secret : secrets) CHECK(built.body.find(secret) == std::string::npos);
}
