// Passwords of the web application's accounts, hashed with Argon2id through libsodium
// (crypto_pwhash_str: salt, parameters and hash in one self-describing string). What must stay
// true: a password is never stored nor logged, only its hash; the cost parameters are
// libsodium's INTERACTIVE ones (docs/web.md says why); a wrong password and an unknown account
// take the same time to refuse (verifyPassword runs against a dummy hash when there is none).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace caseflow::web {

inline constexpr std::size_t kMinimumPasswordLength = 10;
inline constexpr std::size_t kMaximumPasswordLength = 1024;

// Throws UsageError naming the problem when a password is too short or too long.
void checkPassword(std::string_view password);
// The Argon2id string of a password that passes checkPassword (checked here too).
std::string hashPassword(std::string_view password);
// Whether `password` matches `hash`; with no hash, spends the same time and says no.
bool verifyPassword(const std::optional<std::string>& hash, std::string_view password);

// Random bytes from libsodium, as lower-case hex (2 × `bytes` characters).
std::string randomHex(std::size_t bytes);
// Equal strings, compared in time that depends on their length only.
bool constantTimeEquals(std::string_view a, std::string_view b);

} // namespace caseflow::web
