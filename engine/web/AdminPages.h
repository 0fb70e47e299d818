// The coordinator's administration in the browser (issue 16, item 5): the signers and their
// certificates (/admin/signers), accounts (/admin/accounts), API tokens (/admin/tokens) and the
// audit of who read which situation (/admin/reads). What must stay true: each page asks
// process/Authorisation's administration table (mayAdminister) before it reads anything (403
// otherwise); every change goes through the code path the CLI uses (TrustStore::revoke as
// `caseflow signer revoke`, service::Accounts as `caseflow user` and `caseflow token`), so the
// Verifier and the token check see it from the next request on; a token's secret is shown once,
// in the answer to the form that issued it, and no page ever shows a secret or a password hash.
#pragma once

#include "web/PhaseForms.h"

#include <string>

namespace caseflow::web {

// Serves `path` when it is one of the /admin pages and returns true; false for any other path.
bool serveAdminPage(FormRequest& request, const std::string& path);

} // namespace caseflow::web
