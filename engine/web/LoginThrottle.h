// Login throttling: after too many failed sign-ins of one account, or from one client address,
// within a window, further attempts are refused until the window ends, without even checking
// the password (so guessing cannot continue and the hashing cost cannot be used against the
// server). What must stay true: a refusal says when to try again and never whether the account
// exists; a successful sign-in clears its account's count, not its address's (one valid
// account must not launder an address's guesses). Kept in memory: a restart forgets it, which
// docs/web.md accepts (an attacker gains one window per restart, which they cannot cause).
#pragma once

#include "web/WebSettings.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace caseflow::web {

class LoginThrottle {
public:
    explicit LoginThrottle(const WebSettings& settings) : settings_(settings) {}

    // Seconds until attempts are taken again for this account or address; nullopt: go ahead.
    std::optional<std::int64_t> blockedFor(const std::string& account, const std::string& address);
    void recordFailure(const std::string& account, const std::string& address);
    void recordSuccess(const std::string& account);

private:
    struct Window {
        std::int64_t start = 0;
        int failures = 0;
    };
    std::optional<std::int64_t> remaining(std::map<std::string, Window>& windows, const std::string& key, int limit,
                                          std::int64_t now);
    void count(std::map<std::string, Window>& windows, const std::string& key, std::int64_t now);

    const WebSettings& settings_;
    std::mutex mutex_;
    std::map<std::string, Window> accounts_;
    std::map<std::string, Window> addresses_;
};

} // namespace caseflow::web
