// The network's stored settings and the workflow it runs (table `meta`). The settings in
// force come from the log's network.settings events; the stored copy is their projection.
// No SQL and no database type beyond the store's own connection appears here.
#pragma once

#include <string>

namespace caseflow::store {

class Database;

class SettingsRepository {
public:
    explicit SettingsRepository(Database& db);

    // The stored network settings document, "" when none is stored yet.
    std::string networkSettings() const;
    void setNetworkSettings(const std::string& document);
    // The workflow file recorded at init (relative to the data directory when shipped), or "".
    std::string workflow() const;
    void setWorkflow(const std::string& path);

private:
    std::string value(const std::string& key) const;
    void set(const std::string& key, const std::string& value);

    Database& db_;
};

} // namespace caseflow::store
