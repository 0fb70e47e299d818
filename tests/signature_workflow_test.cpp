// Specifications of signatures in the funding process (issue 6, R11 and R16), on a real pilot
// database with Emma's scenario (01): who may sign the care plan and the budget decision, what
// voids a signature, how a refusal reads, that nothing stored changes when a signature is
// refused, that payments quote the signed decision, and what documents are told.
#include "core/Errors.h"
#include "process/SigningDesk.h"
#include "signature/CertificateAuthority.h"
#include "signature/TrustStore.h"
#include "signature/Verifier.h"
#include "signature/XmlSignature.h"
#include "support/Pilot.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <regex>
#include <set>

using namespace caseflow;
using namespace caseflow::signature;
using namespace caseflow::test;

namespace {

const std::string kMarchal = "pedopsychiatrist:Dr Hélène Marchal"; // the plan names her (partner p1)
const std::string kLambert = "coordinator:Marc Lambert";           // the decision names him (by)

// Emma's situation after the first `lastStep` steps, with a signing desk on the same process.
struct Emma {
    Pilot pilot;
    std::int64_t id;
    explicit Emma(std::size_t lastStep) : id(pilot.registerSample(kEmma)) {
        if (lastStep > 0) pilot.runSteps(id, kEmma, 1, lastStep);
    }
    SigningDesk desk() { return SigningDesk(pilot.process()); }
    TrustStore trust() { return pilot.process().trustStore(); }
    SituationRecord record() { return pilot.process().situation(id); }

    // The rules a refused signing names, and the refusal's explanation.
    std::pair<std::string, std::string> refusal(const std::function<void()>& action) {
        try {
            action();
        } catch (const RuleRefusal& refused) {
            std::set<std::string> ids;
            for (const auto& violation : refused.violations()) ids.insert(violation.ruleId);
            std::string joined;
            for (const auto& rule : ids) joined += (joined.empty() ? "" : " ") + rule;
            return {joined, refused.what()};
        }
        return {"accepted", ""};
    }
    std::pair<std::string, std::string> signPlanWith(const SigningKey& key) {
        return refusal([&] { desk().signPlan(id, key, Actor::parse(kMarchal)); });
    }
};

SigningKey keyFrom(const CertificateAuthority& ca, const std::string& name, const std::string& role,
                   const Validity& validity = Validity::fromNow(1)) {
    const PrivateKey key = PrivateKey::generate(KeyType::Ecdsa);
    return SigningKey(key, ca.issue(name, role, key, validity), {ca.certificate()});
}

} // namespace

TEST_CASE("the care plan is refused with R11 when signed by the wrong person, a revoked or expired signer, or "
          "another CA, and nothing stored changes",
          "[signature][rules]") {
    Emma emma(6);
    const auto before = emma.record();
    const auto historyBefore = emma.pilot.process().history(emma.id).size();
    auto& signers = emma.pilot.signers();

    SECTION("another pedopsychiatrist than the one the plan names") {
        const auto [rules, why] = emma.signPlanWith(signers.keyFor("pedopsychiatrist:Dr Claire Dubois"));
        CHECK(rules == "R11");
        CHECK_THAT(why,
                   Catch::Contains("signed by 'Dr Claire Dubois'") && Catch::Contains("names 'Dr Hélène Marchal'"));
    }
    SECTION("the right person with a coordinator's certificate") {
        const auto [rules, why] = emma.signPlanWith(signers.keyFor("coordinator:Dr Hélène Marchal"));
        CHECK(rules == "R11");
        CHECK_THAT(why, Catch::Contains("only a pedopsychiatrist's certificate"));
    }
    SECTION("a revoked certificate") {
        const auto& key = signers.keyFor(kMarchal);
        emma.trust().revoke("Dr Hélène Marchal", "laptop stolen", "coordinator:Marc Lambert");
        const auto [rules, why] = emma.signPlanWith(key);
        CHECK(rules == "R11");
        CHECK_THAT(why, Catch::Contains("was revoked on") && Catch::Contains("laptop stolen"));
    }
    SECTION("an expired certificate") {
        const auto now = std::chrono::system_clock::now();
        const auto expired = keyFrom(signers.authority(), "Dr Hélène Marchal", "pedopsychiatrist",
                                     {now - std::chrono::days(400), now - std::chrono::days(1)});
        emma.trust().addSigner(expired.certificate(), "system:tests");
        const auto [rules, why] = emma.signPlanWith(expired);
        CHECK(rules == "R11");
        CHECK_THAT(why, Catch::Contains("not at the signing time"));
    }
    SECTION("a certificate from another CA, even with the right name and role") {
        const auto otherCa =
            CertificateAuthority::create("Other network CA", "Elsewhere", KeyType::Ecdsa, Validity::fromNow(1));
        signers.authority(); // the network has its own CA
        const auto [rules, why] = emma.signPlanWith(keyFrom(otherCa, "Dr Hélène Marchal", "pedopsychiatrist"));
        CHECK(rules == "R11");
        CHECK_THAT(why, Catch::Contains("does not chain to the network's authority"));
    }
    SECTION("a certificate of the network's CA that the trust store never recorded") {
        const auto [rules, why] =
            emma.signPlanWith(keyFrom(signers.authority(), "Dr Hélène Marchal", "pedopsychiatrist"));
        CHECK(rules == "R11");
        CHECK_THAT(why, Catch::Contains("not in the network's trust store"));
    }
    const auto after = emma.record();
    CHECK(after.version == before.version);
    CHECK(after.state == "plan-agreed");
    CHECK(after.document == before.document);
    CHECK(emma.pilot.process().history(emma.id).size() == historyBefore);

    // The right signer, with a valid certificate, is accepted afterwards.
    if (!emma.trust().activeSigners("Dr Hélène Marchal").empty()) // whatever the section left
        emma.trust().revoke("Dr Hélène Marchal", "", "system:tests");
    const auto fresh = keyFrom(signers.authority(), "Dr Hélène Marchal", "pedopsychiatrist");
    emma.trust().addSigner(fresh.certificate(), "system:tests");
    CHECK(emma.signPlanWith(fresh).first == "accepted");
    CHECK(emma.pilot.state(emma.id) == "plan-validated");
}

TEST_CASE("a signature over an older version of the plan is refused with R11 and names both versions",
          "[signature][rules]") {
    Emma emma(6);
    auto desk = emma.desk();
    const auto document = desk.preparePlan(emma.id);
    // The concertation amends the plan after it was handed out for signature.
    const auto amended = withAttribute(emmaStep(5).data, "/carePlan/actions/action[@id='a2']", "end", "2026-06-30");
    emma.pilot.fire(emma.id, "plan.agreed", amended, "case_manager:Julie Maes", "2026-02-03");
    const auto signedOld = signDocument(document.xml, emma.pilot.signers().keyFor(kMarchal), "old plan");
    const auto [rules, why] =
        emma.refusal([&] { desk.submit(emma.id, signedOld, "old plan", Actor::parse(kMarchal)); });
    CHECK(rules == "R11");
    CHECK_THAT(why, Catch::Contains("prepared from version " + std::to_string(document.situationVersion)) &&
                        Catch::Contains("not the current plan"));
    CHECK(emma.pilot.state(emma.id) == "plan-agreed");
    CHECK(emma.refusal([&] { desk.signPlan(emma.id, emma.pilot.signers().keyFor(kMarchal), Actor::parse(kMarchal)); })
              .first == "accepted");
}

TEST_CASE("a signature made for another situation is refused", "[signature][rules]") {
    Emma emma(6);
    const auto other = emma.pilot.registerSample(kEmma); // a second Emma, same plan, other id
    emma.pilot.runSteps(other, kEmma, 1, 6);
    auto desk = emma.desk();
    const auto document = desk.preparePlan(other);
    const auto signedForOther = signDocument(document.xml, emma.pilot.signers().keyFor(kMarchal), "plan");
    const auto [rules, why] =
        emma.refusal([&] { desk.submit(emma.id, signedForOther, "plan", Actor::parse(kMarchal)); });
    CHECK(rules == "R11");
    CHECK_THAT(why, Catch::Contains("made for situation " + std::to_string(other)));
}

TEST_CASE("a malformed or truncated signature sent back is refused and nothing changes", "[signature][rules]") {
    Emma emma(6);
    auto desk = emma.desk();
    const auto before = emma.record();
    const auto document = desk.preparePlan(emma.id);
    const auto signedPlan = signDocument(document.xml, emma.pilot.signers().keyFor(kMarchal), "plan");
    CHECK_THROWS_AS(
        desk.submit(emma.id, signedPlan.substr(0, signedPlan.size() / 2), "truncated", Actor::parse(kMarchal)),
        InvalidInput);
    auto [rules, why] = emma.refusal([&] { desk.submit(emma.id, document.xml, "unsigned", Actor::parse(kMarchal)); });
    CHECK(rules == "R11");
    CHECK_THAT(why, Catch::Contains("never signed"));
    const auto twoReferences =
        std::regex_replace(signedPlan, std::regex("</Reference>"), "</Reference><Reference URI=\"\"/>");
    std::tie(rules, why) = emma.refusal([&] { desk.submit(emma.id, twoReferences, "twice", Actor::parse(kMarchal)); });
    CHECK(rules == "R11");
    CHECK_THAT(why, Catch::Contains("must hold CanonicalizationMethod, SignatureMethod, Reference"));
    CHECK_THROWS_AS(desk.submit(emma.id, "<consent/>", "not a plan", Actor::parse(kMarchal)), UsageError);
    const auto after = emma.record();
    CHECK(after.version == before.version);
    CHECK(after.document == before.document);
}

TEST_CASE("the split flow: the plan handed out, signed elsewhere, sent back and recorded as plan.signed",
          "[signature]") {
    Emma emma(6);
    auto desk = emma.desk();
    const auto document = desk.preparePlan(emma.id, KeyType::Ecdsa);
    CHECK(document.part == "carePlan");
    CHECK(document.event == "plan.signed");
    CHECK(document.situationVersion == emma.record().version);
    CHECK_THAT(document.xml, Catch::Contains("<SignatureValue/>") &&
                                 Catch::Contains("situation=\"" + std::to_string(emma.id) + "\""));
    // On the signer's machine, with their key only.
    const auto signedPlan = signDocument(document.xml, emma.pilot.signers().keyFor(kMarchal), "to-sign.xml");
    const auto result = desk.submit(emma.id, signedPlan, "signed.xml", Actor::parse("case_manager:Julie Maes"));
    CHECK(result.version == document.situationVersion + 1);
    CHECK(emma.pilot.state(emma.id) == "plan-validated");
    const auto history = emma.pilot.process().history(emma.id);
    CHECK(history.back().type == "plan.signed");
    CHECK(history.back().actor == "case_manager:Julie Maes");
    CHECK(desk.exportSignedPlan(emma.id) == signedPlan);
}

TEST_CASE("approving needs the coordinator's signed decision over the current version, and payments quote it",
          "[signature][rules]") {
    Emma emma(9);
    auto desk = emma.desk();
    auto& signers = emma.pilot.signers();
    const auto approval = emmaStep(10).data;

    SECTION("signed by a pedopsychiatrist") {
        const auto [rules, why] = emma.refusal([&] {
            desk.signDecision(emma.id, approval, "decision", signers.keyFor(kMarchal), Actor::parse(kLambert));
        });
        CHECK(rules == "R16");
        CHECK_THAT(why, Catch::Contains("only the network coordinator's certificate"));
    }
    SECTION("signed by another coordinator than the one it names") {
        const auto [rules, why] = emma.refusal([&] {
            desk.signDecision(emma.id, approval, "decision", signers.keyFor("coordinator:Anne Mertens"),
                              Actor::parse(kLambert));
        });
        CHECK(rules == "R16");
        CHECK_THAT(why, Catch::Contains("names 'Marc Lambert'"));
    }
    SECTION("signed over an older version of the situation") {
        const auto document = desk.prepareDecision(emma.id, approval, "decision");
        emma.pilot.fire(
            emma.id, "consent.recorded",
            R"(<consent type="informed" given="true" date="2026-02-10" recordedBy="Julie Maes" by="parent"/>)",
            "case_manager:Julie Maes", "2026-02-10");
        const auto signedDecision = signDocument(document.xml, signers.keyFor(kLambert), "decision");
        const auto [rules, why] =
            emma.refusal([&] { desk.submit(emma.id, signedDecision, "decision", Actor::parse(kLambert)); });
        CHECK(rules == "R16");
        CHECK_THAT(why, Catch::Contains("signed over version " + std::to_string(document.situationVersion)));
    }
    SECTION("signed by the coordinator it names: approved, and the payment quotes the decision's signature") {
        emma.pilot.runSteps(emma.id, kEmma, 10, 10);
        CHECK(emma.pilot.state(emma.id) == "paying");
        // A payment quoting another signature than the approved decision's is refused.
        const auto elsewhere = withAttribute(emmaStep(11).data, "/payment", "decisionSignature", std::string(64, 'a'));
        CHECK(refusedRules([&] {
                  emma.pilot.fire(emma.id, "payment.recorded", elsewhere, "finance:Nathalie Piron", "2026-03-02");
              }) == "R16");
        emma.pilot.runSteps(emma.id, kEmma, 11, 11);
        CHECK(emma.pilot.state(emma.id) == "follow-up");
        const Situation situation = Situation::fromStored(emma.record().document);
        xml::XPath xpath(situation.document());
        const auto decision = xpath.nodes("/situation/budgetDecisions/budgetDecision").at(0);
        const auto quoted = xpath.string("string(/situation/payments/payment/@decisionSignature)");
        CHECK(quoted == inspectSignature(decision).signatureId);
        CHECK_THAT(desk.exportSignedDecision(emma.id, std::string("fr1")), Catch::Contains("request=\"fr1\""));
        CHECK_THROWS_AS(desk.exportSignedDecision(emma.id, std::string("fr9")), NotFound);
    }
}

TEST_CASE("a revoked signer's earlier signatures keep their meaning, new ones are refused", "[signature][rules]") {
    Emma emma(8); // plan signed by Dr Marchal, need identified
    emma.trust().revoke("Dr Hélène Marchal", "left the network", "coordinator:Marc Lambert");
    // The plan she signed before the revocation still validates the dossier (R11).
    CHECK(refusedRules([&] { emma.pilot.fire(emma.id, emmaStep(9)); }) == "accepted");
    // And the plan's own signature, judged at its signing time, still verifies.
    const Situation situation = Situation::fromStored(emma.record().document);
    xml::XPath xpath(situation.document());
    const auto verification = Verifier(emma.trust()).verify(xpath.nodes("/situation/carePlan").at(0));
    CHECK(verification.status == SignatureStatus::Valid);
}
