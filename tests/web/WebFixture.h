// What the web application's C++ specifications share: a copy of the service tests' pilot
// database (tests/service/ServiceFixture.h) with the fixture users, each given a password and a
// language; the real server on a loopback port with the pages plugged in before it starts; a
// clock the test moves (sessions and throttling are measured by it); and a small browser-like
// client that keeps the cookies it is given and posts forms.
#pragma once

#include "service/ServiceFixture.h"
#include "store/AccountRepository.h"
#include "web/Passwords.h"
#include "web/WebApplication.h"

#include <Poco/URI.h>

#include <atomic>
#include <regex>

namespace caseflow::test::web {

using http::Response;

inline std::string passwordOf(const std::string& name) {
    return "password of " + name;
}

// The language each fixture user reads: the Dutch-speaking pedopsychiatrist, everyone else French.
inline std::string languageOf(const http::User& user) {
    return user.role == "pedopsychiatrist" ? "nl" : "fr";
}

class WebFixture {
public:
    explicit WebFixture(const std::function<void(caseflow::web::WebSettings&)>& configure = {},
                        const std::function<void(service::ServiceConfig&)>& configureService = {})
        : database_(dir_, "web.db", http::templateDatabase()) {
        {
            auto process = FundingProcess::open(database());
            service::Accounts accounts(process.accounts());
            auto rows = process.accounts();
            for (const auto& user : http::fixtureUsers()) {
                accounts.addUser(user.name, user.role, user.situations);
                tokens_[user.name] = accounts.issueToken(user.name, std::nullopt).secret;
                rows.setPasswordHash(user.name, caseflow::web::hashPassword(passwordOf(user.name)));
                rows.setLanguage(user.name, languageOf(user));
            }
        }
        service::ServiceConfig config;
        config.host = "127.0.0.1";
        config.port = 0;
        config.database = database_.appAddress(); // the application role on PostgreSQL, as deployed
        config.threads = 8;
        config.accessLog = (dir_ / "access.log").string();
        if (configureService) configureService(config);
        caseflow::web::WebSettings settings;
        settings.now = [this] { return now_.load(); };
        if (configure) configure(settings);
        server_ = std::make_unique<service::Server>(config);
        server_->state().pool.warmUp();
        auto pages = std::make_shared<caseflow::web::WebApplication>(database_.appAddress(), settings);
        pages_ = pages.get();
        server_->state().pages = pages;
        server_->start();
    }

    // The database's address as its owner (the file on SQLite).
    const std::string& database() const { return database_.address(); }
    std::filesystem::path accessLog() const { return dir_ / "access.log"; }
    std::uint16_t port() const { return server_->port(); }
    std::string token(const std::string& name) const { return tokens_.at(name); }
    // Moves the web application's clock (Unix seconds).
    void advance(std::int64_t seconds) { now_ += seconds; }
    caseflow::web::WebApplication& pages() { return *pages_; }

private:
    ScratchDir dir_;
    TestDatabase database_;
    std::map<std::string, std::string> tokens_;
    std::atomic<std::int64_t> now_{1'780'000'000};
    std::unique_ptr<service::Server> server_;
    caseflow::web::WebApplication* pages_ = nullptr;
};

inline std::string formEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string body;
    for (const auto& [name, value] : fields) {
        std::string n, v;
        Poco::URI::encode(name, "&=+?#/%", n);
        Poco::URI::encode(value, "&=+?#/%", v);
        body += (body.empty() ? "" : "&") + n + "=" + v;
    }
    return body;
}

// The value of `name="csrf"`'s hidden field in a page, "" when there is none.
inline std::string csrfIn(const std::string& html) {
    std::smatch match;
    static const std::regex field(R"re(name="csrf" value="([0-9a-f]+)")re");
    return std::regex_search(html, match, field) ? match[1].str() : "";
}

// A browser in miniature: cookies from Set-Cookie are kept and sent back (no attributes checked).
class Browser {
public:
    explicit Browser(std::uint16_t port) : port_(port) {}

    Response get(const std::string& path) { return exchange("GET", path, ""); }
    Response post(const std::string& path, const std::vector<std::pair<std::string, std::string>>& fields) {
        return exchange("POST", path, formEncode(fields));
    }
    // A file sent as a browser sends it from <input type="file"> (multipart/form-data), with the
    // form's CSRF field first.
    Response upload(const std::string& path, const std::string& csrf, const std::string& field,
                    const std::string& fileName, const std::string& content) {
        const std::string boundary = "----caseflowtestboundary7MA4YWxkTrZu0gW";
        const std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf +
                                 "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field +
                                 "\"; filename=\"" + fileName + "\"\r\nContent-Type: application/xml\r\n\r\n" +
                                 content + "\r\n--" + boundary + "--\r\n";
        return exchange("POST", path, body, "multipart/form-data; boundary=" + boundary);
    }
    // Signs in through the sign-in page, as a person does; returns the answer to the POST.
    Response signIn(const std::string& name, const std::string& password, const std::string& next = "/caseload") {
        const Response page = get("/sign-in?next=" + next);
        return post("/sign-in", {{"csrf", csrfIn(page.body)}, {"name", name}, {"password", password}, {"next", next}});
    }
    std::string cookie(const std::string& name) const {
        auto found = cookies_.find(name);
        return found == cookies_.end() ? "" : found->second;
    }
    // The last Set-Cookie header seen for `name`, attributes included.
    std::string setCookieHeader(const std::string& name) const {
        auto found = setCookies_.find(name);
        return found == setCookies_.end() ? "" : found->second;
    }
    void setCookie(const std::string& name, const std::string& value) { cookies_[name] = value; }
    // A header sent with every request from now on (what a reverse proxy adds, e.g. X-Forwarded-For).
    void setHeader(const std::string& name, const std::string& value) { headers_[name] = value; }

private:
    Response exchange(const std::string& method, const std::string& path, const std::string& body,
                      const std::string& contentType = "application/x-www-form-urlencoded") {
        Poco::Net::HTTPClientSession session("127.0.0.1", port_);
        session.setTimeout(Poco::Timespan(30, 0));
        Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        std::string cookieHeader;
        for (const auto& [name, value] : cookies_)
            cookieHeader += (cookieHeader.empty() ? "" : "; ") + name + "=" + value;
        if (!cookieHeader.empty()) request.set("Cookie", cookieHeader);
        for (const auto& [name, value] : headers_) request.set(name, value);
        if (method == "POST") {
            request.setContentType(contentType);
            request.setContentLength(static_cast<std::streamsize>(body.size()));
        }
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse answer;
        std::istream& in = session.receiveResponse(answer);
        Response response;
        response.status = answer.getStatus();
        Poco::StreamCopier::copyToString(in, response.body);
        for (const auto& [name, value] : answer) {
            std::string lower = name;
            std::transform(lower.begin(), lower.end(), lower.begin(),
                           [](unsigned char ch) { return std::tolower(ch); });
            response.headers[lower] = value;
            if (lower == "set-cookie") {
                const auto equals = value.find('=');
                const std::string cookieName = value.substr(0, equals);
                const std::string cookieValue = value.substr(equals + 1, value.find(';') - equals - 1);
                setCookies_[cookieName] = value;
                if (value.find("Max-Age=0") != std::string::npos)
                    cookies_.erase(cookieName);
                else
                    cookies_[cookieName] = cookieValue;
            }
        }
        return response;
    }

    std::uint16_t port_;
    std::map<std::string, std::string> cookies_;
    std::map<std::string, std::string> setCookies_;
    std::map<std::string, std::string> headers_;
};

// A browser signed in as the fixture user `name` (the sign-in answers 303 to the page asked).
inline Browser signedInAs(WebFixture& fixture, const std::string& name) {
    Browser browser(fixture.port());
    REQUIRE(browser.signIn(name, passwordOf(name)).status == 303);
    return browser;
}

} // namespace caseflow::test::web
