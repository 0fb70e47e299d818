// Request helpers (see RequestContext.h).
#include "service/RequestContext.h"

#include "service/Problem.h"
#include "store/Sha256.h"

#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <cassert>
#include <random>
#include <sstream>

namespace caseflow::service {

std::string etagOf(std::int64_t version) {
    return "\"" + std::to_string(version) + "\"";
}

std::string situationTag(std::int64_t situationId, std::int64_t version, View view, const std::string& tagKey) {
    switch (view) {
    case View::Full:
        return etagOf(version);
    case View::Finance:
        return "\"" + std::to_string(version) + "-finance\"";
    case View::Committee:
        break;
    }
    return "\"c" +
           store::sha256Hex(tagKey + '/' + std::to_string(situationId) + '/' + std::to_string(version)).substr(0, 24) +
           "\"";
}

std::string randomTagKey() {
    std::random_device device;
    std::string key;
    for (int n = 0; n < 8; ++n) key += std::to_string(device()) + '.';
    return key;
}

bool RequestContext::ifNoneMatch(const std::string& etag) const {
    if (!request.has("If-None-Match")) return false;
    const std::string value = request.get("If-None-Match");
    std::size_t start = 0;
    while (start < value.size()) {
        auto end = value.find(',', start);
        if (end == std::string::npos) end = value.size();
        std::string tag = value.substr(start, end - start);
        tag.erase(0, tag.find_first_not_of(' '));
        tag.erase(tag.find_last_not_of(' ') + 1);
        if (tag.rfind("W/", 0) == 0) tag.erase(0, 2);
        if (tag == "*" || tag == etag) return true;
        start = end + 1;
    }
    return false;
}

void RequestContext::sendNotModified(const std::string& etag) {
    assert(!sent_ && "a response is sent once");
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
    if (bodyPending) response.setKeepAlive(false);
    response.set("ETag", etag);
    response.set("Cache-Control", "no-store");
    response.set("Content-Language", language);
    response.set("X-Request-Id", std::to_string(requestId));
    markSent(304, 0);
    // send(), not sendBuffer(): Poco writes a 304's head without Content-Length (RFC 9110
    // §8.6 forbids one that differs from the 200's) and no body.
    response.send();
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
    // Finance's view tags its version "5-finance": the same version, given back as read.
    if (const auto suffix = value.rfind("-finance\""); suffix != std::string::npos && suffix + 9 == value.size())
        value = value.substr(0, suffix) + "\"";
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
