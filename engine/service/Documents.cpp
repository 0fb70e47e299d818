// The documents switch (see Documents.h), wired to engine/render's DocumentRenderer.
#include "service/Documents.h"

#include "render/DocumentRenderer.h"
#include "render/LanguageSpec.h"

namespace caseflow::service {

bool Documents::available() {
    return true;
}

std::vector<std::string> Documents::names() {
    return render::documentNames();
}

std::vector<std::string> Documents::languages() {
    return render::languageParameters();
}

RenderedDocument Documents::render(FundingProcess& process, std::int64_t id, const std::string& name,
                                   const std::string& item, const std::string& language, const std::string& format) {
    render::RenderRequest request;
    request.document = name;
    request.item = item;
    request.language = language;
    request.format = format;
    RenderedDocument rendered;
    try {
        rendered.body = render::renderDocument(process, id, request);
    } catch (const render::MissingTool& missing) {
        throw DocumentToolMissing(missing.what());
    }
    rendered.contentType = render::contentType(format);
    rendered.fileName = render::documentFileName(process.situation(id), request);
    return rendered;
}

} // namespace caseflow::service
