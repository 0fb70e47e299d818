// GET /health, GET /metrics, GET /api/v1/openapi.json: the endpoints about the service
// itself. What must stay true: /health and the OpenAPI document are public and reveal
// nothing about any situation; /metrics publishes only counts and envelope totals.
#include "service/Endpoints.h"
#include "service/Problem.h"
#include "service/RequestContext.h"

#include <Poco/JSON/Object.h>

namespace caseflow::service {

void health(RequestContext& context) {
    auto json = Poco::makeShared<Poco::JSON::Object>(Poco::JSON_PRESERVE_KEY_ORDER);
    json->set("version", CASEFLOW_VERSION);
    try {
        // A read that touches the file: proves the database is there and readable.
        context.process().situationCount();
        json->set("status", "ok");
        json->set("database", "ok");
        context.sendJson(200, json);
    } catch (const std::exception&) {
        json->set("status", "unavailable");
        json->set("database", "unavailable");
        context.sendJson(503, json);
    }
}

void openApi(RequestContext& context) {
    if (context.state.openApiDocument.empty())
        throw ProblemException(
            Problem(ProblemKind::NotFound, "The OpenAPI document is not installed with this server."));
    context.send(200, "application/json; charset=utf-8", context.state.openApiDocument);
}

void metrics(RequestContext& context) {
    FundingProcess& process = context.process();
    std::vector<EnvelopeFigures> envelopes;
    for (const auto& [year, amount] : process.network().envelopes()) envelopes.push_back(process.envelope(year));
    context.send(200, "text/plain; version=0.0.4; charset=utf-8", context.state.metrics.render(envelopes));
}

} // namespace caseflow::service
