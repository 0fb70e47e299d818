// The signer's key as a browser can use it (docs/signatures.md, "Signing in the browser"): a
// small JSON file `caseflow signer add` writes beside the PKCS#12 file, which the signing page
// opens with WebCrypto alone (no third-party crypto in the page). The PKCS#8 private key is
// encrypted with AES-256-GCM under a key derived from the password with PBKDF2-SHA256 (a
// random salt, kBrowserKeyIterations rounds); the certificate travels in clear (PEM), since the
// page must show it to the server before anything is signed.
//
// What must stay true: the private key is never written unencrypted; the format names itself
// (`format`) so a page refuses a file it does not understand; the parameters the page needs
// (iterations, salt, IV, curve or RSA) are all in the file, so a later change of rounds keeps
// old files readable.
#pragma once

#include "signature/SigningKey.h"

#include <string>
#include <string_view>

namespace caseflow::signature {

inline constexpr const char* kBrowserKeyFormat = "caseflow-browser-key/1";
// OWASP's 2023 advice for PBKDF2-HMAC-SHA256.
inline constexpr int kBrowserKeyIterations = 600000;

// The browser key file of `key`, protected by `password` (UTF-8, as the page's
// TextEncoder encodes what is typed).
std::string browserKeyFile(const SigningKey& key, const std::string& password);

// Standard base64 (no line breaks), as WebCrypto's pages read it with atob.
std::string encodeBase64(std::string_view bytes);

} // namespace caseflow::signature
