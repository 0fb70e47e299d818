// Tokenises XPath 1.0 just enough to find variable references and function calls, following
// the spec's disambiguation rules (section 3.7): after a value, "and", "or", "div", "mod"
// and "*" are operators, and a name followed by "(" is a function unless it is a node type.
#include "render/ExpressionScanner.h"

#include <cctype>

namespace caseflow::render {
namespace {

enum class TokenKind { Name, Variable, Literal, Number, Open, Close, Comma, Other };

struct Token {
    TokenKind kind;
    std::string text;
    bool endsValue = false; // a value can end here, so a following name may be an operator
};

bool nameStart(unsigned char ch) {
    return std::isalpha(ch) || ch == '_' || ch >= 0x80;
}
bool nameChar(unsigned char ch) {
    return nameStart(ch) || std::isdigit(ch) || ch == '-' || ch == '.';
}

std::vector<Token> tokenize(std::string_view text) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    auto previousEndsValue = [&] { return !tokens.empty() && tokens.back().endsValue; };
    while (i < text.size()) {
        const unsigned char ch = static_cast<unsigned char>(text[i]);
        if (std::isspace(ch)) {
            ++i;
        } else if (ch == '"' || ch == '\'') {
            const std::size_t close = text.find(static_cast<char>(ch), i + 1);
            const std::size_t end = close == std::string_view::npos ? text.size() : close;
            tokens.push_back({TokenKind::Literal, std::string(text.substr(i + 1, end - i - 1)), true});
            i = end + 1;
        } else if (ch == '$') {
            std::size_t end = i + 1;
            while (end < text.size() && (nameChar(static_cast<unsigned char>(text[end])) || text[end] == ':')) ++end;
            tokens.push_back({TokenKind::Variable, std::string(text.substr(i + 1, end - i - 1)), true});
            i = end;
        } else if (std::isdigit(ch) ||
                   (ch == '.' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
            std::size_t end = i;
            while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.'))
                ++end;
            tokens.push_back({TokenKind::Number, std::string(text.substr(i, end - i)), true});
            i = end;
        } else if (nameStart(ch)) {
            std::size_t end = i;
            while (end < text.size() && nameChar(static_cast<unsigned char>(text[end]))) ++end;
            // A QName: prefix ':' local, but not the axis separator '::'.
            if (end + 1 < text.size() && text[end] == ':' && text[end + 1] != ':' &&
                nameStart(static_cast<unsigned char>(text[end + 1]))) {
                ++end;
                while (end < text.size() && nameChar(static_cast<unsigned char>(text[end]))) ++end;
            }
            std::string name(text.substr(i, end - i));
            const bool isOperator =
                previousEndsValue() && (name == "and" || name == "or" || name == "div" || name == "mod");
            tokens.push_back({isOperator ? TokenKind::Other : TokenKind::Name, name, !isOperator});
            i = end;
        } else if (ch == '(') {
            tokens.push_back({TokenKind::Open, "(", false});
            ++i;
        } else if (ch == ')') {
            tokens.push_back({TokenKind::Close, ")", true});
            ++i;
        } else if (ch == ',') {
            tokens.push_back({TokenKind::Comma, ",", false});
            ++i;
        } else {
            // '*' after a value is multiplication; elsewhere a name test, which ends a value.
            const bool nameTest = ch == '*' && !previousEndsValue();
            const bool closes = ch == ']' || ch == '.' || nameTest;
            tokens.push_back({TokenKind::Other, std::string(1, static_cast<char>(ch)), closes});
            ++i;
        }
    }
    return tokens;
}

bool isNodeType(const std::string& name) {
    return name == "node" || name == "text" || name == "comment" || name == "processing-instruction";
}

} // namespace

ScannedExpression scanExpression(std::string_view expression) {
    ScannedExpression scanned;
    const std::vector<Token> tokens = tokenize(expression);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& token = tokens[i];
        if (token.kind == TokenKind::Variable) scanned.variables.push_back(token.text);
        if (token.kind != TokenKind::Name) continue;
        const bool called = i + 1 < tokens.size() && tokens[i + 1].kind == TokenKind::Open;
        const bool axis = i + 2 < tokens.size() && tokens[i + 1].text == ":" && tokens[i + 2].text == ":";
        if (!called && !axis) scanned.names.push_back(token.text);
        if (!called || isNodeType(token.text)) continue;
        FunctionCall call{token.text, {}};
        // Split the arguments at depth-1 commas; an argument made of one literal token is kept.
        int depth = 0;
        std::size_t argumentStart = i + 2;
        for (std::size_t j = i + 1; j < tokens.size(); ++j) {
            if (tokens[j].kind == TokenKind::Open)
                ++depth;
            else if (tokens[j].kind == TokenKind::Close)
                --depth;
            const bool endsArgument = (depth == 1 && tokens[j].kind == TokenKind::Comma) || depth == 0;
            if (!endsArgument) continue;
            if (j > argumentStart || tokens[j].kind == TokenKind::Comma) {
                const bool literal = j == argumentStart + 1 && tokens[argumentStart].kind == TokenKind::Literal;
                call.literals.push_back(literal ? std::optional<std::string>(tokens[argumentStart].text)
                                                : std::nullopt);
            }
            argumentStart = j + 1;
            if (depth == 0) break;
        }
        scanned.calls.push_back(std::move(call));
    }
    return scanned;
}

} // namespace caseflow::render
