// The request head as the service judges it (see RequestHead.h).
#include "RequestHead.h"

#include "i18n/Translator.h"
#include "service/HttpFraming.h"
#include "service/JsonBody.h"
#include "service/Problem.h"
#include "service/Routes.h"
#include "service/ServiceConfig.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPMessage.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/NetException.h>
#include <Poco/URI.h>

#include <algorithm>
#include <sstream>

namespace caseflow::fuzz {
namespace {

using service::Problem;
using service::ProblemException;
using service::ProblemKind;

// ApiRequestHandler's checks, in its order, up to the body.
void judge(const Poco::Net::HTTPRequest& request, HeadVerdict& verdict) {
    const std::string uri = request.getURI();
    const std::string path = uri.substr(0, uri.find('?'));
    if (request.getVersion() != Poco::Net::HTTPMessage::HTTP_1_1 &&
        request.getVersion() != Poco::Net::HTTPMessage::HTTP_1_0) {
        verdict.closes = true;
        throw ProblemException(Problem(ProblemKind::BadRequest, "Only HTTP/1.0 and HTTP/1.1 are spoken here."));
    }
    if (path.empty() || path.front() != '/') {
        verdict.closes = true;
        throw ProblemException(
            Problem(ProblemKind::BadRequest, "The request target must be an absolute path, like /api/v1/situations."));
    }
    const service::RouteMatch match = service::matchRoute(request.getMethod(), path);
    if (match.badEncoding)
        throw ProblemException(Problem(ProblemKind::BadRequest, "The path holds a malformed %-escape."));
    if (!match.route) {
        if (!match.allowedMethods.empty())
            throw ProblemException(Problem(ProblemKind::MethodNotAllowed, "This path takes: {allow}."));
        throw ProblemException(Problem(ProblemKind::NotFound, "No endpoint at this path."));
    }
    if (uri.find('?') != std::string::npos) {
        try {
            Poco::URI parsed(uri);
            for (auto& [name, value] : parsed.getQueryParameters()) {
                const auto& known = match.route->queryParameters;
                if (std::find(known.begin(), known.end(), name) == known.end())
                    throw ProblemException(Problem(ProblemKind::BadRequest, "Unknown query parameter '{name}'.")
                                               .arg("name", name.substr(0, 64)));
                if (!service::isValidUtf8(value))
                    throw ProblemException(Problem(ProblemKind::InvalidEncoding, "The request is not valid UTF-8."));
            }
        } catch (const Poco::Exception&) {
            throw ProblemException(Problem(ProblemKind::BadRequest, "The query string is malformed."));
        }
    }
    // readBody's framing decisions, before its first read.
    const bool chunked = request.getChunkedTransferEncoding();
    const Poco::Int64 length = request.getContentLength64();
    if (!chunked && length == Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH) return;
    const auto limit = static_cast<Poco::Int64>(service::ServiceConfig{}.maxBodyBytes);
    if (length > limit) {
        verdict.closes = true;
        throw ProblemException(Problem(ProblemKind::PayloadTooLarge, "The request body is larger than {limit} bytes.")
                                   .arg("limit", std::to_string(limit)));
    }
}

} // namespace

HeadVerdict judgeRequestHead(std::string_view bytes) {
    HeadVerdict verdict;
    // The connection layer's own checks come first (service/Listener): a complete head whose
    // framing is ambiguous, malformed or too large is answered from the raw bytes, before Poco.
    const std::size_t maxBody = service::ServiceConfig{}.maxBodyBytes;
    if (const std::size_t end = service::headLength(bytes); end != std::string_view::npos) {
        const std::string_view head = bytes.substr(0, end);
        if (const auto refused = service::headProblem(head, maxBody)) {
            verdict.status = refused->status();
            verdict.problem = service::rawProblemResponse(*refused, head, 1);
            verdict.closes = true;
            return verdict;
        }
    }
    std::istringstream in{std::string(bytes)};
    Poco::Net::HTTPRequest request;
    try {
        request.read(in);
    } catch (const Poco::Net::NoMessageException&) {
        verdict.dropped = true; // nothing but whitespace before the end: Poco closes without an answer
        verdict.closes = true;
        return verdict;
    } catch (const Poco::Net::MessageException&) {
        verdict.status = 400; // Poco's connection answers 400 itself
        verdict.closes = true;
        return verdict;
    }
    try {
        // HTTPServerRequestImpl's constructor, before any handler: it sets up the body stream
        // from Content-Length; a value Poco cannot parse throws, and the worker answers 400.
        if (!request.getChunkedTransferEncoding() && request.hasContentLength()) (void)request.getContentLength64();
    } catch (const Poco::SyntaxException&) {
        verdict.status = 400;
        verdict.closes = true;
        return verdict;
    }
    const std::string language = i18n::negotiateLanguage(request.get("Accept-Language", ""), "en");
    std::optional<Problem> problem;
    try {
        judge(request, verdict);
        return verdict;
    } catch (const ProblemException& refused) {
        problem = refused.problem();
    } catch (const std::exception&) {
        // The handler's catch-all: the server logs a failure and answers 500.
        problem = Problem(ProblemKind::InternalError,
                          "The server could not complete the request; it has been logged as {id}.")
                      .arg("id", "1");
    }
    verdict.status = problem->status();
    std::ostringstream body;
    const std::string uri = request.getURI();
    Poco::JSON::Stringifier::stringify(problem->toJson(language, uri.substr(0, uri.find('?'))), body);
    verdict.problem = body.str();
    return verdict;
}

} // namespace caseflow::fuzz
