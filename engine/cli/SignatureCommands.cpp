// Commands for signatures (issue 6): the network's certification authority (ca init, ca
// export), signers (signer add, revoke, list), signing the care plan and budget decisions
// (plan sign, decision sign, and the split flow: prepare-signature, sign-file, signature
// submit), exporting signed XML for outsiders and verifying it (verify-signature).
// What must stay true: the CLI holds no signature logic (it calls engine/signature), no
// password is ever read from the command line, and key files are written 0600, never over an
// existing file.
#include "cli/Commands.h"

#include "cli/ExitCodes.h"
#include "cli/Messages.h"
#include "core/Errors.h"
#include "core/Files.h"
#include "process/SigningDesk.h"
#include "signature/BrowserKey.h"
#include "signature/CertificateAuthority.h"
#include "signature/OpenSsl.h"
#include "signature/PrivateFile.h"
#include "signature/TrustStore.h"
#include "signature/Verifier.h"
#include "signature/XmlSignature.h"

#include <Poco/JSON/Array.h>

#include <cstdlib>
#include <fstream>

namespace caseflow::cli {
namespace {

using namespace caseflow::signature;

constexpr const char* kKeyPasswordVariable = "CASEFLOW_KEY_PASSWORD";
constexpr const char* kCaPasswordVariable = "CASEFLOW_CA_PASSWORD";

const OptionSpec kAsOption{"--as", "ROLE:NAME", "who records the event (default: the signer named in the certificate)"};
const OptionSpec kKeyOption{"--key", "FILE", "the signer's PKCS#12 key file (from `caseflow signer add`)"};
const OptionSpec kPasswordOption{"--password-file", "FILE",
                                 "file whose first line is the key's password (default: $CASEFLOW_KEY_PASSWORD)"};
const OptionSpec kCaKeyOption{"--ca-key", "FILE", "the certification authority's encrypted key file"};
const OptionSpec kCaPasswordOption{"--ca-password-file", "FILE",
                                   "file whose first line is the CA key's password (default: $CASEFLOW_CA_PASSWORD)"};
const OptionSpec kKeyTypeOption{"--key-type", "TYPE", "rsa or ecdsa (default: ecdsa, P-256; rsa is 3072 bits)"};
const OptionSpec kOutputOption{"--output", "FILE", "write to FILE (-o FILE) instead of standard output"};

std::string required(const Invocation& in, const std::string& option, const std::string& example) {
    auto value = in.option(option);
    if (!value || value->empty()) throw UsageError("caseflow " + in.spec().name + " needs " + option + " " + example);
    return *value;
}

KeyType keyTypeOf(const Invocation& in) {
    return in.option("--key-type") ? parseKeyType(*in.option("--key-type")) : KeyType::Ecdsa;
}

int yearsOf(const Invocation& in, int fallback) {
    auto text = in.option("--years");
    if (!text) return fallback;
    if (text->empty() || text->size() > 2 || text->find_first_not_of("0123456789") != std::string::npos)
        throw UsageError("--years needs a number of years, got '" + *text + "'");
    return std::stoi(*text);
}

// Writes public output (certificates, signed XML) to --output or standard output.
void writeOutput(Invocation& in, const std::string& text, const std::string& what) {
    if (auto output = in.option("--output")) {
        std::ofstream file(*output, std::ios::binary | std::ios::trunc);
        if (!(file << text)) throw Error("cannot write " + *output);
        in.err << "wrote " << what << " to " << *output << "\n";
    } else {
        in.out << text;
    }
}

SigningKey loadSigningKey(const Invocation& in) {
    const std::string file = required(in, "--key", "FILE.p12");
    const std::string password =
        readPassword(in.option("--password-file"), "--password-file", kKeyPasswordVariable, "the key " + file);
    return SigningKey::fromPkcs12(readFile(file), password, file);
}

CertificateAuthority loadAuthority(const Invocation& in, const TrustStore& trust) {
    const auto anchor = trust.authority();
    if (!anchor) throw UsageError("the network has no certification authority yet; run `caseflow ca init` first");
    const std::string file = required(in, "--ca-key", "FILE");
    const std::string password =
        readPassword(in.option("--ca-password-file"), "--ca-password-file", kCaPasswordVariable, "the CA key " + file);
    return CertificateAuthority(PrivateKey::fromEncryptedPem(readFile(file), password, file), anchor->certificate);
}

Actor actorFor(const Invocation& in, const SigningKey& key) {
    if (in.option("--as") || std::getenv("CASEFLOW_ACTOR")) return actorOf(in);
    return signerActor(key);
}

void printRecorded(Invocation& in, const FireResult& result, const std::string& event) {
    if (in.flag("--json")) {
        auto json = Poco::makeShared<Poco::JSON::Object>();
        json->set("id", result.situationId);
        json->set("version", result.version);
        json->set("event", event);
        json->set("state", result.outcome.activeStates.text());
        printJson(in.out, json);
    } else {
        in.out << tr("situation {id}: {event} recorded, now {state} (version {version})",
                     {{"id", std::to_string(result.situationId)},
                      {"event", eventWords(event)},
                      {"state", stateWords(result.outcome.activeStates.text())},
                      {"version", std::to_string(result.version)}})
               << "\n";
    }
}

int caInit(Invocation& in) {
    const std::string keyFile = required(in, "--ca-key", "FILE (where the CA's encrypted key is written)");
    const std::string password =
        readPassword(in.option("--ca-password-file"), "--ca-password-file", kCaPasswordVariable, "the new CA key");
    checkNewPassword(password, "the CA key's password");
    auto process = openProcess(in);
    TrustStore trust = process.trustStore();
    if (auto existing = trust.authority())
        throw UsageError("the network already has a certification authority (" + existing->subject + ")");
    const std::string name = in.option("--name").value_or(process.network().label("fr") + " signature CA");
    const auto authority = CertificateAuthority::create(name, process.network().label("fr"), keyTypeOf(in),
                                                        Validity::fromNow(yearsOf(in, 10)));
    // The key file first: a trust anchor whose key was never saved would be useless.
    writePrivateFile(keyFile, authority.key().encryptedPem(password));
    trust.setAuthority(authority.certificate(), actorOf(in).toString());
    in.out << "certification authority: " << authority.certificate().subject() << "\n"
           << "  SHA-256 fingerprint: " << ossl::colonHex(authority.certificate().fingerprint()) << "\n"
           << "  valid until " << authority.certificate().notAfter() << "\n"
           << "  key written to " << keyFile << " (encrypted; keep it offline, it issues every signer's certificate)\n";
    return kOk;
}

int caExport(Invocation& in) {
    auto process = openProcess(in);
    const auto anchor = process.trustStore().authority();
    if (!anchor) throw NotFound("the network has no certification authority yet; run `caseflow ca init` first");
    writeOutput(in, anchor->certificate.pem(), "the network's CA certificate");
    return kOk;
}

int signerAdd(Invocation& in) {
    const std::string name = normaliseName(in.positional(0));
    const std::string role = required(in, "--role", "pedopsychiatrist|coordinator");
    checkSignerRole(role);
    const std::string output = required(in, "--output", "FILE.p12 (-o)");
    const std::string password =
        readPassword(in.option("--password-file"), "--password-file", kKeyPasswordVariable, "the new key of " + name);
    checkNewPassword(password, "the key's password");
    auto process = openProcess(in);
    TrustStore trust = process.trustStore();
    const auto authority = loadAuthority(in, trust);
    if (!trust.activeSigners(name).empty())
        throw UsageError(name + " already has a certificate that is not revoked; revoke it first");
    const auto key = PrivateKey::generate(keyTypeOf(in));
    const auto certificate = authority.issue(name, role, key, Validity::fromNow(yearsOf(in, 3)));
    const SigningKey signingKey(key, certificate, {authority.certificate()});
    // The same key for the browser's signing page (WebCrypto reads no PKCS#12): beside the
    // .p12 unless --browser-key names the file.
    const std::string browserKey =
        in.option("--browser-key").value_or(std::filesystem::path(output).replace_extension(".browser-key.json"));
    if (std::filesystem::exists(browserKey))
        throw UsageError(browserKey + " already exists; a key file is never overwritten");
    writePrivateFile(output, signingKey.pkcs12(password, name));
    try {
        writePrivateFile(browserKey, browserKeyFile(signingKey, password));
        trust.addSigner(certificate, actorOf(in).toString());
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(output, ignored); // a key the network does not know is of no use
        std::filesystem::remove(browserKey, ignored);
        throw;
    }
    in.out << "signer " << name << " (" << role << ")\n"
           << "  SHA-256 fingerprint: " << ossl::colonHex(certificate.fingerprint()) << "\n"
           << "  valid from " << certificate.notBefore() << " to " << certificate.notAfter() << "\n"
           << "  key written to " << output << " (PKCS#12, password-protected; give it to " << name << " only)\n"
           << "  the same key for signing in the browser: " << browserKey << " (same password)\n";
    return kOk;
}

int signerRevoke(Invocation& in) {
    auto process = openProcess(in);
    const auto revoked =
        process.trustStore().revoke(in.positional(0), in.option("--reason").value_or(""), actorOf(in).toString());
    for (const auto& signer : revoked)
        in.out << "revoked " << signer.name << " (" << signer.role << "), certificate "
               << ossl::colonHex(signer.fingerprint) << ", at " << *signer.revokedAt << "\n";
    return kOk;
}

int signerList(Invocation& in) {
    auto process = openProcess(in);
    TrustStore trust = process.trustStore();
    const auto anchor = trust.authority();
    const auto signers = trust.signers();
    if (in.flag("--json")) {
        auto json = Poco::makeShared<Poco::JSON::Object>();
        if (anchor) {
            auto authority = Poco::makeShared<Poco::JSON::Object>();
            authority->set("subject", anchor->subject);
            authority->set("fingerprint", anchor->fingerprint);
            authority->set("notAfter", anchor->certificate.notAfter());
            json->set("authority", authority);
        } else {
            json->set("authority", Poco::Dynamic::Var());
        }
        Poco::JSON::Array list;
        for (const auto& signer : signers) {
            auto item = Poco::makeShared<Poco::JSON::Object>();
            item->set("name", signer.name);
            item->set("role", signer.role);
            item->set("fingerprint", signer.fingerprint);
            item->set("notBefore", signer.notBefore);
            item->set("notAfter", signer.notAfter);
            item->set("issuedAt", signer.issuedAt);
            if (signer.revokedAt)
                item->set("revokedAt", *signer.revokedAt);
            else
                item->set("revokedAt", Poco::Dynamic::Var());
            list.add(item);
        }
        json->set("signers", list);
        printJson(in.out, json);
        return kOk;
    }
    if (!anchor) {
        in.out << "no certification authority yet (caseflow ca init)\n";
        return kOk;
    }
    in.out << "authority: " << anchor->subject << "  " << ossl::colonHex(anchor->fingerprint).substr(0, 23) << "...\n";
    for (const auto& signer : signers) {
        in.out << "  " << signer.name << " (" << signer.role << ")  valid to " << signer.notAfter.substr(0, 10) << "  "
               << ossl::colonHex(signer.fingerprint).substr(0, 23) << "..."
               << (signer.revokedAt ? "  REVOKED " + *signer.revokedAt : std::string()) << "\n";
    }
    if (signers.empty()) in.out << "  no signers yet (caseflow signer add)\n";
    return kOk;
}

int planSign(Invocation& in) {
    const auto id = in.situationId(0);
    const auto key = loadSigningKey(in);
    auto process = openProcess(in);
    const auto result = SigningDesk(process).signPlan(id, key, actorFor(in, key));
    printRecorded(in, result, "plan.signed");
    return kOk;
}

int decisionSign(Invocation& in) {
    const auto id = in.situationId(0);
    const std::string dataFile = required(in, "--data", "FILE (the budgetDecision to sign)");
    const auto key = loadSigningKey(in);
    auto process = openProcess(in);
    const auto result = SigningDesk(process).signDecision(
        id, readInputFile(dataFile), dataFile == "-" ? "standard input" : dataFile, key, actorFor(in, key));
    printRecorded(in, result, "budget decision");
    return kOk;
}

int decisionCountersign(Invocation& in) {
    const auto id = in.situationId(0);
    const std::string dataFile = required(in, "--data", "FILE (the budgetDecision to countersign)");
    const auto key = loadSigningKey(in);
    auto process = openProcess(in);
    writeOutput(in,
                SigningDesk(process).countersignDecision(id, readInputFile(dataFile),
                                                         dataFile == "-" ? "standard input" : dataFile, key),
                "the countersigned decision");
    return kOk;
}

int planPrepare(Invocation& in) {
    const auto id = in.situationId(0);
    auto process = openProcess(in);
    const auto document = SigningDesk(process).preparePlan(id, keyTypeOf(in));
    process.recordRead(readerOf(in), {id}, "document-to-sign:care-plan");
    writeOutput(in, document.xml, "the care plan to sign");
    return kOk;
}

int decisionPrepare(Invocation& in) {
    const auto id = in.situationId(0);
    const std::string dataFile = required(in, "--data", "FILE (the budgetDecision to sign)");
    auto process = openProcess(in);
    const auto document = SigningDesk(process).prepareDecision(
        id, readInputFile(dataFile), dataFile == "-" ? "standard input" : dataFile, keyTypeOf(in));
    process.recordRead(readerOf(in), {id}, "document-to-sign:decision");
    writeOutput(in, document.xml, "the budget decision to sign");
    return kOk;
}

int signFile(Invocation& in) {
    const std::string file = in.positional(0);
    const auto key = loadSigningKey(in);
    const std::string source = file == "-" ? "standard input" : file;
    if (in.flag("--countersign")) {
        writeOutput(in, countersignPreparedDecision(readInputFile(file), source, key), "the countersigned decision");
        return kOk;
    }
    writeOutput(in, signDocument(readInputFile(file), key, source), "the signed document");
    return kOk;
}

int signatureSubmit(Invocation& in) {
    const auto id = in.situationId(0);
    const std::string file = in.positional(1);
    auto process = openProcess(in);
    const std::string source = file == "-" ? "standard input" : file;
    const auto result = SigningDesk(process).submit(id, readInputFile(file), source, actorOf(in));
    printRecorded(in, result, "signed document");
    return kOk;
}

int planExport(Invocation& in) {
    const auto id = in.situationId(0);
    auto process = openProcess(in);
    const std::string signedPlan = SigningDesk(process).exportSignedPlan(id);
    process.recordRead(readerOf(in), {id}, "signed:care-plan");
    writeOutput(in, signedPlan, "the signed care plan");
    return kOk;
}

int decisionExport(Invocation& in) {
    const auto id = in.situationId(0);
    auto process = openProcess(in);
    const std::string signedDecision = SigningDesk(process).exportSignedDecision(id, in.option("--request"));
    process.recordRead(readerOf(in), {id}, "signed:decision");
    writeOutput(in, signedDecision, "the signed decision");
    return kOk;
}

int verifySignature(Invocation& in) {
    const std::string file = in.positional(0);
    auto doc = xml::parseString(readInputFile(file), file == "-" ? "standard input" : file);
    xmlNode* element = xml::root(doc.get());
    Verification result;
    std::optional<bool> current; // does it match the situation's current content? (with a database)
    if (auto caFile = in.option("--ca")) {
        result = Verifier(Certificate::fromPem(readFile(*caFile), *caFile)).verify(element);
    } else {
        auto process = openProcess(in);
        result = Verifier(process.trustStore()).verify(element);
        if (result.situationId && xml::name(element) == "carePlan") {
            try {
                const auto record = process.situation(*result.situationId);
                const Situation situation = Situation::fromStored(record.document);
                xmlNode* plan = xml::firstChild(xml::root(situation.document()), "carePlan");
                current = plan && contentWithoutSignature(plan) == contentWithoutSignature(element);
            } catch (const NotFound&) {
                current = false;
            }
        }
    }
    const std::string what = result.element == "carePlan"         ? "care plan"
                             : result.element == "budgetDecision" ? "budget decision"
                                                                  : "<" + result.element + ">";
    if (in.flag("--json")) {
        auto json = Poco::makeShared<Poco::JSON::Object>();
        json->set("valid", result.valid());
        json->set("status", statusName(result.status));
        json->set("detail", result.detail);
        json->set("element", result.element);
        json->set("signer", result.signer);
        json->set("role", result.role);
        json->set("signedAt", result.signedAt);
        json->set("fingerprint", result.fingerprint);
        json->set("issuer", result.issuer);
        json->set("algorithm", result.algorithm);
        if (result.situationId) json->set("situation", *result.situationId);
        if (result.situationVersion) json->set("situationVersion", *result.situationVersion);
        json->set("revocationChecked", result.revocationChecked);
        if (current) json->set("matchesCurrentPlan", *current);
        printJson(in.out, json);
        return result.valid() ? kOk : kError;
    }
    if (!result.valid()) {
        in.out << file << ": signature NOT valid (" << statusName(result.status) << "): " << result.detail << "\n";
        return kError;
    }
    in.out << file << ": valid signature\n"
           << "  what:   the " << what << " of situation " << *result.situationId << ", as of version "
           << *result.situationVersion;
    if (result.element == "budgetDecision")
        in.out << " (request " << xml::attribute(element, "request").value_or("?") << ", "
               << xml::attribute(element, "outcome").value_or("?") << ")";
    in.out << "\n  who:    " << result.signer << " (" << result.role << ")\n"
           << "  when:   " << result.signedAt << " (UTC)\n"
           << "  key:    " << result.algorithm << ", certificate SHA-256 " << ossl::colonHex(result.fingerprint) << "\n"
           << "  issuer: " << result.issuer << "\n";
    if (!result.revocationChecked) in.out << "  note:   checked against the CA certificate only; revocations unknown\n";
    if (current)
        in.out << "  current: "
               << (*current ? "yes, it is the situation's current care plan"
                            : "no, the situation's care plan has changed since")
               << "\n";
    return kOk;
}

} // namespace

void addSignatureCommands(std::vector<CommandSpec>& commands) {
    commands.push_back(
        {"ca init",
         "",
         "create the network's certification authority (once)",
         "Writes the CA's key, encrypted, to --ca-key (mode 0600; keep it offline) and records the CA's\n"
         "certificate in the database's trust store. Its password comes from --ca-password-file or\n"
         "$CASEFLOW_CA_PASSWORD, never from the command line.",
         {kCaKeyOption,
          kCaPasswordOption,
          kKeyTypeOption,
          {"--name", "TEXT", "the CA's name (default: the network's label + ' signature CA')"},
          {"--years", "N", "validity in years (default 10)"}},
         0,
         0,
         caInit});
    commands.push_back({"ca export",
                        "",
                        "write the network's CA certificate (PEM), for outsiders' verification",
                        "Give it to `xmlsec1 --verify --trusted-pem network-ca.pem FILE.xml`.",
                        {kOutputOption},
                        0,
                        0,
                        caExport});
    commands.push_back({"signer add",
                        "NAME",
                        "issue a signer certificate and a password-protected key file",
                        "NAME is the person as the situations name them (a partner's contact, a network\n"
                        "pedopsychiatrist, the coordinator who decides). Writes NAME's key and certificate as PKCS#12\n"
                        "to -o FILE (mode 0600), protected by --password-file or $CASEFLOW_KEY_PASSWORD; the server\n"
                        "keeps only the certificate. Also writes the same key for the browser's signing page\n"
                        "(FILE.browser-key.json, same password: PBKDF2-SHA256 and AES-256-GCM, read by WebCrypto).",
                        {{"--role", "ROLE", "pedopsychiatrist or coordinator"},
                         {"--output", "FILE", "the key file to write (-o FILE.p12)"},
                         {"--browser-key", "FILE", "where to write the browser key file (default: beside -o)"},
                         kPasswordOption,
                         kCaKeyOption,
                         kCaPasswordOption,
                         kKeyTypeOption,
                         {"--years", "N", "validity in years (default 3)"}},
                        1,
                        1,
                        signerAdd});
    commands.push_back({"signer revoke",
                        "NAME",
                        "revoke every certificate of a signer",
                        "Signatures made before the revocation keep their meaning; no new one is accepted.",
                        {{"--reason", "TEXT", "why (shown with the revocation)"}},
                        1,
                        1,
                        signerRevoke});
    commands.push_back({"signer list", "", "list the CA and the signer certificates", "", {}, 0, 0, signerList});
    commands.push_back({"plan sign",
                        "ID",
                        "sign the situation's current care plan (R11) and record plan.signed",
                        "The signature is an XML Signature over the carePlan element with the signer's certificate,\n"
                        "the signing time and the situation's id and version.",
                        {kKeyOption, kPasswordOption, kAsOption},
                        1,
                        1,
                        planSign});
    commands.push_back({"decision sign",
                        "ID",
                        "sign a budget decision and record it (R16)",
                        "--data is the budgetDecision (as `caseflow event ID budget.approved --data` takes it); the\n"
                        "signed decision is recorded as budget.approved, budget.returned or budget.rejected.",
                        {{"--data", "FILE", "the budgetDecision to sign, - for standard input"},
                         kKeyOption,
                         kPasswordOption,
                         kAsOption},
                        1,
                        1,
                        decisionSign});
    commands.push_back({"decision countersign",
                        "ID",
                        "countersign a budget decision as the second coordinator (R14)",
                        "Above the stronger-validation threshold an approval needs a second coordinator's signature:\n"
                        "this writes the decision with that countersignature inside; the coordinator who decides\n"
                        "then signs and records it with `caseflow decision sign --data` that file.",
                        {{"--data", "FILE", "the budgetDecision to countersign, - for standard input"},
                         kKeyOption,
                         kPasswordOption,
                         kOutputOption},
                        1,
                        1,
                        decisionCountersign});
    commands.push_back({"plan prepare-signature",
                        "ID",
                        "write the care plan to sign elsewhere (split flow)",
                        "Sign the file on the signer's machine (`caseflow sign-file`, or `xmlsec1 --sign --pkcs12\n"
                        "KEY.p12 --pwd ...`), then record it with `caseflow signature submit`.",
                        {kKeyTypeOption, kOutputOption, kReaderOption},
                        1,
                        1,
                        planPrepare});
    commands.push_back(
        {"decision prepare-signature",
         "ID",
         "write a budget decision to sign elsewhere (split flow)",
         "",
         {{"--data", "FILE", "the budgetDecision, - for standard input"}, kKeyTypeOption, kOutputOption, kReaderOption},
         1,
         1,
         decisionPrepare});
    commands.push_back({"sign-file",
                        "FILE",
                        "sign a prepared document with a key file (no database needed)",
                        "What a signer runs on their own machine: the key never leaves it.\n"
                        "With --countersign, a second coordinator countersigns a budget decision prepared by the\n"
                        "server (R14, above the stronger-validation threshold); the deciding coordinator then\n"
                        "signs the countersigned file.",
                        {kKeyOption,
                         kPasswordOption,
                         kOutputOption,
                         {"--countersign", "", "countersign a prepared budget decision instead of signing it (R14)"}},
                        1,
                        1,
                        signFile});
    commands.push_back(
        {"signature submit",
         "ID FILE",
         "verify a signed care plan or decision and record it",
         "",
         {{"--as", "ROLE:NAME", "who records the event (default: $CASEFLOW_ACTOR, else coordinator:$USER)"}},
         2,
         2,
         signatureSubmit});
    commands.push_back({"plan export-signed",
                        "ID",
                        "write the signed care plan as standalone signed XML",
                        "`xmlsec1 --verify --trusted-pem network-ca.pem FILE.xml` accepts it.",
                        {kOutputOption, kReaderOption},
                        1,
                        1,
                        planExport});
    commands.push_back(
        {"decision export-signed",
         "ID",
         "write a signed budget decision as standalone signed XML",
         "The last signed decision, or the one of --request.",
         {{"--request", "ID", "the funding request the decision is about"}, kOutputOption, kReaderOption},
         1,
         1,
         decisionExport});
    commands.push_back({"verify-signature",
                        "FILE",
                        "check a signed care plan or decision and say who signed what, when",
                        "Checks against the database's trust store (revocations included), or against --ca alone.\n"
                        "Exits 0 when valid, 1 when not.",
                        {{"--ca", "FILE", "verify against this CA certificate (PEM) instead of the database"}},
                        1,
                        1,
                        verifySignature});
}

} // namespace caseflow::cli
