#include "store/Backup.h"

#include "core/Errors.h"
#include "store/Database.h"
#include "store/EventStore.h"
#include "store/Migrations.h"

#include <sqlite3.h>

#include <memory>
#include <random>
#include <system_error>

namespace caseflow::store {
namespace {

struct BackupDeleter {
    void operator()(sqlite3_backup* backup) const noexcept { sqlite3_backup_finish(backup); }
};

// Copies every page from `source` into `destination`, a few hundred pages at a time so
// writers on the source are not blocked for the whole copy.
void copyPages(sqlite3* source, sqlite3* destination, const std::string& what) {
    std::unique_ptr<sqlite3_backup, BackupDeleter> backup(sqlite3_backup_init(destination, "main", source, "main"));
    if (!backup) throw Error(what + ": " + sqlite3_errmsg(destination));
    int result = SQLITE_OK;
    while ((result = sqlite3_backup_step(backup.get(), 256)) == SQLITE_OK || result == SQLITE_BUSY ||
           result == SQLITE_LOCKED) {
        if (result != SQLITE_OK) sqlite3_sleep(20);
    }
    if (result != SQLITE_DONE) throw Error(what + ": " + sqlite3_errstr(result));
}

std::int64_t countEvents(Database& db) {
    auto count = db.prepare("SELECT count(*) FROM events");
    count.step();
    return count.columnInt(0);
}

std::filesystem::path temporaryBeside(const std::filesystem::path& target) {
    std::random_device random;
    return target.parent_path() / (target.filename().string() + ".partial-" + std::to_string(random()));
}

void removeQuietly(const std::filesystem::path& file) {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        std::filesystem::remove(file.string() + suffix, ignored);
}

// A PostgreSQL database is backed up and restored by PostgreSQL's own tools: a copy of pages
// through SQLite's backup API means nothing there.
void refusePostgres(const std::filesystem::path& database, const char* what) {
    if (!Database::isPostgresAddress(database.string())) return;
    throw UsageError(std::string("caseflow ") + what +
                     " works on an SQLite file only; for a PostgreSQL database use pg_dump and pg_restore"
                     " (docs/deployment.md)");
}

} // namespace

BackupReport backupDatabase(const std::filesystem::path& database, const std::filesystem::path& target,
                            bool overwrite) {
    refusePostgres(database, "backup");
    auto source = Database::open(database, OpenMode::MustExist);
    migrate(source); // refuses a file that is not ours before anything is written
    if (std::filesystem::exists(target) && !overwrite)
        throw UsageError(target.string() + " already exists; choose another file or pass --force");
    const auto directory = target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
    if (!std::filesystem::is_directory(directory))
        throw NotFound("cannot write the backup: directory " + directory.string() + " does not exist");
    const auto partial = temporaryBeside(std::filesystem::absolute(target));
    BackupReport report;
    try {
        {
            auto destination = Database::open(partial, OpenMode::CreateIfMissing);
            copyPages(source.handle(), destination.handle(), "backup to " + target.string());
            // A backup is one self-contained file: fold the WAL back in and leave rollback mode.
            destination.exec("PRAGMA journal_mode=DELETE");
            report.events = countEvents(destination);
        }
        std::filesystem::rename(partial, target);
    } catch (const std::filesystem::filesystem_error& error) {
        removeQuietly(partial);
        throw Error("cannot write the backup " + target.string() + ": " + error.code().message());
    } catch (const std::exception& error) {
        removeQuietly(partial);
        const std::string message = error.what();
        throw Error(message.find(target.string()) == std::string::npos
                        ? "cannot write the backup " + target.string() + ": " + message
                        : message);
    }
    removeQuietly(partial);
    report.bytes = static_cast<std::int64_t>(std::filesystem::file_size(target));
    return report;
}

BackupReport restoreDatabase(const std::filesystem::path& backup, const std::filesystem::path& database,
                             bool overwrite) {
    refusePostgres(database, "restore");
    if (!std::filesystem::is_regular_file(backup)) throw NotFound("no backup file " + backup.string());
    // Check the backup on a scratch copy: opening it directly could create WAL files or
    // migrate it, and a backup is evidence that must not change.
    const auto scratch = temporaryBeside(std::filesystem::absolute(database));
    BackupReport report;
    try {
        {
            sqlite3* raw = nullptr;
            if (sqlite3_open_v2(backup.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
                const std::string message = raw ? sqlite3_errmsg(raw) : "cannot open";
                sqlite3_close(raw);
                throw UsageError(backup.string() + " is not a caseflow database (" + message + ")");
            }
            std::unique_ptr<sqlite3, decltype(&sqlite3_close)> readOnly(raw, sqlite3_close);
            auto copy = Database::open(scratch, OpenMode::CreateIfMissing);
            try {
                copyPages(readOnly.get(), copy.handle(), "reading " + backup.string());
            } catch (const Error&) {
                throw UsageError(backup.string() + " is not a caseflow database");
            }
            int32_t applicationId = 0;
            {
                auto id = copy.prepare("PRAGMA application_id");
                id.step();
                applicationId = static_cast<int32_t>(id.columnInt(0));
            }
            if (applicationId != caseflowApplicationId)
                throw UsageError(backup.string() + " is not a caseflow database");
            if (currentSchemaVersion(copy) > latestSchemaVersion())
                throw UsageError(backup.string() + " has schema version " + std::to_string(currentSchemaVersion(copy)) +
                                 ", newer than this caseflow (up to " + std::to_string(latestSchemaVersion()) +
                                 "); upgrade caseflow first");
            migrate(copy);
            const auto verified = EventStore(copy).verify();
            if (!verified.intact) throw UsageError(backup.string() + " fails verification: " + verified.problem);
            report.events = verified.eventsChecked;
        }
        if (std::filesystem::exists(database)) {
            auto current = Database::open(database, OpenMode::MustExist);
            migrate(current);
            if (countEvents(current) > 0 && !overwrite)
                throw UsageError(database.string() + " holds events; pass --force to replace it with the backup");
            auto source = Database::open(scratch, OpenMode::MustExist);
            copyPages(source.handle(), current.handle(), "restoring into " + database.string());
        } else {
            auto target = Database::open(database, OpenMode::CreateIfMissing);
            auto source = Database::open(scratch, OpenMode::MustExist);
            copyPages(source.handle(), target.handle(), "restoring into " + database.string());
        }
    } catch (...) {
        removeQuietly(scratch);
        throw;
    }
    removeQuietly(scratch);
    report.bytes = static_cast<std::int64_t>(std::filesystem::file_size(database));
    return report;
}

} // namespace caseflow::store
