// The simplest XPath expressions of templates, evaluated straight on the tree instead of through
// libxml2's XPath machine (which allocates a parser context, a value stack and a result object for
// every evaluation, and a rendered care plan evaluates some 120 expressions). Recognised: string
// literals, ".", "@a", "$v", "$v/@a", "/a/b", "a/b/@c" (child steps and one final attribute, names
// without prefix), string(PATH), concat(...) of those, and cf:format-date(PATH [, 'style']).
// What must stay true: a fast evaluation gives exactly what libxml2 would (string value of the first
// node in document order, boolean of a node-set = not empty), and whenever it cannot be sure (an
// unknown variable, a variable holding a number, several start nodes for child steps) it declines
// and the caller evaluates the expression with libxml2, which also reports every error.
#pragma once

#include "render/LocaleFormat.h"

#include <libxml/tree.h>
#include <libxml/xpath.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow::render {

// Where "$name" finds its value while rendering (nullptr when unknown: libxml2 then reports it),
// and the document "/" means (the XPath context's, not the context node's: libxml2 does the same).
class VariableSource {
public:
    virtual const xmlXPathObject* find(std::string_view name) const = 0;
    virtual const xmlDoc* rootDocument() const = 0;

protected:
    ~VariableSource() = default;
};

struct FastPath {
    enum class Start { Context, Root, Variable } start = Start::Context;
    std::string variable;           // Start::Variable
    std::vector<std::string> steps; // child elements, no namespace
    std::string attribute;          // a final @attribute, "" for none
};

struct FastExpression {
    enum class Kind { None, Literal, Path, StringOf, Concat, FormatDate } kind = Kind::None;
    std::string literal;               // Literal
    FastPath path;                     // Path, StringOf, FormatDate's date
    std::vector<FastExpression> parts; // Concat: Literal or Path
    DateStyle style = DateStyle::Long; // FormatDate

    // Recognises `text`; Kind::None when it is anything else.
    static FastExpression parse(std::string_view text);

    // The string value (untrimmed), or nullopt to let libxml2 evaluate it. `language` formats dates.
    std::optional<std::string> string(xmlNode* context, const VariableSource& variables,
                                      const std::string& language) const;
    // The value as an XPath object (a node-set in document order, or a string) for t:each and
    // t:let, owned by the caller; nullptr to let libxml2 evaluate it.
    xmlXPathObject* object(xmlNode* context, const VariableSource& variables, const std::string& language) const;
    // The boolean value, or nullopt to let libxml2 evaluate it.
    std::optional<bool> boolean(xmlNode* context, const VariableSource& variables, const std::string& language) const;
};

// Whether renders take the fast path (default yes). The tests turn it off to render every sample
// document through libxml2 alone and compare the bytes; nothing else should.
void useFastExpressions(bool enabled);
bool fastExpressionsEnabled();

} // namespace caseflow::render
