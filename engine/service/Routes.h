// The route table: every method and path the service answers, the operation (and so the
// row of the authorisation matrix) it belongs to, the query parameters it accepts, and its
// handler. What must stay true: this table, docs/openapi.json and docs/authorisation.md name
// the same routes (tests walk all three); a path is split on '/' before its segments are
// percent-decoded, so an encoded slash can never turn one segment into several.
#pragma once

#include "service/Authorisation.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow::service {

class RequestContext;

struct Route {
    std::string method; // GET, POST
    std::string path;   // "/api/v1/situations/{id}"
    Operation operation;
    std::vector<std::string> queryParameters; // any other parameter is a 400
    void (*handler)(RequestContext&);
};

const std::vector<Route>& routes();

struct RouteMatch {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    std::vector<std::string> allowedMethods; // when the path exists but not with this method
    bool badEncoding = false;                // a segment with a malformed %-escape or a NUL
};

RouteMatch matchRoute(std::string_view method, std::string_view path);

} // namespace caseflow::service
