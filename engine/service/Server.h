// One running HTTP(S) service: the listening socket, the connection layer (Listener: an
// acceptor that holds slow clients without a worker, and the workers) and the ServiceState
// the request handlers share. What must stay true: stop() is
// graceful (no new connections; requests already being handled run to their end, so nothing
// is half-written; idle keep-alive connections are closed) and bounded by the configured
// grace period, after which connections are cut; when stop() returns, every request answered
// is written in the access log; the destructor stops a running server.
#pragma once

#include "service/ServiceConfig.h"
#include "service/ServiceState.h"

#include "service/Listener.h"

#include <cstdint>
#include <memory>

namespace caseflow::service {

class Server {
public:
    explicit Server(ServiceConfig config);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Opens the database (failing early when it is missing or foreign), binds and starts.
    void start();
    void stop();
    std::uint16_t port() const; // the bound port (useful when the configuration said 0)
    bool tls() const { return state_->config.tls(); }
    ServiceState& state() { return *state_; }

private:
    std::unique_ptr<ServiceState> state_;
    std::unique_ptr<Listener> listener_;
    std::uint16_t port_ = 0;
};

} // namespace caseflow::service
