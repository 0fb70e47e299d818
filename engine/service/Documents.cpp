// The documents switch (see Documents.h), wired to engine/render's DocumentRenderer.
#include "service/Documents.h"

#include "render/CommitteeReportDocument.h"
#include "render/DocumentRenderer.h"
#include "render/FinanceDocumentView.h"
#include "render/LanguageSpec.h"

namespace caseflow::service {

std::vector<std::string> Documents::names() {
    return render::documentNames();
}

std::vector<std::string> Documents::languages() {
    return render::languageParameters();
}

RenderedDocument Documents::render(FundingProcess& process, std::int64_t id, const std::string& name,
                                   const std::string& item, const std::string& language, const std::string& format,
                                   bool financeView) {
    render::RenderRequest request;
    request.financeView = financeView;
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

bool Documents::financeMayRead(const std::string& name) {
    return render::financeMayRead(name);
}

RenderedDocument Documents::committeeReport(const CommitteeReportFigures& report, const NetworkSettings& network,
                                            const std::string& language, const std::string& format) {
    try {
        auto file =
            render::committeeReportFile(report.figures, report.threshold, report.publish, format, language, network);
        return {file.contentType, file.fileName, file.content};
    } catch (const render::MissingTool& missing) {
        throw DocumentToolMissing(missing.what());
    }
}

} // namespace caseflow::service
