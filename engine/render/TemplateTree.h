// The compiled form of a template: an immutable tree of nodes where everything static has
// already been serialised and escaped, directives point to XPath expressions by index, and
// literal texts are pre-translated. Built by TemplateCompiler, walked by the renderer, never
// modified after compilation (which is what lets many threads render one template at once).
#pragma once

#include "render/TemplateError.h"

#include <string>
#include <utility>
#include <vector>

namespace caseflow::render {

// One XPath expression of a template, compiled once per evaluator (see EvaluatorPool).
struct ExpressionSource {
    std::string text;
    SourceLocation where;
    std::string directive;          // "t:text", "t:if"... for error messages
    bool languageDependent = false; // calls a translating function or reads $lang
};

// Literal text marked for translation (t:i18n, t:msg) or a plural message.
struct Message {
    std::string context; // msgctxt, "" for none
    std::string msgid;
    std::string plural;                                 // msgid_plural, "" when not a plural message
    int count = -1;                                     // expression giving the number, for plurals
    std::vector<std::pair<std::string, int>> arguments; // {name} -> expression
    std::vector<std::string> translations;              // per documentLanguages() index (not for plurals)
    std::string domain;                                 // the gettext domain its template draws from
    SourceLocation where;
};

enum class NodeKind { Static, Element };
enum class ContentKind { Children, Text, Message };

struct Node {
    NodeKind kind = NodeKind::Static;
    std::string markup; // Static: serialised, escaped HTML

    // Element. An empty tag renders no element of its own (t:block, t:msg, t:include).
    std::string tag;
    std::string attributes; // static attributes but class, serialised: ` id="x"`
    std::string classes;    // the static class attribute, merged at render with "not-provided"
    std::vector<std::pair<std::string, int>> dynamicAttributes; // t:attr-NAME
    bool languageAttribute = false;                             // the root <html>: gets lang="<first language>"
    int condition = -1;                                         // t:if
    bool otherwise = false;                        // t:else: only when no earlier branch of the chain rendered
    int each = -1;                                 // t:each
    std::string itemName;                          // t:as
    std::vector<std::pair<std::string, int>> lets; // t:let-NAME, in document order
    ContentKind content = ContentKind::Children;
    int text = -1;         // t:text
    int message = -1;      // index into the template's messages
    bool textOnly = false; // <title>, <textarea>: bilingual text joined by " / " since they cannot hold spans
    // <textarea>: the value as the user typed it, line breaks kept as line breaks (its content is
    // text, so a <br /> would show as such), nothing written when there is no value.
    bool keepsLines = false;
    bool isVoid = false;
    std::vector<Node> children;
    std::string directive; // the element's main directive, for error messages
    SourceLocation where;
};

} // namespace caseflow::render
