// Specifications of the read log over HTTP (issue 11, part 6): the documents handed out for
// signing hold clinical content (the care plan) or a funding decision, so handing them out is a
// read of personal data, recorded before the answer leaves and chained like every other read.
#include "service/ServiceFixture.h"

#include "process/FundingProcess.h"

using caseflow::test::http::Response;
using caseflow::test::http::ServiceFixture;

TEST_CASE("GET care-plan/document-to-sign and the decision's document-to-sign each leave a read log row",
          "[service][security]") {
    ServiceFixture service;
    const auto rows = [&](const std::string& where) {
        return service.count("SELECT count(*) FROM read_log WHERE " + where);
    };
    REQUIRE(rows("what LIKE 'document-to-sign:%'") == 0);

    Response plan = service.get("/api/v1/situations/12/care-plan/document-to-sign", "pedopsychiatrist");
    REQUIRE(plan.status == 200);
    CHECK(rows("situation_id = 12 AND what = 'document-to-sign:care-plan' AND role = 'pedopsychiatrist'") == 1);

    const std::string approve = R"({"outcome": "approved", "amountCents": 900000, "date": "2026-06-20"})";
    Response decision =
        service.post("/api/v1/funding-requests/17/fr1/decision/document-to-sign", "coordinator", approve);
    REQUIRE(decision.status == 200);
    CHECK(rows("situation_id = 17 AND what = 'document-to-sign:decision' AND role = 'coordinator'") == 1);

    // Refused requests read nothing and record nothing.
    CHECK(service.get("/api/v1/situations/12/care-plan/document-to-sign", "finance").status == 403);
    CHECK(rows("what LIKE 'document-to-sign:%'") == 2);

    // The rows are chained: verify walks them.
    auto process = caseflow::FundingProcess::open(service.database());
    const auto report = process.verify();
    CHECK(report.intact);
    CHECK(report.readsChecked == rows("1 = 1"));
}
