// The page model: the XML document a page template reads (templates/web/*.xhtml), built by
// the web module from the use cases' answers. What must stay true: every value written here is
// escaped (the writer is the only way in), so nothing a user typed can become markup; the
// model carries only what the caller's view may see (process/Authorisation.h).
#pragma once

#include "xml/Xml.h"

#include <string>
#include <string_view>
#include <vector>

namespace caseflow::web {

class PageModel {
public:
    // <page lang="..."> is the root; elements are opened and closed in order.
    PageModel& open(std::string_view name);
    PageModel& attribute(std::string_view name, std::string_view value);
    PageModel& text(std::string_view value);
    PageModel& close();
    // An element with attributes and no content, in one call.
    PageModel& leaf(std::string_view name, const std::vector<std::pair<std::string, std::string>>& attributes,
                    std::string_view content = {});
    // The finished document (every element closed).
    xml::Document document() const;

private:
    void endStartTag();
    std::string xml_;
    std::vector<std::string> stack_;
    bool inStartTag_ = false;
};

} // namespace caseflow::web
