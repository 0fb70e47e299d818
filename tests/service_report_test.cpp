// Specifications of the committee report over HTTP: the committee and the coordinator read
// the published report in the format and language they ask for; no other role gets it.
#include "service/ServiceFixture.h"

using caseflow::test::http::Response;
using caseflow::test::http::ServiceFixture;

TEST_CASE("The committee reads its report over HTTP, small counts suppressed, in its formats and languages",
          "[service][report]") {
    ServiceFixture service;
    Response csv = service.get("/api/v1/reports/committee?year=2026&format=csv", "committee");
    REQUIRE(csv.status == 200);
    CHECK(csv.header("content-type").rfind("text/csv", 0) == 0);
    CHECK_THAT(csv.body, Catch::Contains("category,1,< 3")); // two situations per category: suppressed
    CHECK_THAT(csv.body, Catch::Contains("coverage_r4,met,yes"));
    CHECK(csv.body.find("KIR-26") == std::string::npos);

    Response bilingual = service.get("/api/v1/reports/committee?year=2026&lang=fr%2Bnl", "coordinator");
    REQUIRE(bilingual.status == 200);
    CHECK(bilingual.header("content-type").rfind("text/html", 0) == 0);
    CHECK_THAT(bilingual.body,
               Catch::Contains("lang=\"fr\"") && Catch::Contains("lang=\"nl\"") && Catch::Contains("<svg"));

    Response dutch = service.get("/api/v1/reports/committee?year=2026", "committee", {{"Accept-Language", "nl-BE"}});
    REQUIRE(dutch.status == 200);
    CHECK_THAT(dutch.body, Catch::Contains("lang=\"nl\""));

    Response pdf = service.get("/api/v1/reports/committee?year=2026&format=pdf", "committee");
    REQUIRE(pdf.status == 200);
    CHECK(pdf.header("content-type") == "application/pdf");
    CHECK(pdf.body.rfind("%PDF-", 0) == 0);
}

TEST_CASE("Only the coordinator and the committee get the committee report", "[service][report]") {
    ServiceFixture service;
    for (const char* role : {"case_manager", "pedopsychiatrist", "finance", "partner"}) {
        INFO(role);
        Response refused = service.get("/api/v1/reports/committee?year=2026&format=csv", role);
        CHECK(refused.status == 403);
        CHECK(refused.body.find("category") == std::string::npos);
    }
    CHECK(service.get("/api/v1/reports/committee?year=2026&format=csv", "").status == 401);
}

TEST_CASE("A committee report for a year without data, or in an unknown format, says so", "[service][report]") {
    ServiceFixture service;
    Response empty = service.get("/api/v1/reports/committee?year=2031", "committee", {{"Accept-Language", "fr"}});
    CHECK(empty.status == 404);
    CHECK(empty.json()->getValue<std::string>("detail") ==
          "Aucune situation n'a été enregistrée en 2031 : il n'y a rien à rapporter.");
    CHECK(service.get("/api/v1/reports/committee?year=2026&format=docx", "committee").status == 406);
    CHECK(service.get("/api/v1/reports/committee?year=2026&lang=de", "committee").status == 400);
    CHECK(service.get("/api/v1/reports/committee?year=twenty", "committee").status == 400);
}
