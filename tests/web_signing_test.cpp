// Specification of signing in the browser (engine/web/SigningPages.h, engine/signature/
// DetachedSigning.h) against the real server on loopback. The test plays the browser: it posts
// the certificate of the signer's key, signs the canonical SignedInfo it is handed with OpenSSL
// (as WebCrypto does: ECDSA P-256 with SHA-256, the value r||s) and posts the value with its
// nonce. The recorded plan is exported and checked by xmlsec1 against the network's CA; a
// certificate the plan's pedopsychiatrist does not hold, a revoked one, a value over other
// bytes and a nonce used twice are refused, each with its rule and its sentence.
#include "process/GuardFacts.h"
#include "process/SigningDesk.h"
#include "signature/BrowserKey.h"
#include "signature/CertificateAuthority.h"
#include "signature/DetachedSigning.h"
#include "signature/OpenSsl.h"
#include "signature/TrustStore.h"
#include "signature/XmlSignature.h"
#include "web/WebCryptoPlay.h"
#include "web/WebFixture.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <catch2/catch.hpp>

#include <openssl/ecdsa.h>

using caseflow::test::web::Browser;
using caseflow::test::web::csrfIn;
using caseflow::test::web::passwordOf;
using caseflow::test::web::signLikeWebCrypto;
using caseflow::test::web::WebFixture;
using namespace caseflow;
using namespace caseflow::test;
using namespace caseflow::test::http;
using namespace caseflow::test::http::people;
namespace ossl = caseflow::signature::ossl;

namespace {

const std::string kStem = "04-ciney-twelve-returned";

// A copy of sample 04 whose plan names the network's pedopsychiatrist (Dr Claire Dubois),
// driven until the plan waits for her signature (agreed, the youth's adhesion recorded), and
// assigned to her.
std::int64_t planWaitingForSignature(WebFixture& fixture, const std::string& reference) {
    auto process = FundingProcess::open(fixture.database());
    std::string registration = readFile(samplesDir() / "situations" / (kStem + ".xml"));
    replaceAll(registration, "KIR-26-004", reference);
    const auto id = process.registerSituation(registration, reference, Actor{"partner", "fixture"}).id;
    for (auto step : scenarioSteps(kStem)) {
        if (step.refused()) continue;
        if (step.event == "plan.signed") break;
        replaceAll(step.data, "<pedopsychiatrist partner=\"p3\"/>",
                   "<pedopsychiatrist networkPedopsychiatrist=\"np-dubois\"/>");
        FixedBusinessDate today(step.date);
        process.fire(id, step.event, step.data.empty() ? std::nullopt : std::optional<std::string>(step.data),
                     "scenario data", Actor::parse(step.actor));
    }
    REQUIRE(process.situation(id).state == "plan-agreed");
    process.accounts().assign(kPedopsychiatrist, id, "2026-01-01T00:00:00Z");
    return id;
}

std::string planPath(std::int64_t id) {
    return "/situations/" + std::to_string(id) + "/sign/plan";
}

Poco::JSON::Object::Ptr parsed(const std::string& json) {
    return caseflow::test::web::parsedJson(json);
}

// The signing page as the doctor's browser sees it, and what its script posts.
struct SigningPage {
    Browser browser;
    std::int64_t id;
    std::string csrf;
    std::string version;

    SigningPage(WebFixture& fixture, std::int64_t situation, const std::string& user = kPedopsychiatrist)
        : browser(fixture.port()), id(situation) {
        REQUIRE(browser.signIn(user, passwordOf(user)).status == 303);
        const auto page = browser.get(planPath(id));
        REQUIRE(page.status == 200);
        csrf = csrfIn(page.body);
        version = std::to_string(FundingProcess::open(fixture.database()).situation(id).version);
    }
    Response prepare(const std::string& certificatePem) {
        return browser.post(planPath(id) + "/prepare",
                            {{"csrf", csrf}, {"version", version}, {"certificate", certificatePem}});
    }
    Response submit(const std::string& nonce, const std::string& value) {
        return browser.post(planPath(id), {{"csrf", csrf},
                                           {"version", version},
                                           {"nonce", nonce},
                                           {"signatureValue", signature::encodeBase64(value)}});
    }
    // Prepares with `key`'s certificate and signs what comes back (changed by `alter` first).
    Response sign(const signature::SigningKey& key, const std::function<void(std::string&)>& alter = {}) {
        const auto prepared = prepare(key.certificate().pem());
        REQUIRE(prepared.status == 200);
        const auto answer = parsed(prepared.body);
        std::string signedInfo = signature::decodeBase64(answer->getValue<std::string>("signedInfo"), "signedInfo");
        if (alter) alter(signedInfo);
        lastNonce = answer->getValue<std::string>("nonce");
        lastValue = signLikeWebCrypto(key, signedInfo);
        return submit(lastNonce, lastValue);
    }
    std::string lastNonce, lastValue;
};

std::string stateOf(WebFixture& fixture, std::int64_t id) {
    return FundingProcess::open(fixture.database()).situation(id).state;
}

} // namespace

TEST_CASE("a care plan signed with a value computed from the SignedInfo the page was handed is recorded and xmlsec1 "
          "verifies the exported plan against the network's CA",
          "[service][web][signature]") {
    WebFixture fixture;
    const auto id = planWaitingForSignature(fixture, "KIR-26-961");
    SigningPage page(fixture, id);
    // The page shows the plan and who signs it, and offers the key form to its script.
    const auto shown = page.browser.get(planPath(id));
    CHECK(shown.body.find(kPedopsychiatrist) != std::string::npos);
    CHECK(shown.body.find("id=\"browser-signing\"") != std::string::npos);
    CHECK(shown.body.find("/static/sign.js") != std::string::npos);

    const auto prepared = page.prepare(signingKey("pedopsychiatrist:" + kPedopsychiatrist).certificate().pem());
    REQUIRE(prepared.status == 200);
    const auto answer = parsed(prepared.body);
    CHECK(answer->getValue<std::string>("algorithm") == "ecdsa-sha256");
    const std::string signedInfo = signature::decodeBase64(answer->getValue<std::string>("signedInfo"), "signedInfo");
    CHECK(signedInfo.rfind("<SignedInfo xmlns=\"http://www.w3.org/2000/09/xmldsig#\">", 0) == 0);

    const auto recorded =
        page.submit(answer->getValue<std::string>("nonce"),
                    signLikeWebCrypto(signingKey("pedopsychiatrist:" + kPedopsychiatrist), signedInfo));
    REQUIRE(recorded.status == 303);
    CHECK(recorded.header("location") == "/situations/" + std::to_string(id) + "?done=plan.signed");
    CHECK(stateOf(fixture, id) == "plan-validated");

    auto process = FundingProcess::open(fixture.database());
    const auto history = process.history(id);
    CHECK(history.back().type == "plan.signed");
    CHECK(history.back().actor == "pedopsychiatrist:" + kPedopsychiatrist);
    ScratchDir dir;
    writeFile(dir.path() / "ca.pem", process.trustStore().authority()->certificate.pem());
    writeFile(dir.path() / "plan.xml", SigningDesk(process).exportSignedPlan(id));
    const auto verified = runProgram("/usr/bin/xmlsec1", {"--verify", "--trusted-pem", (dir.path() / "ca.pem").string(),
                                                          (dir.path() / "plan.xml").string()});
    CHECK(verified.exitCode == 0);
    INFO(verified.err);
    // The same signature with one byte of the plan changed no longer verifies.
    std::string changed = readFile(dir.path() / "plan.xml");
    replaceAll(changed, "Kunsttherapie", "Kunsttherapia");
    writeFile(dir.path() / "changed.xml", changed);
    CHECK(runProgram("/usr/bin/xmlsec1", {"--verify", "--trusted-pem", (dir.path() / "ca.pem").string(),
                                          (dir.path() / "changed.xml").string()})
              .exitCode != 0);
}

TEST_CASE("SignedInfo is handed out only for a certificate the network issued to the plan's pedopsychiatrist that is "
          "valid and not revoked",
          "[service][web][signature]") {
    WebFixture fixture;
    const auto id = planWaitingForSignature(fixture, "KIR-26-962");
    SigningPage page(fixture, id);
    const auto refusedWith = [&](const Response& response, const std::string& status) {
        CHECK(response.status == 422);
        const auto answer = parsed(response.body);
        CHECK(answer->getValue<std::string>("rule") == "R11");
        CHECK(answer->getValue<std::string>("status") == status);
        return answer->getValue<std::string>("error");
    };

    SECTION("a coordinator's certificate is the wrong signer, said in the doctor's language (Dutch)") {
        const auto message =
            refusedWith(page.prepare(signingKey("coordinator:" + kCoordinator).certificate().pem()), "wrong-signer");
        CHECK(message.find(kCoordinator) != std::string::npos);
        CHECK(message.find(kPedopsychiatrist) != std::string::npos);
        CHECK(message != "This key is " + kCoordinator + "'s; the care plan must be signed by " + kPedopsychiatrist +
                             ", its pedopsychiatrist, signed in with their own account.");
    }
    SECTION("a certificate of another authority is not one the network issued") {
        const auto other = signature::CertificateAuthority::create("Another CA", "elsewhere", signature::KeyType::Ecdsa,
                                                                   signature::Validity::fromNow(1));
        const auto key = signature::PrivateKey::generate(signature::KeyType::Ecdsa);
        refusedWith(page.prepare(
                        other.issue(kPedopsychiatrist, "pedopsychiatrist", key, signature::Validity::fromNow(1)).pem()),
                    "untrusted");
    }
    SECTION("a revoked certificate") {
        FundingProcess::open(fixture.database())
            .trustStore()
            .revoke(kPedopsychiatrist, "laptop stolen", "coordinator:" + kCoordinator);
        refusedWith(page.prepare(signingKey("pedopsychiatrist:" + kPedopsychiatrist).certificate().pem()), "revoked");
    }
    SECTION("text that is no certificate") {
        refusedWith(page.prepare("-----BEGIN CERTIFICATE-----\nnot one\n-----END CERTIFICATE-----\n"), "malformed");
    }
    SECTION("a page shown before the plan changed") {
        page.version = "1";
        CHECK(page.prepare(signingKey("pedopsychiatrist:" + kPedopsychiatrist).certificate().pem()).status == 409);
    }
    CHECK(stateOf(fixture, id) == "plan-agreed");
}

TEST_CASE("a value signed over altered SignedInfo is refused with R11 and the Verifier's sentence and nothing is "
          "recorded",
          "[service][web][signature]") {
    WebFixture fixture;
    const auto id = planWaitingForSignature(fixture, "KIR-26-963");
    SigningPage page(fixture, id);
    const auto refused = page.sign(signingKey("pedopsychiatrist:" + kPedopsychiatrist), [](std::string& signedInfo) {
        // What a page that tampered with the digest would have signed.
        signedInfo.replace(signedInfo.find("<DigestValue>") + 13, 4, "AAAA");
    });
    CHECK(refused.status == 422);
    CHECK(refused.body.find("R11") != std::string::npos);
    CHECK(refused.body.find("class=\"verdict\"") != std::string::npos);
    CHECK(stateOf(fixture, id) == "plan-agreed");
}

TEST_CASE("a nonce is good once and only for the person it was handed to", "[service][web][signature]") {
    WebFixture fixture;
    const auto id = planWaitingForSignature(fixture, "KIR-26-964");
    SigningPage page(fixture, id);
    const auto& key = signingKey("pedopsychiatrist:" + kPedopsychiatrist);

    SECTION("replayed after it was used") {
        REQUIRE(page.sign(key).status == 303);
        const auto again = page.submit(page.lastNonce, page.lastValue);
        CHECK(again.status == 422);
        CHECK(again.body.find("id=\"errors\"") != std::string::npos);
        CHECK(FundingProcess::open(fixture.database()).history(id).back().type == "plan.signed");
    }
    SECTION("posted by someone else (a coordinator may fire events on every situation)") {
        const auto prepared = parsed(page.prepare(key.certificate().pem()).body);
        const std::string signedInfo =
            signature::decodeBase64(prepared->getValue<std::string>("signedInfo"), "signedInfo");
        Browser coordinator(fixture.port());
        REQUIRE(coordinator.signIn(kCoordinator, passwordOf(kCoordinator)).status == 303);
        const std::string csrf = csrfIn(coordinator.get(planPath(id)).body);
        const auto stolen = coordinator.post(
            planPath(id), {{"csrf", csrf},
                           {"nonce", prepared->getValue<std::string>("nonce")},
                           {"signatureValue", signature::encodeBase64(signLikeWebCrypto(key, signedInfo))}});
        CHECK(stolen.status == 422);
        CHECK(stateOf(fixture, id) == "plan-agreed");
        // ... and the nonce is gone for its owner too.
        CHECK(page.submit(prepared->getValue<std::string>("nonce"), signLikeWebCrypto(key, signedInfo)).status == 422);
    }
}

TEST_CASE("the coordinator decides and signs a budget decision in the browser and cannot use another coordinator's key",
          "[service][web][signature]") {
    WebFixture fixture;
    const std::string path = "/situations/" + std::to_string(kBudgetCheckSituation) + "/sign/decision";
    Browser browser(fixture.port());
    REQUIRE(browser.signIn(kCoordinator, passwordOf(kCoordinator)).status == 303);
    const auto page = browser.get(path);
    REQUIRE(page.status == 200);
    const std::string csrf = csrfIn(page.body);
    const std::vector<std::pair<std::string, std::string>> decision = {
        {"csrf", csrf},         {"request", "fr1"},     {"outcome", "approved"},
        {"amount", "1 250,00"}, {"date", "2026-03-20"}, {"reasons", "Dossier complet.\nMontant sous le plafond."}};
    const auto prepareWith = [&](const signature::SigningKey& key) {
        auto fields = decision;
        fields.emplace_back("certificate", key.certificate().pem());
        return browser.post(path + "/prepare", fields);
    };
    // Sophie Second's key is a coordinator's, but not the signed-in coordinator's.
    CHECK(prepareWith(signingKey("coordinator:Sophie Second")).status == 422);

    const auto& key = signingKey("coordinator:" + kCoordinator);
    const auto prepared = prepareWith(key);
    REQUIRE(prepared.status == 200);
    const auto answer = parsed(prepared.body);
    const auto recorded = browser.post(
        path, {{"csrf", csrf},
               {"nonce", answer->getValue<std::string>("nonce")},
               {"signatureValue",
                signature::encodeBase64(signLikeWebCrypto(
                    key, signature::decodeBase64(answer->getValue<std::string>("signedInfo"), "signedInfo")))}});
    INFO(recorded.body);
    REQUIRE(recorded.status == 303);
    auto process = FundingProcess::open(fixture.database());
    CHECK(process.history(kBudgetCheckSituation).back().type == "budget.approved");
    const std::string exported = SigningDesk(process).exportSignedDecision(kBudgetCheckSituation, std::string("fr1"));
    CHECK(exported.find("amount=\"125000\"") != std::string::npos);
    CHECK(exported.find("<reason>Montant sous le plafond.</reason>") != std::string::npos);
}

TEST_CASE(
    "the browser key file opens with its password into the signer's own key through PBKDF2-SHA256 and AES-256-GCM",
    "[service][signature]") {
    templateDatabase(); // loads the fixture signers' keys
    const auto& key = signingKey("pedopsychiatrist:" + kPedopsychiatrist);
    const auto file = parsed(signature::browserKeyFile(key, "a long enough password"));
    CHECK(file->getValue<std::string>("format") == "caseflow-browser-key/1");
    CHECK(file->getValue<std::string>("name") == kPedopsychiatrist);
    CHECK(signature::Certificate::fromPem(file->getValue<std::string>("certificate"), "certificate").fingerprint() ==
          key.certificate().fingerprint());
    const auto kdf = file->getObject("kdf");
    CHECK(kdf->getValue<int>("iterations") >= 600000);
    const std::string salt = signature::decodeBase64(kdf->getValue<std::string>("salt"), "salt");
    const std::string iv = signature::decodeBase64(file->getObject("cipher")->getValue<std::string>("iv"), "iv");
    const std::string sealed = signature::decodeBase64(file->getValue<std::string>("privateKey"), "privateKey");
    CHECK(sealed.find("BEGIN") == std::string::npos);

    // What WebCrypto's unwrapKey does, with OpenSSL: derive, decrypt and check the tag, import PKCS#8.
    const auto open = [&](const std::string& password) -> std::optional<signature::PrivateKey> {
        unsigned char aesKey[32];
        REQUIRE(PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                                  reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                                  kdf->getValue<int>("iterations"), EVP_sha256(), 32, aesKey) == 1);
        std::unique_ptr<EVP_CIPHER_CTX, ossl::Deleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>> cipher(
            EVP_CIPHER_CTX_new());
        REQUIRE(EVP_DecryptInit_ex(cipher.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1);
        REQUIRE(EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr) == 1);
        REQUIRE(EVP_DecryptInit_ex(cipher.get(), nullptr, nullptr, aesKey,
                                   reinterpret_cast<const unsigned char*>(iv.data())) == 1);
        std::string plain(sealed.size(), '\0');
        int written = 0, last = 0;
        const int body = static_cast<int>(sealed.size()) - 16;
        REQUIRE(EVP_DecryptUpdate(cipher.get(), reinterpret_cast<unsigned char*>(plain.data()), &written,
                                  reinterpret_cast<const unsigned char*>(sealed.data()), body) == 1);
        std::string tag = sealed.substr(static_cast<std::size_t>(body));
        REQUIRE(EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_GCM_SET_TAG, 16, tag.data()) == 1);
        if (EVP_DecryptFinal_ex(cipher.get(), reinterpret_cast<unsigned char*>(plain.data()) + written, &last) != 1) {
            ossl::drainErrors();
            return std::nullopt;
        }
        const auto* cursor = reinterpret_cast<const unsigned char*>(plain.data());
        EVP_PKEY* decoded = d2i_AutoPrivateKey(nullptr, &cursor, written + last);
        REQUIRE(decoded);
        return signature::PrivateKey(decoded);
    };
    const auto opened = open("a long enough password");
    REQUIRE(opened);
    CHECK(key.certificate().matches(*opened));
    CHECK_FALSE(open("another password"));
}

TEST_CASE("SignedInfo assembled from a detached value is byte for byte what sign-file writes with the same key",
          "[service][signature]") {
    ScratchDir dir;
    const TestDatabase copy(dir, "copy.db", templateDatabase());
    auto process = FundingProcess::open(copy.address());
    const auto& key = signingKey("pedopsychiatrist:" + kPedopsychiatrist);
    auto prepared = SigningDesk(process).preparePlan(kBudgetCheckSituation);
    const auto toSign = signature::prepareSignedInfo(prepared.xml, key.certificate(), "plan");
    const std::string bySignFile = signature::signDocument(prepared.xml, key, "plan");
    // ECDSA values differ from one signing to the next; everything they sign must not.
    CHECK(signature::canonicalSignedInfo(bySignFile, "signed by sign-file") == toSign.signedInfo);
    const std::string assembled =
        signature::assembleSignature(toSign.document, signLikeWebCrypto(key, toSign.signedInfo), "assembled");
    const auto document = xml::parseString(assembled, "assembled");
    const auto verdict = signature::Verifier(process.trustStore()).verify(xml::root(document.get()));
    CHECK(verdict.status == signature::SignatureStatus::Valid);
    INFO(verdict.detail);
    CHECK_THROWS_AS(signature::assembleSignature(toSign.document, "", "assembled"), signature::MalformedSignature);
}
