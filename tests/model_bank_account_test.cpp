// Account numbers and structured communications are checked as a bank checks them
// (model/BankAccount.h): published examples are accepted, each kind of typo is refused with
// the check that caught it.
#include "model/BankAccount.h"

#include <catch2/catch.hpp>

using namespace caseflow;

TEST_CASE("the IBANs banks publish as examples are accepted, typed with or without spaces", "[model][bank][fast]") {
    for (const char* iban : {"BE71 0961 2345 6769", "BE68539007547034", "be68 5390 0754 7034", "NL91 ABNA 0417 1643 00",
                             "DE89 3704 0044 0532 0130 00", "FR14 2004 1010 0505 0001 3M02 606",
                             "GB82 WEST 1234 5698 7654 32", "NO93 8601 1117 947",
                             "BE71\xc2\xa0"
                             "0961\xc2\xa0"
                             "2345\xc2\xa0"
                             "6769"}) {
        INFO(iban);
        CHECK(isValidIban(iban));
    }
}

TEST_CASE("an IBAN with a typo is refused with the check that caught it", "[model][bank][fast]") {
    CHECK(ibanProblem("BE71 0961 2345 6768") == IbanProblem::CheckDigits); // last digit changed
    CHECK(ibanProblem("BE17 0961 2345 6769") == IbanProblem::CheckDigits); // check digits swapped
    CHECK(ibanProblem("BE71 0961 2345 676") == IbanProblem::Length);       // a digit missing
    CHECK(ibanProblem("BE71 0961 2345 67690") == IbanProblem::Length);
    // A Belgian account with a valid mod 97 but the length of a Dutch one is still refused.
    CHECK(ibanProblem("NL91 ABNA 0417 1643 0") == IbanProblem::Length);
    CHECK(ibanProblem("XX71 0961 2345 6769") == IbanProblem::Country);
    CHECK(ibanProblem("1271 0961 2345 6769") == IbanProblem::Country);
    CHECK(ibanProblem("BE71-0961-2345-6769") == IbanProblem::Characters);
    CHECK(ibanProblem("BÉ71 0961 2345 6769") == IbanProblem::Characters);
    CHECK(ibanProblem("") == IbanProblem::Characters);
    CHECK(ibanLengthOf("BE") == 16);
    CHECK(ibanLengthOf("ZZ") == 0);
}

TEST_CASE("an IBAN is shown grouped by four, whatever way it was typed", "[model][bank][fast]") {
    CHECK(groupedIban("be68539007547034") == "BE68 5390 0754 7034");
    CHECK(groupedIban("FR1420041010050500013M02606") == "FR14 2004 1010 0505 0001 3M02 606");
    CHECK(groupedIban("not/an iban") == "not/an iban"); // data shown as written
}

TEST_CASE("a BIC is checked by its form", "[model][bank][fast]") {
    CHECK(isValidBic("GEBABEBB"));
    CHECK(isValidBic("gkcc bebb"));
    CHECK(isValidBic("BBRUBEBB010"));
    CHECK_FALSE(isValidBic("GEBABEB"));    // 7 characters
    CHECK_FALSE(isValidBic("GEBABEBB01")); // 10 characters
    CHECK_FALSE(isValidBic("GEB4BEBB"));   // a digit in the institution
    CHECK_FALSE(isValidBic("GEBA12BB"));   // a digit in the country
    CHECK_FALSE(isValidBic("GEBABEB-"));
    CHECK(compactBic("gkcc bebb") == "GKCCBEBB");
}

TEST_CASE("a structured communication carries ten digits and their mod-97 check", "[model][bank][fast]") {
    const auto communication = StructuredCommunication::fromBase(909337554);
    REQUIRE(communication);
    CHECK(communication->checkDigits() == 93);
    CHECK(communication->digits() == "090933755493");
    CHECK(communication->formatted() == "+++090/9337/55493+++");
    // A multiple of 97 takes 97, never 00.
    CHECK(StructuredCommunication::fromBase(97 * 1000)->formatted() == "+++000/0097/00097+++");
    CHECK(StructuredCommunication::fromBase(0)->formatted() == "+++000/0000/00097+++");
    CHECK_FALSE(StructuredCommunication::fromBase(10'000'000'000ULL));
}

TEST_CASE("a structured communication quoted on a bank line is read back, and a typo is not", "[model][bank][fast]") {
    for (const char* quoted : {"+++010/8068/17183+++", "***010/8068/17183***", "010/8068/17183", "010806817183",
                               " +++010 / 8068 / 17183+++ "}) {
        INFO(quoted);
        const auto communication = StructuredCommunication::parse(quoted);
        REQUIRE(communication);
        CHECK(communication->base() == 108068171);
    }
    CHECK_FALSE(StructuredCommunication::parse("+++010/8068/17184+++")); // check digits wrong
    CHECK_FALSE(StructuredCommunication::parse("+++010/8068/1718+++"));  // a digit missing
    CHECK_FALSE(StructuredCommunication::parse("+++0108/068/17183+++")); // grouped wrong
    CHECK_FALSE(StructuredCommunication::parse("+++010/8068/1718A+++"));
    CHECK_FALSE(StructuredCommunication::parse(""));
}

TEST_CASE("a payment's communication is derived from the payment and leads back to it", "[model][bank][fast]") {
    const auto communication = communicationOf({42, 3});
    REQUIRE(communication);
    CHECK(communication->formatted() == "+++000/0042/00302+++"); // 42003 mod 97 = 2
    const auto read = StructuredCommunication::parse(communication->formatted());
    REQUIRE(read);
    CHECK(paymentOf(*read) == PaymentReference{42, 3});
    CHECK(communicationOf({9'999'999, 999}));
    CHECK_FALSE(communicationOf({10'000'000, 1})); // beyond ten digits: refused, never wrapped
    CHECK_FALSE(communicationOf({42, 1000}));
    CHECK_FALSE(communicationOf({42, 0}));
    CHECK_FALSE(paymentOf(*StructuredCommunication::fromBase(42000)));
}
