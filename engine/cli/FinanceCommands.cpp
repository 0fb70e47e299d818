// Commands about money: the yearly envelope (R18) and where each funding request stands.
#include "cli/Commands.h"
#include "cli/ExitCodes.h"
#include "cli/Messages.h"
#include "core/Errors.h"
#include "i18n/MoneyFormat.h"

namespace caseflow::cli {
namespace {

int envelope(Invocation& in) {
    auto process = openProcess(in);
    const int year = yearOf(in);
    if (!process.network().envelope(year)) throw NotFound("the network has no envelope for " + std::to_string(year));
    const auto figures = process.envelope(year);
    if (in.flag("--json")) {
        auto json = Poco::makeShared<Poco::JSON::Object>();
        json->set("year", figures.year);
        json->set("amountCents", figures.amount);
        json->set("committedCents", figures.committed);
        json->set("paidCents", figures.paid);
        json->set("remainingCents", figures.remaining());
        printJson(in.out, json);
        return kOk;
    }
    const std::string language = languageOf(in);
    const auto line = [&](const std::string& label, Cents amount) {
        in.out << "  " << padded(label, 12) << padded(i18n::formatMoney(amount, language), 14, true) << "\n";
    };
    in.out << tr("envelope {year}: {amount}",
                 {{"year", std::to_string(figures.year)}, {"amount", i18n::formatMoney(figures.amount, language)}})
           << "\n";
    line(tr("committed"), figures.committed);
    line(tr("paid"), figures.paid);
    line(tr("remaining"), figures.remaining());
    return kOk;
}

} // namespace

void addFinanceCommands(std::vector<CommandSpec>& commands) {
    commands.push_back({"envelope",
                        "",
                        "show the yearly envelope: amount, committed, paid, remaining (R18)",
                        "",
                        {{"--year", "YEAR", "the year (default: this year)"}},
                        0,
                        0,
                        envelope});
}

} // namespace caseflow::cli
