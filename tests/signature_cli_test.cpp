// Specifications of the signature commands as a coordinator, a pedopsychiatrist and an outsider
// meet them: the real `caseflow` binary on a real SQLite file. The network's CA is made once,
// signers get password-protected key files, the care plan and the budget decision are signed
// (also the split way: prepared, signed elsewhere, sent back), exported, and checked by
// `caseflow verify-signature` and by `xmlsec1`, which must agree.
#include "support/Pilot.h"
#include "support/TestSupport.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>

using namespace caseflow::test;

namespace {

// A database with Emma registered, the network's CA, and two signers' key files.
struct SigningOffice {
    ScratchDir dir;
    TestDatabase database{dir, "pilot.db"};
    std::string db = database.address();
    std::string caKey = (dir / "network-ca.key").string();
    std::string caPassword = (dir / "ca.password").string();
    std::string keyPassword = (dir / "key.password").string();
    std::string marchal = (dir / "marchal.p12").string();
    std::string lambert = (dir / "lambert.p12").string();

    SigningOffice() {
        writeFile(dir / "ca.password", "network CA password\n");
        writeFile(dir / "key.password", "correct horse battery\n");
        REQUIRE(
            runCli({"init", "--db", db, "--network", (projectDir() / "samples/namur/network.xml").string()}).exitCode ==
            0);
        auto init = run({"ca", "init", "--ca-key", caKey, "--ca-password-file", caPassword});
        INFO(init.err);
        REQUIRE(init.exitCode == 0);
        addSigner("Dr Hélène Marchal", "pedopsychiatrist", marchal);
        addSigner("Marc Lambert", "coordinator", lambert);
        REQUIRE(run({"situation", "new", (projectDir() / "samples/namur/situations" / (kEmma + ".xml")).string(),
                     "--as", "partner:tests"})
                    .exitCode == 0);
    }
    CommandResult run(std::vector<std::string> args, const std::string& input = "") {
        args.push_back("--db");
        args.push_back(db);
        return runCli(args, input);
    }
    void addSigner(const std::string& name, const std::string& role, const std::string& file) {
        auto added = run({"signer", "add", name, "--role", role, "--ca-key", caKey, "--ca-password-file", caPassword,
                          "-o", file, "--password-file", keyPassword});
        INFO(added.err);
        REQUIRE(added.exitCode == 0);
    }
    // Fires Emma's scenario steps [from, to] that are not signed, as `caseflow event` would.
    void steps(std::size_t from, std::size_t to) {
        const auto all = scenarioSteps(kEmma);
        for (std::size_t n = from; n <= to; ++n) {
            const auto& step = all.at(n - 1);
            if (step.expect == "refused") continue;
            REQUIRE(step.signedBy.empty());
            std::vector<std::string> args = {"event", "1", step.event, "--as", step.actor};
            if (!step.data.empty()) {
                args.push_back("--data");
                args.push_back("-");
            }
            auto fired = run(args, step.data);
            INFO(step.event << ": " << fired.err);
            REQUIRE(fired.exitCode == 0);
        }
    }
    std::string state() {
        const auto shown = run({"state", "1"}).out;
        return shown.substr(0, shown.find('\n'));
    }
};

int shell(const std::string& command) {
    const int status = std::system((command + " >/dev/null 2>&1").c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

mode_t modeOf(const std::string& file) {
    struct stat info {};
    REQUIRE(::stat(file.c_str(), &info) == 0);
    return info.st_mode & 0777;
}

} // namespace

TEST_CASE("the coordinator creates the network's CA once and issues password-protected signer keys",
          "[signature][cli]") {
    SigningOffice office;
    CHECK(modeOf(office.caKey) == 0600);
    CHECK(modeOf(office.marchal) == 0600);
    CHECK_THAT(readFile(office.caKey), Catch::StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));

    auto again = office.run(
        {"ca", "init", "--ca-key", (office.dir / "second.key").string(), "--ca-password-file", office.caPassword});
    CHECK(again.exitCode == 2);
    CHECK_THAT(again.err, Catch::Contains("already has a certification authority"));

    auto list = office.run({"signer", "list", "--json"});
    CHECK_THAT(list.out, Catch::Contains("Marchal") && Catch::Contains("\"role\": \"coordinator\""));

    // No password on the command line, ever; a key file is never overwritten.
    auto noPassword =
        office.run({"signer", "add", "Dr Claire Dubois", "--role", "pedopsychiatrist", "--ca-key", office.caKey,
                    "--ca-password-file", office.caPassword, "-o", (office.dir / "dubois.p12").string()});
    CHECK(noPassword.exitCode == 2);
    CHECK_THAT(noPassword.err, Catch::Contains("--password-file FILE or set CASEFLOW_KEY_PASSWORD"));
    auto overwrite = office.run({"signer", "add", "Dr Claire Dubois", "--role", "pedopsychiatrist", "--ca-key",
                                 office.caKey, "--ca-password-file", office.caPassword, "-o", office.marchal,
                                 "--password-file", office.keyPassword});
    CHECK(overwrite.exitCode == 2);
    CHECK_THAT(overwrite.err, Catch::Contains("never overwritten"));
    writeFile(office.dir / "wrong.password", "not the CA password\n");
    auto wrongCa = office.run({"signer", "add", "Dr Claire Dubois", "--role", "pedopsychiatrist", "--ca-key",
                               office.caKey, "--ca-password-file", (office.dir / "wrong.password").string(), "-o",
                               (office.dir / "dubois.p12").string(), "--password-file", office.keyPassword});
    CHECK(wrongCa.exitCode == 2);
    CHECK_THAT(wrongCa.err, Catch::Contains("network-ca.key: wrong password"));
    auto badRole = office.run({"signer", "add", "Julie Maes", "--role", "case_manager", "--ca-key", office.caKey, "-o",
                               (office.dir / "maes.p12").string()});
    CHECK(badRole.exitCode == 2);
    CHECK_THAT(badRole.err, Catch::Contains("signer roles are: pedopsychiatrist, coordinator"));
}

TEST_CASE("the pedopsychiatrist signs the plan, the coordinator the decision, and outsiders verify the exports",
          "[signature][cli]") {
    SigningOffice office;
    office.steps(1, 6);
    REQUIRE(office.state() == "plan-agreed");

    writeFile(office.dir / "wrong.password", "incorrect horse battery\n");
    auto wrong = office.run(
        {"plan", "sign", "1", "--key", office.marchal, "--password-file", (office.dir / "wrong.password").string()});
    CHECK(wrong.exitCode == 2);
    CHECK_THAT(wrong.err, Catch::Contains("marchal.p12: wrong password"));
    CHECK(office.state() == "plan-agreed");

    auto byCoordinator =
        office.run({"plan", "sign", "1", "--key", office.lambert, "--password-file", office.keyPassword});
    CHECK(byCoordinator.exitCode == 3);
    CHECK_THAT(byCoordinator.err, Catch::Contains("R11") && Catch::Contains("only a pedopsychiatrist's certificate"));

    auto sign = office.run({"plan", "sign", "1", "--key", office.marchal, "--password-file", office.keyPassword});
    INFO(sign.err);
    REQUIRE(sign.exitCode == 0);
    CHECK_THAT(sign.out, Catch::Contains("plan.signed recorded, now plan-validated"));
    CHECK_THAT(office.run({"events", "1"}).out, Catch::Contains("pedopsychiatrist:Dr Hélène Marchal"));

    office.steps(8, 9);
    const auto decision = scenarioSteps(kEmma).at(9).data;
    auto approve = office.run(
        {"decision", "sign", "1", "--data", "-", "--key", office.lambert, "--password-file", office.keyPassword},
        decision);
    INFO(approve.err);
    REQUIRE(approve.exitCode == 0);
    CHECK(office.state() == "paying");

    REQUIRE(office.run({"ca", "export", "-o", (office.dir / "network-ca.pem").string()}).exitCode == 0);
    REQUIRE(office.run({"plan", "export-signed", "1", "-o", (office.dir / "plan.xml").string()}).exitCode == 0);
    REQUIRE(office.run({"decision", "export-signed", "1", "-o", (office.dir / "decision.xml").string()}).exitCode == 0);

    auto verified = office.run({"verify-signature", (office.dir / "plan.xml").string()});
    CHECK(verified.exitCode == 0);
    CHECK_THAT(verified.out, Catch::Contains("valid signature") && Catch::Contains("the care plan of situation 1") &&
                                 Catch::Contains("Dr Hélène Marchal (pedopsychiatrist)") &&
                                 Catch::Contains("yes, it is the situation's current care plan"));
    auto outsider = runCli(
        {"verify-signature", (office.dir / "decision.xml").string(), "--ca", (office.dir / "network-ca.pem").string()});
    CHECK(outsider.exitCode == 0);
    CHECK_THAT(outsider.out, Catch::Contains("Marc Lambert (coordinator)") &&
                                 Catch::Contains("request fr1, approved") && Catch::Contains("revocations unknown"));

    std::string tampered = readFile(office.dir / "decision.xml");
    tampered.replace(tampered.find("amount=\"156000\""), 15, "amount=\"956000\"");
    writeFile(office.dir / "tampered.xml", tampered);
    auto refused = office.run({"verify-signature", (office.dir / "tampered.xml").string()});
    CHECK(refused.exitCode == 1);
    CHECK_THAT(refused.out, Catch::Contains("NOT valid (altered)"));

    if (!externalToolsPresent({{"xmlsec1", "xmlsec1"}}, "the xmlsec1 checks")) return;
    const std::string xmlsec1 =
        "/usr/bin/xmlsec1 --verify --trusted-pem '" + (office.dir / "network-ca.pem").string() + "' ";
    CHECK(shell(xmlsec1 + "'" + (office.dir / "plan.xml").string() + "'") == 0);
    CHECK(shell(xmlsec1 + "'" + (office.dir / "decision.xml").string() + "'") == 0);
    CHECK(shell(xmlsec1 + "'" + (office.dir / "tampered.xml").string() + "'") != 0);
}

TEST_CASE("the split flow: prepared on the server, signed on the signer's machine, sent back", "[signature][cli]") {
    SigningOffice office;
    office.steps(1, 6);
    const std::string toSign = (office.dir / "to-sign.xml").string();
    const std::string signedFile = (office.dir / "signed.xml").string();
    REQUIRE(office.run({"plan", "prepare-signature", "1", "-o", toSign}).exitCode == 0);
    // On the signer's machine: no database, only the key file.
    auto signFile =
        runCli({"sign-file", toSign, "--key", office.marchal, "--password-file", office.keyPassword, "-o", signedFile});
    INFO(signFile.err);
    REQUIRE(signFile.exitCode == 0);
    auto submit = office.run({"signature", "submit", "1", signedFile, "--as", "case_manager:Julie Maes"});
    INFO(submit.err);
    CHECK(submit.exitCode == 0);
    CHECK(office.state() == "plan-validated");

    // The same document sent again after the signer was revoked: refused, with the reason.
    REQUIRE(office.run({"signer", "revoke", "Dr Hélène Marchal", "--reason", "key lost"}).exitCode == 0);
    office.steps(8, 8);
    const auto amended =
        withAttribute(scenarioSteps(kEmma).at(4).data, "/carePlan/actions/action[@id='a2']", "end", "2026-06-30");
    REQUIRE(office.run({"event", "1", "plan.revised", "--data", "-", "--as", "case_manager:Julie Maes"}, amended)
                .exitCode == 0);
    auto revoked = office.run({"plan", "sign", "1", "--key", office.marchal, "--password-file", office.keyPassword});
    CHECK(revoked.exitCode == 3);
    CHECK_THAT(revoked.err, Catch::Contains("R11") && Catch::Contains("revoked") && Catch::Contains("key lost"));
    auto submitted = office.run({"event", "1", "dossier.submitted", "--data", "-", "--as", "case_manager:Julie Maes"},
                                scenarioSteps(kEmma).at(8).data);
    CHECK(submitted.exitCode == 3);
    CHECK_THAT(submitted.err, Catch::Contains("R11"));
}
