// Specification of the second coordinator's countersignature in the browser (R14,
// engine/web/SigningPages.h) against the real server on loopback: the deciding coordinator asks
// for it, another coordinator's browser (played by OpenSSL, as WebCrypto signs) countersigns the
// decision the server prepared, and the deciding coordinator signs and records it; the exported
// decision then verifies with xmlsec1 against the network's CA, its own signature and the
// countersignature inside alike. The deciding coordinator's own key, a revoked key and a value
// over other bytes are refused with R14's sentence in the user's language, and nothing is recorded.
#include "process/SigningDesk.h"
#include "service/Accounts.h"
#include "signature/BrowserKey.h"
#include "signature/DetachedSigning.h"
#include "signature/TrustStore.h"
#include "signature/XmlSignature.h"
#include "web/WebCryptoPlay.h"
#include "web/WebFixture.h"

#include <catch2/catch.hpp>

using caseflow::test::web::Browser;
using caseflow::test::web::csrfIn;
using caseflow::test::web::parsedJson;
using caseflow::test::web::passwordOf;
using caseflow::test::web::signedInAs;
using caseflow::test::web::signLikeWebCrypto;
using caseflow::test::web::WebFixture;
using namespace caseflow;
using namespace caseflow::test;
using namespace caseflow::test::http;
using namespace caseflow::test::http::people;

namespace {

constexpr std::int64_t kLarge = kFirstLargeRequest; // fr1 asks 9 000 EUR, above the 5 000 EUR threshold

// Sophie Second holds a coordinator's certificate in the fixture; she gets an account too.
void addSecondCoordinator(WebFixture& fixture) {
    auto process = FundingProcess::open(fixture.database());
    service::Accounts(process.accounts()).addUser(kSecondCoordinator, "coordinator", {});
    auto rows = process.accounts();
    rows.setPasswordHash(kSecondCoordinator, caseflow::web::hashPassword(passwordOf(kSecondCoordinator)));
    rows.setLanguage(kSecondCoordinator, "nl");
}

std::string path(const std::string& step) {
    return "/situations/" + std::to_string(kLarge) + "/sign/" + step;
}

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields decisionFields(const std::string& csrf) {
    return {{"csrf", csrf},         {"request", "fr1"},     {"outcome", "approved"},
            {"amount", "9 000,00"}, {"date", "2026-03-20"}, {"reasons", "Dossier complet.\nDeux validations."}};
}

// The deciding coordinator asks for the countersignature from the decision page.
Browser askedByDecider(WebFixture& fixture) {
    Browser decider = signedInAs(fixture, kCoordinator);
    const auto page = decider.get(path("decision"));
    REQUIRE(page.status == 200);
    const auto asked = decider.post(path("decision/ask"), decisionFields(csrfIn(page.body)));
    INFO(asked.body);
    REQUIRE(asked.status == 303);
    return decider;
}

// What sign.js does on a signing page: prepare with the key's certificate, sign, post the value.
Response signOnPage(Browser& browser, const std::string& step, Fields fields, const signature::SigningKey& key,
                    const std::function<void(std::string&)>& alter = {}) {
    fields.emplace_back("certificate", key.certificate().pem());
    const auto prepared = browser.post(path(step + "/prepare"), fields);
    INFO(prepared.body);
    REQUIRE(prepared.status == 200);
    const auto answer = parsedJson(prepared.body);
    std::string signedInfo = signature::decodeBase64(answer->getValue<std::string>("signedInfo"), "signedInfo");
    if (alter) alter(signedInfo);
    return browser.post(path(step), {{"csrf", fields.front().second},
                                     {"nonce", answer->getValue<std::string>("nonce")},
                                     {"signatureValue", signature::encodeBase64(signLikeWebCrypto(key, signedInfo))}});
}

Response prepareCountersignature(Browser& browser, const std::string& signer) {
    const auto page = browser.get(path("countersign"));
    REQUIRE(page.status == 200);
    return browser.post(path("countersign/prepare"),
                        {{"csrf", csrfIn(page.body)}, {"certificate", signingKey(signer).certificate().pem()}});
}

std::string lastEvent(WebFixture& fixture) {
    return FundingProcess::open(fixture.database()).history(kLarge).back().type;
}

} // namespace

TEST_CASE("a countersignature made in the second coordinator's browser is recorded with the decision and xmlsec1 "
          "verifies both signatures of the exported decision against the network's CA",
          "[service][web][signature]") {
    WebFixture fixture;
    addSecondCoordinator(fixture);
    const std::string before = lastEvent(fixture);
    Browser decider = askedByDecider(fixture);
    CHECK(lastEvent(fixture) == before); // asking records nothing

    // The second coordinator finds it on their list, reads it and countersigns it.
    Browser second = signedInAs(fixture, kSecondCoordinator);
    const auto list = second.get("/signatures");
    CHECK(list.body.find("href=\"" + path("countersign") + "\"") != std::string::npos);
    // ... which the deciding coordinator's own list does not offer them.
    CHECK(decider.get("/signatures").body.find(path("countersign")) == std::string::npos);
    const auto shown = second.get(path("countersign"));
    CHECK(shown.body.find("9 000,00") != std::string::npos);
    CHECK(shown.body.find("Deux validations.") != std::string::npos);
    CHECK(shown.body.find("id=\"browser-signing\"") != std::string::npos);
    const auto countersigned = signOnPage(second, "countersign", {{"csrf", csrfIn(shown.body)}},
                                          signingKey("coordinator:" + kSecondCoordinator));
    INFO(countersigned.body);
    REQUIRE(countersigned.status == 303);
    CHECK(lastEvent(fixture) == before);

    // The deciding coordinator signs the decision as it stands, countersignature inside.
    const auto decisionPage = decider.get(path("decision"));
    CHECK(decisionPage.body.find(kSecondCoordinator) != std::string::npos);
    // ... shown as it stands, not typed again.
    CHECK(decisionPage.body.find("name=\"use\" value=\"countersigned\"") != std::string::npos);
    CHECK(decisionPage.body.find("id=\"amount\"") == std::string::npos);
    const auto recorded =
        signOnPage(decider, "decision", {{"csrf", csrfIn(decisionPage.body)}, {"use", "countersigned"}},
                   signingKey("coordinator:" + kCoordinator));
    INFO(recorded.body);
    REQUIRE(recorded.status == 303);

    auto process = FundingProcess::open(fixture.database());
    CHECK(process.history(kLarge).back().type == "budget.approved");
    const std::string exported = SigningDesk(process).exportSignedDecision(kLarge, std::string("fr1"));
    CHECK(exported.find("<countersignature by=\"" + kSecondCoordinator + "\"") != std::string::npos);
    ScratchDir dir;
    writeFile(dir.path() / "ca.pem", process.trustStore().authority()->certificate.pem());
    writeFile(dir.path() / "decision.xml", exported);
    const auto decision = xml::parseString(exported, "exported decision");
    writeFile(dir.path() / "countersignature.xml",
              signature::standaloneXml(xml::firstChild(xml::root(decision.get()), "countersignature")));
    // xmlsec1 starts from the first Signature in document order, which in a countersigned
    // decision is the countersignature's: the decision's own is named by its path.
    const std::string ca = (dir.path() / "ca.pem").string();
    const std::vector<std::vector<std::string>> checks = {
        {"--verify", "--trusted-pem", ca, "--node-xpath", "/*/*[local-name()='Signature']",
         (dir.path() / "decision.xml").string()},
        {"--verify", "--trusted-pem", ca, (dir.path() / "countersignature.xml").string()}};
    for (const auto& arguments : checks) {
        const auto verified = runProgram("/usr/bin/xmlsec1", arguments);
        INFO(arguments.back() << ": " << verified.err);
        CHECK(verified.exitCode == 0);
    }
    // Without the path xmlsec1 checks the countersignature's signature over the whole decision.
    CHECK(runProgram("/usr/bin/xmlsec1", {"--verify", "--trusted-pem", ca, (dir.path() / "decision.xml").string()})
              .exitCode != 0);
}

TEST_CASE("the coordinator who decided cannot countersign their own decision: R14's sentence in their language, and "
          "signing it without a countersignature is refused with R14",
          "[service][web][signature]") {
    WebFixture fixture;
    const std::string before = lastEvent(fixture);
    Browser decider = askedByDecider(fixture);
    const auto refused = prepareCountersignature(decider, "coordinator:" + kCoordinator);
    CHECK(refused.status == 422);
    const auto answer = parsedJson(refused.body);
    CHECK(answer->getValue<std::string>("rule") == "R14");
    CHECK(answer->getValue<std::string>("status") == "same-signer");
    CHECK(answer->getValue<std::string>("error") ==
          "La contre-signature doit être celle d'un autre coordinateur que celui qui signe la décision.");

    const auto page = decider.get(path("decision"));
    const auto unsigned_ =
        signOnPage(decider, "decision", decisionFields(csrfIn(page.body)), signingKey("coordinator:" + kCoordinator));
    CHECK(unsigned_.status == 422);
    CHECK(unsigned_.body.find("R14") != std::string::npos);
    CHECK(lastEvent(fixture) == before);
}

TEST_CASE("a revoked second coordinator's key is refused with R14 and a countersignature over other bytes is refused "
          "with R14 and the Verifier's verdict",
          "[service][web][signature]") {
    WebFixture fixture;
    addSecondCoordinator(fixture);
    const std::string before = lastEvent(fixture);
    askedByDecider(fixture);
    Browser second = signedInAs(fixture, kSecondCoordinator);

    SECTION("revoked") {
        FundingProcess::open(fixture.database())
            .trustStore()
            .revoke(kSecondCoordinator, "laptop stolen", "coordinator:" + kCoordinator);
        const auto refused = prepareCountersignature(second, "coordinator:" + kSecondCoordinator);
        CHECK(refused.status == 422);
        const auto answer = parsedJson(refused.body);
        CHECK(answer->getValue<std::string>("rule") == "R14");
        CHECK(answer->getValue<std::string>("status") == "revoked");
        CHECK(answer->getValue<std::string>("error") != "The certificate was revoked."); // said in Dutch
    }
    SECTION("a value over altered SignedInfo") {
        const auto shown = second.get(path("countersign"));
        const auto refused = signOnPage(
            second, "countersign", {{"csrf", csrfIn(shown.body)}}, signingKey("coordinator:" + kSecondCoordinator),
            [](std::string& signedInfo) { signedInfo.replace(signedInfo.find("<DigestValue>") + 13, 4, "AAAA"); });
        CHECK(refused.status == 422);
        CHECK(refused.body.find("R14") != std::string::npos);
        CHECK(refused.body.find("class=\"verdict\"") != std::string::npos);
        // Still waiting for a countersignature.
        CHECK(second.get("/signatures").body.find(path("countersign")) != std::string::npos);
    }
    CHECK(lastEvent(fixture) == before);
}
