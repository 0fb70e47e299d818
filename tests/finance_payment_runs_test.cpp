// Specifications of payment runs (issue 17, items 1-3): what is still to pay, a run that pays
// it in one transaction through the workflow, its SEPA credit-transfer file (pain.001.001.03)
// validated against the ISO 20022 schema copied into tests/data/iso20022 (see PROVENANCE.md),
// the structured communication that leads a bank line back to its payment, and the network's
// own account checked when its settings are loaded. Every case runs the real engine over a
// real SQLite pilot database.
#include "core/Text.h"
#include "model/BankAccount.h"
#include "model/Clock.h"
#include "process/PaymentRuns.h"
#include "support/Pilot.h"
#include "views/Pain001.h"
#include "views/PaymentRunViews.h"
#include "views/SituationViews.h"
#include "xml/Xml.h"

#include <Poco/JSON/Stringifier.h>
#include <libxml/xpathInternals.h>

#include <catch2/catch.hpp>

#include <sstream>

namespace caseflow::test {
namespace {

const Actor kFinance{"finance", "Nathalie Piron"};

// Emma's dossier approved for `approvedCents` on 16 February 2026 (the scenario's step 10,
// its amount changed before the coordinator signs it).
std::int64_t emmaApproved(Pilot& pilot, const std::string& approvedCents) {
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 9);
    ScenarioStep approve = emmaStep(10);
    approve.data = withAttribute(approve.data, "/budgetDecision", "amount", approvedCents);
    pilot.fire(id, approve);
    return id;
}

void payDirectly(Pilot& pilot, std::int64_t id, const std::string& paymentId, const std::string& cents) {
    pilot.fire(id, "payment.recorded",
               "<payment id=\"" + paymentId + "\" request=\"fr1\" date=\"2026-03-02\" amount=\"" + cents +
                   "\" reference=\"TRANSFER-" + paymentId + "\"/>",
               "finance:Nathalie Piron", "2026-03-02");
}

std::optional<DueAmount> dueOf(const FundingProcess& process, std::int64_t id) {
    for (const auto& amount : paymentsDue(process))
        if (amount.situationId == id && amount.requestId == "fr1") return amount;
    return std::nullopt;
}

// "600.00" -> 60000, without floating point (what a bank's reader must do too).
std::int64_t centsOfSepaAmount(const std::string& text) {
    const auto dot = text.find('.');
    REQUIRE(dot != std::string::npos);
    REQUIRE(text.size() - dot == 3);
    return std::stoll(text.substr(0, dot)) * 100 + std::stoll(text.substr(dot + 1));
}

std::shared_ptr<const xml::Schema> painSchema() {
    static const auto schema = xml::Schema::load(testsDir() / "data" / "iso20022" / "pain.001.001.03.xsd");
    return schema;
}

std::string textAt(xml::XPath& xpath, const std::string& path, xmlNode* from = nullptr) {
    const auto nodes = from ? xpath.nodes(path, from) : xpath.nodes(path);
    REQUIRE(nodes.size() == 1);
    return xml::text(nodes.front());
}

// Validates a pain.001 file against ISO 20022's schema, then reads its control figures back:
// NbOfTxs and CtrlSum of the group header and of every PmtInf against the transfers counted.
// Returns the transfers' count.
int checkPainFile(const std::string& file) {
    const auto document = xml::parseString(file, "pain.001");
    REQUIRE_NOTHROW(painSchema()->validate(document.get(), "pain.001"));
    xml::XPath xpath(document.get());
    xmlXPathRegisterNs(xpath.context(), xml::x("p"), xml::x(views::pain001Namespace));
    int allCount = 0;
    std::int64_t allCents = 0;
    for (xmlNode* batch : xpath.nodes("/p:Document/p:CstmrCdtTrfInitn/p:PmtInf")) {
        int count = 0;
        std::int64_t cents = 0;
        for (xmlNode* amount : xpath.nodes("p:CdtTrfTxInf/p:Amt/p:InstdAmt", batch)) {
            CHECK(xml::attribute(amount, "Ccy") == std::optional<std::string>("EUR"));
            ++count;
            cents += centsOfSepaAmount(xml::text(amount));
        }
        CHECK(std::stoi(textAt(xpath, "p:NbOfTxs", batch)) == count);
        CHECK(centsOfSepaAmount(textAt(xpath, "p:CtrlSum", batch)) == cents);
        for (xmlNode* reference : xpath.nodes("p:CdtTrfTxInf/p:RmtInf/p:Strd/p:CdtrRefInf", batch)) {
            CHECK(textAt(xpath, "p:Tp/p:CdOrPrtry/p:Cd", reference) == "SCOR");
            CHECK(textAt(xpath, "p:Tp/p:Issr", reference) == "BBA");
            const std::string digits = textAt(xpath, "p:Ref", reference);
            CHECK(digits.size() == 12);
            CHECK(StructuredCommunication::parse(digits));
        }
        allCount += count;
        allCents += cents;
    }
    CHECK(std::stoi(textAt(xpath, "/p:Document/p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs")) == allCount);
    CHECK(centsOfSepaAmount(textAt(xpath, "/p:Document/p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum")) == allCents);
    return allCount;
}

} // namespace

TEST_CASE("a run carries what is still to pay: approved 1 000,00 and paid 400,00, it pays 600,00", "[finance]") {
    Pilot pilot;
    const auto id = emmaApproved(pilot, "100000");
    payDirectly(pilot, id, "p1", "40000");
    FundingProcess& process = pilot.process();
    FixedBusinessDate today("2026-03-10");

    const auto before = dueOf(process, id);
    REQUIRE(before);
    CHECK(before->approved == 100000);
    CHECK(before->paid == 40000);
    CHECK(before->due == 60000);
    CHECK_FALSE(before->problem);

    const auto run = buildPaymentRun(process, {true, {}, "2026-03-12"}, kFinance);
    REQUIRE(run.transfers.size() == 1);
    CHECK(run.runId == "run-0001");
    CHECK(run.totalCents == 60000);
    const auto& transfer = run.transfers.front();
    CHECK(transfer.amountCents == 60000);
    CHECK(transfer.executionDate == "2026-03-12");
    CHECK(transfer.payeeIban == "BE71096123456769");
    // The situation's second payment: its communication is the situation id × 1000 + 2.
    CHECK(transfer.ordinal == 2);
    CHECK(transfer.communication == communicationOf({id, 2})->digits());

    // Recorded at once as the situation's payment.recorded: nothing is due any more.
    CHECK_FALSE(dueOf(process, id));
    const auto totals = process.finance().request(id, "fr1");
    REQUIRE(totals);
    CHECK(totals->paidCents == 100000);
    CHECK(totals->state == "paid");
    CHECK(pilot.state(id) == "follow-up");
    CHECK(process.history(id).back().type == "payment.recorded");
    CHECK(checkPainFile(views::pain001(*process.paymentRuns().run(run.runId))) == 1);
}

TEST_CASE("every pain.001 written validates against ISO 20022, one PmtInf per execution date, sums read back",
          "[finance]") {
    Pilot pilot;
    const auto first = emmaApproved(pilot, "156000");
    const auto second = emmaApproved(pilot, "123456");
    payDirectly(pilot, second, "p1", "3456");
    FundingProcess& process = pilot.process();
    FixedBusinessDate today("2026-03-10");

    RunOrder order;
    order.requests = {{first, "fr1", std::nullopt, "2026-03-11"}, {second, "fr1", std::nullopt, "2026-03-13"}};
    const auto run = buildPaymentRun(process, order, kFinance);
    const std::string file = views::pain001(*process.paymentRuns().run(run.runId));
    CHECK(checkPainFile(file) == 2);

    const auto document = xml::parseString(file, "pain.001");
    xml::XPath xpath(document.get());
    xmlXPathRegisterNs(xpath.context(), xml::x("p"), xml::x(views::pain001Namespace));
    CHECK(xpath.nodes("//p:PmtInf").size() == 2);
    CHECK(textAt(xpath, "//p:PmtInf[p:ReqdExctnDt = '2026-03-13']/p:CtrlSum") == "1200.00");
    CHECK(textAt(xpath, "//p:PmtInf[p:ReqdExctnDt = '2026-03-11']/p:CtrlSum") == "1560.00");
    CHECK(textAt(xpath, "/p:Document/p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum") == "2760.00");
    CHECK(textAt(xpath, "/p:Document/p:CstmrCdtTrfInitn/p:GrpHdr/p:MsgId") == run.runId);
    // The debtor is the network's own account, from its settings.
    CHECK(textAt(xpath, "//p:PmtInf[1]/p:DbtrAcct/p:Id/p:IBAN") == "BE68539007547034");
    CHECK(textAt(xpath, "//p:PmtInf[1]/p:DbtrAgt/p:FinInstnId/p:BIC") == "GKCCBEBB");
    CHECK(textAt(xpath, "//p:PmtInf[1]/p:Dbtr/p:Nm") == "Réseau Santé Kirikou");
    // Each transfer's end-to-end id is its payment id in the situation's log.
    CHECK(textAt(xpath, "//p:CdtTrfTxInf[p:Amt/p:InstdAmt = '1200.00']/p:PmtId/p:EndToEndId") == run.runId + "-2");
    CHECK(textAt(xpath, "//p:CdtTrfTxInf[p:Amt/p:InstdAmt = '1200.00']/p:RmtInf/p:Strd/p:CdtrRefInf/p:Ref") ==
          communicationOf({second, 2})->digits());
}

TEST_CASE("cents are written exactly in the bank file, never through floating point", "[finance]") {
    CHECK(views::sepaAmount(0) == "0.00");
    CHECK(views::sepaAmount(5) == "0.05");
    CHECK(views::sepaAmount(60000) == "600.00");
    CHECK(views::sepaAmount(123456789012) == "1234567890.12");
    CHECK(views::sepaAmount(999999999999999) == "9999999999999.99");
}

TEST_CASE("a request fully paid is not offered, and building a run twice does not pay twice", "[finance]") {
    Pilot pilot;
    const auto id = emmaApproved(pilot, "100000");
    FundingProcess& process = pilot.process();
    FixedBusinessDate today("2026-03-10");
    buildPaymentRun(process, {true, {}, ""}, kFinance);
    CHECK(paymentsDue(process).empty());

    const auto events = process.history(id).size();
    CHECK_THROWS_AS(buildPaymentRun(process, {true, {}, ""}, kFinance), UsageError);
    RunOrder again;
    again.requests = {{id, "fr1", std::nullopt, {}}};
    CHECK_THROWS_WITH(buildPaymentRun(process, again, kFinance), Catch::Contains("nothing is left to pay"));
    CHECK(process.history(id).size() == events);
    CHECK(process.paymentRuns().runs().size() == 1);
    CHECK(process.finance().request(id, "fr1")->paidCents == 100000);
}

TEST_CASE("exporting a run twice gives the same bytes, also after the projections are rebuilt", "[finance]") {
    Pilot pilot;
    emmaApproved(pilot, "100000");
    FundingProcess& process = pilot.process();
    FixedBusinessDate today("2026-03-10");
    const auto run = buildPaymentRun(process, {true, {}, "2026-03-11"}, kFinance);
    const std::string first = views::pain001(*process.paymentRuns().run(run.runId));
    CHECK(views::pain001(*process.paymentRuns().run(run.runId)) == first);

    CHECK(process.projectionDrift().empty());
    process.rebuild();
    CHECK(views::pain001(*process.paymentRuns().run(run.runId)) == first);
    const auto report = process.verify();
    INFO(report.problem);
    CHECK(report.intact);
    // The settings in force are still the network's, though its stream now holds a run too.
    auto reopened = FundingProcess::open(pilot.databasePath());
    CHECK(reopened.network().id() == process.network().id());
    CHECK(views::pain001(*reopened.paymentRuns().run(run.runId)) == first);
}

TEST_CASE("a run whose one transfer R18 refuses records nothing, and names the refusal", "[finance]") {
    Pilot pilot;
    const auto first = emmaApproved(pilot, "100000");
    const auto second = emmaApproved(pilot, "50000");
    FundingProcess& process = pilot.process();
    FixedBusinessDate today("2026-03-10");
    const auto eventsBefore = process.history(first).size() + process.history(second).size();

    RunOrder order;
    // More than was granted for the second: the workflow's R18 refuses it.
    order.requests = {{first, "fr1", std::nullopt, {}}, {second, "fr1", Cents{50001}, {}}};
    try {
        buildPaymentRun(process, order, kFinance);
        FAIL("the run was recorded");
    } catch (const RuleRefusal& refusal) {
        REQUIRE(refusal.violations().size() == 1);
        CHECK(refusal.violations().front().ruleId == "R18");
        CHECK_THAT(refusal.violations().front().message,
                   Catch::StartsWith("situation " + std::to_string(second) + ", request fr1: "));
        CHECK_THAT(std::string(refusal.what()), Catch::Contains("nothing recorded"));
    }
    CHECK(process.history(first).size() + process.history(second).size() == eventsBefore);
    CHECK(process.paymentRuns().runs().empty());
    CHECK(dueOf(process, first)->due == 100000);
    CHECK(dueOf(process, second)->due == 50000);
    CHECK(process.projectionDrift().empty());
}

TEST_CASE("a bank line's structured communication finds its payment back", "[finance]") {
    Pilot pilot;
    const auto id = emmaApproved(pilot, "100000");
    payDirectly(pilot, id, "p1", "40000");
    FundingProcess& process = pilot.process();
    FixedBusinessDate today("2026-03-10");
    const auto run = buildPaymentRun(process, {true, {}, ""}, kFinance);

    // As the payee's bank statement quotes it.
    const auto quoted = StructuredCommunication::parse(communicationOf({id, 2})->formatted());
    REQUIRE(quoted);
    const auto found = findPayment(process, *quoted);
    REQUIRE(found);
    CHECK(found->situationId == id);
    CHECK(found->paymentId == run.transfers.front().paymentId);
    CHECK(found->amount == 60000);
    CHECK(found->runId == std::optional<std::string>(run.runId));

    const auto direct = findPayment(process, *communicationOf({id, 1}));
    REQUIRE(direct);
    CHECK(direct->paymentId == "p1");
    CHECK_FALSE(direct->runId);
    CHECK_FALSE(findPayment(process, *communicationOf({id, 3})));
    CHECK_FALSE(findPayment(process, *communicationOf({id + 50, 1})));
    // A typo changes the check digits: not a communication at all.
    std::string typo = communicationOf({id, 2})->digits();
    typo[5] = typo[5] == '9' ? '8' : static_cast<char>(typo[5] + 1);
    CHECK_FALSE(StructuredCommunication::parse(typo));

    // The finance view and the payments list carry the same communication.
    const auto view = views::situationDetail(process.situation(id), View::Finance, {});
    std::ostringstream json;
    Poco::JSON::Stringifier::stringify(view, json);
    CHECK_THAT(json.str(), Catch::Contains("\"structuredCommunication\":\"" + communicationOf({id, 2})->formatted()));
    bool listed = false;
    for (const auto& payment : process.payments())
        if (payment.paymentId == found->paymentId) listed = payment.communication == found->communication;
    CHECK(listed);
}

TEST_CASE("the network's invalid account is refused when its settings are loaded, naming the failed check",
          "[finance]") {
    const std::string network = readFile(namurSamples() / "network.xml");
    const auto withIban = [&](const std::string& iban) {
        return withAttribute(network, "/network/bankAccount", "iban", iban);
    };
    CHECK(NetworkSettings::fromString(network, "namur")->bankAccount()->iban == "BE68539007547034");
    CHECK_THROWS_WITH(NetworkSettings::fromString(withIban("BE68 5390 0754 7035"), "namur"),
                      Catch::Contains("network's IBAN") && Catch::Contains("check digits"));
    CHECK_THROWS_WITH(NetworkSettings::fromString(withIban("BE68 5390 0754 703"), "namur"), Catch::Contains("length"));
    CHECK_THROWS_WITH(NetworkSettings::fromString(withIban("XX68 5390 0754 7034"), "namur"),
                      Catch::Contains("country"));
    CHECK_THROWS_WITH(
        NetworkSettings::fromString(withAttribute(network, "/network/bankAccount", "bic", "GKCC1EBB"), "namur"),
        Catch::Contains("network's BIC"));
}

TEST_CASE("a run cannot be built without the network's account, nor for a payee whose IBAN fails", "[finance]") {
    ScratchDir dir;
    const auto network = dir / "network.xml";
    writeFile(network, withoutNodes(readFile(namurSamples() / "network.xml"), "/network/bankAccount"));
    Pilot pilot(network, projectDir() / "workflows/funding.scxml");
    emmaApproved(pilot, "100000");
    FixedBusinessDate today("2026-03-10");
    CHECK_THROWS_WITH(buildPaymentRun(pilot.process(), {true, {}, ""}, kFinance), Catch::Contains("bank account"));
    try {
        buildPaymentRun(pilot.process(), {true, {}, ""}, kFinance);
    } catch (const PaymentRunRefused& refused) {
        REQUIRE(refused.problems().size() == 1);
        CHECK(runProblemSaid(refused.problems().front(), "nl").find("bankrekening") != std::string::npos);
    }
    CHECK_THROWS_WITH(
        buildPaymentRun(Pilot().process(), {false, {{1, "fr1", std::nullopt, {}}}, "2026-01-01"}, kFinance),
        Catch::Contains("past"));
}

TEST_CASE("a run refused for a request with nothing left to pay says so in the reader's language", "[finance]") {
    Pilot pilot;
    const auto id = emmaApproved(pilot, "100000");
    payDirectly(pilot, id, "p1", "100000");
    FixedBusinessDate today("2026-03-10");
    const std::int64_t runsBefore = pilot.process().paymentRuns().count();
    try {
        buildPaymentRun(pilot.process(), {false, {{id, "fr1", std::nullopt, {}}}, "2026-03-12"}, kFinance);
        FAIL("a run paid a request with nothing left to pay");
    } catch (const PaymentRunRefused& refused) {
        REQUIRE(refused.problems().size() == 1);
        const auto& problem = refused.problems().front();
        CHECK(problem.kind == RunProblem::Kind::NothingLeftToPay);
        CHECK(problem.situationId == id);
        CHECK_THAT(refused.what(), Catch::Contains("nothing is left to pay"));
        const auto french = runProblemSaid(problem, "fr");
        const auto dutch = runProblemSaid(problem, "nl");
        CHECK_THAT(french, Catch::Contains("il ne reste rien à payer") && Catch::Contains("fr1"));
        CHECK_THAT(dutch, Catch::Contains("niets meer te betalen") && Catch::Contains("fr1"));
        // Where the request stands, in words, not its stored code ("paid").
        CHECK_THAT(refused.what(), Catch::EndsWith("nothing is left to pay: the approved amount is paid in full"));
        CHECK_THAT(french, Catch::EndsWith("le montant accordé est entièrement payé"));
        CHECK_THAT(dutch, Catch::EndsWith("het toegekende bedrag is volledig betaald"));
    }
    CHECK(pilot.process().paymentRuns().count() == runsBefore);
}

TEST_CASE("R19: a run, its event and its bank file carry no clinical content", "[finance][r19]") {
    Pilot pilot;
    const auto id = emmaApproved(pilot, "100000");
    FundingProcess& process = pilot.process();
    FixedBusinessDate today("2026-03-10");
    const auto run = buildPaymentRun(process, {true, {}, ""}, kFinance);
    const std::string file = views::pain001(*process.paymentRuns().run(run.runId));
    std::string runEvent;
    for (const auto& event : process.history(store::networkStream))
        if (event.type == paymentRunEvent) runEvent = event.payload;
    REQUIRE_FALSE(runEvent.empty());

    // Every text of the situation (names, birth date, reasons, consents, plan, minutes) but the
    // payee's name: none may appear in what finance and the bank receive.
    const auto situation = xml::parseString(process.situation(id).document, "situation");
    xml::XPath xpath(situation.get());
    int checked = 0;
    const std::string payeeAndNetwork = "Service de santé mentale de Namur / Réseau Santé Kirikou";
    for (xmlNode* node : xpath.nodes("//text()[string-length(normalize-space(.)) > 5]")) {
        const std::string text(text::trimmed(xml::text(node)));
        if (payeeAndNetwork.find(text) != std::string::npos) continue; // what a transfer must name
        INFO(text);
        CHECK(file.find(text) == std::string::npos);
        CHECK(runEvent.find(text) == std::string::npos);
        ++checked;
    }
    CHECK(checked > 20);
    for (const char* attribute : {"KIR-26-001", "2022-09-14", "Lambotte", "Emma"}) {
        CHECK(file.find(attribute) == std::string::npos);
        CHECK(runEvent.find(attribute) == std::string::npos);
    }
}

} // namespace caseflow::test

namespace caseflow::test {

TEST_CASE("R15 refuses a payee's IBAN of the wrong length and says that the length is wrong", "[finance][rules]") {
    Pilot pilot;
    const auto id = pilot.registerSample(kEmma);
    pilot.runSteps(id, kEmma, 1, 8);
    ScenarioStep submit = emmaStep(9);
    // A digit missing: the old check (mod 97 over 15 to 34 characters) could not tell.
    submit.data = withAttribute(submit.data, "/fundingRequest/payee", "iban", "BE7109612345676");
    try {
        pilot.fire(id, submit);
        FAIL("the request was submitted");
    } catch (const RuleRefusal& refusal) {
        REQUIRE(refusal.violations().size() == 1);
        CHECK(refusal.violations().front().ruleId == "R15");
        CHECK_THAT(refusal.violations().front().message, Catch::Contains("length"));
    }
}

} // namespace caseflow::test
