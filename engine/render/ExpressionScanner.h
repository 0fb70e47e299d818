// A light lexer for XPath 1.0 expressions, so the compiler can check a template before it
// ever runs: every variable is in scope, every function exists, cf:t and friends get string
// literals (which the message extractor can read); and `caseflow workflow check` can find the
// names a workflow's conditions read. It is not a parser; libxml2 compiles the
// expression and reports syntax errors. What must stay true: string literals are skipped
// as a whole, so "$x" inside quotes is never taken for a variable.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow::render {

struct FunctionCall {
    std::string name;                                 // as written, with its prefix: "cf:format-date"
    std::vector<std::optional<std::string>> literals; // per argument: its value when it is one string literal
};

struct ScannedExpression {
    std::vector<std::string> variables; // names after '$', in order, duplicates kept
    std::vector<FunctionCall> calls;
    // Name tests (element and attribute names in paths), as written, in order, duplicates
    // kept: neither functions, node types, axes nor operators.
    std::vector<std::string> names;
};

ScannedExpression scanExpression(std::string_view expression);

} // namespace caseflow::render
