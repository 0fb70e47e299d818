// The request pipeline (see ApiRequestHandler.h).
#include "service/ApiRequestHandler.h"

#include "i18n/Translator.h"
#include "model/Date.h"
#include "service/Accounts.h"
#include "service/ForwardedFor.h"
#include "service/JsonBody.h"
#include "service/Problem.h"
#include "service/RequestContext.h"
#include "service/Routes.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/NetException.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <sstream>

namespace caseflow::service {
namespace {

using Clock = std::chrono::steady_clock;

void refuseTooLarge(RequestContext& context) {
    // The connection closes after the answer; what the client still sends is thrown away by
    // the connection layer while it closes, not read here.
    throw ProblemException(Problem(ProblemKind::PayloadTooLarge, "The request body is larger than {limit} bytes.")
                               .arg("limit", std::to_string(context.state.config.maxBodyBytes)));
}

// Reads the whole body, within the size limit and before the exchange's body deadline. The
// connection layer's watchdog shuts the socket's read side when the deadline passes, which
// ends a read in progress however slowly the bytes come; what ended it is told apart here.
void readBody(RequestContext& context, Exchange& exchange) {
    auto& request = context.request;
    const bool chunked = request.getChunkedTransferEncoding();
    const Poco::Int64 length = request.getContentLength64();
    if (!chunked && length <= 0) {
        exchange.bodyRead();
        context.bodyPending = false;
        return;
    }
    const auto limit = context.state.config.maxBodyBytes;
    if (length > static_cast<Poco::Int64>(limit)) refuseTooLarge(context);
    // Only now that the caller is known to be allowed does the client get its go-ahead.
    if (request.getExpectContinue()) context.response.sendContinue();
    const auto timedOut = [&] {
        return Problem(ProblemKind::RequestTimeout, "The request body did not arrive in time.");
    };
    std::istream& in = request.stream();
    // Exceptions rather than stream flags: a socket timeout must be told from a short body.
    in.exceptions(std::ios::badbit);
    char buffer[16384];
    try {
        while (in) {
            in.read(buffer, sizeof buffer);
            context.body.append(buffer, static_cast<std::size_t>(in.gcount()));
            if (context.body.size() > limit) refuseTooLarge(context);
        }
    } catch (const Poco::TimeoutException&) {
        throw ProblemException(timedOut());
    } catch (const ProblemException&) {
        throw;
    } catch (const std::exception&) {
        if (Clock::now() >= exchange.bodyDeadline) throw ProblemException(timedOut());
        throw ProblemException(Problem(ProblemKind::TruncatedBody, "The request body ended before it was complete."));
    }
    if (Clock::now() >= exchange.bodyDeadline) throw ProblemException(timedOut());
    if (!chunked && static_cast<Poco::Int64>(context.body.size()) < length)
        throw ProblemException(Problem(ProblemKind::TruncatedBody, "The request body ended before it was complete."));
    exchange.bodyRead();
    context.bodyPending = false;
}

Principal authenticate(RequestContext& context) {
    const auto challenge = [](const char* error) {
        return std::string("Bearer realm=\"caseflow\"") + (error ? std::string(", error=\"") + error + "\"" : "");
    };
    if (!context.request.has("Authorization"))
        throw ProblemException(Problem(ProblemKind::Unauthenticated, "This endpoint needs a bearer token.")
                                   .header("WWW-Authenticate", challenge(nullptr)));
    const std::string header = context.request.get("Authorization");
    const std::string scheme = header.substr(0, std::min<std::size_t>(header.size(), 7));
    if (Poco::icompare(scheme, "Bearer ") != 0)
        throw ProblemException(Problem(ProblemKind::Unauthenticated, "Authenticate with: Authorization: Bearer TOKEN.")
                                   .header("WWW-Authenticate", challenge("invalid_request")));
    std::string token = header.substr(7);
    token.erase(0, token.find_first_not_of(' '));
    token.erase(token.find_last_not_of(' ') + 1);
    auto principal =
        Accounts(context.process().accounts())
            .authenticate(token, utcNowIso(), std::chrono::seconds(context.state.config.tokenCacheSeconds));
    if (!principal)
        throw ProblemException(Problem(ProblemKind::Unauthenticated, "The token is unknown, revoked or expired.")
                                   .header("WWW-Authenticate", challenge("invalid_token")));
    return *principal;
}

void parseQuery(RequestContext& context, const Route& route, const std::string& uri) {
    const auto mark = uri.find('?');
    if (mark == std::string::npos) return;
    try {
        Poco::URI parsed(uri);
        for (auto& [name, value] : parsed.getQueryParameters()) {
            if (std::find(route.queryParameters.begin(), route.queryParameters.end(), name) ==
                route.queryParameters.end())
                throw ProblemException(Problem(ProblemKind::BadRequest, "Unknown query parameter '{name}'.")
                                           .arg("name", name.substr(0, 64))
                                           .extension("field", name.substr(0, 64)));
            if (!isValidUtf8(value))
                throw ProblemException(Problem(ProblemKind::InvalidEncoding, "The request is not valid UTF-8."));
            context.query.emplace_back(name, value);
        }
    } catch (const Poco::Exception&) {
        throw ProblemException(Problem(ProblemKind::BadRequest, "The query string is malformed."));
    }
}

void sendProblem(RequestContext& context, const Problem& problem) {
    if (context.sent()) return;
    for (const auto& [name, value] : problem.headers()) context.response.set(name, value);
    std::ostringstream text;
    Poco::JSON::Stringifier::stringify(
        problem.toJson(context.language, context.request.getURI().substr(0, context.request.getURI().find('?'))), text);
    context.send(problem.status(), "application/problem+json; charset=utf-8", text.str());
}

} // namespace

void ApiRequestHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    const auto started = Clock::now();
    const std::string language = i18n::negotiateLanguage(request.get("Accept-Language", ""), "en");
    RequestContext context(state_, request, response, language, state_.nextRequestId++);
    // Until readBody has read it, an announced body makes any answer close the connection.
    context.bodyPending = request.getChunkedTransferEncoding() || request.getContentLength64() > 0;
    const std::string uri = request.getURI();
    const std::string path = uri.substr(0, uri.find('?'));
    std::string routeName = "unmatched";
    try {
        try {
            // Poco parses anything with three words on its first line; answer what is not HTTP
            // with a plain 400 in HTTP/1.1 (Poco would echo the client's "version" back).
            if (request.getVersion() != Poco::Net::HTTPMessage::HTTP_1_1 &&
                request.getVersion() != Poco::Net::HTTPMessage::HTTP_1_0) {
                response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
                response.setKeepAlive(false);
                throw ProblemException(Problem(ProblemKind::BadRequest, "Only HTTP/1.0 and HTTP/1.1 are spoken here."));
            }
            if (path.empty() || path.front() != '/') {
                response.setKeepAlive(false);
                throw ProblemException(Problem(
                    ProblemKind::BadRequest, "The request target must be an absolute path, like /api/v1/situations."));
            }
            if (exchange_.framingProblem) throw ProblemException(*exchange_.framingProblem);
            // HEAD is GET without the body (RFC 9110 §9.3.2): same route, same checks, same
            // headers; Poco's response leaves the body out.
            const bool head = request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD;
            const RouteMatch match = matchRoute(head ? Poco::Net::HTTPRequest::HTTP_GET : request.getMethod(), path);
            if (match.badEncoding)
                throw ProblemException(Problem(ProblemKind::BadRequest, "The path holds a malformed %-escape."));
            if (!match.route) {
                if (!match.allowedMethods.empty()) {
                    std::string allow;
                    for (const auto& method : match.allowedMethods)
                        allow += (allow.empty() ? "" : ", ") + method + (method == "GET" ? ", HEAD" : "");
                    throw ProblemException(Problem(ProblemKind::MethodNotAllowed, "This path takes: {allow}.")
                                               .arg("allow", allow)
                                               .header("Allow", allow));
                }
                throw ProblemException(Problem(ProblemKind::NotFound, "No endpoint at this path."));
            }
            const Route& route = *match.route;
            routeName = operationName(route.operation);
            context.params = match.params;
            parseQuery(context, route, uri);
            if (!isPublic(route.operation)) {
                context.principal = authenticate(context);
                context.permission = require(*context.principal, route.operation);
            }
            readBody(context, exchange_);
            route.handler(context);
            if (!context.sent()) throw Error("endpoint " + routeName + " sent no response");
        } catch (const ProblemException&) {
            throw;
        } catch (const RuleRefusal& refusal) {
            throw ProblemException(
                Problem(ProblemKind::RuleRefusal, "").literalDetail(refusal.what()).rules(refusal.violations()));
        } catch (const InvalidInput& invalid) {
            throw ProblemException(
                Problem(ProblemKind::InvalidDocument, "").literalDetail(invalid.what()).details(invalid.details()));
        } catch (const NotFound& missing) {
            throw ProblemException(Problem(ProblemKind::NotFound, "").literalDetail(missing.what()));
        } catch (const Conflict& conflict) {
            throw ProblemException(Problem(ProblemKind::Conflict, "").literalDetail(conflict.what()));
        } catch (const UsageError& usage) {
            throw ProblemException(Problem(ProblemKind::BadRequest, "").literalDetail(usage.what()));
        }
    } catch (const ProblemException& problem) {
        try {
            sendProblem(context, problem.problem());
        } catch (const std::exception&) {
            // The client is gone; nothing else to tell it.
        }
    } catch (const std::exception& error) {
        std::cerr << "caseflow serve: request " << context.requestId << " (" << request.getMethod() << " " << path
                  << ") failed: " << error.what() << "\n";
        try {
            sendProblem(context, Problem(ProblemKind::InternalError,
                                         "The server could not complete the request; it has been logged as {id}.")
                                     .arg("id", std::to_string(context.requestId)));
        } catch (const std::exception&) {
        }
    } catch (...) {
        std::cerr << "caseflow serve: request " << context.requestId << " failed with an unknown exception\n";
        try {
            sendProblem(context, Problem(ProblemKind::InternalError,
                                         "The server could not complete the request; it has been logged as {id}.")
                                     .arg("id", std::to_string(context.requestId)));
        } catch (...) {
        }
    }

    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    state_.metrics.observeRequest(routeName, request.getMethod(), context.status(), seconds);
    AccessRecord record;
    record.time = utcNowIso();
    record.requestId = context.requestId;
    record.remote = clientAddress(request, state_.config);
    record.method = request.getMethod().substr(0, 16);
    record.path = path.substr(0, 512);
    for (char& ch : record.path)
        if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) > 0x7e) ch = '?';
    record.route = routeName;
    record.status = context.status();
    record.bytes = context.bytesSent();
    record.durationMs = seconds * 1000;
    if (context.principal) {
        record.user = context.principal->name;
        record.role = context.principal->role;
    }
    try {
        state_.accessLog.write(record);
    } catch (...) {
        // A full disk must not take the service down with it.
    }
}

} // namespace caseflow::service
