// Server start-up and graceful shutdown (see Server.h).
#include "service/Server.h"

#include "model/Errors.h"
#include "model/Paths.h"
#include "service/RequestHandlerFactory.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServerParams.h>
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
    std::ifstream in(dataDir() / "docs" / "openapi.json", std::ios::binary);
    if (!in) return "";
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
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
    if (server_) return;
    const ServiceConfig& config = state_->config;
    state_->pool.warmUp();
    state_->openApiDocument = readOpenApi();

    // Poco's parameters are reference-counted (AutoPtr); makeAuto is the RAII way to make one.
    auto params = Poco::makeAuto<Poco::Net::HTTPServerParams>();
    params->setMaxThreads(config.threads);
    params->setMaxQueued(config.maxQueued);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(config.keepAliveSeconds, 0));
    params->setMaxKeepAliveRequests(config.maxKeepAliveRequests);
    params->setTimeout(Poco::Timespan(config.socketTimeoutSeconds, 0));
    params->setServerName("caseflow");
    params->setSoftwareVersion(std::string("caseflow/") + CASEFLOW_VERSION);

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
            socket = std::make_unique<Poco::Net::SecureServerSocket>(address, 64, context);
        } else {
            socket = std::make_unique<Poco::Net::ServerSocket>(address, 64);
        }
    } catch (const Poco::Exception& error) {
        throw UsageError("cannot listen on " + config.bind() + ": " + error.displayText());
    }
    port_ = socket->address().port();

    // Connections beyond the pool wait in Poco's queue (maxQueued), not in new threads.
    threads_ = std::make_unique<Poco::ThreadPool>(2, config.threads, 60);
    // HTTPServer keeps the factory in a Poco::SharedPtr: makeShared is its RAII maker.
    server_ = std::make_unique<Poco::Net::HTTPServer>(Poco::makeShared<RequestHandlerFactory>(*state_), *threads_,
                                                      *socket, params);
    server_->start();
}

void Server::stop() {
    if (!server_) return;
    // stopAll(false): stop accepting, drop connections still queued, close idle keep-alive
    // connections, and wait for each request in progress to be answered (Poco takes each
    // connection's request lock before closing it).
    std::thread graceful([this] { server_->stopAll(false); });
    const auto giveUpAt = std::chrono::steady_clock::now() + std::chrono::seconds(state_->config.shutdownGraceSeconds);
    while (server_->currentConnections() > 0 && std::chrono::steady_clock::now() < giveUpAt)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (server_->currentConnections() > 0) server_->stopAll(true); // grace is over: cut what is left
    graceful.join();
    threads_->joinAll();
    server_.reset();
    threads_.reset();
}

std::uint16_t Server::port() const {
    return port_;
}

} // namespace caseflow::service
