// Loading the service settings (see ServiceConfig.h).
#include "service/ServiceConfig.h"

#include "core/Errors.h"
#include "service/ForwardedFor.h"
#include "store/Database.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <Poco/Util/JSONConfiguration.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <functional>
#include <map>

namespace caseflow::service {
namespace {

void collectKeys(const Poco::Util::AbstractConfiguration& config, const std::string& prefix,
                 std::vector<std::string>& keys) {
    Poco::Util::AbstractConfiguration::Keys children;
    config.keys(prefix, children);
    if (children.empty() && !prefix.empty()) keys.push_back(prefix);
    for (const auto& child : children) collectKeys(config, prefix.empty() ? child : prefix + "." + child, keys);
}

int positive(const Poco::Util::AbstractConfiguration& config, const std::string& key, int min, int max) {
    int value = 0;
    try {
        value = config.getInt(key);
    } catch (const Poco::Exception&) {
        throw UsageError("configuration: " + key + " must be a whole number");
    }
    if (value < min || value > max)
        throw UsageError("configuration: " + key + " must be between " + std::to_string(min) + " and " +
                         std::to_string(max));
    return value;
}

} // namespace

void ServiceConfig::setBind(const std::string& bind) {
    const auto colon = bind.rfind(':');
    if (colon == std::string::npos) throw UsageError("--bind takes HOST:PORT, e.g. 127.0.0.1:8080, got '" + bind + "'");
    std::string hostPart = bind.substr(0, colon);
    const std::string portPart = bind.substr(colon + 1);
    if (hostPart.size() >= 2 && hostPart.front() == '[' && hostPart.back() == ']')
        hostPart = hostPart.substr(1, hostPart.size() - 2);
    if (portPart.empty() || portPart.size() > 5 || portPart.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(portPart) > 65535)
        throw UsageError("'" + portPart + "' is not a port number");
    host = hostPart.empty() ? "0.0.0.0" : hostPart;
    port = static_cast<std::uint16_t>(std::stoi(portPart));
}

std::string ServiceConfig::bind() const {
    return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

void ServiceConfig::validate() const {
    if (tlsCertificate.has_value() != tlsPrivateKey.has_value())
        throw UsageError("configuration: TLS needs both tls.certificate and tls.privateKey");
    if (threads < 1 || threads > 1024) throw UsageError("configuration: server.threads must be between 1 and 1024");
    if (maxBodyBytes < 1024) throw UsageError("configuration: server.maxBodyBytes must be at least 1024");
    if (headTimeoutSeconds < 1 || headTimeoutSeconds > 3600)
        throw UsageError("configuration: server.headTimeoutSeconds must be between 1 and 3600");
    if (bodyTimeoutSeconds < 1 || bodyTimeoutSeconds > 3600)
        throw UsageError("configuration: server.bodyTimeoutSeconds must be between 1 and 3600");
    if (tokenCacheSeconds < 0 || tokenCacheSeconds > 3600)
        throw UsageError("configuration: server.tokenCacheSeconds must be between 0 and 3600");
    for (const auto& proxy : trustedProxies) checkTrustedProxy(proxy);
    if (maxWaitingConnections < 1 || maxWaitingPerAddress < 1)
        throw UsageError(
            "configuration: server.maxWaitingConnections and server.maxWaitingPerAddress must be positive");
}

ServiceConfig ServiceConfig::load(const std::filesystem::path& file) {
    if (!std::filesystem::exists(file)) throw NotFound("no configuration file " + file.string());
    Poco::AutoPtr<Poco::Util::AbstractConfiguration> config;
    try {
        if (file.extension() == ".json")
            config = Poco::makeAuto<Poco::Util::JSONConfiguration>(file.string());
        else
            config = Poco::makeAuto<Poco::Util::PropertyFileConfiguration>(file.string());
    } catch (const Poco::Exception& error) {
        throw UsageError("configuration " + file.string() + ": " + error.displayText());
    }
    ServiceConfig settings;
    const std::map<std::string, std::function<void(const std::string&)>> setters = {
        {"server.bind", [&](const std::string& key) { settings.setBind(config->getString(key)); }},
        {"server.threads", [&](const std::string& key) { settings.threads = positive(*config, key, 1, 1024); }},
        {"server.maxQueued", [&](const std::string& key) { settings.maxQueued = positive(*config, key, 1, 100000); }},
        {"server.maxBodyBytes",
         [&](const std::string& key) {
             settings.maxBodyBytes = static_cast<std::size_t>(positive(*config, key, 1024, 64 * 1024 * 1024));
         }},
        {"server.headTimeoutSeconds",
         [&](const std::string& key) { settings.headTimeoutSeconds = positive(*config, key, 1, 3600); }},
        {"server.bodyTimeoutSeconds",
         [&](const std::string& key) { settings.bodyTimeoutSeconds = positive(*config, key, 1, 3600); }},
        // The body deadline's first name, still read so that existing files keep working.
        {"server.requestTimeoutSeconds",
         [&](const std::string& key) { settings.bodyTimeoutSeconds = positive(*config, key, 1, 3600); }},
        {"server.maxWaitingConnections",
         [&](const std::string& key) { settings.maxWaitingConnections = positive(*config, key, 1, 100000); }},
        {"server.maxWaitingPerAddress",
         [&](const std::string& key) { settings.maxWaitingPerAddress = positive(*config, key, 1, 100000); }},
        {"server.socketTimeoutSeconds",
         [&](const std::string& key) { settings.socketTimeoutSeconds = positive(*config, key, 1, 3600); }},
        {"server.keepAliveSeconds",
         [&](const std::string& key) { settings.keepAliveSeconds = positive(*config, key, 1, 3600); }},
        {"server.maxKeepAliveRequests",
         [&](const std::string& key) { settings.maxKeepAliveRequests = positive(*config, key, 1, 1000000); }},
        {"server.shutdownGraceSeconds",
         [&](const std::string& key) { settings.shutdownGraceSeconds = positive(*config, key, 0, 3600); }},
        {"server.tokenCacheSeconds",
         [&](const std::string& key) { settings.tokenCacheSeconds = positive(*config, key, 0, 3600); }},
        {"server.viewCacheBytes",
         [&](const std::string& key) {
             settings.viewCacheBytes = static_cast<std::size_t>(positive(*config, key, 0, 1024 * 1024 * 1024));
         }},
        {"database.path", [&](const std::string& key) { settings.database = config->getString(key); }},
        {"workflow.path", [&](const std::string& key) { settings.workflow = config->getString(key); }},
        {"log.access", [&](const std::string& key) { settings.accessLog = config->getString(key); }},
        // "127.0.0.1, ::1, 10.0.0.0/8": one string, so that .properties and JSON read alike.
        {"server.trustedProxies",
         [&](const std::string& key) {
             const Poco::StringTokenizer items(config->getString(key), ",",
                                               Poco::StringTokenizer::TOK_TRIM |
                                                   Poco::StringTokenizer::TOK_IGNORE_EMPTY);
             settings.trustedProxies.assign(items.begin(), items.end());
         }},
        {"tls.certificate", [&](const std::string& key) { settings.tlsCertificate = config->getString(key); }},
        {"tls.privateKey", [&](const std::string& key) { settings.tlsPrivateKey = config->getString(key); }},
    };
    std::vector<std::string> keys;
    collectKeys(*config, "", keys);
    for (const auto& key : keys) {
        auto setter = setters.find(key);
        if (setter == setters.end()) {
            std::string known;
            for (const auto& [name, ignored] : setters) known += (known.empty() ? "" : ", ") + name;
            throw UsageError("configuration " + file.string() + ": unknown key '" + key + "'; keys are: " + known);
        }
        setter->second(key);
    }
    // Relative paths in the file are relative to the file, not to wherever the server starts.
    const auto base = file.parent_path();
    auto anchor = [&](std::filesystem::path& path) {
        if (path.is_relative() && !base.empty()) path = base / path;
    };
    // A postgresql:// address is no path: anchoring it would make it a file beside the configuration.
    if (config->has("database.path") && !store::Database::isPostgresAddress(settings.database.string()))
        anchor(settings.database);
    if (settings.workflow) anchor(*settings.workflow);
    if (settings.tlsCertificate) anchor(*settings.tlsCertificate);
    if (settings.tlsPrivateKey) anchor(*settings.tlsPrivateKey);
    if (!settings.accessLog.empty() && settings.accessLog != "-" && settings.accessLog != "off") {
        std::filesystem::path log = settings.accessLog;
        anchor(log);
        settings.accessLog = log.string();
    }
    settings.validate();
    return settings;
}

} // namespace caseflow::service
