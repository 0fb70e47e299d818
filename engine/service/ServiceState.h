// What every request handler of one running server shares: the settings, the pool of
// per-request processes, the metrics, the access log, the read log and the OpenAPI document. What must
// stay true: everything here is either immutable after start-up or thread-safe itself.
#pragma once

#include "service/AccessLog.h"
#include "service/EnvelopeCache.h"
#include "service/Metrics.h"
#include "service/ProcessPool.h"
#include "service/ReadLog.h"
#include "service/ServiceConfig.h"
#include "service/ViewCache.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace caseflow::service {

class PageFront;

std::string randomTagKey();

struct ServiceState {
    explicit ServiceState(ServiceConfig settings)
        : config(std::move(settings)), pool(config.database, config.workflow), accessLog(config.accessLog),
          readLog(config.database), views(config.viewCacheBytes), tagKey(randomTagKey()) {}

    const ServiceConfig config;
    ProcessPool pool;
    Metrics metrics;
    AccessLog accessLog;
    ReadLog readLog;
    ViewCache views;         // situation bodies by (situation, version, view, day)
    EnvelopeCache envelopes; // envelope bodies by (year, day, language, newest event, settings)
    // The key of the committee's opaque ETags (random for each server run): the committee's
    // view has no version (R19), so its tag must not let anyone count the versions.
    const std::string tagKey;
    std::string openApiDocument; // docs/openapi.json, read once at start-up ("" when absent)
    std::atomic<std::uint64_t> nextRequestId{1};
    // The web application (service/PageFront.h), set before start; null: the API answers every path.
    std::shared_ptr<PageFront> pages;
};

} // namespace caseflow::service
