// Errors on the wire: application/problem+json (RFC 9457). Each kind of failure has a stable
// `type` URI (urn:caseflow:problem:<slug>) and one HTTP status; `title` and `detail` are
// translated into the caller's language through the `service` gettext domain, rule refusals
// add a `rules` array of {id, message}. What must stay true: a kind's slug and status never
// change once released (clients branch on them, docs/api.md lists them), and a problem never
// carries an internal message (SQL, file paths, stack) to the caller.
#pragma once

#include "core/Errors.h"

#include <Poco/JSON/Object.h>

#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace caseflow::service {

enum class ProblemKind {
    BadRequest,            // 400 a query parameter, header or path segment is malformed
    MalformedJson,         // 400 the body is not JSON, or not a JSON object
    InvalidEncoding,       // 400 the body is not UTF-8
    UnknownField,          // 400 a field the endpoint does not know
    MissingField,          // 400 a required field is absent
    WrongType,             // 400 a field has the wrong JSON type
    InvalidValue,          // 400 a field has the right type but an impossible value (negative amount...)
    TruncatedBody,         // 400 fewer bytes than Content-Length announced
    IdempotencyKeyMissing, // 400 a payment without Idempotency-Key
    Unauthenticated,       // 401 no token, or an unknown, revoked or expired one
    Forbidden,             // 403 the role, or the assignment, does not allow it
    NotFound,              // 404
    MethodNotAllowed,      // 405
    NotAcceptable,         // 406 a document format we cannot produce
    RequestTimeout,        // 408 the request did not arrive in time
    Conflict,              // 409 another writer got there first: reload and retry
    EventNotAllowed,       // 409 the situation's state does not take this event
    PreconditionFailed,    // 412 If-Match names a stale version
    PayloadTooLarge,       // 413
    UnsupportedMediaType,  // 415
    HeaderTooLarge,        // 431 the request head did not fit in the connection layer's buffer
    InvalidDocument,       // 422 the XML does not satisfy schemas/situation.xsd
    RuleRefusal,           // 422 refused by the network's rules; `rules` lists them
    DataOutOfScope,        // 422 data the event (or a registration) does not take
    IdempotencyKeyReused,  // 422 the same Idempotency-Key with a different request
    InternalError,         // 500
    DocumentsUnavailable,  // 503 the tool a document format needs is missing
    ServerBusy,            // 503 too many connections waiting (in all, or from one address)
};

int statusOf(ProblemKind kind);
std::string typeUriOf(ProblemKind kind); // "urn:caseflow:problem:rule-refusal"

class Problem {
public:
    // `detail` is an English msgid of the service domain with {name} placeholders.
    Problem(ProblemKind kind, std::string detail);
    Problem& arg(const std::string& name, std::string value);
    // A placeholder filled with workflow names in the caller's language, ids kept beside them:
    // context "state" ("budget-check" -> "vérification budgétaire (budget-check)") or "event".
    Problem& labelledArg(const std::string& name, const char* context, std::string ids);
    // Text from the engine (already in the caller's language, or English): used verbatim.
    Problem& literalDetail(std::string detail);
    Problem& rules(std::vector<RuleViolation> violations);
    Problem& details(std::vector<std::string> details); // e.g. schema errors, as "errors"
    Problem& extension(const std::string& name, const Poco::Dynamic::Var& value);
    Problem& header(const std::string& name, std::string value);

    ProblemKind kind() const { return kind_; }
    int status() const { return statusOf(kind_); }
    const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }
    // The problem+json body in `language` ("fr", "nl", "en").
    Poco::JSON::Object::Ptr toJson(const std::string& language, const std::string& instance) const;
    std::string detailIn(const std::string& language) const;

private:
    ProblemKind kind_;
    std::string detail_;
    bool literal_ = false;
    std::vector<std::pair<std::string, std::string>> args_;
    struct LabelledArg {
        std::string name;
        const char* context;
        std::string ids;
    };
    std::vector<LabelledArg> labelledArgs_;
    std::vector<RuleViolation> rules_;
    std::vector<std::string> details_;
    std::vector<std::pair<std::string, Poco::Dynamic::Var>> extensions_;
    std::vector<std::pair<std::string, std::string>> headers_;
};

// Thrown by handlers and helpers; the request handler turns it into the response.
class ProblemException : public std::exception {
public:
    explicit ProblemException(Problem problem) : problem_(std::move(problem)) {}
    const Problem& problem() const { return problem_; }
    const char* what() const noexcept override { return "HTTP problem"; }

private:
    Problem problem_;
};

// A service message in `language` with {placeholders} filled in.
std::string serviceText(const std::string& msgid, const std::string& language,
                        const std::vector<std::pair<std::string, std::string>>& args = {});

} // namespace caseflow::service
