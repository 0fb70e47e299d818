// Euro amounts typed the Belgian way become integer cents (model/EuroAmount.h): the table of
// what is accepted and what is refused, and why. A refusal is never a guess.
#include "model/EuroAmount.h"

#include <catch2/catch.hpp>

#include <string>

using namespace caseflow;

TEST_CASE("amounts typed the Belgian way become cents without floating point", "[model][money][fast]") {
    const struct {
        const char* typed;
        Cents cents;
    } accepted[] = {
        {"1 234,56", 123456},
        {"1.234,56", 123456},
        {"1234,56", 123456},
        {"1234", 123400},
        {"12,5", 1250},
        {"12,05", 1205},
        {"0,99", 99},
        {"0", 0},
        {"1\xc2\xa0"
         "234,56",
         123456}, // the no-break space a copy from a document carries
        {"1\xe2\x80\xaf"
         "234,56",
         123456}, // the narrow one fr_BE formatting writes
        {"  1.234.567,89 ", 123456789},
        {"1 234 567", 123456700},
        {"1.234", 123400}, // the dot separates thousands in Belgium
        {"880 \xe2\x82\xac", 88000},
        {"\xe2\x82\xac 880,00", 88000},
        {"420 EUR", 42000},
        {"9999999999999,99", 999999999999999},
    };
    for (const auto& row : accepted) {
        INFO(row.typed);
        const auto parsed = parseEuroAmount(row.typed);
        REQUIRE(std::holds_alternative<Cents>(parsed));
        CHECK(std::get<Cents>(parsed) == row.cents);
    }
}

TEST_CASE("ambiguous or malformed amounts are refused with the reason, never guessed", "[model][money][fast]") {
    const struct {
        const char* typed;
        EuroAmountProblem problem;
    } refused[] = {
        {"", EuroAmountProblem::Empty},
        {"   ", EuroAmountProblem::Empty},
        {"\xe2\x82\xac", EuroAmountProblem::Empty},
        {"-12,50", EuroAmountProblem::Negative},
        {"1,234.56", EuroAmountProblem::DotAfterComma}, // the English spelling
        {"1,234,56", EuroAmountProblem::TwoCommas},
        {"12.50", EuroAmountProblem::BadGrouping}, // a decimal point would be a guess
        {"12.5", EuroAmountProblem::BadGrouping},
        {"1.2345", EuroAmountProblem::BadGrouping},
        {"12 34", EuroAmountProblem::BadGrouping},
        {"1234 567", EuroAmountProblem::BadGrouping},
        {"1..234", EuroAmountProblem::BadGrouping},
        {".234", EuroAmountProblem::BadGrouping},
        {"1 234.567", EuroAmountProblem::MixedSeparators},
        {"12,345", EuroAmountProblem::TooManyDecimals},
        {"12,", EuroAmountProblem::NoDecimals},
        {",50", EuroAmountProblem::NotANumber},
        {"douze", EuroAmountProblem::NotANumber},
        {"+12", EuroAmountProblem::NotANumber},
        {"1e3", EuroAmountProblem::NotANumber},
        {"12,5a", EuroAmountProblem::NotANumber},
        {"12 $", EuroAmountProblem::NotANumber},
        {"10000000000000", EuroAmountProblem::TooLarge},
    };
    for (const auto& row : refused) {
        INFO(row.typed);
        const auto parsed = parseEuroAmount(row.typed);
        REQUIRE(std::holds_alternative<EuroAmountProblem>(parsed));
        CHECK(std::get<EuroAmountProblem>(parsed) == row.problem);
    }
}

TEST_CASE("an amount written back into a form reads as what was parsed", "[model][money][fast]") {
    CHECK(formatEuroAmount(123456) == "1 234,56");
    CHECK(formatEuroAmount(1250) == "12,50");
    CHECK(formatEuroAmount(5) == "0,05");
    CHECK(formatEuroAmount(100000000) == "1 000 000,00");
    for (const Cents cents : {Cents{0}, Cents{7}, Cents{123456}, Cents{999999999999999}})
        CHECK(std::get<Cents>(parseEuroAmount(formatEuroAmount(cents))) == cents);
}
