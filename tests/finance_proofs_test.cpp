// Specification of invoices and proofs of expense on payments (issue 17, item 4), against the
// real server on loopback and the real store: a proof is stored once per content under its
// SHA-256, named in the payment.recorded event's data, refused when larger than 10 MB or when
// its first bytes are not those of a PDF, PNG or JPEG (whatever its name says), and read back
// only by finance and the coordinator (R19), as an attachment never sniffed by a browser.
#include "finance/FinanceFixture.h"
#include "store/ProofRepository.h"
#include "store/Sha256.h"

#include <catch2/catch.hpp>

using namespace caseflow::test::finance;
using caseflow::test::http::Response;
using caseflow::test::http::ServiceFixture;

namespace {

std::int64_t proofRows(const ServiceFixture& service) {
    return service.count("SELECT count(*) FROM proofs");
}

} // namespace

TEST_CASE("two payments carrying the same invoice store it once, and each payment's event names it by its SHA-256",
          "[finance][proofs]") {
    ServiceFixture service;
    approveRequest(service);
    const std::string invoice = invoicePdf();
    const std::string sha256 = caseflow::store::sha256Hex(invoice);

    Response first = pay(service, "proof-1",
                         R"({"amountCents": 70000, "date": "2026-06-25", "reference": "VIR-12-1", "supplier": )"
                         R"("Cabinet Le Fil", "invoiceReference": "F-2026-118", "proofs": [)" +
                             proofJson("facture-118.pdf", invoice) + "]}");
    INFO(first.body);
    REQUIRE(first.status == 201);
    const auto stored = first.json()->getArray("proofs")->getObject(0);
    CHECK(stored->getValue<std::string>("sha256") == sha256);
    CHECK(stored->getValue<std::string>("mediaType") == "application/pdf");
    CHECK(stored->getValue<std::int64_t>("size") == static_cast<std::int64_t>(invoice.size()));
    CHECK(stored->getValue<std::string>("fileName") == "facture-118.pdf");

    Response second = pay(service, "proof-2",
                          R"({"amountCents": 55000, "date": "2026-07-02", "reference": "VIR-12-2", "proofs": [)" +
                              proofJson("copy of the same invoice.pdf", invoice) + "]}");
    INFO(second.body);
    REQUIRE(second.status == 201);
    CHECK(proofRows(service) == 1);
    // The log proves which file each payment carried.
    CHECK(service.count("SELECT count(*) FROM events WHERE type = 'payment.recorded' AND situation_id = 12 AND "
                        "payload LIKE '%sha256=\"" +
                        sha256 + "\"%'") == 2);

    // Finance and the coordinator read it back, byte for byte, as an attachment.
    for (const char* role : {"finance", "coordinator"}) {
        INFO(role);
        Response file = service.get("/api/v1/proofs/" + sha256, role);
        REQUIRE(file.status == 200);
        CHECK(file.body == invoice);
        CHECK(file.header("content-type") == "application/pdf");
        CHECK(file.header("content-disposition").rfind("attachment;", 0) == 0);
        CHECK(file.header("x-content-type-options") == "nosniff");
    }
    // R19: neither the committee nor a case manager, even the one assigned to the situation.
    for (const char* role : {"committee", "case_manager", "pedopsychiatrist", "partner"}) {
        INFO(role);
        CHECK(service.get("/api/v1/proofs/" + sha256, role).status == 403);
    }
    CHECK(service.get("/api/v1/proofs/" + std::string(64, '0'), "finance").status == 404);
    CHECK(service.count("SELECT count(*) FROM read_log WHERE situation_id = 12 AND user_name = 'Finn Finance' AND "
                        "what = 'proof:" +
                        sha256 + "'") == 1);
}

TEST_CASE("a proof of 10 MB and one byte is refused and nothing is stored", "[finance][proofs]") {
    // The server takes bodies large enough for the base64 of such a file: the proof's own limit refuses it.
    ServiceFixture service([](caseflow::service::ServiceConfig& config) { config.maxBodyBytes = 16 * 1024 * 1024; });
    approveRequest(service);
    const std::string tooLarge =
        invoicePdf() +
        std::string(static_cast<std::size_t>(caseflow::store::kMaxProofBytes + 1) - invoicePdf().size(), ' ');
    REQUIRE(tooLarge.size() == 10'000'001);
    const auto before = service.storedState();
    Response refused = pay(service, "too-large",
                           R"({"amountCents": 70000, "date": "2026-06-25", "reference": "VIR-12-1", "proofs": [)" +
                               proofJson("scan.pdf", tooLarge) + "]}");
    INFO(refused.body.substr(0, 400));
    CHECK(refused.status == 400);
    CHECK_THAT(refused.json()->getValue<std::string>("detail"),
               Catch::Contains("scan.pdf") && Catch::Contains("10 MB"));
    CHECK(service.storedState() == before);
    CHECK(proofRows(service) == 0);

    // The limit itself: 10 MB exactly is a proof.
    const std::string largest = tooLarge.substr(0, 10'000'000);
    CHECK(caseflow::store::inspectProof("scan.pdf", largest).size == 10'000'000);
    CHECK_THROWS_WITH(caseflow::store::inspectProof("scan.pdf", tooLarge), Catch::Contains("at most 10000000"));
}

TEST_CASE("an executable named invoice.pdf is refused by its first bytes and nothing is stored", "[finance][proofs]") {
    ServiceFixture service;
    approveRequest(service);
    const auto before = service.storedState();
    Response refused = pay(service, "exe",
                           R"({"amountCents": 70000, "date": "2026-06-25", "reference": "VIR-12-1", "proofs": [)" +
                               proofJson("invoice.pdf", executable()) + "]}");
    INFO(refused.body);
    CHECK(refused.status == 400);
    CHECK_THAT(refused.json()->getValue<std::string>("detail"),
               Catch::Contains("invoice.pdf") && Catch::Contains("not a PDF, PNG or JPEG"));
    CHECK(service.storedState() == before);
    CHECK(proofRows(service) == 0);

    // PNG and JPEG are told by their signatures too, and text is not base64.
    CHECK(caseflow::store::proofMediaType(std::string("\x89PNG\r\n\x1a\n", 8) + "rest") == "image/png");
    CHECK(caseflow::store::proofMediaType("\xFF\xD8\xFF\xE0 JFIF") == "image/jpeg");
    CHECK_FALSE(caseflow::store::proofMediaType("MZ\x90 a Windows executable"));
    Response notBase64 = pay(service, "not-base64",
                             R"({"amountCents": 70000, "date": "2026-06-25", "reference": "VIR-12-1", "proofs": [)"
                             R"({"fileName": "a.pdf", "contentBase64": "%PDF not encoded"}]})");
    CHECK(notBase64.status == 400);
    CHECK_THAT(notBase64.json()->getValue<std::string>("detail"), Catch::Contains("base64"));
    CHECK(service.storedState() == before);
}

TEST_CASE("the command line records a payment with its invoice and writes the stored proof back out",
          "[finance][proofs][cli]") {
    ServiceFixture service;
    approveRequest(service);
    const auto db = service.database();
    const auto invoice = service.dir().path() / "facture 118.pdf";
    caseflow::test::writeFile(invoice, invoicePdf());
    const auto recorded = caseflow::test::runCli({"payment",
                                                  "record",
                                                  "12",
                                                  "--request",
                                                  "fr1",
                                                  "--amount",
                                                  "700,00",
                                                  "--reference",
                                                  "VIR-12-1",
                                                  "--date",
                                                  "2026-06-25",
                                                  "--supplier",
                                                  "Cabinet Le Fil",
                                                  "--invoice",
                                                  "F-2026-118",
                                                  "--proof",
                                                  invoice.string(),
                                                  "--as",
                                                  "finance:Finn Finance",
                                                  "--db",
                                                  db});
    INFO(recorded.out << recorded.err);
    REQUIRE(recorded.exitCode == 0);
    const std::string sha256 = caseflow::store::sha256Hex(invoicePdf());
    CHECK_THAT(recorded.out, Catch::Contains(sha256));

    const auto copy = service.dir().path() / "copy.pdf";
    const auto extracted = caseflow::test::runCli(
        {"payment", "proof", "12", "pay1", sha256, "-o", copy.string(), "--as", "finance:Finn Finance", "--db", db});
    INFO(extracted.err);
    REQUIRE(extracted.exitCode == 0);
    CHECK(caseflow::test::readFile(copy) == invoicePdf());
    // A SHA-256 the payment does not carry is not found, whatever the store holds.
    const auto other = caseflow::test::runCli(
        {"payment", "proof", "12", "pay1", std::string(64, 'a'), "-o", copy.string(), "--db", db});
    CHECK(other.exitCode == 4);

    const auto exe = service.dir().path() / "invoice.pdf";
    caseflow::test::writeFile(exe, executable());
    const auto refused = caseflow::test::runCli({"payment", "record", "12", "--request", "fr1", "--amount", "100,00",
                                                 "--reference", "VIR-12-2", "--date", "2026-06-26", "--proof",
                                                 exe.string(), "--as", "finance:Finn Finance", "--db", db});
    CHECK(refused.exitCode != 0);
    CHECK_THAT(refused.err, Catch::Contains("not a PDF, PNG or JPEG"));
    CHECK(service.count("SELECT count(*) FROM payments WHERE situation_id = 12") == 1);
}
