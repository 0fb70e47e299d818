// The signing pages (see SigningPages.h). Three steps per signature (the plan, the decision,
// the decision's countersignature): GET shows what is signed and the key form; POST …/prepare
// takes the certificate from the key file, checks it and answers JSON {nonce, signedInfo,
// algorithm}; POST … takes the nonce and the signature value, assembles and records. What must
// stay true: the checks before handing out bytes to sign are the trust store's (issued by the
// network, not revoked, valid now) plus who must sign (the plan's pedopsychiatrist, a
// coordinator deciding in their own name, another coordinator countersigning), and the
// signed-in person is the key's holder; every refusal says why in the user's language, with
// its rule id.
#include "web/SigningPages.h"

#include "core/Errors.h"
#include "i18n/Translator.h"
#include "model/Date.h"
#include "model/EuroAmount.h"
#include "process/GuardFacts.h"
#include "process/SigningDesk.h"
#include "signature/BrowserKey.h"
#include "signature/CertificateAuthority.h"
#include "signature/DetachedSigning.h"
#include "signature/OpenSsl.h"
#include "signature/TrustStore.h"
#include "signature/Verifier.h"
#include "signature/XmlSignature.h"
#include "web/Passwords.h"
#include "xml/Xml.h"

#include <Poco/JSON/Object.h>

#include <sstream>

namespace caseflow::web {

std::string PendingSignatures::put(PendingSignature pending) {
    const auto now = std::chrono::steady_clock::now();
    pending.expires = now + kNonceLifetime;
    std::string nonce = randomHex(32);
    std::lock_guard lock(mutex_);
    for (auto it = pending_.begin(); it != pending_.end();)
        it = it->second.expires < now ? pending_.erase(it) : std::next(it);
    // A bound on memory: the oldest request gives way (its signer signs again).
    while (pending_.size() >= kMaxPending) {
        auto oldest = pending_.begin();
        for (auto it = pending_.begin(); it != pending_.end(); ++it)
            if (it->second.expires < oldest->second.expires) oldest = it;
        pending_.erase(oldest);
    }
    pending_.emplace(nonce, std::move(pending));
    return nonce;
}

std::optional<PendingSignature> PendingSignatures::take(const std::string& nonce, const std::string& user,
                                                        std::int64_t situationId) {
    std::lock_guard lock(mutex_);
    const auto found = pending_.find(nonce);
    if (found == pending_.end()) return std::nullopt;
    PendingSignature pending = std::move(found->second);
    pending_.erase(found);
    if (pending.user != user || pending.situationId != situationId ||
        pending.expires < std::chrono::steady_clock::now())
        return std::nullopt;
    return pending;
}

void DecisionDrafts::put(std::int64_t situationId, DecisionDraft draft) {
    std::lock_guard lock(mutex_);
    // A bound on memory: the lowest situation's draft gives way (its coordinator decides again).
    if (drafts_.size() >= kMaxDrafts && drafts_.count(situationId) == 0) drafts_.erase(drafts_.begin());
    drafts_[situationId] = std::move(draft);
}

std::optional<DecisionDraft> DecisionDrafts::find(std::int64_t situationId, std::int64_t version) {
    std::lock_guard lock(mutex_);
    const auto found = drafts_.find(situationId);
    if (found == drafts_.end()) return std::nullopt;
    if (found->second.situationVersion != version) {
        drafts_.erase(found);
        return std::nullopt;
    }
    return found->second;
}

void DecisionDrafts::forget(std::int64_t situationId) {
    std::lock_guard lock(mutex_);
    drafts_.erase(situationId);
}

namespace {

using signature::SignatureStatus;

std::string t(const std::string& msgid, const std::string& language) {
    return i18n::translate(i18n::kWebDomain, msgid, language);
}

std::string with(std::string text, const std::string& placeholder, const std::string& value) {
    const auto at = text.find(placeholder);
    if (at != std::string::npos) text.replace(at, placeholder.size(), value);
    return text;
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// A signature's status in words, for plans and decisions alike.
std::string statusWords(SignatureStatus status, const std::string& language) {
    switch (status) {
    case SignatureStatus::Valid:
        return t("The signature is valid.", language);
    case SignatureStatus::Missing:
        return t("The document carries no signature.", language);
    case SignatureStatus::Malformed:
        return t("The signature is not of the form caseflow makes.", language);
    case SignatureStatus::Altered:
        return t("The signature does not match the document: it was changed, or signed with another key.", language);
    case SignatureStatus::Untrusted:
        return t("The certificate is not one the network issued.", language);
    case SignatureStatus::Expired:
        return t("The certificate is not valid today.", language);
    case SignatureStatus::Revoked:
        return t("The certificate was revoked.", language);
    case SignatureStatus::WrongSigner:
        break;
    }
    return t("The key is not the one of the person who must sign.", language);
}

struct Refusal {
    SignatureStatus status = SignatureStatus::Valid;
    std::string message; // in the user's language
};

// Whether `pem` may sign `part` for the signed-in user, before anything is handed out.
// `expectedName` is who the document names (the plan's pedopsychiatrist; for a decision, the
// coordinator deciding, who is the user).
std::optional<Refusal> certificateRefusal(const SigningCall& call, const std::string& pem, const std::string& role,
                                          const std::string& expectedName,
                                          std::optional<signature::Certificate>& certificate) {
    const std::string& language = call.language;
    try {
        certificate = signature::Certificate::fromPem(pem, "the key file's certificate");
    } catch (const Error&) {
        return Refusal{SignatureStatus::Malformed,
                       t("The key file holds no certificate caseflow can read: choose the .browser-key.json file "
                         "that caseflow signer add wrote.",
                         language)};
    }
    const auto row = call.process.trustStore().signerByFingerprint(certificate->fingerprint());
    if (!row) return Refusal{SignatureStatus::Untrusted, statusWords(SignatureStatus::Untrusted, language)};
    if (row->revokedAt) return Refusal{SignatureStatus::Revoked, statusWords(SignatureStatus::Revoked, language)};
    const std::string now = signature::ossl::isoTime(std::chrono::system_clock::now());
    if (now < certificate->notBefore() || now > certificate->notAfter())
        return Refusal{SignatureStatus::Expired, statusWords(SignatureStatus::Expired, language)};
    const std::string holder = signature::normaliseName(certificate->commonName());
    if (row->role != role || holder != signature::normaliseName(expectedName) ||
        holder != signature::normaliseName(call.actor.name)) {
        std::string message = role == signature::kPedopsychiatristRole
                                  ? t("This key is {holder}'s; the care plan must be signed by {expected}, its "
                                      "pedopsychiatrist, signed in with their own account.",
                                      language)
                                  : t("This key is {holder}'s; a budget decision is signed by the coordinator who "
                                      "decides, signed in with their own account and using their own key.",
                                      language);
        return Refusal{SignatureStatus::WrongSigner,
                       with(with(message, "{holder}", certificate->commonName()), "{expected}", expectedName)};
    }
    return std::nullopt;
}

std::string json(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

void refuseJson(SigningCall& call, int status, const std::string& message, const std::string& rule = "",
                const std::string& signatureStatus = "") {
    Poco::JSON::Object body;
    body.set("error", message);
    if (!rule.empty()) body.set("rule", rule);
    if (!signatureStatus.empty()) body.set("status", signatureStatus);
    call.sendJson(status, json(body));
}

// Hands out what the key signs, for a document the desk prepared for `certificate`'s key.
void handOut(SigningCall& call, const DocumentToSign& prepared, const signature::Certificate& certificate,
             const std::string& subject = "") {
    const auto toSign = signature::prepareSignedInfo(prepared.xml, certificate, prepared.part + " to sign");
    PendingSignature pending;
    pending.subject = subject;
    pending.user = call.actor.name;
    pending.situationId = call.situationId;
    pending.situationVersion = prepared.situationVersion;
    pending.part = prepared.part;
    pending.document = toSign.document;
    Poco::JSON::Object body;
    body.set("nonce", call.pending.put(std::move(pending)));
    body.set("signedInfo", signature::encodeBase64(toSign.signedInfo));
    body.set("algorithm", toSign.algorithm);
    call.sendJson(200, json(body));
}

bool allowed(const SigningCall& call, const std::string& event) {
    const auto events = call.process.allowedEvents(call.situationId);
    return std::find(events.begin(), events.end(), event) != events.end();
}

signature::KeyType keyTypeOf(const signature::Certificate& certificate) {
    return EVP_PKEY_get_base_id(X509_get0_pubkey(certificate.get())) == EVP_PKEY_RSA ? signature::KeyType::Rsa
                                                                                     : signature::KeyType::Ecdsa;
}

// ---- the care plan ------------------------------------------------------------------------

struct PlanInHand {
    SituationRecord record;
    Situation situation;
    xmlNode* plan = nullptr;
    std::string pedopsychiatrist; // the name the plan gives, "" when it names none we know
};

PlanInHand planOf(SigningCall& call) {
    auto record = call.process.situation(call.situationId);
    auto situation = Situation::fromStored(record.document);
    PlanInHand hand{std::move(record), std::move(situation), nullptr, ""};
    hand.plan = xml::firstChild(xml::root(hand.situation.document()), "carePlan");
    if (hand.plan)
        hand.pedopsychiatrist =
            assignedPedopsychiatrist(hand.plan, hand.situation.document(), call.process.network()).value_or("");
    return hand;
}

void beginSituation(PageModel& model, const SituationRecord& record, const xmlDoc* document) {
    xml::XPath xpath(document);
    model.open("situation")
        .attribute("id", std::to_string(record.id))
        .attribute("state", record.state)
        .attribute("version", std::to_string(record.version))
        .attribute("reference", xpath.string("string(/situation/youth/reference)"));
    model.close();
}

// What was refused on the last POST, shown above the form.
struct Outcome {
    std::vector<FieldError> errors;
    std::optional<signature::Verification> verdict;
};

void writeOutcome(PageModel& model, const Outcome& outcome, const std::string& language) {
    model.open("form");
    for (const auto& error : outcome.errors)
        model.leaf("error", {{"field", error.field}, {"rule", error.ruleId}}, error.message);
    model.close();
    if (outcome.verdict)
        model.leaf("verdict",
                   {{"status", signature::statusName(outcome.verdict->status)},
                    {"words", statusWords(outcome.verdict->status, language)},
                    {"signer", outcome.verdict->signer}},
                   outcome.verdict->detail);
}

// The messages sign.js shows, in the user's language (the page carries no inline script).
void writeScriptMessages(PageModel& model, const std::string& language) {
    model.open("messages");
    model.leaf("message", {{"id", "no-file"}}, t("Choose your key file.", language));
    model.leaf("message", {{"id", "not-a-key"}},
               t("This file is not a caseflow browser key: choose the .browser-key.json file that caseflow signer add "
                 "wrote.",
                 language));
    model.leaf("message", {{"id", "wrong-password"}},
               t("The password does not open this key file. Check it and try again.", language));
    model.leaf("message", {{"id", "no-webcrypto"}},
               t("This browser cannot sign (WebCrypto is missing or the page is not served over HTTPS); use the "
                 "download and upload instead.",
                 language));
    model.leaf("message", {{"id", "working"}}, t("Signing…", language));
    model.leaf("message", {{"id", "failed"}}, t("The signature could not be made: ", language));
    model.close();
}

void planPage(SigningCall& call, int status, const Outcome& outcome) {
    const PlanInHand hand = planOf(call);
    if (!hand.plan) throw NotFound("situation " + std::to_string(call.situationId) + " has no care plan");
    PageModel model;
    call.beginModel(model, "sign-plan");
    beginSituation(model, hand.record, hand.situation.document());
    xml::XPath xpath(hand.situation.document());
    model.open("plan")
        .attribute("agreedOn", xml::attribute(hand.plan, "agreedOn").value_or(""))
        .attribute("pedopsychiatrist", hand.pedopsychiatrist)
        .attribute("waiting", allowed(call, "plan.signed") ? "true" : "")
        .attribute("signed", signature::signatureOf(hand.plan) ? "true" : "");
    for (const auto& objective : xpath.nodes("/situation/carePlan/objectives/objective"))
        model.leaf("objective", {{"id", xml::attribute(objective, "id").value_or("")}}, xml::text(objective));
    for (const auto& action : xpath.nodes("/situation/carePlan/actions/action"))
        model.leaf("action",
                   {{"objective", xml::attribute(action, "objective").value_or("")},
                    {"responsible", xpath.string("string(/situation/partners/partner[@id='" +
                                                 xml::attribute(action, "responsible").value_or("") + "']/contact)")},
                    {"start", xml::attribute(action, "start").value_or("")},
                    {"end", xml::attribute(action, "end").value_or("")}},
                   xml::text(action));
    for (const auto& meeting : xpath.nodes("/situation/carePlan/followUp/meeting"))
        model.leaf("meeting", {{"date", xml::attribute(meeting, "date").value_or("")}});
    // Whether the plan in force carries a valid signature: a revision drops it (R11).
    const auto current = verifyCarePlan(hand.situation.document(), call.process.trustStore(), call.process.network());
    model.leaf("current", {{"status", signature::statusName(current.status)},
                           {"words", statusWords(current.status, call.language)},
                           {"signer", current.signer},
                           {"signedAt", current.signedAt}});
    // The element itself, as the signature will cover it (the desk adds what/when attributes).
    model.leaf("xml", {}, xml::serialize(signature::standaloneCopy(hand.plan).get(), true));
    model.close();
    writeOutcome(model, outcome, call.language);
    writeScriptMessages(model, call.language);
    call.sendPage(status, "sign-plan", model);
}

void preparePlan(SigningCall& call) {
    const PlanInHand hand = planOf(call);
    if (!hand.plan) return refuseJson(call, 404, t("This situation has no care plan to sign.", call.language));
    if (call.form.value("version") != std::to_string(hand.record.version))
        return refuseJson(call, 409,
                          t("The plan changed since this page was shown; reload the page and read it again before "
                            "signing.",
                            call.language));
    if (!allowed(call, "plan.signed"))
        return refuseJson(call, 409, t("This care plan is not waiting for a signature.", call.language));
    std::optional<signature::Certificate> certificate;
    if (const auto refusal = certificateRefusal(call, call.form.value("certificate"), signature::kPedopsychiatristRole,
                                                hand.pedopsychiatrist, certificate))
        return refuseJson(call, 422, refusal->message, "R11", signature::statusName(refusal->status));
    handOut(call, SigningDesk(call.process).preparePlan(call.situationId, keyTypeOf(*certificate)), *certificate);
}

// ---- the budget decision ------------------------------------------------------------------

// The decision the form describes, as `budget.approved` & co. carry it; errors go to `errors`.
std::string decisionData(const SigningCall& call, std::vector<FieldError>& errors) {
    const auto& form = call.form;
    const std::string outcome = form.value("outcome");
    if (outcome != "approved" && outcome != "returned" && outcome != "rejected")
        errors.push_back({"outcome", "", t("Choose approve, return for completion or reject.", call.language)});
    const std::string date = trimmed(form.value("date"));
    if (!Date::parse(date)) errors.push_back({"date", "", t("Give a date as YYYY-MM-DD (a real day).", call.language)});
    std::string amount;
    if (outcome == "approved") {
        const auto cents = parseEuroAmount(form.value("amount"));
        if (const auto* value = std::get_if<Cents>(&cents))
            amount = std::to_string(*value);
        else
            errors.push_back({"amount", "", t("This is not an amount in euros; type it as 1 234,56.", call.language)});
    }
    std::string reasons;
    std::istringstream lines(form.value("reasons"));
    for (std::string line; std::getline(lines, line);)
        if (!trimmed(line).empty()) reasons += "<reason>" + xml::escaped(trimmed(line)) + "</reason>";
    if (reasons.empty()) errors.push_back({"reasons", "", t("Say why, in a few words.", call.language)});
    return "<budgetDecision request=\"" + xml::escaped(form.value("request")) + "\" date=\"" + xml::escaped(date) +
           "\" outcome=\"" + xml::escaped(outcome) + "\"" + (amount.empty() ? "" : " amount=\"" + amount + "\"") +
           " by=\"" + xml::escaped(call.actor.name) + "\">" + reasons + "</budgetDecision>";
}

// Where a decision above the threshold stands between its two coordinators.
void writeDraft(PageModel& model, const DecisionDraft& draft, bool mine) {
    model.leaf("draft", {{"by", draft.by}, {"countersignedBy", draft.countersignedBy}, {"mine", mine ? "true" : ""}});
}

// The decision of a draft as the page shows it (the amount in euros too).
void writeDraftValues(PageModel& model, const DecisionDraft& draft) {
    for (const auto& [name, value] : draft.values) model.leaf("value", {{"name", name}}, value);
    const auto cents = parseEuroAmount(draft.values.at("amount"));
    if (const auto* amount = std::get_if<Cents>(&cents))
        model.leaf("value", {{"name", "amountShown"}}, formatEuroAmount(*amount));
}

// What a countersignature of the decision `data` covers (GuardFacts' countersignedDigest).
std::string digestOf(const std::string& data) {
    const auto decision = parseEventData(data, "budget decision form");
    return countersignedDigest(xml::root(decision.get()));
}

void decisionPage(SigningCall& call, int status, const Outcome& outcome) {
    const auto record = call.process.situation(call.situationId);
    const auto document = xml::parseString(record.document, "situation");
    PageModel model;
    call.beginModel(model, "sign-decision");
    beginSituation(model, record, document.get());
    xml::XPath xpath(document.get());
    const auto draft = call.drafts.find(record.id, record.version);
    const bool mine = draft && signature::normaliseName(draft->by) == signature::normaliseName(call.actor.name);
    // Countersigned, the decision is signed as it stands: shown, not typed again.
    const bool countersigned = mine && !draft->countersignedBy.empty();
    model.open("decision")
        .attribute("kind", "decide")
        .attribute("countersigned", countersigned ? "true" : "")
        .attribute("step", "decision")
        .attribute("waiting", allowed(call, "budget.approved") ? "true" : "")
        .attribute("threshold", formatEuroAmount(call.process.network().strongerValidationThreshold()));
    if (draft) writeDraft(model, *draft, mine);
    for (const auto& request : xpath.nodes("/situation/fundingRequests/fundingRequest")) {
        Cents total = 0;
        for (const auto& line : xml::children(request, "line"))
            total += parseCents(xml::attribute(line, "amount").value_or("0")).value_or(0);
        model.leaf("request", {{"id", xml::attribute(request, "id").value_or("")},
                               {"date", xml::attribute(request, "date").value_or("")},
                               {"total", formatEuroAmount(total)}});
    }
    model.close();
    model.open("values");
    if (countersigned) {
        writeDraftValues(model, *draft);
    } else {
        const std::vector<std::pair<std::string, std::string>> defaults = {{"outcome", "approved"},
                                                                           {"date", Date::today().iso()},
                                                                           {"amount", ""},
                                                                           {"reasons", ""},
                                                                           {"request", call.chosenRequest}};
        for (const auto& [name, fallback] : defaults) {
            std::string value = call.post ? call.form.value(name) : fallback;
            // The decision the coordinator asked to countersign comes back as it was typed.
            if (!call.post && mine)
                if (const auto drafted = draft->values.find(name); drafted != draft->values.end())
                    value = drafted->second;
            model.leaf("value", {{"name", name}}, value);
        }
    }
    model.close();
    writeOutcome(model, outcome, call.language);
    writeScriptMessages(model, call.language);
    call.sendPage(status, "sign-decision", model);
}

void prepareDecision(SigningCall& call) {
    if (!allowed(call, "budget.approved"))
        return refuseJson(call, 409, t("This dossier is not waiting for a budget decision.", call.language));
    std::vector<FieldError> errors;
    std::string data;
    if (call.form.value("use") == "countersigned") {
        // The decision another coordinator countersigned, signed with its countersignature inside.
        const auto draft = call.drafts.find(call.situationId, call.process.situation(call.situationId).version);
        if (!draft || draft->countersignedBy.empty() ||
            signature::normaliseName(draft->by) != signature::normaliseName(call.actor.name))
            return refuseJson(call, 409,
                              t("The countersigned decision is no longer waiting for your signature; reload the page.",
                                call.language));
        data = draft->decision;
    } else {
        data = decisionData(call, errors);
        if (!errors.empty()) return refuseJson(call, 422, errors.front().message);
    }
    std::optional<signature::Certificate> certificate;
    if (const auto refusal = certificateRefusal(call, call.form.value("certificate"), signature::kCoordinatorRole,
                                                call.actor.name, certificate))
        return refuseJson(call, 422, refusal->message, "R16", signature::statusName(refusal->status));
    try {
        handOut(call,
                SigningDesk(call.process)
                    .prepareDecision(call.situationId, data, "budget decision form", keyTypeOf(*certificate)),
                *certificate);
    } catch (const UsageError& invalid) {
        refuseJson(call, 422, invalid.what());
    }
}

// ---- recording a signature made in the browser --------------------------------------------

void submitSigned(SigningCall& call, const std::string& part, const RuleFields& rules,
                  void (*page)(SigningCall&, int, const Outcome&)) {
    Outcome outcome;
    const auto pending = call.pending.take(call.form.value("nonce"), call.actor.name, call.situationId);
    if (!pending || pending->part != part) {
        outcome.errors.push_back(
            {"", "",
             t("This signature was not asked for on this page, was already used or is too old: sign again.",
               call.language)});
        return page(call, 422, outcome);
    }
    try {
        const std::string value = signature::decodeBase64(call.form.value("signatureValue"), "SignatureValue");
        const std::string assembled = signature::assembleSignature(pending->document, value, part);
        const auto document = xml::parseString(assembled, "signed " + part);
        outcome.verdict = signature::Verifier(call.process.trustStore())
                              .verify(xml::root(document.get()), signature::SignatureAge::New);
        SigningDesk(call.process)
            .submit(call.situationId, assembled, part + " signed in the browser", call.actor,
                    pending->situationVersion);
        if (part == "budgetDecision") call.drafts.forget(call.situationId);
        const std::string event = part == "carePlan" ? "plan.signed" : "budget.decided";
        return call.redirect("/situations/" + std::to_string(call.situationId) + "?done=" + event);
    } catch (const RuleRefusal& refusal) {
        for (auto& failed : errorsOfRefusal(refusal, rules)) outcome.errors.push_back(std::move(failed));
    } catch (const Conflict&) {
        outcome.errors.push_back(
            {"", "", t("The situation changed while you were signing; read it again and sign again.", call.language)});
    } catch (const UsageError& refused) {
        outcome.errors.push_back({"", "", refused.what()});
    } catch (const signature::MalformedSignature&) {
        outcome.errors.push_back({"", "", statusWords(SignatureStatus::Malformed, call.language)});
    }
    page(call, 422, outcome);
}

// ---- the second coordinator's countersignature (R14) -------------------------------------

// R14's sentences, as the workflow words them (its catalog translates them).
std::string secondValidationMessage(const std::string& status, const std::string& language) {
    return i18n::translate(i18n::kWorkflowDomain,
                           status == "same-signer"
                               ? "The countersignature must be another coordinator's than the one who signs the "
                                 "decision."
                               : "The countersignature is not valid: it must be an enveloped XML signature by the "
                                 "coordinator it names, with a coordinator's certificate the network issued, over the "
                                 "decision as it is.",
                           language);
}

// The deciding coordinator asks for the countersignature: the decision as the form says it
// waits, unsigned, for another coordinator.
void askCountersignature(SigningCall& call) {
    Outcome outcome;
    if (!allowed(call, "budget.approved")) {
        outcome.errors.push_back({"", "", t("This dossier is not waiting for a budget decision.", call.language)});
        return decisionPage(call, 409, outcome);
    }
    const std::string data = decisionData(call, outcome.errors);
    if (outcome.errors.empty()) {
        try {
            // The schema's judgement now rather than when the second coordinator signs.
            SigningDesk(call.process).prepareDecision(call.situationId, data, "budget decision form");
        } catch (const UsageError& invalid) {
            outcome.errors.push_back({"", "", invalid.what()});
        }
    }
    if (!outcome.errors.empty()) return decisionPage(call, 422, outcome);
    DecisionDraft draft;
    draft.situationVersion = call.process.situation(call.situationId).version;
    draft.by = call.actor.name;
    draft.decision = data;
    draft.digest = digestOf(data);
    for (const char* name : {"request", "outcome", "amount", "date", "reasons"})
        draft.values[name] = call.form.value(name);
    call.drafts.put(call.situationId, std::move(draft));
    call.redirect("/situations/" + std::to_string(call.situationId) + "/sign/decision");
}

void countersignPage(SigningCall& call, int status, const Outcome& outcome) {
    const auto record = call.process.situation(call.situationId);
    const auto document = xml::parseString(record.document, "situation");
    const auto draft = call.drafts.find(record.id, record.version);
    PageModel model;
    call.beginModel(model, "sign-decision");
    beginSituation(model, record, document.get());
    model.open("decision")
        .attribute("kind", "countersign")
        .attribute("step", "countersign")
        .attribute("waiting",
                   draft && draft->countersignedBy.empty() && allowed(call, "budget.approved") ? "true" : "");
    if (draft) {
        writeDraft(model, *draft, signature::normaliseName(draft->by) == signature::normaliseName(call.actor.name));
        const auto decision = parseEventData(draft->decision, "budget decision");
        model.leaf("xml", {}, xml::serialize(decision.get(), true));
    }
    model.close();
    model.open("values");
    if (draft) writeDraftValues(model, *draft);
    model.close();
    writeOutcome(model, outcome, call.language);
    writeScriptMessages(model, call.language);
    call.sendPage(status, "sign-decision", model);
}

void prepareCountersignature(SigningCall& call) {
    const auto record = call.process.situation(call.situationId);
    const auto draft = call.drafts.find(record.id, record.version);
    if (!draft || !draft->countersignedBy.empty() || !allowed(call, "budget.approved"))
        return refuseJson(call, 409, t("No decision waits for a countersignature on this dossier.", call.language));
    std::optional<signature::Certificate> certificate;
    if (const auto refusal = certificateRefusal(call, call.form.value("certificate"), signature::kCoordinatorRole,
                                                call.actor.name, certificate))
        return refuseJson(call, 422, refusal->message, "R14", signature::statusName(refusal->status));
    if (signature::normaliseName(certificate->commonName()) == signature::normaliseName(draft->by))
        return refuseJson(call, 422, secondValidationMessage("same-signer", call.language), "R14", "same-signer");
    // The element `decision countersign` places inside the decision, bound to this situation.
    auto countersignature = xml::parseString("<countersignature by=\"" + xml::escaped(certificate->commonName()) +
                                                 "\" decision=\"" + draft->digest + "\"/>",
                                             "countersignature");
    DocumentToSign prepared;
    prepared.situationId = record.id;
    prepared.situationVersion = record.version;
    prepared.part = "countersignature";
    prepared.signedAt = signature::ossl::isoTime(std::chrono::system_clock::now());
    signature::prepareForSigning(countersignature.get(), record.id, record.version, prepared.signedAt,
                                 keyTypeOf(*certificate));
    prepared.xml = xml::serialize(countersignature.get());
    handOut(call, prepared, *certificate, draft->digest);
}

void submitCountersignature(SigningCall& call) {
    Outcome outcome;
    const auto pending = call.pending.take(call.form.value("nonce"), call.actor.name, call.situationId);
    const auto record = call.process.situation(call.situationId);
    auto draft = call.drafts.find(record.id, record.version);
    if (!pending || pending->part != "countersignature") {
        outcome.errors.push_back(
            {"", "",
             t("This signature was not asked for on this page, was already used or is too old: sign again.",
               call.language)});
        return countersignPage(call, 422, outcome);
    }
    if (!draft || draft->digest != pending->subject || !draft->countersignedBy.empty()) {
        outcome.errors.push_back(
            {"", "", t("The decision changed while you were countersigning; read it again.", call.language)});
        return countersignPage(call, 409, outcome);
    }
    try {
        const std::string value = signature::decodeBase64(call.form.value("signatureValue"), "SignatureValue");
        const std::string assembled = signature::assembleSignature(pending->document, value, "countersignature");
        const auto countersignature = xml::parseString(assembled, "countersignature");
        auto decision = parseEventData(draft->decision, "budget decision");
        xmlNode* root = xml::root(decision.get());
        xmlAddChild(root, xmlDocCopyNode(xml::root(countersignature.get()), decision.get(), 1));
        // The guards' own check (GuardFacts), with the deciding coordinator as the decision's
        // signer: what R14 will say when the decision is signed and recorded.
        const auto trust = call.process.trustStore();
        const auto [status, detail] = verifyCountersignature(root, draft->by, trust, signature::SignatureAge::New);
        if (status != "valid") {
            outcome.verdict =
                signature::Verifier(trust).verify(xml::root(countersignature.get()), signature::SignatureAge::New);
            outcome.verdict->detail = detail;
            outcome.errors.push_back({"", "R14", secondValidationMessage(status, call.language)});
            return countersignPage(call, 422, outcome);
        }
        draft->decision = xml::serialize(decision.get());
        draft->countersignedBy = call.actor.name;
        call.drafts.put(call.situationId, std::move(*draft));
        return call.redirect("/situations/" + std::to_string(call.situationId) + "/sign/countersign");
    } catch (const signature::MalformedSignature&) {
        outcome.errors.push_back({"", "R14", statusWords(SignatureStatus::Malformed, call.language)});
    } catch (const UsageError& refused) {
        outcome.errors.push_back({"", "", refused.what()});
    }
    countersignPage(call, 422, outcome);
}

// ---- what waits for the signed-in person's signature --------------------------------------

void listPage(SigningCall& call) {
    PageModel model;
    call.beginModel(model, "sign-list");
    model.open("waiting");
    for (const auto& record : call.process.situations()) {
        if (!call.maySee(record.id)) continue;
        const auto events = call.process.allowedEvents(record.id);
        const auto offers = [&](const char* event) {
            return std::find(events.begin(), events.end(), event) != events.end();
        };
        const auto document = xml::parseString(record.document, "situation");
        xml::XPath xpath(document.get());
        const std::string reference = xpath.string("string(/situation/youth/reference)");
        if (call.actor.role == signature::kPedopsychiatristRole && offers("plan.signed")) {
            const Situation situation = Situation::fromStored(record.document);
            const xmlNode* plan = xml::firstChild(xml::root(situation.document()), "carePlan");
            const auto named =
                plan ? assignedPedopsychiatrist(plan, situation.document(), call.process.network()) : std::nullopt;
            if (!named || signature::normaliseName(*named) != signature::normaliseName(call.actor.name)) continue;
            model.leaf("item", {{"kind", "plan"},
                                {"situation", std::to_string(record.id)},
                                {"reference", reference},
                                {"agreedOn", xml::attribute(plan, "agreedOn").value_or("")}});
        } else if (call.actor.role == signature::kCoordinatorRole && offers("budget.approved")) {
            // A decision another coordinator decided waits for this one's countersignature.
            const auto draft = call.drafts.find(record.id, record.version);
            if (draft && draft->countersignedBy.empty() &&
                signature::normaliseName(draft->by) != signature::normaliseName(call.actor.name))
                model.leaf("item", {{"kind", "countersign"},
                                    {"situation", std::to_string(record.id)},
                                    {"reference", reference},
                                    {"by", draft->by}});
            model.leaf("item",
                       {{"kind", "decision"}, {"situation", std::to_string(record.id)}, {"reference", reference}});
        }
    }
    model.close();
    call.sendPage(200, "sign-list", model);
}

} // namespace

std::string signingPageOf(const std::string& tail) {
    for (const char* page :
         {"plan", "plan/prepare", "decision", "decision/prepare", "decision/ask", "countersign", "countersign/prepare"})
        if (tail == page) return page;
    return "";
}

void handleSigningPage(SigningCall& call) {
    const std::string& page = call.page;
    if (page == "list" && !call.post) return listPage(call);
    if (page == "plan" && !call.post) return planPage(call, 200, {});
    if (page == "plan" && call.post) return submitSigned(call, "carePlan", {{"R11", ""}, {"R9", ""}}, planPage);
    if (page == "plan/prepare" && call.post) return preparePlan(call);
    if (page == "decision" && !call.post) return decisionPage(call, 200, {});
    if (page == "decision" && call.post)
        return submitSigned(call, "budgetDecision", {{"R16", ""}, {"R14", ""}}, decisionPage);
    if (page == "decision/prepare" && call.post) return prepareDecision(call);
    if (page == "decision/ask" && call.post) return askCountersignature(call);
    if (page == "countersign" && !call.post) return countersignPage(call, 200, {});
    if (page == "countersign" && call.post) return submitCountersignature(call);
    if (page == "countersign/prepare" && call.post) return prepareCountersignature(call);
    throw NotFound("no such page");
}

} // namespace caseflow::web
