// Specification of finance's view (issue 17, items 5 and 6) against the real server on loopback
// and the pilot database: several state filters at once, the amount still to pay, the supplier
// and invoice of each payment, expense categories as words in French and Dutch, the decision's
// signature status, the budget decision and payment notice in a finance view that holds no
// clinical text (R19; searched in the HTML and in the PDF's text), and the accounting export,
// whose amounts add up to the envelope's paid figure of its year, a year boundary included.
#include "finance/FinanceFixture.h"
#include "model/BankAccount.h"
#include "model/Clock.h"
#include "views/FinanceViews.h"

#include <catch2/catch.hpp>

#include <set>

using namespace caseflow::test::finance;
using caseflow::test::http::Response;
using caseflow::test::http::ServiceFixture;

namespace {

Poco::JSON::Object::Ptr requestRow(const Response& list, std::int64_t situationId, const std::string& requestId) {
    const auto rows = list.json()->getArray("fundingRequests");
    for (std::size_t i = 0; i < rows->size(); ++i) {
        const auto row = rows->getObject(i);
        if (row->getValue<std::int64_t>("situationId") == situationId &&
            row->getValue<std::string>("requestId") == requestId)
            return row;
    }
    return nullptr;
}

std::set<std::string> statesOf(const Response& list) {
    std::set<std::string> states;
    const auto rows = list.json()->getArray("fundingRequests");
    for (std::size_t i = 0; i < rows->size(); ++i) states.insert(rows->getObject(i)->getValue<std::string>("state"));
    return states;
}

std::size_t rowCount(const Response& list) {
    return list.json()->getArray("fundingRequests")->size();
}

// The CSV's lines (CRLF) split into cells, RFC 4180 quotes undone ("700,00 €" is one cell).
std::vector<std::vector<std::string>> csvLines(const std::string& csv) {
    std::vector<std::vector<std::string>> lines(1);
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < csv.size(); ++i) {
        const char ch = csv[i];
        if (quoted) {
            if (ch == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (ch == '"') {
                quoted = false;
            } else {
                cell += ch;
            }
        } else if (ch == '"') {
            quoted = true;
        } else if (ch == ',') {
            lines.back().push_back(cell);
            cell.clear();
        } else if (ch == '\r' && i + 1 < csv.size() && csv[i + 1] == '\n') {
            lines.back().push_back(cell);
            cell.clear();
            lines.emplace_back();
            ++i;
        } else {
            cell += ch;
        }
    }
    if (lines.back().empty()) lines.pop_back();
    return lines;
}

std::int64_t csvSum(const std::string& csv) {
    std::int64_t sum = 0;
    const auto lines = csvLines(csv);
    for (std::size_t i = 1; i < lines.size(); ++i) sum += std::stoll(lines[i].at(1));
    return sum;
}

std::string pdfText(const std::string& pdf, const caseflow::test::ScratchDir& dir) {
    const auto file = dir.path() / "document.pdf";
    caseflow::test::writeFile(file, pdf);
    const auto text = caseflow::test::runProgram("/usr/bin/pdftotext", {"-enc", "UTF-8", file.string(), "-"});
    if (text.exitCode != 0) throw std::runtime_error("pdftotext failed: " + text.err);
    // A page wraps lines anywhere: compare without whitespace.
    std::string unwrapped;
    for (char ch : text.out)
        if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\f') unwrapped += ch;
    return unwrapped;
}

std::string withoutSpaces(const std::string& text) {
    std::string out;
    for (char ch : text)
        if (ch != ' ') out += ch;
    return out;
}

void payFirstInstalment(const ServiceFixture& service) {
    approveRequest(service);
    Response paid = pay(service, "view-1",
                        R"({"amountCents": 70000, "date": "2026-06-25", "reference": "VIR-12-1", "supplier": )"
                        R"("Cabinet Le Fil", "invoiceReference": "F-2026-118", "proofs": [)" +
                            proofJson("facture-118.pdf", invoicePdf()) + "]}");
    INFO(paid.body);
    REQUIRE(paid.status == 201);
}

} // namespace

TEST_CASE("finance lists requests of several states in one call, with what is still to pay and who signed the "
          "decision",
          "[finance][view]") {
    ServiceFixture service;
    payFirstInstalment(service);

    // The pilot has requests awaiting budget check and our partially paid one.
    Response both = service.get("/api/v1/funding-requests?state=budget-check&state=partially-paid", "finance");
    INFO(both.body.substr(0, 400));
    REQUIRE(both.status == 200);
    CHECK(statesOf(both) == std::set<std::string>{"budget-check", "partially-paid"});
    const auto checking = service.get("/api/v1/funding-requests?state=budget-check", "finance");
    const auto partial = service.get("/api/v1/funding-requests?state=partially-paid", "finance");
    CHECK(rowCount(both) == rowCount(checking) + rowCount(partial));
    CHECK(rowCount(service.get("/api/v1/funding-requests?state=budget-check&state=budget-check", "finance")) ==
          rowCount(checking));
    CHECK(rowCount(partial) >= 1);

    const auto row = requestRow(both, kSituation, "fr1");
    REQUIRE(row);
    CHECK(row->getValue<std::string>("state") == "partially-paid");
    CHECK(row->getValue<std::int64_t>("stillToPayCents") == 55000);
    const auto payment = row->getArray("payments")->getObject(0);
    CHECK(payment->getValue<std::string>("supplier") == "Cabinet Le Fil");
    CHECK(payment->getValue<std::string>("invoiceReference") == "F-2026-118");
    CHECK(payment->getArray("proofs")->getObject(0)->getValue<std::string>("fileName") == "facture-118.pdf");
    CHECK(payment->getValue<std::string>("communication").rfind("+++", 0) == 0);
    const auto decision = row->getObject("decision");
    REQUIRE(decision);
    CHECK(decision->getValue<std::string>("outcome") == "approved");
    CHECK(decision->getObject("signature")->getValue<std::string>("status") == "valid");
    CHECK(decision->getObject("signature")->getValue<std::string>("signer") == "Marie Coordinator");
    // R19: the list carries no reasons, descriptions nor justification.
    for (const auto& sentence : clinicalSentences()) CHECK(both.body.find(sentence) == std::string::npos);
    CHECK(both.body.find(kClinicalReason) == std::string::npos);

    // A request decided without a signature says so.
    bool unsignedSeen = false;
    const auto all = service.get("/api/v1/funding-requests", "finance").json()->getArray("fundingRequests");
    for (std::size_t i = 0; i < all->size(); ++i)
        if (auto facts = all->getObject(i)->getObject("decision"))
            unsignedSeen = unsignedSeen || facts->getObject("signature")->getValue<std::string>("status") == "none";
    CHECK(unsignedSeen);
}

TEST_CASE("an unknown state among several filters is refused naming it", "[finance][view]") {
    ServiceFixture service;
    Response refused = service.get("/api/v1/funding-requests?state=approved&state=paying", "finance");
    CHECK(refused.status == 400);
    CHECK_THAT(refused.json()->getValue<std::string>("detail"), Catch::Contains("'paying'"));
    CHECK(refused.json()->getValue<std::string>("field") == "state");
}

TEST_CASE("expense categories reach finance as the network's words in French and in Dutch", "[finance][view]") {
    ServiceFixture service;
    const auto labels = [&](const std::string& language) {
        Response list =
            service.get("/api/v1/funding-requests?state=budget-check", "finance", {{"Accept-Language", language}});
        REQUIRE(list.status == 200);
        const auto row = requestRow(list, kSituation, "fr1");
        REQUIRE(row);
        std::map<std::string, std::string> byId;
        const auto categories = row->getArray("categories");
        for (std::size_t i = 0; i < categories->size(); ++i)
            byId[categories->getObject(i)->getValue<std::string>("id")] =
                categories->getObject(i)->getValue<std::string>("label");
        return byId;
    };
    CHECK(labels("fr-BE") == std::map<std::string, std::string>{{"therapy", "Soins et thérapie"},
                                                                {"transport", "Transport (taxi social)"}});
    CHECK(labels("nl-BE") ==
          std::map<std::string, std::string>{{"therapy", "Zorg en therapie"}, {"transport", "Vervoer (sociale taxi)"}});
}

TEST_CASE("finance reads the budget decision and the payment notice without a word of clinical text",
          "[finance][view][documents]") {
    ServiceFixture service;
    payFirstInstalment(service);
    const std::string base = "/api/v1/situations/12/documents/";

    // The coordinator's full document holds the decision's reasons: the search below can fail.
    Response full = service.get(base + "budget-decision?lang=fr", "coordinator");
    REQUIRE(full.status == 200);
    REQUIRE(full.body.find(kClinicalReason) != std::string::npos);

    for (const char* document : {"budget-decision", "payment-notice"}) {
        INFO(document);
        Response html = service.get(base + document + "?lang=fr", "finance");
        INFO(html.body.substr(0, 300));
        REQUIRE(html.status == 200);
        CHECK(html.body.find(kClinicalReason) == std::string::npos);
        for (const auto& sentence : clinicalSentences()) {
            INFO(sentence);
            CHECK(html.body.find(sentence) == std::string::npos);
        }
        CHECK(html.body.find("KIR-26-012") != std::string::npos);

        Response pdf = service.get(base + document + "?lang=fr&format=pdf", "finance");
        REQUIRE(pdf.status == 200);
        const std::string text = pdfText(pdf.body, service.dir());
        CHECK(text.find(withoutSpaces(kClinicalReason)) == std::string::npos);
        for (const auto& sentence : clinicalSentences()) {
            INFO(sentence);
            CHECK(text.find(withoutSpaces(sentence)) == std::string::npos);
        }
        CHECK(text.find("KIR-26-012") != std::string::npos);
    }
    // The decision's checks still read their facts, and the notice lists the invoice.
    Response decision = service.get(base + "budget-decision?lang=fr", "finance");
    CHECK(decision.body.find("non rempli") == std::string::npos);
    Response notice = service.get(base + "payment-notice?lang=fr", "finance");
    CHECK(notice.body.find("Cabinet Le Fil") != std::string::npos);
    CHECK(notice.body.find("F-2026-118") != std::string::npos);
    CHECK(notice.body.find("facture-118.pdf") != std::string::npos);

    // Other documents stay closed to finance; the committee reads none.
    CHECK(service.get(base + "care-plan?lang=fr", "finance").status == 403);
    CHECK(service.get(base + "funding-request?lang=fr", "finance").status == 403);
    CHECK(service.get(base + "payment-notice?lang=fr", "committee").status == 403);
    CHECK(service.get(base + "budget-decision?lang=fr", "committee").status == 403);
}

TEST_CASE("the accounting export of a year adds up to the envelope's paid figure on the pilot database",
          "[finance][accounting]") {
    ServiceFixture service;
    payFirstInstalment(service);
    Response csv = service.get("/api/v1/payments/accounting.csv?year=2026", "finance");
    REQUIRE(csv.status == 200);
    CHECK(csv.header("content-type").rfind("text/csv", 0) == 0);
    const auto envelope = service.get("/api/v1/envelopes/2026", "finance").json();
    CHECK(csvSum(csv.body) == envelope->getValue<std::int64_t>("paidCents"));
    CHECK(csvLines(csv.body).size() > 2);
    // The header and the categories in the network's language (Namur: French), whoever asks.
    Response dutchReader =
        service.get("/api/v1/payments/accounting.csv?year=2026", "finance", {{"Accept-Language", "nl-BE"}});
    CHECK(csvLines(dutchReader.body).at(0).at(3) == "Communication structurée");
    CHECK(dutchReader.body.find("Soins et thérapie") != std::string::npos);
    // Our payment, with its communication, supplier, invoice and the decision's signature id.
    bool found = false;
    for (const auto& line : csvLines(csv.body)) {
        if (line.size() < 12 || line.at(11) != "pay-" + caseflow::store::sha256Hex("view-1").substr(0, 16)) continue;
        found = true;
        CHECK(line.at(0) == "2026-06-25");
        CHECK(line.at(1) == "70000");
        // +++ would start a formula in a spreadsheet: the cell is neutralised as every other one.
        CHECK(line.at(3) == "'" + caseflow::communicationOf({kSituation, 1})->formatted());
        CHECK(line.at(3) == "'+++000/0012/00170+++"); // 12 001 mod 97 = 70
        CHECK(line.at(4) == "Soins et thérapie; Transport (taxi social)");
        CHECK(line.at(5) == "Cabinet Le Fil");
        CHECK(line.at(6) == "F-2026-118");
        CHECK(line.at(7).size() == 64);
        CHECK(line.at(8) == "12");
        CHECK(line.at(10) == "fr1");
    }
    CHECK(found);

    // The command line writes the same file.
    const auto file = service.dir().path() / "accounting-2026.csv";
    const auto written = caseflow::test::runCli(
        {"payments", "export-accounting", "--year", "2026", "-o", file.string(), "--db", service.database()});
    INFO(written.err);
    REQUIRE(written.exitCode == 0);
    CHECK(caseflow::test::readFile(file) == csv.body);

    // R19: the committee and case managers do not get it; a year is required.
    CHECK(service.get("/api/v1/payments/accounting.csv?year=2026", "committee").status == 403);
    CHECK(service.get("/api/v1/payments/accounting.csv?year=2026", "case_manager").status == 403);
    CHECK(service.get("/api/v1/payments/accounting.csv?year=2026", "coordinator").status == 200);
    CHECK(service.get("/api/v1/payments/accounting.csv", "finance").status == 400);
}

TEST_CASE("a payment on the first of January counts in the new year's export, and each year adds up to its "
          "envelope's paid figure",
          "[finance][accounting]") {
    ServiceFixture service;
    approveRequest(service);
    // The business date is past the year's end, so a payment may be dated in January.
    caseflow::FixedBusinessDate today("2027-01-05");
    REQUIRE(
        pay(service, "boundary-1",
            R"({"amountCents": 70000, "date": "2026-12-31", "reference": "VIR-12-1", "supplier": "Cabinet Le Fil"})")
            .status == 201);
    REQUIRE(pay(service, "boundary-2",
                R"({"amountCents": 55000, "date": "2027-01-01", "reference": "VIR-12-2", "supplier": "Taxi Houyet"})")
                .status == 201);
    for (int year : {2026, 2027}) {
        INFO(year);
        Response csv = service.get("/api/v1/payments/accounting.csv?year=" + std::to_string(year), "finance");
        REQUIRE(csv.status == 200);
        const auto envelope = service.get("/api/v1/envelopes/" + std::to_string(year), "finance").json();
        CHECK(csvSum(csv.body) == envelope->getValue<std::int64_t>("paidCents"));
        CHECK(csv.body.find(year == 2026 ? "Cabinet Le Fil" : "Taxi Houyet") != std::string::npos);
        CHECK(csv.body.find(year == 2026 ? "Taxi Houyet" : "Cabinet Le Fil") == std::string::npos);
    }
}
