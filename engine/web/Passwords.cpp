// Argon2id and randomness through libsodium (see Passwords.h).
#include "web/Passwords.h"

#include "core/Errors.h"

#include <sodium.h>

#include <mutex>
#include <vector>

namespace caseflow::web {
namespace {

void initialiseSodium() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) throw Error("libsodium could not be initialised");
    });
}

// A hash of a password nobody knows, checked when an account has none, so that the answer
// takes as long as for a real account.
const std::string& dummyHash() {
    static const std::string hash = hashPassword(randomHex(16));
    return hash;
}

} // namespace

void checkPassword(std::string_view password) {
    if (password.size() < kMinimumPasswordLength)
        throw UsageError("a password needs at least " + std::to_string(kMinimumPasswordLength) + " characters");
    if (password.size() > kMaximumPasswordLength)
        throw UsageError("a password has at most " + std::to_string(kMaximumPasswordLength) + " characters");
}

std::string hashPassword(std::string_view password) {
    initialiseSodium();
    checkPassword(password);
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        throw Error("not enough memory to hash a password");
    return std::string(out);
}

bool verifyPassword(const std::optional<std::string>& hash, std::string_view password) {
    initialiseSodium();
    const std::string& stored = hash ? *hash : dummyHash();
    const bool matches = crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
    return hash.has_value() && matches;
}

std::string randomHex(std::size_t bytes) {
    initialiseSodium();
    std::vector<unsigned char> buffer(bytes);
    randombytes_buf(buffer.data(), buffer.size());
    std::string hex(bytes * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), buffer.data(), buffer.size());
    hex.pop_back();
    return hex;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
    initialiseSodium();
    if (a.size() != b.size()) return false;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace caseflow::web
