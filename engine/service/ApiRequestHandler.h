// Handles one HTTP request from start to end: matches the route, authenticates the bearer
// token and checks the authorisation matrix, then reads the body within the size limit and
// the connection's body deadline, runs the endpoint, turns every failure into a problem+json response in the caller's
// language, and records the request in the metrics and the access log. What must stay true:
// no exception leaves handleRequest (the connection thread would die with it); a request
// whose body was not read to the end closes its connection (the rest of the body would be
// read as the next request); authentication and the matrix run before any byte of the body is
// read (a stranger's body is never waited for); HEAD is answered wherever GET is, with the same
// status and headers and no body.
#pragma once

#include "service/Listener.h"
#include "service/ServiceState.h"

#include <Poco/Net/HTTPRequestHandler.h>

namespace caseflow::service {

class ApiRequestHandler : public Poco::Net::HTTPRequestHandler {
public:
    ApiRequestHandler(ServiceState& state, Exchange& exchange) : state_(state), exchange_(exchange) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    ServiceState& state_;
    Exchange& exchange_;
};

} // namespace caseflow::service
