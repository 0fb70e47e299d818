// The page model's writer (see PageModel.h).
#include "web/PageModel.h"

#include "core/Errors.h"

#include <cassert>
#include <stdexcept>

namespace caseflow::web {
namespace {

// XML 1.0 cannot carry most control characters even escaped: they are dropped, not turned into
// a page that fails to parse.
std::string printable(std::string_view value) {
    std::string kept;
    kept.reserve(value.size());
    for (const char ch : value)
        if (static_cast<unsigned char>(ch) >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r') kept += ch;
    return kept;
}

} // namespace

void PageModel::endStartTag() {
    if (inStartTag_) xml_ += '>';
    inStartTag_ = false;
}

PageModel& PageModel::open(std::string_view name) {
    endStartTag();
    xml_ += '<';
    xml_ += name;
    stack_.emplace_back(name);
    inStartTag_ = true;
    return *this;
}

PageModel& PageModel::attribute(std::string_view name, std::string_view value) {
    // Not an assert: in a release build a late attribute would land in the page as stray text.
    if (!inStartTag_)
        throw std::logic_error("page model: attribute '" + std::string(name) + "' after the element's content");
    xml_ += ' ';
    xml_ += name;
    xml_ += "=\"";
    xml::appendEscaped(xml_, printable(value), true);
    xml_ += '"';
    return *this;
}

PageModel& PageModel::text(std::string_view value) {
    endStartTag();
    xml::appendEscaped(xml_, printable(value), false);
    return *this;
}

PageModel& PageModel::close() {
    assert(!stack_.empty());
    if (inStartTag_) {
        xml_ += "/>";
        inStartTag_ = false;
    } else {
        xml_ += "</" + stack_.back() + ">";
    }
    stack_.pop_back();
    return *this;
}

PageModel& PageModel::leaf(std::string_view name, const std::vector<std::pair<std::string, std::string>>& attributes,
                           std::string_view content) {
    open(name);
    for (const auto& [key, value] : attributes) attribute(key, value);
    if (!content.empty()) text(content);
    return close();
}

xml::Document PageModel::document() const {
    if (!stack_.empty()) throw Error("page model: <" + stack_.back() + "> was never closed");
    return xml::parseString(xml_, "page model", xml::Whitespace::Keep);
}

} // namespace caseflow::web
