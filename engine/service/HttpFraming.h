// The bytes of a request head before Poco parses them, and what a server must refuse in
// them so that two parsers can never see two different messages (RFC 9112 §6.3, "request
// smuggling"): where the head ends, its header fields, and whether the body's length is
// announced exactly once and unambiguously. Also the raw answers the connection layer sends
// itself when no request handler runs (a head that never completes, or is too large).
// What must stay true: a head this file accepts has at most one Content-Length, made only
// of digits and within the body limit, or exactly one `Transfer-Encoding: chunked` and no
// Content-Length; every field name is an RFC 9110 token with no space before its colon.
#pragma once

#include "service/Problem.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace caseflow::service {

// Where the head ends: the offset just past its blank line ("\r\n\r\n", or "\n\n" as RFC 9112
// §2.2 lets a recipient accept), or npos while it is incomplete.
std::size_t headLength(std::string_view bytes);

using HeadField = std::pair<std::string, std::string>; // name as sent, value trimmed

struct RawHead {
    std::string method, target, version;
    std::vector<HeadField> fields;
};

// Splits a complete head into its request line and fields; a line that is not
// `name: value` (no colon, whitespace before the colon, an obsolete folded line) is a 400.
RawHead splitHead(std::string_view head);

// The framing problem of a request with these fields, if any: 400 for conflicting or
// malformed length fields, 413 when Content-Length exceeds `maxBodyBytes`.
std::optional<Problem> framingProblem(const std::vector<HeadField>& fields, std::string_view version,
                                      std::size_t maxBodyBytes);

// What Poco would parse, checked first: splitHead's problems, then framingProblem's.
std::optional<Problem> headProblem(std::string_view head, std::size_t maxBodyBytes);

// A complete HTTP/1.1 response carrying `problem` as problem+json, closing the connection,
// in the language the head's Accept-Language asks for (the head may be partial or empty).
std::string rawProblemResponse(const Problem& problem, std::string_view head, std::uint64_t requestId);

} // namespace caseflow::service
