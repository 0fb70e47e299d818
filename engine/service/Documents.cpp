// The documents switch (see Documents.h). The documents module (engine/render/
// DocumentRenderer.h, render::renderDocument and render::documentNames) is being written in
// parallel; until it is committed this file reports it unavailable. Wiring it in is: include
// its header, return true from available(), and forward names() and render() to it.
#include "service/Documents.h"

#include "model/Errors.h"

namespace caseflow::service {

bool Documents::available() {
    return false;
}

std::vector<std::string> Documents::names() {
    return {};
}

std::vector<std::string> Documents::formats() {
    return {"text/html", "application/pdf"};
}

RenderedDocument Documents::render(FundingProcess& /*process*/, const SituationRecord& /*situation*/,
                                   const std::string& name, const std::string& /*language*/,
                                   const std::string& /*format*/) {
    throw Error("the documents module is not part of this build; cannot render '" + name + "'");
}

} // namespace caseflow::service
