// The field encoding both hash chains (events, read log) hash: each field as a netstring
// ("<length>:<bytes>,"), so no choice of field contents can make two rows encode alike.
// What must stay true: the encoding never changes, or every stored hash stops matching.
#pragma once

#include <string>
#include <string_view>

namespace caseflow::store {

inline void appendNetstring(std::string& out, std::string_view field) {
    out += std::to_string(field.size());
    out += ':';
    out += field;
    out += ',';
}

} // namespace caseflow::store
