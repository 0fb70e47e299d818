// Who the client is, and whether it spoke TLS, when `caseflow serve` stands behind a reverse
// proxy (deploy/nginx/caseflow.conf, docs/deployment.md). The proxy is the TCP peer of every
// request; it says who it talked to in X-Forwarded-For and how in X-Forwarded-Proto. What must
// stay true: those headers are believed only when the peer is one of `server.trustedProxies`
// (anyone else can write them), and then only their last hop — the address the trusted proxy
// itself saw, which it appends; the hops before it were written by the client. A header that
// does not hold an address leaves the peer's address in place: nothing forged reaches the
// login throttle or the access log.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/IPAddress.h>

#include <string>
#include <vector>

namespace caseflow::service {

struct ServiceConfig;

// Throws UsageError unless `entry` is an address ("10.0.0.5", "::1") or a network
// ("10.0.0.0/8", "fd00::/8").
void checkTrustedProxy(const std::string& entry);
// Whether `peer` is one of `proxies` (entries as checkTrustedProxy takes them); an IPv4
// peer seen through an IPv6 socket (::ffff:a.b.c.d) counts as its IPv4 address.
bool isTrustedProxy(const Poco::Net::IPAddress& peer, const std::vector<std::string>& proxies);

// The client's address: the last hop of X-Forwarded-For when the peer is a trusted proxy and
// that hop is an address, else the peer's own address.
std::string clientAddress(const Poco::Net::HTTPServerRequest& request, const ServiceConfig& config);
// Whether the client reached us over TLS: the server's own TLS, or a trusted proxy that
// terminated it and says X-Forwarded-Proto: https.
bool clientUsesTls(const Poco::Net::HTTPServerRequest& request, const ServiceConfig& config);

} // namespace caseflow::service
