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
    std::string text = context.state.metrics.render(envelopes);
    // The caches and the read log's group commit: whether they work under load shows here.
    const auto reads = context.state.readLog.stats();
    const auto views = context.state.views.stats();
    text +=
        "# TYPE caseflow_read_log_total counter\n"
        "caseflow_read_log_total{count=\"commits\"} " +
        std::to_string(reads.commits) + "\ncaseflow_read_log_total{count=\"reads\"} " + std::to_string(reads.reads) +
        "\n# TYPE caseflow_read_log_largest_batch gauge\ncaseflow_read_log_largest_batch{since=\"start\"} " +
        std::to_string(reads.largestBatch) +
        "\n# TYPE caseflow_view_cache_total counter\ncaseflow_view_cache_total{outcome=\"hit\"} " +
        std::to_string(views.hits) + "\ncaseflow_view_cache_total{outcome=\"miss\"} " + std::to_string(views.misses) +
        "\n# TYPE caseflow_view_cache_size gauge\ncaseflow_view_cache_size{unit=\"entries\"} " +
        std::to_string(views.entries) + "\ncaseflow_view_cache_size{unit=\"bytes\"} " + std::to_string(views.bytes) +
        "\n";
    context.send(200, "text/plain; version=0.0.4; charset=utf-8", text);
}

} // namespace caseflow::service
