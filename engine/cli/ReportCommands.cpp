// The steering committee's report (R4, R15, R18, R19): anonymised figures for one year.
#include "cli/Commands.h"
#include "cli/ExitCodes.h"
#include "core/Errors.h"
#include "process/CommitteeReporting.h"
#include "render/CommitteeReportDocument.h"

#include <fstream>

namespace caseflow::cli {
namespace {

int committeeReport(Invocation& in) {
    CommitteeReportRequest request;
    request.askedBy = declaredActorOf(in);
    if (auto text = in.option("--threshold")) {
        if (text->empty() || text->size() > 3 || text->find_first_not_of("0123456789") != std::string::npos ||
            *text == "0")
            throw UsageError("--threshold needs a positive number, got '" + *text + "'");
        request.threshold = std::stoi(*text);
    }
    const std::string format = in.option("--format").value_or("csv");
    request.internal = in.flag("--internal");
    request.asOf = in.option("--as-of") ? Date::parseOrThrow(*in.option("--as-of"), "--as-of") : Date::today();
    auto process = openProcess(in);
    request.year = yearOf(in);
    CommitteeReportFigures report;
    try {
        report = committeeReport(process, request);
    } catch (const NotFound& nothing) {
        in.err << nothing.what() << "\n";
        return kNotFound;
    }
    // Documents exist in French and Dutch; an English-speaking shell gets the French one.
    std::string language = in.option("--lang") ? *in.option("--lang") : languageOf(in);
    if (language == "en") language = "fr";
    const std::string content = render::committeeReportFile(report.figures, report.threshold, report.publish, format,
                                                            language, process.network())
                                    .content;
    if (auto output = in.option("--output")) {
        std::ofstream file(*output, std::ios::binary | std::ios::trunc);
        if (!(file << content)) throw Error("cannot write " + *output);
        in.out << "wrote " << *output << "\n";
    } else {
        in.out << content;
    }
    return kOk;
}

} // namespace

void addReportCommands(std::vector<CommandSpec>& commands) {
    commands.push_back(
        {"report committee",
         "",
         "the steering committee's anonymised report for a year",
         "Counts, amounts, envelope use month by month with a forecast (R18), delays between phases,\n"
         "follow-ups, caseloads and the pilot's coverage of the six categories (R4). No name, birth\n"
         "date or free text; counts below the threshold are shown as \"< N\" unless --internal.\n"
         "Only the coordinator and the committee may ask for it: --as (or $CASEFLOW_ACTOR) says who\n"
         "asks, and a report asked for by nobody is refused.",
         {{"--year", "YEAR", "the year (default: this year)"},
          {"--format", "FORMAT", "csv (default), xml, html, pdf or odt"},
          {"--lang", "LANG",
           "the report's language for html, pdf and odt: fr, nl, fr+nl or nl+fr (default: from $LANG; "
           "messages follow $LANG)"},
          {"--output", "FILE", "write to FILE instead of standard output"},
          {"--threshold", "N", "suppress counts below N (default: the network's, 3)"},
          {"--internal", "", "no suppression (for the coordinator's own use, never published)"},
          {"--as-of", "DATE", "the report's date (default: today)"},
          {"--as", "ROLE:NAME", "who asks: coordinator or committee (default: $CASEFLOW_ACTOR, required)"}},
         0,
         0,
         committeeReport});
}

} // namespace caseflow::cli
