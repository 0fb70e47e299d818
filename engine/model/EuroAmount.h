// Amounts in euros as Belgians type them into a form (« 1 234,56 », « 1.234,56 », « 12,5 »),
// read into integer cents without ever passing through floating point. What must stay true:
// the comma is the only decimal separator; a space (also U+00A0 and U+202F) or a dot may only
// separate groups of three digits, one kind per amount; anything else is refused with the
// reason, never guessed. So « 1,234.56 » (the English spelling) and « 12.50 » are refused:
// the dot is a thousands separator here, and reading them would silently change the amount by
// a factor of 100 or 1000 for someone who meant the other convention.
#pragma once

#include "model/Money.h"

#include <string_view>
#include <variant>

namespace caseflow {

enum class EuroAmountProblem {
    Empty,           // nothing typed
    Negative,        // a minus sign: expense amounts are never negative
    NotANumber,      // a letter or a sign that has no place in an amount
    DotAfterComma,   // « 1,234.56 »: the English spelling
    TwoCommas,       // « 1,234,56 »
    BadGrouping,     // « 12 34 », « 1.2345 », « 12.50 »: separators only between groups of three
    MixedSeparators, // « 1 234.567 »
    TooManyDecimals, // « 12,345 »: cents have two digits
    NoDecimals,      // « 12, »
    TooLarge,        // above 10^13 euros, more than any envelope
};

// Cents, or why the text is not an amount. A leading or trailing « € » or « EUR » and
// surrounding spaces are allowed.
std::variant<Cents, EuroAmountProblem> parseEuroAmount(std::string_view text);

// « 1 234,56 » (a plain space between groups), the spelling a form writes back.
std::string formatEuroAmount(Cents amount);

} // namespace caseflow
