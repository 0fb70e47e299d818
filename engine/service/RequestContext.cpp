// Request helpers (see RequestContext.h).
#include "service/RequestContext.h"

#include "service/Problem.h"

#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <cassert>
#include <sstream>

namespace caseflow::service {

std::string etagOf(std::int64_t version) {
    return "\"" + std::to_string(version) + "\"";
}

FundingProcess& RequestContext::process() {
    if (!lease_) {
        lease_.emplace(state.pool.acquire());
        (*lease_)->setLanguage(language);
    }
    return **lease_;
}

const Principal& RequestContext::caller() const {
    assert(principal && "caller() on a public route");
    return *principal;
}

std::optional<std::string> RequestContext::queryValue(const std::string& name) const {
    for (const auto& [key, value] : query)
        if (key == name) return value;
    return std::nullopt;
}

std::int64_t RequestContext::situationIdParam(const std::string& name) const {
    const std::string& text = params.at(name);
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos ||
        text.find_first_not_of('0') == std::string::npos)
        throw ProblemException(Problem(ProblemKind::NotFound, "There is no situation {id}.").arg("id", text));
    return std::stoll(text);
}

std::string RequestContext::contentType() const {
    std::string type = request.getContentType();
    type = type.substr(0, type.find(';'));
    type.erase(std::remove(type.begin(), type.end(), ' '), type.end());
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char ch) { return std::tolower(ch); });
    return type;
}

void RequestContext::requireJsonBody() const {
    if (contentType() != "application/json")
        throw ProblemException(
            Problem(ProblemKind::UnsupportedMediaType, "This endpoint takes application/json, not '{type}'.")
                .arg("type", request.getContentType()));
}

std::optional<std::int64_t> RequestContext::ifMatchVersion() const {
    if (!request.has("If-Match")) return std::nullopt;
    std::string value = request.get("If-Match");
    value.erase(0, value.find_first_not_of(' '));
    value.erase(value.find_last_not_of(' ') + 1);
    if (value == "*") return std::nullopt;
    if (value.rfind("W/", 0) == 0)
        throw ProblemException(
            Problem(ProblemKind::PreconditionFailed, "If-Match compares versions strongly; a weak tag never matches."));
    if (value.size() < 3 || value.size() > 20 || value.front() != '"' || value.back() != '"' ||
        value.find_first_not_of("0123456789", 1) != value.size() - 1)
        throw ProblemException(
            Problem(ProblemKind::BadRequest, "If-Match must be one version as the ETag gives it, like \"5\"."));
    return std::stoll(value.substr(1, value.size() - 2));
}

void RequestContext::markSent(int status, std::uint64_t bytes) {
    sent_ = true;
    status_ = status;
    bytes_ = bytes;
}

void RequestContext::send(int status, const std::string& type, const std::string& content) {
    assert(!sent_ && "a response is sent once");
    // With its own reason phrase: Poco's setStatus alone leaves "OK" on every status line.
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    if (bodyPending) response.setKeepAlive(false);
    response.setContentType(type);
    response.set("Cache-Control", "no-store");
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Content-Language", language);
    response.set("X-Request-Id", std::to_string(requestId));
    response.setContentLength64(static_cast<Poco::Int64>(content.size()));
    markSent(status, content.size());
    response.sendBuffer(content.data(), content.size());
}

void RequestContext::sendJson(int status, const Poco::Dynamic::Var& json) {
    std::ostringstream text;
    Poco::JSON::Stringifier::stringify(json, text);
    send(status, "application/json; charset=utf-8", text.str());
}

std::string RequestContext::documentLanguage() const {
    const auto lang = queryValue("lang");
    if (!lang) return language == "nl" ? "nl" : "fr";
    if (*lang != "fr" && *lang != "nl" && *lang != "fr+nl" && *lang != "nl+fr")
        throw ProblemException(
            Problem(ProblemKind::BadRequest, "lang must be fr, nl, fr+nl or nl+fr.").extension("field", "lang"));
    return *lang;
}

int yearParameter(const std::string& text, const std::string& field) {
    if (text.size() != 4 || text.find_first_not_of("0123456789") != std::string::npos || text < "1900" || text > "2999")
        throw ProblemException(Problem(ProblemKind::BadRequest, "{field} must be a year like 2026.")
                                   .arg("field", field)
                                   .extension("field", field));
    return std::stoi(text);
}

} // namespace caseflow::service
