// The seam through which `caseflow serve` hands every request outside the JSON API to a second
// front end on the same port (the web application, engine/web): the service knows only this
// interface, the command line plugs the pages in. What must stay true: /api/**, /health and
// /metrics always reach the API's own handler, whatever is plugged in; an implementation
// lets no exception escape handleRequest, as ApiRequestHandler does not.
#pragma once

#include "service/Listener.h"
#include "service/ServiceState.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string_view>

namespace caseflow::service {

class PageFront {
public:
    virtual ~PageFront() = default;
    virtual void handleRequest(ServiceState& state, Exchange& exchange, Poco::Net::HTTPServerRequest& request,
                               Poco::Net::HTTPServerResponse& response) = 0;
};

// Whether a request path (query excluded or not) belongs to the JSON API.
inline bool isApiPath(std::string_view path) {
    const auto starts = [&](std::string_view prefix) {
        return path.substr(0, prefix.size()) == prefix &&
               (path.size() == prefix.size() || path[prefix.size()] == '/' || path[prefix.size()] == '?');
    };
    return starts("/api") || starts("/health") || starts("/metrics");
}

} // namespace caseflow::service
