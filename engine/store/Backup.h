// Online backup and restore of a caseflow database through SQLite's backup API, so a
// backup taken while the service writes is a consistent snapshot. What must stay true: a
// failed backup leaves no partial file where the backup was asked for, and a restore
// only ever replaces the database with a file that is a caseflow database of a schema
// this build understands and whose hash chain is intact.
#pragma once

#include <cstdint>
#include <filesystem>

namespace caseflow::store {

struct BackupReport {
    std::int64_t events = 0;
    std::int64_t bytes = 0;
};

// Copies `database` to `target` (written beside it under a temporary name, then renamed).
// Refuses an existing target unless `overwrite`.
BackupReport backupDatabase(const std::filesystem::path& database, const std::filesystem::path& target, bool overwrite);

// Checks `backup` (ours, not newer, integrity_check, hash chain), then copies it over
// `database`. Refuses to replace a database holding events unless `overwrite`.
BackupReport restoreDatabase(const std::filesystem::path& backup, const std::filesystem::path& database,
                             bool overwrite);

} // namespace caseflow::store
