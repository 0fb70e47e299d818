// The connection layer of `caseflow serve`: one acceptor thread and a fixed set of worker
// threads. The acceptor owns every connection that is not in a request: it accepts, waits
// (with epoll, holding no worker) until a connection's whole request head has arrived, and
// only then queues it for a worker; kept-alive connections come back to it between requests,
// except that a worker which has just answered keeps the connection for a few milliseconds
// when no other connection is queued, and serves its next request itself if that request's
// whole head is in the kernel's buffer by then (no hand-off for a client that calls again at once).
// So a slow or idle client, authenticated or not, never holds a worker while its head
// trickles in: workers are only ever given heads that are complete in the kernel's buffer.
// The acceptor is also the deadline watchdog: a head or body that is still being read when
// its deadline passes has its socket's read side shut down, which ends any read in progress.
// What must stay true: every waiting connection has a deadline (head, keep-alive idle or
// lingering close) and the acceptor closes it then; the number of waiting connections is
// bounded in all and per client address; a connection's bytes are never read by two parties
// (a response that leaves request bytes unread closes the connection, so leftover bytes can
// never run as a second request); stop() ends every thread it started.
// Under TLS the acceptor cannot see the head through the encryption: it hands a connection
// over once its first bytes arrive, and the head deadline is enforced on the worker by the
// watchdog instead.
#pragma once

#include "service/Problem.h"
#include "service/ServiceState.h"

#include <Poco/Net/ServerSocket.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace caseflow::service {

// What the connection layer tells the request handler about the request in hand.
struct Exchange {
    std::chrono::steady_clock::time_point bodyDeadline; // the whole body must be read by then
    std::optional<Problem> framingProblem;              // ambiguous length fields seen after parsing (TLS)
    std::function<void()> bodyRead;                     // the body is read: its deadline no longer applies
};

class Listener {
public:
    Listener(ServiceState& state, Poco::Net::ServerSocket socket, bool tls);
    ~Listener();
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    void start();
    // Stops accepting, closes waiting connections, lets requests in progress finish for up to
    // `grace`, then cuts the connections still busy and joins every thread.
    void stop(std::chrono::seconds grace);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace caseflow::service
