// Rendering the committee report's figures through the document templates
// (templates/committee-report.xhtml): the figures' XML is the template's data, the network
// settings its $network, so the same engine, catalogs and print stylesheet serve it.
#include "cli/Commands.h"
#include "model/Errors.h"
#include "render/Environment.h"
#include "render/OdtWriter.h"
#include "render/PdfWriter.h"

namespace caseflow::cli {

std::string renderCommitteeReport(const CommitteeFigures& figures, int threshold, bool publish, const std::string& format,
                                  const std::string& language, const NetworkSettings& network) {
    if (format != "html" && format != "pdf" && format != "odt")
        throw UsageError("unknown report format '" + format + "'; formats are: csv, xml, html, pdf, odt");
    const std::string figuresXml = committeeFiguresXml(figures, threshold, publish);
    const auto data = xml::parseString(figuresXml, "committee figures");
    render::RenderInputs inputs;
    inputs.situation = data.get();
    inputs.language = render::LanguageSpec::parse(language);
    inputs.nodes.push_back({"network", xml::root(network.document())});
    inputs.strings.push_back({"today", figures.asOf});
    inputs.strings.push_back({"document", "committee-report"});
    const std::string html = render::Environment::shared().get("committee-report")->render(inputs);
    if (format == "html") return html;
    if (format == "odt") {
        render::OdtMetadata metadata;
        metadata.title = "committee report " + std::to_string(figures.year);
        metadata.language = inputs.language.first();
        return render::htmlToOdt(html, metadata);
    }
    // The figures travel inside the archived PDF, as the situations' records do in theirs.
    return render::htmlToPdf(html, {{"committee-figures-" + std::to_string(figures.year) + ".xml", figuresXml,
                                     "The anonymised figures this report was rendered from"}});
}

} // namespace caseflow::cli
