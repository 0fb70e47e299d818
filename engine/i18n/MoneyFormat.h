// Locale-aware amounts: integer cents in, the language's EUR format out ("10 000,00 €" in
// fr_BE, "€ 10.000,00" in nl_BE). ICU formats a decimal string, so no amount ever passes
// through floating point.
#pragma once

#include "model/Money.h"

#include <string>

namespace caseflow::i18n {

std::string formatMoney(Cents amount, const std::string& language);
// A share in tenths of a percent as the language writes it: 452 is "45.2%" (en), "45,2 %" (fr),
// "45,2%" (nl). Integers only, like the amounts.
std::string formatPermille(int permille, const std::string& language);

} // namespace caseflow::i18n
