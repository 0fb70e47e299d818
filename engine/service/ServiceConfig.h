// The settings of `caseflow serve`: where to listen, which database, how many threads, the
// limits that keep one client from hurting the others, TLS, and where the access log goes.
// Read from a JSON or .properties file (`--config`), then overridden by command-line options.
// What must stay true: every limit has a safe default, and a key the file spells wrongly is
// an error (a misspelt limit silently left at its default is a limit nobody set).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace caseflow::service {

struct ServiceConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080; // 0: any free port (tests)
    std::filesystem::path database = "caseflow.db";
    std::optional<std::filesystem::path> workflow;
    int threads = 16;                       // worker threads; each holds its own SQLite connection
    int maxQueued = 64;                     // accepted connections waiting for a thread
    std::size_t maxBodyBytes = 1024 * 1024; // larger bodies get 413
    int headTimeoutSeconds = 10;            // the whole request head must arrive within this
    int bodyTimeoutSeconds = 15;            // the whole body must arrive within this, once the head is in (408)
    int socketTimeoutSeconds = 10;          // one write (of a response) may wait this long
    // Connections the acceptor holds while their head arrives (or while a keep-alive one is
    // idle): in all, and from one client address. Beyond either, a new connection gets 503.
    int maxWaitingConnections = 1024;
    int maxWaitingPerAddress = 256;
    int keepAliveSeconds = 5; // an idle keep-alive connection is closed after this
    int maxKeepAliveRequests = 1000;
    int shutdownGraceSeconds = 20; // in-flight requests get this long after SIGTERM
    // How long a bearer token read from the database may be answered from memory: the bound
    // on how long a revocation made by another process (the CLI) goes unseen; 0: never cached.
    // Revocations through this process (service::Accounts) take effect at once whatever this is.
    int tokenCacheSeconds = 30;
    // The memory the cache of situation views may hold (the JSON bodies); 0: no cache.
    std::size_t viewCacheBytes = 16 * 1024 * 1024;
    std::string accessLog;                               // "" or "-": standard error; "off"; or a file
    std::optional<std::filesystem::path> tlsCertificate; // PEM; TLS is on when both are set
    std::optional<std::filesystem::path> tlsPrivateKey;
    // The reverse proxies (addresses or networks) whose X-Forwarded-For and X-Forwarded-Proto
    // are believed (service/ForwardedFor.h); empty: nobody's, the TCP peer is the client.
    std::vector<std::string> trustedProxies;

    // Reads `file` (.json: {"server": {"bind": ...}}, else key = value lines); throws
    // UsageError naming an unknown key or a bad value.
    static ServiceConfig load(const std::filesystem::path& file);
    // "127.0.0.1:8080", "[::1]:8080", ":8080"; throws UsageError.
    void setBind(const std::string& bind);
    std::string bind() const;
    bool tls() const { return tlsCertificate && tlsPrivateKey; }
    void validate() const; // throws UsageError
};

} // namespace caseflow::service
