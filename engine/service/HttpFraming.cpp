// Request-head checks and raw answers (see HttpFraming.h).
#include "service/HttpFraming.h"

#include "i18n/Translator.h"
#include "service/JsonBody.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <sstream>

namespace caseflow::service {
namespace {

bool isTokenChar(unsigned char ch) {
    // RFC 9110 §5.6.2 tchar.
    return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(ch)) != std::string_view::npos;
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
    return text;
}

std::vector<std::string_view> lines(std::string_view head) {
    std::vector<std::string_view> result;
    while (!head.empty()) {
        const auto end = head.find('\n');
        std::string_view line = head.substr(0, end);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        result.push_back(line);
        if (end == std::string_view::npos) break;
        head.remove_prefix(end + 1);
    }
    return result;
}

} // namespace

std::size_t headLength(std::string_view bytes) {
    // Empty lines before the request line are tolerated by RFC 9112 §2.2, but not by Poco:
    // they end nothing here, and Poco refuses them as a malformed request line.
    for (std::size_t at = bytes.find('\n'); at != std::string_view::npos; at = bytes.find('\n', at + 1)) {
        if (at + 1 < bytes.size() && bytes[at + 1] == '\n') return at + 2;
        if (at + 2 < bytes.size() && bytes[at + 1] == '\r' && bytes[at + 2] == '\n') return at + 3;
    }
    return std::string_view::npos;
}

RawHead splitHead(std::string_view head) {
    RawHead raw;
    const auto all = lines(head);
    if (all.empty()) throw ProblemException(Problem(ProblemKind::BadRequest, "The request line is malformed."));
    std::istringstream requestLine{std::string(all.front())};
    requestLine >> raw.method >> raw.target >> raw.version;
    for (std::size_t n = 1; n < all.size(); ++n) {
        const std::string_view line = all[n];
        if (line.empty()) break;
        if (line.front() == ' ' || line.front() == '\t')
            throw ProblemException(Problem(ProblemKind::BadRequest,
                                           "A header field is folded over several lines, which HTTP/1.1 forbids."));
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0)
            throw ProblemException(Problem(ProblemKind::BadRequest, "A header line is not of the form 'Name: value'."));
        const std::string_view name = line.substr(0, colon);
        if (!std::all_of(name.begin(), name.end(), [](char ch) { return isTokenChar(static_cast<unsigned char>(ch)); }))
            throw ProblemException(Problem(ProblemKind::BadRequest,
                                           "A header field name holds a character a name cannot hold (a space "
                                           "before the colon, for example)."));
        raw.fields.emplace_back(std::string(name), std::string(trimmed(line.substr(colon + 1))));
    }
    return raw;
}

std::optional<Problem> framingProblem(const std::vector<HeadField>& fields, std::string_view version,
                                      std::size_t maxBodyBytes) {
    std::vector<std::string> lengths, encodings;
    for (const auto& [name, value] : fields) {
        if (Poco::icompare(name, "Content-Length") == 0) lengths.push_back(value);
        if (Poco::icompare(name, "Transfer-Encoding") == 0) encodings.push_back(value);
    }
    if (!encodings.empty() && !lengths.empty())
        return Problem(ProblemKind::BadRequest,
                       "Content-Length and Transfer-Encoding together make the body's length ambiguous.");
    if (!encodings.empty()) {
        if (version == "HTTP/1.0")
            return Problem(ProblemKind::BadRequest, "An HTTP/1.0 request cannot use Transfer-Encoding.");
        if (encodings.size() > 1 || Poco::icompare(encodings.front(), "chunked") != 0)
            return Problem(ProblemKind::BadRequest, "The only transfer coding accepted is a single 'chunked'.");
        return std::nullopt;
    }
    if (lengths.empty()) return std::nullopt;
    if (lengths.size() > 1) return Problem(ProblemKind::BadRequest, "The request has more than one Content-Length.");
    const std::string& length = lengths.front();
    if (length.empty() || length.find_first_not_of("0123456789") != std::string::npos)
        return Problem(ProblemKind::BadRequest, "Content-Length must be a number of bytes.");
    const auto significant = length.find_first_not_of('0');
    const bool tooLarge =
        significant != std::string::npos && (length.size() - significant > 18 || std::stoull(length) > maxBodyBytes);
    if (tooLarge)
        return Problem(ProblemKind::PayloadTooLarge, "The request body is larger than {limit} bytes.")
            .arg("limit", std::to_string(maxBodyBytes));
    return std::nullopt;
}

std::optional<Problem> headProblem(std::string_view head, std::size_t maxBodyBytes) {
    try {
        const RawHead raw = splitHead(head);
        return framingProblem(raw.fields, raw.version, maxBodyBytes);
    } catch (const ProblemException& problem) {
        return problem.problem();
    }
}

std::string rawProblemResponse(const Problem& problem, std::string_view head, std::uint64_t requestId) {
    // The head may be cut anywhere: read it leniently, just for the language and the path.
    std::string acceptLanguage, target;
    const auto all = lines(head.substr(0, std::min<std::size_t>(head.size(), 64 * 1024)));
    if (!all.empty()) {
        std::istringstream requestLine{std::string(all.front())};
        std::string method;
        requestLine >> method >> target;
    }
    for (std::size_t n = 1; n < all.size(); ++n) {
        const auto colon = all[n].find(':');
        if (colon != std::string_view::npos &&
            Poco::icompare(std::string(all[n].substr(0, colon)), "Accept-Language") == 0)
            acceptLanguage = std::string(trimmed(all[n].substr(colon + 1)));
    }
    const std::string language = i18n::negotiateLanguage(acceptLanguage, "en");
    std::ostringstream body;
    Poco::JSON::Stringifier::stringify(problem.toJson(language, target.substr(0, target.find('?')).substr(0, 512)),
                                       body);
    const std::string content = body.str();
    const auto status = static_cast<Poco::Net::HTTPResponse::HTTPStatus>(problem.status());
    std::string response = "HTTP/1.1 " + std::to_string(problem.status()) + " " +
                           Poco::Net::HTTPResponse::getReasonForStatus(status) + "\r\n";
    response += "Date: " + Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::HTTP_FORMAT) +
                "\r\nServer: caseflow\r\nConnection: close\r\n";
    for (const auto& [name, value] : problem.headers()) response += name + ": " + value + "\r\n";
    response += "Content-Type: application/problem+json; charset=utf-8\r\nCache-Control: no-store\r\n"
                "X-Content-Type-Options: nosniff\r\nContent-Language: " +
                language + "\r\nX-Request-Id: " + std::to_string(requestId) +
                "\r\nContent-Length: " + std::to_string(content.size()) + "\r\n\r\n" + content;
    return response;
}

} // namespace caseflow::service
