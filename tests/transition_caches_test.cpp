// Specifications of the caches on the firing path (issue 19, item 1): the memo of what a
// signed element's bytes decide (signature/Verifier.cpp) and the memo of parsed certificates.
// Each test would fail if a cache key forgot one of its dimensions (the element's bytes, the
// authority) or if a cache kept what must be judged on every event (revocation, "valid now"),
// and a refused event must leave no trace for the next one. Real pilot databases, real
// signatures, real threads.
#include "core/Errors.h"
#include "model/Clock.h"
#include "process/ParsedSituations.h"
#include "process/SigningDesk.h"
#include "signature/CertificateAuthority.h"
#include "signature/OpenSsl.h"
#include "signature/TrustStore.h"
#include "signature/Verifier.h"
#include "signature/XmlSignature.h"
#include "store/Sha256.h"
#include "support/Pilot.h"
#include "workflow/StateChart.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <functional>
#include <optional>
#include <thread>

using namespace caseflow;
using namespace caseflow::signature;
using namespace caseflow::test;

namespace {

const std::string kMarchal = "pedopsychiatrist:Dr Hélène Marchal"; // the plan names her
const std::string kLambert = "coordinator:Marc Lambert";           // the decision names him

// The care plan of situation `id`, signed by `key` at `signedAt` (ISO), as the signer's own
// machine would send it back.
std::string signedPlan(Pilot& pilot, std::int64_t id, const SigningKey& key, const std::string& signedAt) {
    const auto record = pilot.process().situation(id);
    const Situation situation = Situation::fromStored(record.document);
    auto plan = standaloneCopy(xml::firstChild(xml::root(situation.document()), "carePlan"));
    prepareForSigning(plan.get(), id, record.version, signedAt, key.key().type());
    signPrepared(plan.get(), key);
    return xml::serialize(plan.get());
}

std::string isoNow(std::chrono::system_clock::duration offset = {}) {
    return ossl::isoTime(std::chrono::system_clock::now() + offset);
}

Verification verified(const std::string& signedXml, const Verifier& verifier, SignatureAge age) {
    const auto doc = xml::parseString(signedXml, "signed plan");
    return verifier.verify(xml::root(doc.get()), age);
}

// Emma's situation after step 6 (plan agreed and adhered to): the plan waits for its signature.
struct PlanToSign {
    Pilot pilot;
    std::int64_t id = pilot.registerSample(kEmma);
    PlanToSign() { pilot.runSteps(id, kEmma, 1, 6); }
    SigningDesk desk() { return SigningDesk(pilot.process()); }
    TrustStore trust() { return pilot.process().trustStore(); }
};

} // namespace

TEST_CASE("a plan signature verified once, then its signer revoked: the guard that records it refuses (R11)",
          "[signature][cache]") {
    PlanToSign emma;
    const auto& key = emma.pilot.signers().keyFor(kMarchal);
    const std::string plan = signedPlan(emma.pilot, emma.id, key, isoNow());
    // Verified, and so remembered, while the certificate is in good standing.
    REQUIRE(verified(plan, Verifier(emma.trust()), SignatureAge::New).status == SignatureStatus::Valid);

    emma.trust().revoke("Dr Hélène Marchal", "laptop stolen", kLambert);
    CHECK(verified(plan, Verifier(emma.trust()), SignatureAge::New).status == SignatureStatus::Revoked);
    const auto refused =
        refusedRules([&] { emma.desk().submit(emma.id, plan, "signed plan", Actor::parse(kMarchal)); });
    CHECK(refused == "R11");
    CHECK(emma.pilot.state(emma.id) == "plan-agreed");
}

TEST_CASE("a signed plan changed after its signature was verified is refused (R11) as altered", "[signature][cache]") {
    PlanToSign emma;
    const auto& key = emma.pilot.signers().keyFor(kMarchal);
    const std::string plan = signedPlan(emma.pilot, emma.id, key, isoNow());
    REQUIRE(verified(plan, Verifier(emma.trust()), SignatureAge::New).status == SignatureStatus::Valid);

    // One date of one action moved, the signature kept: the element's bytes are not those verified.
    const std::string changed = withAttribute(plan, "/carePlan/actions/action[1]", "end", "2027-12-31");
    REQUIRE(changed != plan);
    const auto verification = verified(changed, Verifier(emma.trust()), SignatureAge::New);
    CHECK(verification.status == SignatureStatus::Altered);
    CHECK_THAT(verification.detail, Catch::Contains("content changed"));
    CHECK(refusedRules([&] { emma.desk().submit(emma.id, changed, "changed plan", Actor::parse(kMarchal)); }) == "R11");
    CHECK(emma.pilot.state(emma.id) == "plan-agreed");
    // The untouched signature still goes through.
    CHECK(refusedRules([&] { emma.desk().submit(emma.id, plan, "signed plan", Actor::parse(kMarchal)); }) ==
          "accepted");
    CHECK(emma.pilot.state(emma.id) == "plan-validated");
}

TEST_CASE("a certificate expired since the signing keeps a recorded signature valid but cannot record it now (R11)",
          "[signature][cache]") {
    PlanToSign emma;
    const auto now = std::chrono::system_clock::now();
    const PrivateKey privateKey = PrivateKey::generate(KeyType::Ecdsa);
    // An authority valid since long before the signing, so that only the signer's certificate expired.
    const auto authority = CertificateAuthority::create("Test network signature CA", "caseflow tests", KeyType::Ecdsa,
                                                        {now - std::chrono::days(500), now + std::chrono::days(500)});
    emma.trust().setAuthority(authority.certificate(), "system:tests");
    const SigningKey expired(privateKey,
                             authority.issue("Dr Hélène Marchal", "pedopsychiatrist", privateKey,
                                             {now - std::chrono::days(400), now - std::chrono::days(1)}),
                             {authority.certificate()});
    emma.trust().addSigner(expired.certificate(), "system:tests");
    // Signed ten days ago, while the certificate was valid.
    const std::string plan = signedPlan(emma.pilot, emma.id, expired, isoNow(-std::chrono::days(10)));
    // Judged at its signing time, as a recorded signature is: valid, and remembered.
    REQUIRE(verified(plan, Verifier(emma.trust()), SignatureAge::Recorded).status == SignatureStatus::Valid);
    // Recorded now, it is judged now: expired, whatever was remembered.
    const auto now_ = verified(plan, Verifier(emma.trust()), SignatureAge::New);
    CHECK(now_.status == SignatureStatus::Expired);
    CHECK_THAT(now_.detail, Catch::Contains("is not valid now"));
    CHECK(refusedRules([&] { emma.desk().submit(emma.id, plan, "signed plan", Actor::parse(kMarchal)); }) == "R11");
    CHECK(emma.pilot.state(emma.id) == "plan-agreed");
}

TEST_CASE("a signature valid for the network's authority is untrusted by another authority, remembered or not",
          "[signature][cache]") {
    PlanToSign emma;
    const std::string plan = signedPlan(emma.pilot, emma.id, emma.pilot.signers().keyFor(kMarchal), isoNow());
    const Certificate network = emma.pilot.signers().authority().certificate();
    REQUIRE(verified(plan, Verifier(network), SignatureAge::New).status == SignatureStatus::Valid);
    const auto other =
        CertificateAuthority::create("Other network CA", "Elsewhere", KeyType::Ecdsa, Validity::fromNow(1));
    CHECK(verified(plan, Verifier(other.certificate()), SignatureAge::New).status == SignatureStatus::Untrusted);
    CHECK(verified(plan, Verifier(network), SignatureAge::Recorded).status == SignatureStatus::Valid);
}

TEST_CASE("a refused event leaves no trace in the document the next event starts from", "[process][cache]") {
    // Step 3 is a concertation refused by R5; step 4 the one held. The document after 1, 2, 3
    // (refused), 4 must be exactly the document after 1, 2, 4.
    Pilot withRefusal;
    const auto id = withRefusal.registerSample(kEmma);
    withRefusal.runSteps(id, kEmma, 1, 3);
    withRefusal.runSteps(id, kEmma, 4, 4);
    Pilot without;
    const auto control = without.registerSample(kEmma);
    without.runSteps(control, kEmma, 1, 2);
    without.runSteps(control, kEmma, 4, 4);
    const auto refusedPath = withRefusal.process().situation(id);
    const auto cleanPath = without.process().situation(control);
    CHECK(refusedPath.version == cleanPath.version);
    CHECK(refusedPath.document == cleanPath.document);
}

TEST_CASE("an event refused without reading $before leaves no trace either, though it changed the kept tree itself",
          "[process][cache]") {
    // plan.agreed's guards (R8) do not read $before: its candidate is the kept tree, not a copy.
    const auto chart = workflow::StateChart::load(test::projectDir() / "workflows/funding.scxml");
    REQUIRE_FALSE(chart->mayRead("before", "plan.agreed"));
    std::string tooEarly = emmaStep(5).data;
    // Both follow-up meetings within the months R8 asks for after the concertation.
    tooEarly.replace(tooEarly.find("2026-05-04"), 10, "2026-02-10");
    tooEarly.replace(tooEarly.find("2026-09-07"), 10, "2026-02-24");
    Pilot withRefusal;
    const auto id = withRefusal.registerSample(kEmma);
    withRefusal.runSteps(id, kEmma, 1, 4);
    CHECK(refusedRules([&] { withRefusal.fire(id, withData(emmaStep(5), tooEarly)); }) == "R8");
    withRefusal.runSteps(id, kEmma, 5, 6);
    Pilot without;
    const auto control = without.registerSample(kEmma);
    without.runSteps(control, kEmma, 1, 6);
    const auto refusedPath = withRefusal.process().situation(id);
    const auto cleanPath = without.process().situation(control);
    CHECK(refusedPath.version == cleanPath.version);
    CHECK(refusedPath.document == cleanPath.document);
    CHECK(refusedPath.document.find("2026-02-10") == std::string::npos);
}

TEST_CASE("two processes firing on two situations at once write the log one process writes alone", "[process][cache]") {
    // One business date for the whole test: the clock is process-wide, so steps in two threads
    // cannot each fix their own.
    const auto steps = scenarioSteps(kEmma);
    FixedBusinessDate today(steps.back().date);
    const auto play = [&](FundingProcess& process, std::int64_t id, ScenarioSigners& signers) {
        SigningDesk desk(process);
        for (const auto& step : steps) {
            if (step.refused()) continue;
            if (step.signedBy == kMarchal)
                desk.signPlan(id, signers.keyFor(step.signedBy), Actor::parse(step.actor));
            else if (!step.signedBy.empty())
                desk.signDecision(id, step.data, step.event + " data", signers.keyFor(step.signedBy),
                                  Actor::parse(step.actor));
            else
                process.fire(id, step.event, step.data.empty() ? std::nullopt : std::optional(step.data), "step",
                             Actor::parse(step.actor));
        }
    };
    const auto outline = [](FundingProcess& process, std::int64_t id) {
        std::vector<std::string> lines;
        for (const auto& event : process.history(id)) lines.push_back(event.type);
        lines.push_back(process.situation(id).state);
        return lines;
    };

    Pilot alone;
    const auto soloId = alone.registerSample(kEmma);
    play(alone.process(), soloId, alone.signers());
    const auto expected = outline(alone.process(), soloId);
    const auto aloneReport = alone.process().verify();

    Pilot shared;
    const auto first = shared.registerSample(kEmma);
    const auto second = shared.registerSample(kEmma);
    auto& signers = shared.signers();
    signers.keyFor(kMarchal); // issued before the threads start: the trust store is written once
    signers.keyFor(kLambert);
    auto other = FundingProcess::open(shared.databasePath());
    std::string failures[2];
    std::thread one([&] {
        try {
            play(shared.process(), first, signers);
        } catch (const std::exception& error) {
            failures[0] = error.what();
        }
    });
    std::thread two([&] {
        try {
            play(other, second, signers);
        } catch (const std::exception& error) {
            failures[1] = error.what();
        }
    });
    one.join();
    two.join();
    CHECK(failures[0] == "");
    CHECK(failures[1] == "");
    CHECK(outline(shared.process(), first) == expected);
    CHECK(outline(shared.process(), second) == expected);
    const auto report = shared.process().verify();
    CHECK(report.chainIntact);
    CHECK(report.intact);
    // Both situations' events, each once: the other process's appends were neither lost nor doubled.
    CHECK(report.eventsChecked - aloneReport.eventsChecked == static_cast<std::int64_t>(expected.size() - 1));
}

namespace {

// OpenSSL's own chain check of `leaf` up to `authority` at `when`: the straightforward
// computation the verifier's "valid now" must agree with.
std::string opensslVerdictAt(const Certificate& leaf, const Certificate& authority,
                             std::chrono::system_clock::time_point when) {
    ossl::Store store(X509_STORE_new());
    X509_STORE_add_cert(store.get(), authority.get());
    ossl::StoreContext context(X509_STORE_CTX_new());
    X509_STORE_CTX_init(context.get(), store.get(), leaf.get(), nullptr);
    X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(context.get()), std::chrono::system_clock::to_time_t(when));
    const int verified = X509_verify_cert(context.get());
    const int error = X509_STORE_CTX_get_error(context.get());
    ossl::drainErrors();
    return verified == 1 ? "ok" : X509_verify_cert_error_string(error);
}

// Signs Emma's plan with a certificate valid over `leafValidity`, issued by an authority valid
// over `authorityValidity` and trusted by her pilot, at `signedAt`.
struct SignedUnder {
    PlanToSign emma;
    std::optional<CertificateAuthority> authority;
    std::optional<SigningKey> key;
    std::string plan;
    SignedUnder(Validity authorityValidity, Validity leafValidity, std::chrono::system_clock::time_point signedAt) {
        authority.emplace(CertificateAuthority::create("Test network signature CA", "caseflow tests", KeyType::Ecdsa,
                                                       authorityValidity));
        emma.trust().setAuthority(authority->certificate(), "system:tests");
        const PrivateKey privateKey = PrivateKey::generate(KeyType::Ecdsa);
        key.emplace(privateKey, authority->issue("Dr Hélène Marchal", "pedopsychiatrist", privateKey, leafValidity),
                    std::vector<Certificate>{authority->certificate()});
        emma.trust().addSigner(key->certificate(), "system:tests");
        plan = signedPlan(emma.pilot, emma.id, *key, ossl::isoTime(signedAt));
    }
};

} // namespace

TEST_CASE("an authority expired since the signing: a new signature is refused for OpenSSL's own reason, a recorded "
          "one stays valid",
          "[signature][cache]") {
    const auto now = std::chrono::system_clock::now();
    using std::chrono::days;
    SignedUnder signing({now - days(500), now - days(1)}, {now - days(400), now + days(400)}, now - days(10));
    REQUIRE(verified(signing.plan, Verifier(signing.emma.trust()), SignatureAge::Recorded).status ==
            SignatureStatus::Valid);
    const auto verdict = opensslVerdictAt(signing.key->certificate(), signing.authority->certificate(), now);
    REQUIRE(verdict != "ok");
    const auto recordedNow = verified(signing.plan, Verifier(signing.emma.trust()), SignatureAge::New);
    CHECK(recordedNow.status == SignatureStatus::Expired);
    CHECK_THAT(recordedNow.detail, Catch::Contains("is not valid now") && Catch::Contains(verdict));
    CHECK(refusedRules([&] {
              signing.emma.desk().submit(signing.emma.id, signing.plan, "signed plan", Actor::parse(kMarchal));
          }) == "R11");
    CHECK(signing.emma.pilot.state(signing.emma.id) == "plan-agreed");
}

TEST_CASE("a signer certificate not valid yet cannot record a signature, for OpenSSL's own reason",
          "[signature][cache]") {
    const auto now = std::chrono::system_clock::now();
    using std::chrono::days;
    using std::chrono::hours;
    // Signed "in two hours", within the certificate's period: the chain holds at the signing time.
    SignedUnder signing({now - days(500), now + days(500)}, {now + hours(1), now + days(400)}, now + hours(2));
    const auto verdict = opensslVerdictAt(signing.key->certificate(), signing.authority->certificate(), now);
    REQUIRE(verdict != "ok");
    const auto recordedNow = verified(signing.plan, Verifier(signing.emma.trust()), SignatureAge::New);
    CHECK(recordedNow.status == SignatureStatus::Expired);
    CHECK_THAT(recordedNow.detail, Catch::Contains("is not valid now") && Catch::Contains(verdict));
}

TEST_CASE("every sample scenario fired through the firing path's shortcuts stores what a replay of its log stores",
          "[process][cache]") {
    // The live projection takes the candidate the guards judged and the payload before it was
    // written; the replay parses both from the log. Any difference is a drift.
    Pilot pilot;
    for (const auto& stem : sampleStems()) pilot.runScenario(pilot.registerSample(stem), stem);
    CHECK(pilot.process().projectionDrift().empty());
    const auto report = pilot.process().verify();
    CHECK(report.problem == "");
    CHECK(report.intact);
}

TEST_CASE(
    "the dossier's submission verifies the stored plan's signature (R11), though the events before it do not read it",
    "[signature][cache]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 8); // plan signed by Dr Marchal, need identified
    const auto alterPlan = [&](const std::string& from, const std::string& to) {
        store::Database::open(pilot.databasePath(), store::OpenMode::MustExist)
            .exec("UPDATE situations SET document = replace(document, '" + from + "', '" + to +
                  "') WHERE id = " + std::to_string(id));
    };
    // The signed plan's text changed in the stored row, behind the process: its signature no longer holds.
    alterPlan("20 séances hebdomadaires", "30 séances hebdomadaires");
    CHECK(refusedRules([&] { pilot.fire(id, emmaStep(9)); }) == "R11");
    CHECK(pilot.state(id) == "dossier-in-preparation");
    // Put back as signed, the same submission is accepted.
    alterPlan("30 séances hebdomadaires", "20 séances hebdomadaires");
    CHECK(refusedRules([&] { pilot.fire(id, emmaStep(9)); }) == "accepted");
    CHECK(pilot.state(id) == "budget-check");
}

TEST_CASE("a guard reading $before sees the stored row, even one changed behind the process since its last event",
          "[process][cache]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 2); // an information-sharing consent dated 2026-01-14
    // Another connection moves that consent to the 10th: the process kept the tree its own
    // projection stored, with the 14th.
    store::Database::open(pilot.databasePath(), store::OpenMode::MustExist)
        .exec("UPDATE situations SET document = replace(document, 'date=\"2026-01-14\"', 'date=\"2026-01-10\"') "
              "WHERE id = " +
              std::to_string(id));
    REQUIRE(pilot.process().situation(id).document.find("2026-01-10") != std::string::npos);
    // R9 refuses a consent dated before the latest of its kind in $before: the 12th is after the
    // 10th the row says, and before the 14th the kept tree says.
    const std::string consent = R"(<consent type="information-sharing" given="true" date="2026-01-12" )"
                                R"(recordedBy="Julie Maes" by="parent">Confirmée.</consent>)";
    CHECK(refusedRules([&] { pilot.fire(id, withData(emmaStep(2), consent)); }) == "accepted");
    const std::string consentOnThe11th = R"(<consent type="information-sharing" given="true" date="2026-01-11" )"
                                         R"(recordedBy="Julie Maes" by="parent">Confirmée.</consent>)";
    // And the tree stored by that event is what the next guard reads: the 12th is now the latest.
    CHECK(refusedRules([&] { pilot.fire(id, withData(emmaStep(2), consentOnThe11th)); }) == "R9");
}

TEST_CASE("a tree a parse of its text would not give is not kept for the next event", "[process][cache]") {
    const std::string text = sampleSituation(kEmma);
    ParsedSituations parsed;
    // A tree as parsed: kept, and served for its text.
    Situation clean = Situation::fromStored(text);
    const xmlDoc* kept = clean.document();
    const std::string cleanText = clean.toXml();
    parsed.remember(1, cleanText, std::move(clean));
    CHECK(parsed.parsed(1, cleanText).document() == kept);

    // Edits a parse of the serialised text would undo: not kept, the text is parsed again.
    const auto notKept = [&](std::int64_t id, const std::function<void(xmlNode * youth)>& edit) {
        Situation edited = Situation::fromStored(text);
        xmlNode* youth = xml::firstChild(xml::root(edited.document()), "youth");
        REQUIRE(youth);
        edit(youth);
        REQUIRE_FALSE(ParsedSituations::asParsed(xml::root(edited.document())));
        const std::string editedText = edited.toXml();
        parsed.remember(id, editedText, std::move(edited));
        const Situation& served = parsed.parsed(id, editedText);
        // What is served is a parse of the text, not the edited tree (whose address a fresh
        // parse may well reuse once it is freed).
        CHECK(ParsedSituations::asParsed(xml::root(served.document())));
        CHECK(served.toXml() == Situation::fromStored(editedText).toXml());
    };
    // "Na", <b/>, "mur", then <b/> removed: two text nodes side by side, one after a parse.
    notKept(2, [](xmlNode* youth) {
        xmlNode* municipality = xml::firstChild(youth, "municipality");
        xmlNodeSetContent(municipality, xml::x("Na"));
        xmlNode* marker = xmlNewChild(municipality, nullptr, xml::x("b"), nullptr);
        xmlAddChild(municipality, xmlNewText(xml::x("mur")));
        xmlUnlinkNode(marker);
        xml::NodePtr removed(marker);
    });
    // Blanks between two elements: a parse drops them.
    notKept(3, [](xmlNode* youth) { xmlAddNextSibling(youth, xmlNewText(xml::x("\n  "))); });
}

TEST_CASE("a signed element changed past its first few kilobytes does not meet the memo of the element verified",
          "[signature][cache]") {
    // The memo's key streams the element's serialisation into SHA-256 chunk by chunk (libxml2
    // writes out 4 000 bytes at a time): a key made of the first chunk only would serve the
    // earlier verdict for a change further in.
    PlanToSign emma;
    const auto& key = emma.pilot.signers().keyFor(kMarchal);
    const auto record = emma.pilot.process().situation(emma.id);
    const Situation situation = Situation::fromStored(record.document);
    auto plan = standaloneCopy(xml::firstChild(xml::root(situation.document()), "carePlan"));
    xmlNode* actions = xml::firstChild(xml::root(plan.get()), "actions");
    REQUIRE(actions);
    xmlNode* last = xmlGetLastChild(actions);
    REQUIRE(last);
    const std::string longText(12000, 'x');
    xmlNodeSetContent(last, xml::x(longText.c_str()));
    prepareForSigning(plan.get(), emma.id, record.version, isoNow(), key.key().type());
    signPrepared(plan.get(), key);
    const std::string signedXml = xml::serialize(plan.get());
    REQUIRE(signedXml.size() > 12000);
    REQUIRE(verified(signedXml, Verifier(emma.trust()), SignatureAge::New).status == SignatureStatus::Valid);

    // One character changed 10 000 bytes into the action's text, the signature kept.
    std::string changed = signedXml;
    const auto at = changed.find(longText) + 10000;
    changed[at] = 'y';
    const auto verification = verified(changed, Verifier(emma.trust()), SignatureAge::New);
    CHECK(verification.status == SignatureStatus::Altered);
    // And the untouched element is still answered valid.
    CHECK(verified(signedXml, Verifier(emma.trust()), SignatureAge::Recorded).status == SignatureStatus::Valid);
}

TEST_CASE("a certificate's fingerprint, computed once when it is read, is OpenSSL's SHA-256 digest of its DER",
          "[signature][cache]") {
    Pilot pilot;
    const Certificate authority = pilot.signers().authority().certificate();
    const Certificate signer = pilot.signers().keyFor(kMarchal).certificate();
    for (const Certificate* certificate : {&authority, &signer}) {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        REQUIRE(X509_digest(certificate->get(), EVP_sha256(), digest, &length) == 1);
        std::string expected;
        for (unsigned int index = 0; index < length; ++index) {
            char pair[3];
            std::snprintf(pair, sizeof pair, "%02x", digest[index]);
            expected += pair;
        }
        CHECK(certificate->fingerprint() == expected);
        // The same text read again (the memo of parsed certificates) and a copy say the same.
        CHECK(Certificate::fromPem(certificate->pem(), "again").fingerprint() == expected);
        const Certificate copy = *certificate; // NOLINT(performance-unnecessary-copy-initialization)
        CHECK(copy.fingerprint() == expected);
    }
    CHECK(authority.fingerprint() != signer.fingerprint());
}

TEST_CASE("SHA-256 fed in pieces gives the digest of the whole, as the one-shot helper and Poco compute it",
          "[signature][cache]") {
    std::string data;
    for (int index = 0; index < 20000; ++index) data += static_cast<char>('a' + index % 26);
    ossl::Sha256 pieces;
    pieces.update(std::string_view(data).substr(0, 1));
    pieces.update(std::string_view(data).substr(1, 4999));
    pieces.update(std::string_view(data).substr(5000));
    const std::string streamed = pieces.hex();
    CHECK(streamed == ossl::sha256Hex(data));
    CHECK(streamed == store::sha256Hex(data));
    // The digest of "abc" (FIPS 180-2, appendix B.1).
    CHECK(ossl::sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("the signing desk reads the tree the firing path keeps and leaves it as a parse of the stored text",
          "[signature][process][cache]") {
    PlanToSign emma;
    FundingProcess& process = emma.pilot.process();
    const auto before = process.situation(emma.id);
    // The coordinator's key cannot validate a care plan: refused (R11) after the desk placed the
    // signed plan in its candidate, which must be a copy of the kept tree, not the tree itself.
    const std::string wrongSigner = signedPlan(emma.pilot, emma.id, emma.pilot.signers().keyFor(kLambert), isoNow());
    CHECK(refusedRules([&] { emma.desk().submit(emma.id, wrongSigner, "signed plan", Actor::parse(kLambert)); }) ==
          "R11");
    const auto after = process.situation(emma.id);
    CHECK(after.version == before.version);
    CHECK(after.document == before.document);
    const Situation& kept = process.parsedSituation(after);
    CHECK(kept.toXml() == Situation::fromStored(after.document).toXml());
    CHECK(xml::firstChild(xml::firstChild(xml::root(kept.document()), "carePlan"), "Signature") == nullptr);
    // Preparing a plan to sign copies it out of the kept tree and leaves the tree alone.
    const auto toSign = emma.desk().preparePlan(emma.id, KeyType::Ecdsa);
    CHECK(toSign.xml.find("<carePlan") != std::string::npos);
    CHECK(process.parsedSituation(after).toXml() == Situation::fromStored(after.document).toXml());
    // The right signer's plan, prepared from that same kept tree, goes through.
    const std::string plan = signedPlan(emma.pilot, emma.id, emma.pilot.signers().keyFor(kMarchal), isoNow());
    CHECK(refusedRules([&] { emma.desk().submit(emma.id, plan, "signed plan", Actor::parse(kMarchal)); }) ==
          "accepted");
    CHECK(emma.pilot.state(emma.id) == "plan-validated");
}

TEST_CASE("a situation's copy sharing its names is the document xmlCopyDoc gives, and outlives its original",
          "[process][cache]") {
    // Every sample situation, and each one again after its whole scenario (signed plans and
    // decisions, payments): the fast copy writes out byte for byte as libxml2's own copy does.
    Pilot pilot;
    std::vector<std::string> documents;
    for (const auto& stem : sampleStems()) {
        documents.push_back(sampleSituation(stem));
        const auto id = pilot.registerSample(stem);
        pilot.runScenario(id, stem);
        documents.push_back(pilot.process().situation(id).document);
    }
    REQUIRE(documents.size() >= 4);
    for (const auto& text : documents) {
        std::optional<Situation> original(Situation::fromStored(text));
        const xml::Document general = xml::copy(original->document());
        const std::string expected = xml::serialize(general.get());
        Situation copied = original->copy();
        CHECK(copied.document()->dict == original->document()->dict);
        CHECK(copied.toXml() == expected);
        CHECK(copied.toXml(true) == xml::serialize(general.get(), true));
        // A change to the copy leaves the original as it was, and the copy lives on, with the
        // names they shared, once the original is gone.
        xmlSetProp(xml::root(copied.document()), xml::x("openedOn"), xml::x("2020-01-01"));
        CHECK(original->toXml() == Situation::fromStored(text).toXml());
        original.reset();
        CHECK(copied.toXml().find("openedOn=\"2020-01-01\"") != std::string::npos);
        CHECK(Situation::fromStored(copied.toXml()).toXml() == copied.toXml());
    }
}

// Issue 19, round 4: what a signature check may remember (the element's bytes, a certificate's
// chain) and what it reads in every event's transaction (the signer's row, the authority).

TEST_CASE("a signer revoked by another process or connection has the next signature refused (R11), though this "
          "process remembers the signature and its certificate's chain",
          "[signature][cache]") {
    PlanToSign emma;
    const auto& key = emma.pilot.signers().keyFor(kMarchal);
    const std::string plan = signedPlan(emma.pilot, emma.id, key, isoNow());
    // Verified here, so the element's check and the certificate's chain are remembered.
    REQUIRE(verified(plan, Verifier(emma.trust()), SignatureAge::New).status == SignatureStatus::Valid);
    SECTION("another process: `caseflow signer revoke`") {
        const auto revoked = runCli({"signer", "revoke", "Dr Hélène Marchal", "--reason", "laptop stolen", "--db",
                                     emma.pilot.databasePath().string()});
        REQUIRE(revoked.exitCode == 0);
    }
    SECTION("another connection of this process") {
        auto other = FundingProcess::open(emma.pilot.databasePath());
        other.trustStore().revoke("Dr Hélène Marchal", "laptop stolen", kLambert);
    }
    const auto verification = verified(plan, Verifier(emma.trust()), SignatureAge::New);
    CHECK(verification.status == SignatureStatus::Revoked);
    CHECK_THAT(verification.detail, Catch::Contains("laptop stolen"));
    CHECK(refusedRules([&] { emma.desk().submit(emma.id, plan, "signed plan", Actor::parse(kMarchal)); }) == "R11");
    CHECK(emma.pilot.state(emma.id) == "plan-agreed");
}

TEST_CASE("a signature value changed after its element was verified is refused as altered (R11)",
          "[signature][cache]") {
    PlanToSign emma;
    const std::string plan = signedPlan(emma.pilot, emma.id, emma.pilot.signers().keyFor(kMarchal), isoNow());
    REQUIRE(verified(plan, Verifier(emma.trust()), SignatureAge::New).status == SignatureStatus::Valid);
    // One character of the value changed, nothing else: same signer, same certificate, same content.
    std::string tampered = plan;
    const auto value = tampered.find("SignatureValue>");
    REQUIRE(value != std::string::npos);
    char& character = tampered[value + std::string("SignatureValue>").size() + 10];
    character = character == 'A' ? 'B' : 'A';
    const auto verification = verified(tampered, Verifier(emma.trust()), SignatureAge::New);
    CHECK(verification.status == SignatureStatus::Altered);
    CHECK(refusedRules([&] { emma.desk().submit(emma.id, tampered, "tampered plan", Actor::parse(kMarchal)); }) ==
          "R11");
    CHECK(emma.pilot.state(emma.id) == "plan-agreed");
    CHECK(refusedRules([&] { emma.desk().submit(emma.id, plan, "signed plan", Actor::parse(kMarchal)); }) ==
          "accepted");
}

TEST_CASE("a certificate's second signature, dated before its period, is refused as OpenSSL refuses it, though its "
          "chain was accepted for the first",
          "[signature][cache]") {
    const auto now = std::chrono::system_clock::now();
    using std::chrono::days;
    using std::chrono::hours;
    SignedUnder signing({now - days(500), now + days(500)}, {now - days(10), now + days(400)}, now - hours(1));
    REQUIRE(verified(signing.plan, Verifier(signing.emma.trust()), SignatureAge::Recorded).status ==
            SignatureStatus::Valid);
    // The same certificate, signing "twenty days ago", before it was issued.
    const auto early = now - days(20);
    REQUIRE(opensslVerdictAt(signing.key->certificate(), signing.authority->certificate(), early) ==
            X509_verify_cert_error_string(X509_V_ERR_CERT_NOT_YET_VALID));
    const std::string earlyPlan = signedPlan(signing.emma.pilot, signing.emma.id, *signing.key, ossl::isoTime(early));
    const auto judged = verified(earlyPlan, Verifier(signing.emma.trust()), SignatureAge::Recorded);
    CHECK(judged.status == SignatureStatus::Expired);
    CHECK_THAT(judged.detail, Catch::Contains("not at the signing time"));
    // Its chain to this authority says nothing of another authority's.
    const std::string laterPlan =
        signedPlan(signing.emma.pilot, signing.emma.id, *signing.key, ossl::isoTime(now - hours(2)));
    const auto other =
        CertificateAuthority::create("Other network CA", "Elsewhere", KeyType::Ecdsa, Validity::fromNow(1));
    CHECK(verified(laterPlan, Verifier(other.certificate()), SignatureAge::Recorded).status ==
          SignatureStatus::Untrusted);
    CHECK(verified(laterPlan, Verifier(signing.emma.trust()), SignatureAge::Recorded).status == SignatureStatus::Valid);
}

TEST_CASE("the oldest authority of the trust store is the one signatures chain to, whatever order its rows were "
          "written in",
          "[signature][store]") {
    PlanToSign emma;
    const std::string plan = signedPlan(emma.pilot, emma.id, emma.pilot.signers().keyFor(kMarchal), isoNow());
    const auto network = emma.pilot.signers().authority().certificate();
    const auto stored = emma.trust().authority();
    REQUIRE(stored);
    // A second anchor written behind TrustStore's back (it refuses one), dated after the first, then one
    // dated before it: the earlier-dated row wins, as it did when SQL sorted them.
    const auto later = CertificateAuthority::create("Later CA", "Elsewhere", KeyType::Ecdsa, Validity::fromNow(1));
    const auto earlier = CertificateAuthority::create("Earlier CA", "Elsewhere", KeyType::Ecdsa, Validity::fromNow(1));
    store::TrustRepository rows(emma.pilot.process().database());
    rows.insertAuthority({later.certificate().fingerprint(), later.certificate().subject(), "9999-01-01T00:00:00Z",
                          "system:tests", later.certificate().pem()});
    CHECK(emma.trust().authority()->fingerprint == network.fingerprint());
    CHECK(verified(plan, Verifier(emma.trust()), SignatureAge::New).status == SignatureStatus::Valid);
    rows.insertAuthority({earlier.certificate().fingerprint(), earlier.certificate().subject(), "1999-01-01T00:00:00Z",
                          "system:tests", earlier.certificate().pem()});
    CHECK(emma.trust().authority()->fingerprint == earlier.certificate().fingerprint());
    CHECK(verified(plan, Verifier(emma.trust()), SignatureAge::New).status == SignatureStatus::Untrusted);
}
