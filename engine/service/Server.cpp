// Server start-up and graceful shutdown (see Server.h).
#include "service/Server.h"
#include "core/Files.h"

#include "core/Errors.h"
#include "model/Paths.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

namespace caseflow::service {
namespace {

std::string readOpenApi() {
    const auto path = dataDir() / "docs" / "openapi.json";
    return std::filesystem::exists(path) ? readFile(path) : std::string();
}

void initialiseTls() {
    // OpenSSL's global set-up, once per process; Poco pairs it with uninitializeSSL at exit.
    static std::once_flag once;
    std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

} // namespace

Server::Server(ServiceConfig config) : state_(std::make_unique<ServiceState>(std::move(config))) {
    state_->config.validate();
}

Server::~Server() {
    stop();
}

void Server::start() {
    if (listener_) return;
    const ServiceConfig& config = state_->config;
    state_->pool.warmUp();
    state_->openApiDocument = readOpenApi();

    const Poco::Net::SocketAddress address(config.host, config.port);
    std::unique_ptr<Poco::Net::ServerSocket> socket;
    try {
        if (config.tls()) {
            initialiseTls();
            if (!std::filesystem::exists(*config.tlsCertificate) || !std::filesystem::exists(*config.tlsPrivateKey))
                throw UsageError("TLS certificate or key file not found");
            // Context is reference-counted too; no client certificates are asked for (tokens authenticate).
            auto context = Poco::makeAuto<Poco::Net::Context>(
                Poco::Net::Context::TLS_SERVER_USE, config.tlsPrivateKey->string(), config.tlsCertificate->string(), "",
                Poco::Net::Context::VERIFY_NONE, 9, false, "HIGH:!aNULL:!MD5:!RC4");
            context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                                      Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
            socket = std::make_unique<Poco::Net::SecureServerSocket>(address, 256, context);
        } else {
            socket = std::make_unique<Poco::Net::ServerSocket>(address, 256);
        }
    } catch (const Poco::Exception& error) {
        throw UsageError("cannot listen on " + config.bind() + ": " + error.displayText());
    }
    port_ = socket->address().port();

    listener_ = std::make_unique<Listener>(*state_, *socket, config.tls());
    listener_->start();
}

void Server::stop() {
    if (!listener_) return;
    // Stop accepting, close idle and half-received connections, let each request in progress
    // be answered (nothing is half-written), and cut what is still busy after the grace.
    listener_->stop(std::chrono::seconds(state_->config.shutdownGraceSeconds));
    listener_.reset();
    state_->accessLog.flush(); // every request answered is in the log when stop() returns
}

std::uint16_t Server::port() const {
    return port_;
}

} // namespace caseflow::service
