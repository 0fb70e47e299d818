// The SQLite side of SettingsRepository (see SettingsRepository.h): key/value rows of `meta`.
#include "store/SettingsRepository.h"

#include "store/Database.h"

namespace caseflow::store {

SettingsRepository::SettingsRepository(Database& db) : db_(db) {}

std::string SettingsRepository::networkSettings() const {
    return value("network");
}

void SettingsRepository::setNetworkSettings(const std::string& document) {
    set("network", document);
}

std::string SettingsRepository::workflow() const {
    return value("workflow");
}

void SettingsRepository::setWorkflow(const std::string& path) {
    set("workflow", path);
}

std::string SettingsRepository::value(const std::string& key) const {
    auto select = db_.prepare("SELECT value FROM meta WHERE key = ?1");
    select.bind(1, key);
    return select.step() ? select.columnText(0) : std::string();
}

void SettingsRepository::set(const std::string& key, const std::string& value) {
    db_.prepare("INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(1, key)
        .bind(2, value)
        .step();
}

} // namespace caseflow::store
