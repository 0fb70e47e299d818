// SHA-256 as lowercase hexadecimal, the digest that links the event log into a chain.
// Must stay byte-for-byte compatible with `sha256sum`: stored hashes are compared as text.
#pragma once

#include <string>
#include <string_view>

namespace caseflow::store {

std::string sha256Hex(std::string_view data);

} // namespace caseflow::store
