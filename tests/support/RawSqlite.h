// SQL run on a database file through the bare sqlite3 API, as another program (or a person with
// the sqlite3 shell, or an attacker) would: what the tests use to tamper with a file or set it
// back to an older schema, behind caseflow's back.
#pragma once

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>

namespace caseflow::test {

inline void rawExec(const std::filesystem::path& file, const std::string& sql) {
    struct Closer {
        void operator()(sqlite3* db) const { sqlite3_close(db); }
    };
    sqlite3* raw = nullptr;
    const int opened = sqlite3_open(file.c_str(), &raw);
    std::unique_ptr<sqlite3, Closer> db(raw);
    REQUIRE(opened == SQLITE_OK);
    char* message = nullptr;
    const int result = sqlite3_exec(db.get(), sql.c_str(), nullptr, nullptr, &message);
    const std::string text = message != nullptr ? message : "";
    sqlite3_free(message);
    INFO(text);
    REQUIRE(result == SQLITE_OK);
}

} // namespace caseflow::test
