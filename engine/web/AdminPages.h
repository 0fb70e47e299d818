// The coordinator's administration in the browser (issue 16, item 5): the signers and their
// certificates (/admin/signers), accounts (/admin/accounts), API tokens (/admin/tokens) and the
// audit of who read which situation (/admin/reads). What must stay true: each page asks
// process/Authorisation's administration table (mayAdminister) before it reads anything (403
// otherwise); every change goes through the code path the CLI uses (TrustStore::revoke as
// `caseflow signer revoke`, service::Accounts as `caseflow user` and `caseflow token`), so the
// Verifier and the token check see it from the next request on; a token's secret is shown once,
// in the answer to the form that issued it, and no page ever shows a secret or a password hash.
#pragma once

#include "store/ReadLogStore.h"
#include "web/PhaseForms.h"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace caseflow::web {

// What the read audit page says of the read log's chain. The server walks the whole log when it
// starts, in the background (a million reads take seconds); a view walks only the rows appended
// after the newest one an earlier walk found intact (rows are only appended), so it costs the
// reads since the last check instead of the log's length, which grows with every read. The
// coordinator can ask for a whole walk again; `caseflow verify` always makes one. One walk at a
// time (a mutex), over the web application's connections. What must stay true: a view never
// vouches for rows no walk checked: one that comes during the walk at start waits for it, and
// one that finds no intact walk behind it (that walk failed, or found the chain broken) walks
// the whole log itself.
class ReadChainWatch {
public:
    struct Finding {
        store::ReadLogCheck check;
        bool walkedInFull = false; // this view walked the whole log
        std::string fullWalkAt;    // when the last whole walk that found it intact ended (UTC ISO 8601)
    };
    Finding check(store::Database& db, bool inFull);

    // The walk at start: expectStartWalk() before any view can come (views then wait for it),
    // walkAtStart() on the thread that walks. A walk that throws leaves the views to walk in full.
    void expectStartWalk();
    void walkAtStart(const std::function<store::ReadLogCheck()>& walk);

private:
    std::mutex mutex_;
    std::condition_variable startWalkDone_;
    bool startWalkPending_ = false;
    std::optional<store::ReadLogCheckpoint> intactUpTo_; // none: the next view walks in full
    std::string fullWalkAt_;
};

// Serves `path` when it is one of the /admin pages and returns true; false for any other path.
bool serveAdminPage(FormRequest& request, const std::string& path);

} // namespace caseflow::web
