// Poco's door into the service: one ApiRequestHandler per request, all sharing one
// ServiceState. What must stay true: the factory holds no per-request state.
#pragma once

#include "service/ServiceState.h"

#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace caseflow::service {

class RequestHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit RequestHandlerFactory(ServiceState& state) : state_(state) {}
    // Poco takes ownership of the returned handler and deletes it after the request.
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

private:
    ServiceState& state_;
};

} // namespace caseflow::service
