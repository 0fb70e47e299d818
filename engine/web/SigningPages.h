// Signing in the browser (issue 16, docs/signatures.md "Signing in the browser"): the list of
// what waits for the signed-in person's signature (/signatures), the care plan to sign
// (/situations/{id}/sign/plan) and the budget decision to decide and sign
// (/situations/{id}/sign/decision), and the second coordinator's countersignature (R14) of a
// decision above the stronger-validation threshold (/situations/{id}/sign/countersign). The page
// (templates/web/static/sign.js) opens the signer's browser key file with WebCrypto, shows the server the certificate
// (…/prepare), gets back the canonical SignedInfo and a nonce, signs the bytes and posts the signature value; the
// server assembles the signature into the document it prepared and records it through SigningDesk::submit, so the
// workflow's rules (R11, R16, R14) and the Verifier decide exactly as for `caseflow sign-file`.
//
// What must stay true: the private key never reaches the server (the page posts a certificate
// and a signature value only); nothing is handed out to sign unless the certificate is one the
// network issued, valid now, not revoked, of the person and role the document needs; a decision
// is countersigned by another coordinator than the one who decides it; a nonce
// is good once, for its user and situation, for kNonceLifetime; a value is only put into the
// document the server prepared for that nonce; nothing is stored by a GET.
#pragma once

#include "process/Actor.h"
#include "process/FundingProcess.h"
#include "web/Forms.h"
#include "web/PageModel.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace caseflow::web {

// A document prepared for one signer, waiting for the value their browser computes.
struct PendingSignature {
    std::string user;
    std::int64_t situationId = 0;
    std::int64_t situationVersion = 0;
    std::string part;     // "carePlan", "budgetDecision" or "countersignature"
    std::string document; // prepared, digest and certificate in, SignatureValue empty
    std::string subject;  // for a countersignature: countersignedDigest of the decision it covers
    std::chrono::steady_clock::time_point expires;
};

// The server-side half of the nonces: in memory (a restart only means signing again).
class PendingSignatures {
public:
    static constexpr std::chrono::minutes kNonceLifetime{10};
    static constexpr std::size_t kMaxPending = 1000;
    // Keeps `pending` and returns its nonce (256 random bits, hex).
    std::string put(PendingSignature pending);
    // The pending signature of `nonce` if it is `user`'s, for `situationId`, not expired; it is
    // forgotten either way, so a nonce is never good twice.
    std::optional<PendingSignature> take(const std::string& nonce, const std::string& user, std::int64_t situationId);

private:
    std::mutex mutex_;
    std::map<std::string, PendingSignature> pending_;
};

// A budget decision a coordinator decided above the stronger-validation threshold, waiting for
// a second coordinator's countersignature (R14) and then for its own signature. The
// countersignature goes inside the decision before the deciding coordinator signs it (the
// decision's signature covers it), so the decision waits here between the two people; nothing
// is recorded until the deciding coordinator signs. In memory like the nonces: a restart means
// deciding again, and a draft made over an older version of the situation is ignored.
struct DecisionDraft {
    std::int64_t situationVersion = 0;
    std::string by;       // the coordinator who decides (the decision's `by`)
    std::string decision; // <budgetDecision> without signature; with the countersignature once made
    std::string digest;   // countersignedDigest of the decision
    std::string countersignedBy;
    std::map<std::string, std::string> values; // the form's fields, to show the decision again
};

class DecisionDrafts {
public:
    static constexpr std::size_t kMaxDrafts = 1000;
    void put(std::int64_t situationId, DecisionDraft draft);
    // The draft of `situationId` made over `version`, if any (an older one is forgotten).
    std::optional<DecisionDraft> find(std::int64_t situationId, std::int64_t version);
    void forget(std::int64_t situationId);

private:
    std::mutex mutex_;
    std::map<std::int64_t, DecisionDraft> drafts_;
};

// What the signing pages need from the request pipeline (WebApplication owns sessions, CSRF,
// the authorisation matrix and the page chrome).
struct SigningCall {
    FundingProcess& process;
    PendingSignatures& pending;
    DecisionDrafts& drafts;
    // "list", "plan", "plan/prepare", "decision", "decision/prepare", "decision/ask",
    // "countersign", "countersign/prepare"
    std::string page;
    std::int64_t situationId = 0;
    bool post = false;
    PostedForm form; // urlencoded, already CSRF-checked
    std::string language;
    Actor actor;
    std::function<bool(std::int64_t)> maySee; // the situations this user may sign on
    std::function<void(PageModel&, const std::string& pageName)> beginModel;
    std::function<void(int status, const std::string& templateName, PageModel&)> sendPage;
    std::function<void(const std::string& location)> redirect;
    std::function<void(int status, const std::string& json)> sendJson;
    std::string chosenRequest = {}; // ?request= on the decision page: the budget check's "approve" link
};

// The page of `tail` under /situations/{id}/sign/ ("" when it is not one).
std::string signingPageOf(const std::string& tail);
void handleSigningPage(SigningCall& call);

} // namespace caseflow::web
