// Handler creation (see RequestHandlerFactory.h).
#include "service/RequestHandlerFactory.h"

#include "service/ApiRequestHandler.h"

#include <memory>

namespace caseflow::service {

Poco::Net::HTTPRequestHandler* RequestHandlerFactory::createRequestHandler(const Poco::Net::HTTPServerRequest&) {
    // Poco's documented contract: the caller (HTTPServerConnection) owns the returned handler
    // and deletes it once the request is answered; release() hands that ownership over.
    return std::make_unique<ApiRequestHandler>(state_).release();
}

} // namespace caseflow::service
