// Sessions of the web application: a session identifier is 32 random bytes (64 hex characters)
// that only the browser's cookie holds; the database keeps its SHA-256, the user, a CSRF token
// and its times. What must stay true: a session idle for sessionIdleSeconds, or older than
// sessionAbsoluteSeconds, opens nothing and is deleted when seen; signing out deletes it;
// resetting a password or disabling an account ends every session of that account.
#pragma once

#include "store/Database.h"
#include "store/SessionRepository.h"
#include "web/WebSettings.h"

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace caseflow::web {

struct OpenedSession {
    std::string identifier; // for the cookie, never stored
    store::SessionRow row;
};

// Why a cookie did not resume a session: the page tells "expired" apart from "never signed in".
enum class SessionLoss { None, Expired };

class Sessions {
public:
    explicit Sessions(const WebSettings& settings) : settings_(settings) {}

    OpenedSession open(store::Database& db, const std::string& userName) const;
    // The session of a cookie's identifier, touched (its idle time restarts); nullopt when
    // there is none or it expired (then `loss` says Expired and the row is gone).
    std::optional<store::SessionRow> resume(store::Database& db, const std::string& identifier,
                                            SessionLoss& loss) const;
    void close(store::Database& db, const std::string& identifier) const;

private:
    const WebSettings& settings_;
};

// One SQLite connection per concurrently running page request (a connection belongs to one
// thread at a time), reused afterwards; the pages' own rows (accounts, sessions) go through it.
class ConnectionPool {
public:
    explicit ConnectionPool(std::filesystem::path database) : database_(std::move(database)) {}
    class Lease {
    public:
        Lease(ConnectionPool& pool, std::unique_ptr<store::Database> db) : pool_(pool), db_(std::move(db)) {}
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        store::Database& operator*() const { return *db_; }

    private:
        ConnectionPool& pool_;
        std::unique_ptr<store::Database> db_;
    };
    Lease acquire();

private:
    std::filesystem::path database_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<store::Database>> idle_;
};

} // namespace caseflow::web
