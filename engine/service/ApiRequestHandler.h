// Handles one HTTP request from start to end: matches the route, reads the body within the
// size and time limits, authenticates the bearer token, checks the authorisation matrix,
// runs the endpoint, turns every failure into a problem+json response in the caller's
// language, and records the request in the metrics and the access log. What must stay true:
// no exception leaves handleRequest (the connection thread would die with it); a request
// whose body was not read to the end closes its connection (the rest of the body would be
// read as the next request); authentication and the matrix run before any endpoint code.
#pragma once

#include "service/ServiceState.h"

#include <Poco/Net/HTTPRequestHandler.h>

namespace caseflow::service {

class ApiRequestHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit ApiRequestHandler(ServiceState& state) : state_(state) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    ServiceState& state_;
};

} // namespace caseflow::service
