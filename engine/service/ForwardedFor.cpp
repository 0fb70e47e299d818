// Believing a reverse proxy about the client, and only a trusted one (see ForwardedFor.h).
#include "service/ForwardedFor.h"

#include "core/Errors.h"
#include "service/ServiceConfig.h"

#include <Poco/String.h>

#include <cstring>

namespace caseflow::service {
namespace {

struct Network {
    Poco::Net::IPAddress address;
    unsigned prefix = 0; // bits that must match
};

bool parseNetwork(const std::string& entry, Network& network) {
    const auto slash = entry.find('/');
    if (!Poco::Net::IPAddress::tryParse(entry.substr(0, slash), network.address)) return false;
    const unsigned bits = network.address.length() * 8;
    if (slash == std::string::npos) {
        network.prefix = bits;
        return true;
    }
    const std::string length = entry.substr(slash + 1);
    if (length.empty() || length.size() > 3 || length.find_first_not_of("0123456789") != std::string::npos)
        return false;
    network.prefix = static_cast<unsigned>(std::stoi(length));
    return network.prefix <= bits;
}

// An IPv4 client accepted on an IPv6 socket arrives as ::ffff:a.b.c.d.
Poco::Net::IPAddress plain(const Poco::Net::IPAddress& address) {
    if (address.family() != Poco::Net::IPAddress::IPv6 || !address.isIPv4Mapped()) return address;
    return Poco::Net::IPAddress(static_cast<const unsigned char*>(address.addr()) + 12, 4);
}

bool contains(const Network& network, const Poco::Net::IPAddress& address) {
    if (network.address.family() != address.family()) return false;
    const auto* a = static_cast<const unsigned char*>(network.address.addr());
    const auto* b = static_cast<const unsigned char*>(address.addr());
    const unsigned whole = network.prefix / 8, rest = network.prefix % 8;
    if (std::memcmp(a, b, whole) != 0) return false;
    if (rest == 0) return true;
    const auto mask = static_cast<unsigned char>(0xff << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
}

// The last comma-separated item of the last `name` header, trimmed ("" when there is none).
std::string lastHop(const Poco::Net::HTTPServerRequest& request, const std::string& name) {
    std::string last;
    for (const auto& [key, value] : request)
        if (Poco::icompare(key, name) == 0) last = value;
    const auto comma = last.rfind(',');
    return Poco::trim(comma == std::string::npos ? last : last.substr(comma + 1));
}

bool fromTrustedProxy(const Poco::Net::HTTPServerRequest& request, const ServiceConfig& config) {
    return !config.trustedProxies.empty() && isTrustedProxy(request.clientAddress().host(), config.trustedProxies);
}

} // namespace

void checkTrustedProxy(const std::string& entry) {
    Network network;
    if (!parseNetwork(entry, network))
        throw UsageError("configuration: server.trustedProxies: '" + entry +
                         "' is neither an address (10.0.0.5, ::1) nor a network (10.0.0.0/8)");
}

bool isTrustedProxy(const Poco::Net::IPAddress& peer, const std::vector<std::string>& proxies) {
    const auto address = plain(peer);
    for (const auto& entry : proxies) {
        Network network;
        if (parseNetwork(entry, network) && contains(network, address)) return true;
    }
    return false;
}

std::string clientAddress(const Poco::Net::HTTPServerRequest& request, const ServiceConfig& config) {
    const auto peer = plain(request.clientAddress().host());
    if (!fromTrustedProxy(request, config)) return peer.toString();
    Poco::Net::IPAddress forwarded;
    if (!Poco::Net::IPAddress::tryParse(lastHop(request, "X-Forwarded-For"), forwarded)) return peer.toString();
    return plain(forwarded).toString();
}

bool clientUsesTls(const Poco::Net::HTTPServerRequest& request, const ServiceConfig& config) {
    if (config.tls()) return true;
    return fromTrustedProxy(request, config) && Poco::icompare(lastHop(request, "X-Forwarded-Proto"), "https") == 0;
}

} // namespace caseflow::service
