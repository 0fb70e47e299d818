// Commands about money: the yearly envelope (R18) and where each funding request stands.
#include "cli/Commands.h"
#include "cli/ExitCodes.h"
#include "cli/Messages.h"
#include "core/Errors.h"
#include "i18n/MoneyFormat.h"
#include "model/Date.h"
#include "process/RuleMessages.h"
#include "views/SituationViews.h"

namespace caseflow::cli {
namespace {

int envelope(Invocation& in) {
    auto process = openProcess(in);
    const int year = yearOf(in);
    if (!process.network().envelope(year)) throw NotFound("the network has no envelope for " + std::to_string(year));
    // R18: the share of the year passed against the shares committed and paid, so
    // under-spending shows early, with the warning past the network's threshold.
    const auto forecast = process.envelopeForecast(year, Date::today());
    const auto& figures = forecast.figures;
    const auto& under = forecast.underSpending;
    const std::string language = languageOf(in);
    if (in.flag("--json")) {
        auto json = Poco::makeShared<Poco::JSON::Object>();
        json->set("year", figures.year);
        json->set("amountCents", figures.amount);
        json->set("committedCents", figures.committed);
        json->set("paidCents", figures.paid);
        json->set("remainingCents", figures.remaining());
        json->set("underSpending", views::underSpendingJson(under, language));
        printJson(in.out, json);
        return kOk;
    }
    const auto line = [&](const std::string& label, Cents amount) {
        in.out << "  " << padded(label, 12) << padded(i18n::formatMoney(amount, language), 14, true) << "\n";
    };
    in.out << tr("envelope {year}: {amount}",
                 {{"year", std::to_string(figures.year)}, {"amount", i18n::formatMoney(figures.amount, language)}})
           << "\n";
    line(tr("committed"), figures.committed);
    line(tr("paid"), figures.paid);
    line(tr("remaining"), figures.remaining());
    in.out << "  " << envelopeProgress(under, language) << "\n";
    if (const std::string warning = underSpendingWarning(under, language); !warning.empty())
        in.out << "  " << warning << "\n";
    return kOk;
}

} // namespace

void addFinanceCommands(std::vector<CommandSpec>& commands) {
    commands.push_back(
        {"envelope",
         "",
         "show the yearly envelope: amount, committed, paid, remaining, the year passed against them (R18)",
         "Besides the amounts: how much of the year has passed against how much of the envelope is\n"
         "committed and paid, and a warning when the commitments lag the year by more than the\n"
         "network's underSpendingWarningPoints. Approvals count in the year the network's\n"
         "<envelopes commitmentDate> gives them (docs/concepts.md).",
         {{"--year", "YEAR", "the year (default: this year)"}},
         0,
         0,
         envelope});
}

} // namespace caseflow::cli
