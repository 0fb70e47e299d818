// Failed sign-ins counted per fixed window (see LoginThrottle.h).
#include "web/LoginThrottle.h"

namespace caseflow::web {

std::optional<std::int64_t> LoginThrottle::remaining(std::map<std::string, Window>& windows, const std::string& key,
                                                     int limit, std::int64_t now) {
    auto found = windows.find(key);
    if (found == windows.end()) return std::nullopt;
    const std::int64_t end = found->second.start + settings_.throttleWindowSeconds;
    if (now >= end) {
        windows.erase(found);
        return std::nullopt;
    }
    if (found->second.failures < limit) return std::nullopt;
    return end - now;
}

void LoginThrottle::count(std::map<std::string, Window>& windows, const std::string& key, std::int64_t now) {
    Window& window = windows[key];
    if (window.failures == 0 || now >= window.start + settings_.throttleWindowSeconds) window = Window{now, 0};
    ++window.failures;
}

std::optional<std::int64_t> LoginThrottle::blockedFor(const std::string& account, const std::string& address) {
    const std::int64_t now = settings_.now();
    std::lock_guard lock(mutex_);
    const auto byAccount = remaining(accounts_, account, settings_.failuresPerAccount, now);
    const auto byAddress = remaining(addresses_, address, settings_.failuresPerAddress, now);
    if (byAccount && byAddress) return std::max(*byAccount, *byAddress);
    return byAccount ? byAccount : byAddress;
}

void LoginThrottle::recordFailure(const std::string& account, const std::string& address) {
    const std::int64_t now = settings_.now();
    std::lock_guard lock(mutex_);
    count(accounts_, account, now);
    count(addresses_, address, now);
}

void LoginThrottle::recordSuccess(const std::string& account) {
    std::lock_guard lock(mutex_);
    accounts_.erase(account);
}

} // namespace caseflow::web
