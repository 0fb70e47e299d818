// What the web application is configured with: session lifetimes, login throttling limits and
// the clock they are measured by. What must stay true: the defaults are the documented ones
// (docs/web.md); tests shorten them or move the clock, production never does.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace caseflow::web {

struct WebSettings {
    std::int64_t sessionIdleSeconds = 30 * 60;          // no request for this long ends a session
    std::int64_t sessionAbsoluteSeconds = 12 * 60 * 60; // a session never lives longer than this
    int failuresPerAccount = 5;                         // failed sign-ins of one account per window
    int failuresPerAddress = 20;                        // failed sign-ins from one client address per window
    std::int64_t throttleWindowSeconds = 15 * 60;
    std::size_t caseloadPageSize = 20; // situations per caseload page
    bool tls = false;                  // cookies get Secure and the __Host- prefix
    // Unix seconds; a test moves it forward to expire sessions or throttling windows.
    std::function<std::int64_t()> now = [] {
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
};

} // namespace caseflow::web
