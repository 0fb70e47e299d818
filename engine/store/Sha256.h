// SHA-256 as lowercase hexadecimal, the digest that links the event log into a chain.
// Must stay byte-for-byte compatible with `sha256sum`: stored hashes are compared as text.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace caseflow::store {

std::string sha256Hex(std::string_view data);
// The same 64 digits written into `hex`, allocating nothing (the event log's walk hashes every
// event with it).
void sha256HexInto(std::string_view data, std::array<char, 64>& hex);

} // namespace caseflow::store
