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
    const std::pair<const char*, std::uint64_t> counters[] = {
        {"caseflow_read_log_commits_total", reads.commits},
        {"caseflow_read_log_reads_total", reads.reads},
        {"caseflow_read_log_largest_batch", reads.largestBatch},
        {"caseflow_view_cache_hits_total", views.hits},
        {"caseflow_view_cache_misses_total", views.misses},
        {"caseflow_view_cache_entries", views.entries},
        {"caseflow_view_cache_bytes", views.bytes},
    };
    for (const auto& [name, value] : counters)
        text += std::string("# TYPE ") + name + (std::string(name).ends_with("_total") ? " counter\n" : " gauge\n") +
                name + " " + std::to_string(value) + "\n";
    context.send(200, "text/plain; version=0.0.4; charset=utf-8", text);
}

} // namespace caseflow::service
