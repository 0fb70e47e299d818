// The one switch between the HTTP service and the documents module (engine/render): which
// documents exist and how one is rendered. What must stay true: the service reaches the
// documents module only through these functions, so wiring it in (or out) changes this file
// and nothing else; while the module is not part of the build, available() is false and the
// route answers 503 documents-unavailable after authentication and authorisation.
#pragma once

#include "process/FundingProcess.h"

#include <string>
#include <vector>

namespace caseflow::service {

struct RenderedDocument {
    std::string contentType; // "text/html; charset=utf-8", "application/pdf", ...
    std::string body;
};

class Documents {
public:
    static bool available();
    // The document names the renderer knows ("concertation-request", "care-plan"...).
    static std::vector<std::string> names();
    // The formats a client may ask for, by media type ("text/html", "application/pdf"...).
    static std::vector<std::string> formats();
    // Renders `name` for `situation` in `language` ("fr", "nl", "fr+nl", "nl+fr") and `format`.
    static RenderedDocument render(FundingProcess& process, const SituationRecord& situation, const std::string& name,
                                   const std::string& language, const std::string& format);
};

} // namespace caseflow::service
