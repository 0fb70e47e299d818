// Problem details (see Problem.h). What must stay true: the table below is the only place
// where a kind gets its slug and status; docs/api.md and docs/openapi.json list the same.
#include "service/Problem.h"

#include "core/Text.h"
#include "i18n/InputExplanation.h"
#include "i18n/Translator.h"
#include "service/JsonBody.h"

#include <Poco/JSON/Array.h>

#include <array>
#include <stdexcept>

namespace caseflow::service {
namespace {

struct KindRow {
    ProblemKind kind;
    int status;
    const char* slug;
    const char* title; // msgid of the service domain
};

const std::array<KindRow, 28> kKinds = {{
    {ProblemKind::BadRequest, 400, "bad-request", "Bad request"},
    {ProblemKind::MalformedJson, 400, "malformed-json", "Malformed JSON"},
    {ProblemKind::InvalidEncoding, 400, "invalid-encoding", "The request is not valid UTF-8"},
    {ProblemKind::UnknownField, 400, "unknown-field", "Unknown field"},
    {ProblemKind::MissingField, 400, "missing-field", "Missing field"},
    {ProblemKind::WrongType, 400, "wrong-type", "Wrong type"},
    {ProblemKind::InvalidValue, 400, "invalid-value", "Invalid value"},
    {ProblemKind::TruncatedBody, 400, "truncated-body", "Truncated request body"},
    {ProblemKind::IdempotencyKeyMissing, 400, "idempotency-key-missing", "Idempotency-Key required"},
    {ProblemKind::Unauthenticated, 401, "unauthenticated", "Authentication required"},
    {ProblemKind::Forbidden, 403, "forbidden", "Forbidden"},
    {ProblemKind::NotFound, 404, "not-found", "Not found"},
    {ProblemKind::MethodNotAllowed, 405, "method-not-allowed", "Method not allowed"},
    {ProblemKind::NotAcceptable, 406, "not-acceptable", "Not acceptable"},
    {ProblemKind::RequestTimeout, 408, "request-timeout", "Request timeout"},
    {ProblemKind::Conflict, 409, "conflict", "Conflict"},
    {ProblemKind::EventNotAllowed, 409, "event-not-allowed", "Event not allowed in this state"},
    {ProblemKind::PreconditionFailed, 412, "precondition-failed", "Precondition failed"},
    {ProblemKind::PayloadTooLarge, 413, "payload-too-large", "Request body too large"},
    {ProblemKind::UnsupportedMediaType, 415, "unsupported-media-type", "Unsupported media type"},
    {ProblemKind::HeaderTooLarge, 431, "header-too-large", "Request head too large"},
    {ProblemKind::InvalidDocument, 422, "invalid-document", "Invalid document"},
    {ProblemKind::RuleRefusal, 422, "rule-refusal", "Refused by the network's rules"},
    {ProblemKind::DataOutOfScope, 422, "data-out-of-scope", "Data this event does not take"},
    {ProblemKind::IdempotencyKeyReused, 422, "idempotency-key-reused", "Idempotency-Key reused"},
    {ProblemKind::InternalError, 500, "internal-error", "Internal error"},
    {ProblemKind::DocumentsUnavailable, 503, "documents-unavailable", "Documents module unavailable"},
    {ProblemKind::ServerBusy, 503, "server-busy", "Server busy"},
}};

const KindRow& rowOf(ProblemKind kind) {
    for (const auto& row : kKinds)
        if (row.kind == kind) return row;
    throw std::logic_error("problem kind without a row");
}

} // namespace

int statusOf(ProblemKind kind) {
    return rowOf(kind).status;
}
std::string typeUriOf(ProblemKind kind) {
    return std::string("urn:caseflow:problem:") + rowOf(kind).slug;
}

std::string serviceText(const std::string& msgid, const std::string& language,
                        const std::vector<std::pair<std::string, std::string>>& args) {
    std::string text = i18n::translate(i18n::kServiceDomain, msgid, language);
    for (const auto& [name, value] : args) {
        const std::string placeholder = "{" + name + "}";
        for (std::size_t at = text.find(placeholder); at != std::string::npos;
             at = text.find(placeholder, at + value.size()))
            text.replace(at, placeholder.size(), value);
    }
    return text;
}

Problem::Problem(ProblemKind kind, std::string detail) : kind_(kind), detail_(std::move(detail)) {}

Problem& Problem::arg(const std::string& name, std::string value) {
    args_.emplace_back(name, std::move(value));
    return *this;
}

Problem& Problem::literalDetail(std::string detail) {
    detail_ = std::move(detail);
    literal_ = true;
    return *this;
}

Problem& Problem::rules(std::vector<RuleViolation> violations) {
    rules_ = std::move(violations);
    return *this;
}

Problem& Problem::details(std::vector<std::string> details) {
    details_ = std::move(details);
    return *this;
}

Problem& Problem::extension(const std::string& name, const Poco::Dynamic::Var& value) {
    extensions_.emplace_back(name, value);
    return *this;
}

Problem& Problem::header(const std::string& name, std::string value) {
    headers_.emplace_back(name, std::move(value));
    return *this;
}

Problem& Problem::labelledArg(const std::string& name, const char* context, std::string ids) {
    labelledArgs_.push_back(LabelledArg{name, context, std::move(ids)});
    return *this;
}

std::string Problem::detailIn(const std::string& language) const {
    if (literal_) return detail_;
    auto args = args_;
    for (const auto& labelled : labelledArgs_) {
        std::string words;
        for (const auto& id : text::words(labelled.ids)) {
            const std::string label = i18n::translateInContext(i18n::kWorkflowDomain, labelled.context, id, language);
            words += (words.empty() ? "" : ", ") + (label == id ? id : label + " (" + id + ")");
        }
        args.emplace_back(labelled.name, words);
    }
    return serviceText(detail_, language, args);
}

Poco::JSON::Object::Ptr Problem::toJson(const std::string& language, const std::string& instance) const {
    // Details quote what the client sent (a path, a parameter name, a Content-Type), which
    // may be any bytes: every string is made valid UTF-8 here, the one place bodies are built.
    const auto clean = [](const Poco::Dynamic::Var& value) -> Poco::Dynamic::Var {
        return value.isString() ? Poco::Dynamic::Var(toValidUtf8(value.extract<std::string>())) : value;
    };
    auto json = Poco::makeShared<Poco::JSON::Object>(Poco::JSON_PRESERVE_KEY_ORDER);
    json->set("type", typeUriOf(kind_));
    json->set("status", status());
    json->set("title", serviceText(rowOf(kind_).title, language));
    json->set("detail", toValidUtf8(detailIn(language)));
    if (!instance.empty()) json->set("instance", toValidUtf8(instance));
    if (!rules_.empty()) {
        Poco::JSON::Array rules;
        for (const auto& violation : rules_) {
            auto rule = Poco::makeShared<Poco::JSON::Object>(Poco::JSON_PRESERVE_KEY_ORDER);
            rule->set("id", violation.ruleId);
            rule->set("message", toValidUtf8(violation.message));
            rules.add(rule);
        }
        json->set("rules", rules);
    }
    if (!details_.empty()) {
        Poco::JSON::Array errors;
        // Schema findings are said again in the caller's language where they are common ones.
        for (const auto& detail : details_) errors.add(toValidUtf8(i18n::explainInputLine(detail, language)));
        json->set("errors", errors);
    }
    for (const auto& [name, value] : extensions_) json->set(name, clean(value));
    return json;
}

} // namespace caseflow::service
