// Everything one request handler works with: the request and its parsed parts (path
// parameters, query, body), who is calling and what the matrix lets them do, the caller's
// language, a leased FundingProcess, and the helpers that write the response. What must stay
// true: a response is sent at most once; every JSON response is UTF-8 with
// Cache-Control: no-store (these are health data of minors, no cache may keep them).
#pragma once

#include "service/Authorisation.h"
#include "service/ProcessPool.h"
#include "service/ServiceState.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace caseflow::service {

class RequestContext {
public:
    RequestContext(ServiceState& serviceState, Poco::Net::HTTPServerRequest& httpRequest,
                   Poco::Net::HTTPServerResponse& httpResponse, std::string callerLanguage, std::uint64_t id)
        : state(serviceState), request(httpRequest), response(httpResponse), language(std::move(callerLanguage)),
          requestId(id) {}

    ServiceState& state;
    Poco::Net::HTTPServerRequest& request;
    Poco::Net::HTTPServerResponse& response;
    const std::string language; // fr, nl or en, from Accept-Language
    const std::uint64_t requestId;

    std::map<std::string, std::string> params;              // from the route's {placeholders}, decoded
    std::vector<std::pair<std::string, std::string>> query; // decoded
    std::string body;
    // The request announced a body that has not been read (yet): any answer sent now closes
    // the connection, since the unread bytes would otherwise be taken for the next request.
    bool bodyPending = false;
    std::optional<Principal> principal; // set for every non-public route before its handler runs
    Permission permission;              // what the matrix gives principal->role for this route

    // The process leased for this request, opened on first use, in the caller's language.
    FundingProcess& process();
    const Principal& caller() const;

    std::optional<std::string> queryValue(const std::string& name) const;
    // The `lang` query parameter of a document (fr, nl, fr+nl or nl+fr; 400 otherwise). Without
    // it, Dutch for a Dutch reader and French, the network's first language, for anyone else.
    std::string documentLanguage() const;
    // The path parameter `name` as a situation id (a positive number), else 404: an id that
    // cannot exist names nothing.
    std::int64_t situationIdParam(const std::string& name = "id") const;
    // The media type of the body, lower-cased, without parameters ("application/json").
    std::string contentType() const;
    void requireJsonBody() const; // 415 unless Content-Type is application/json
    // If-Match as a version: nullopt when absent or "*"; 400 when malformed; 412 when it can
    // never match (a weak tag, which If-Match compares strongly).
    std::optional<std::int64_t> ifMatchVersion() const;

    // True when If-None-Match names `etag` (or is "*"): the caller already holds this
    // representation. Tags are compared weakly, as RFC 9110 §13.1.2 says for If-None-Match.
    bool ifNoneMatch(const std::string& etag) const;
    // 304 Not Modified with `etag`, no body and no Content-Length.
    void sendNotModified(const std::string& etag);

    void sendJson(int status, const Poco::Dynamic::Var& json);
    void send(int status, const std::string& contentType, const std::string& content);
    bool sent() const { return sent_; }
    int status() const { return status_; }
    std::uint64_t bytesSent() const { return bytes_; }
    void markSent(int status, std::uint64_t bytes);

private:
    std::optional<ProcessPool::Lease> lease_;
    bool sent_ = false;
    int status_ = 0;
    std::uint64_t bytes_ = 0;
};

// `text` as a year like 2026 (400 naming `field` otherwise).
int yearParameter(const std::string& text, const std::string& field);

// The ETag of a situation version: "5" (strong, quoted).
std::string etagOf(std::int64_t version);
// The ETag of one view of a situation version (strong: the bytes are the same for the same
// tag): "5" for the full view (the version, as writes take it in If-Match), "5-finance" for
// finance's, and for the committee's, which shows no version (R19), an opaque tag keyed by
// `tagKey` that changes with the version without revealing it.
std::string situationTag(std::int64_t situationId, std::int64_t version, View view, const std::string& tagKey);

} // namespace caseflow::service
