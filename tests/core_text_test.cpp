// The text and file helpers every module shares (core/Text.h, core/Files.h): a state list, a
// message's {placeholders} and a file read must behave the same whichever module asks.
#include "core/Errors.h"
#include "core/Files.h"
#include "core/Text.h"
#include "support/TestSupport.h"
#include "workflow/StateSet.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <set>

using namespace caseflow;

TEST_CASE("a state configuration splits the same on spaces, tabs and newlines", "[core]") {
    REQUIRE(text::words("  budget-check\tpaying\n  follow-up ") ==
            std::vector<std::string>{"budget-check", "paying", "follow-up"});
    REQUIRE(text::words(" \t\r\n").empty());
    REQUIRE(text::words("").empty());
}

TEST_CASE("trimming removes XML whitespace only at the ends", "[core]") {
    REQUIRE(text::trimmed("\n\t 12 500 \r\n") == "12 500");
    REQUIRE(text::trimmed(" \t ").empty());
    REQUIRE(text::trimmed("\u00a0x\u00a0") == "\u00a0x\u00a0"); // a no-break space is content
}

TEST_CASE("joining writes the separator between items only", "[core]") {
    REQUIRE(text::joined(std::vector<std::string>{"R5", "R6", "R7"}, ", ") == "R5, R6, R7");
    REQUIRE(text::joined(std::set<std::string>{"b", "a"}, " ") == "a b");
    REQUIRE(text::joined(std::vector<std::string>{}, ", ").empty());
}

TEST_CASE("a message's placeholders are filled where a value is known and kept as written otherwise", "[core]") {
    const auto filled = text::fillPlaceholders("{count} partners of {minimum}, {count} listed; {not a name}",
                                               [](std::string_view name) -> std::optional<std::string> {
                                                   if (name == "count") return "2";
                                                   return std::nullopt;
                                               });
    REQUIRE(filled == "2 partners of {minimum}, 2 listed; {not a name}");
    REQUIRE(text::placeholders("{a} {b-c} {a} {} {d e}") == std::vector<std::string>{"a", "b-c"});
}

TEST_CASE("reading a missing file names it as the user knows it", "[core]") {
    REQUIRE_THROWS_MATCHES(readFile("/nonexistent/plan.xml", "--data"), NotFound,
                           Catch::Matchers::Message("cannot read --data (/nonexistent/plan.xml)"));
    test::ScratchDir dir;
    const auto path = dir.path() / "bytes.bin";
    std::ofstream(path, std::ios::binary) << std::string("a\0b\r\n", 5);
    REQUIRE(readFile(path) == std::string("a\0b\r\n", 5));
}

TEST_CASE("a state set reads and writes the form stored in the log, and finds only whole states", "[core]") {
    const auto states = workflow::StateSet::parse(" plan-agreed\tfollow-up-plan ");
    REQUIRE(states.text() == "plan-agreed follow-up-plan");
    REQUIRE(states.contains("plan-agreed"));
    REQUIRE_FALSE(states.contains("plan")); // never part of another state's name
    REQUIRE(workflow::StateSet::parse(states.text()) == states);
    REQUIRE(workflow::StateSet::parse("").empty());
}
