// The service's judgement of a request head, from the raw bytes up to the body: first the
// connection layer's own framing checks on the raw head (service/HttpFraming, as
// service/Listener applies them), then Poco's HTTPRequest::read and what
// HTTPServerRequestImpl makes of the framing headers, then the checks ApiRequestHandler makes
// before it reads a body (HTTP version, request target, route, query parameters,
// Accept-Language, body size). What must stay true: the verdict is what the server would do,
// and an exception the server would turn into a 500 is reported as 500, not swallowed.
#pragma once

#include <string>
#include <string_view>

namespace caseflow::fuzz {

struct HeadVerdict {
    int status = 0;      // 0: a route takes it and its body may be read; else the answer's status
    std::string problem; // the problem+json body the server would send, when status != 0
    bool closes = false; // whether the connection is closed after the answer
    // The connection was closed without any answer: only for bytes that hold no request at all.
    bool dropped = false;
};

HeadVerdict judgeRequestHead(std::string_view bytes);

} // namespace caseflow::fuzz
