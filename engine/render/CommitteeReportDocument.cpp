// Rendering the committee report's figures through the document templates
// (templates/committee-report.xhtml): the figures' XML is the template's data, the network
// settings its $network, so the same engine, catalogs and print stylesheet serve it.
#include "render/CommitteeReportDocument.h"

#include "core/Errors.h"
#include "render/DocumentRenderer.h"
#include "render/Environment.h"
#include "render/OdtWriter.h"
#include "render/PdfWriter.h"
#include "xml/Xml.h"

#include <algorithm>

namespace caseflow::render {
namespace {

std::string renderedReport(const CommitteeFigures& figures, const std::string& figuresXml, const std::string& format,
                           const std::string& language, const NetworkSettings& network) {
    const auto data = xml::parseString(figuresXml, "committee figures");
    RenderInputs inputs;
    inputs.situation = data.get();
    inputs.language = LanguageSpec::parse(language);
    inputs.nodes.push_back({"network", xml::root(network.document())});
    inputs.strings.push_back({"today", figures.asOf});
    inputs.strings.push_back({"document", "committee-report"});
    const std::string html = Environment::shared().get("committee-report")->render(inputs);
    if (format == "html") return html;
    if (format == "odt") {
        OdtMetadata metadata;
        metadata.title = "committee report " + std::to_string(figures.year);
        metadata.language = inputs.language.first();
        return htmlToOdt(html, metadata);
    }
    // The anonymised figures travel inside the archived PDF, as each document's own data does
    // in its PDF; they hold no situation data (small counts are already suppressed).
    return htmlToPdf(html, {{"committee-figures-" + std::to_string(figures.year) + ".xml", figuresXml,
                             "The anonymised figures this report was rendered from"}});
}

} // namespace

const std::vector<std::string>& committeeReportFormats() {
    static const std::vector<std::string> formats = {"csv", "xml", "html", "pdf", "odt"};
    return formats;
}

CommitteeReportFile committeeReportFile(const CommitteeFigures& figures, int threshold, bool publish,
                                        const std::string& format, const std::string& language,
                                        const NetworkSettings& network) {
    const auto& formats = committeeReportFormats();
    if (std::find(formats.begin(), formats.end(), format) == formats.end())
        throw UsageError("unknown report format '" + format + "'; formats are: csv, xml, html, pdf, odt");
    CommitteeReportFile file;
    const std::string stem = "committee-report-" + std::to_string(figures.year);
    if (format == "csv") {
        file.content = committeeFiguresCsv(figures, threshold, publish);
        file.contentType = "text/csv; charset=utf-8; header=present";
        file.fileName = stem + ".csv";
    } else if (format == "xml") {
        file.content = committeeFiguresXml(figures, threshold, publish);
        file.contentType = "application/xml";
        file.fileName = stem + ".xml";
    } else {
        file.content =
            renderedReport(figures, committeeFiguresXml(figures, threshold, publish), format, language, network);
        file.contentType = contentType(format);
        file.fileName = stem + "." + language + "." + format;
    }
    return file;
}

} // namespace caseflow::render
