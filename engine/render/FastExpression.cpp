// Parsing and evaluating the simple expressions of FastExpression.h. What must stay true: the parser
// accepts only what it fully understands (no whitespace inside a path, no prefix, no predicate, no
// axis but child and attribute), so anything unusual goes to libxml2; node-sets are walked in document
// order, which child steps from one start node preserve.
#include "render/FastExpression.h"

#include "xml/Xml.h"

#include <libxml/xpathInternals.h>

#include <atomic>
#include <cstring>

namespace caseflow::render {
namespace {

bool isNameStart(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

bool isNameChar(char ch) {
    return isNameStart(ch) || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.';
}

std::string_view trimmedView(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

// Reads a name at `at`; empty when there is none.
std::string_view name(std::string_view text, std::size_t& at) {
    const std::size_t start = at;
    if (at >= text.size() || !isNameStart(text[at])) return {};
    while (at < text.size() && isNameChar(text[at])) ++at;
    return text.substr(start, at - start);
}

std::optional<FastPath> parsePath(std::string_view text) {
    FastPath path;
    std::size_t at = 0;
    if (text == ".") return path;
    if (text.empty()) return std::nullopt;
    if (text[0] == '$') {
        at = 1;
        const auto variable = name(text, at);
        if (variable.empty() || variable == "lang") return std::nullopt; // $lang is computed per language
        path.start = FastPath::Start::Variable;
        path.variable = std::string(variable);
        if (at == text.size()) return path;
        if (text[at] != '/') return std::nullopt;
        ++at;
    } else if (text[0] == '/') {
        path.start = FastPath::Start::Root;
        at = 1;
    }
    while (at < text.size()) {
        if (text[at] == '@') {
            ++at;
            const auto attribute = name(text, at);
            if (attribute.empty() || at != text.size()) return std::nullopt;
            path.attribute = std::string(attribute);
            return path;
        }
        const auto step = name(text, at);
        if (step.empty()) return std::nullopt;
        // "a-b" is a name, but a name followed by "(" is a function call and "::" an axis.
        path.steps.emplace_back(step);
        if (at == text.size()) break;
        if (text[at] != '/') return std::nullopt;
        ++at;
        if (at == text.size()) return std::nullopt;
    }
    if (path.start == FastPath::Start::Root && path.steps.empty()) return std::nullopt; // "/" alone
    return path;
}

std::optional<std::string> parseLiteral(std::string_view text) {
    if (text.size() < 2) return std::nullopt;
    const char quote = text.front();
    if ((quote != '\'' && quote != '"') || text.back() != quote) return std::nullopt;
    const auto inner = text.substr(1, text.size() - 2);
    if (inner.find(quote) != std::string_view::npos) return std::nullopt;
    return std::string(inner);
}

// The arguments of "NAME(a, b, ...)" split at top-level commas (string literals may hold commas).
std::optional<std::vector<std::string_view>> arguments(std::string_view text, std::string_view function) {
    if (text.size() < function.size() + 2 || text.compare(0, function.size(), function) != 0) return std::nullopt;
    std::size_t at = function.size();
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
    if (at >= text.size() || text[at] != '(' || text.back() != ')') return std::nullopt;
    const std::string_view inside = text.substr(at + 1, text.size() - at - 2);
    std::vector<std::string_view> found;
    std::size_t start = 0;
    char quote = 0;
    for (std::size_t i = 0; i <= inside.size(); ++i) {
        if (i < inside.size() && quote) {
            if (inside[i] == quote) quote = 0;
            continue;
        }
        if (i < inside.size() && (inside[i] == '\'' || inside[i] == '"')) {
            quote = inside[i];
            continue;
        }
        if (i < inside.size() && (inside[i] == '(' || inside[i] == ')' || inside[i] == '[')) return std::nullopt;
        if (i == inside.size() || inside[i] == ',') {
            found.push_back(trimmedView(inside.substr(start, i - start)));
            start = i + 1;
        }
    }
    if (quote) return std::nullopt;
    return found;
}

// A Literal or Path, or None.
FastExpression simple(std::string_view text) {
    FastExpression expression;
    if (auto literal = parseLiteral(text)) {
        expression.kind = FastExpression::Kind::Literal;
        expression.literal = std::move(*literal);
    } else if (auto path = parsePath(text)) {
        expression.kind = FastExpression::Kind::Path;
        expression.path = std::move(*path);
    }
    return expression;
}

bool isElementNamed(const xmlNode* node, const std::string& wanted) {
    return node->type == XML_ELEMENT_NODE && !node->ns && std::strcmp(xml::c(node->name), wanted.c_str()) == 0;
}

xmlAttr* attributeNamed(xmlNode* node, const std::string& wanted) {
    if (!node || node->type != XML_ELEMENT_NODE) return nullptr;
    for (xmlAttr* attribute = node->properties; attribute; attribute = attribute->next)
        if (!attribute->ns && std::strcmp(xml::c(attribute->name), wanted.c_str()) == 0) return attribute;
    return nullptr;
}

// The first node the steps (then the attribute) reach from `from`, in document order.
xmlNode* firstFrom(xmlNode* from, const FastPath& path, std::size_t step) {
    if (step == path.steps.size()) {
        if (path.attribute.empty()) return from;
        return reinterpret_cast<xmlNode*>(attributeNamed(from, path.attribute));
    }
    if (!from || (from->type != XML_ELEMENT_NODE && from->type != XML_DOCUMENT_NODE)) return nullptr;
    for (xmlNode* child = from->children; child; child = child->next)
        if (isElementNamed(child, path.steps[step]))
            if (xmlNode* found = firstFrom(child, path, step + 1)) return found;
    return nullptr;
}

// Every node the steps (then the attribute) reach from `from`, in document order.
void collectFrom(xmlNode* from, const FastPath& path, std::size_t step, xmlNodeSet* into) {
    if (step == path.steps.size()) {
        if (path.attribute.empty())
            xmlXPathNodeSetAddUnique(into, from);
        else if (xmlAttr* attribute = attributeNamed(from, path.attribute))
            xmlXPathNodeSetAddUnique(into, reinterpret_cast<xmlNode*>(attribute));
        return;
    }
    if (!from || (from->type != XML_ELEMENT_NODE && from->type != XML_DOCUMENT_NODE)) return;
    for (xmlNode* child = from->children; child; child = child->next)
        if (isElementNamed(child, path.steps[step])) collectFrom(child, path, step + 1, into);
}

// The string value of a node, as XPath's string() gives it.
std::string stringValue(const xmlNode* node) {
    // One text child (most attributes and leaf elements): no copy through libxml2's allocator.
    const xmlNode* only = node->children;
    if ((node->type == XML_ATTRIBUTE_NODE || node->type == XML_ELEMENT_NODE) && only && !only->next &&
        only->type == XML_TEXT_NODE && only->content)
        return xml::c(only->content);
    if (node->type == XML_ELEMENT_NODE && !only) return "";
    xml::XmlString value(xmlXPathCastNodeToString(const_cast<xmlNode*>(node)));
    return value ? xml::c(value.get()) : "";
}

// What a path selects: found=false with a value means "the empty node-set"; nullopt means "ask libxml2".
struct Selected {
    xmlNode* node = nullptr;               // the first node, nullptr for an empty node-set
    const xmlXPathObject* value = nullptr; // a variable holding a string or boolean (no steps)
};

std::optional<Selected> select(const FastPath& path, xmlNode* context, const VariableSource& variables) {
    switch (path.start) {
    case FastPath::Start::Context:
        return Selected{firstFrom(context, path, 0), nullptr};
    case FastPath::Start::Root:
        if (!variables.rootDocument()) return std::nullopt;
        return Selected{firstFrom(reinterpret_cast<xmlNode*>(const_cast<xmlDoc*>(variables.rootDocument())), path, 0),
                        nullptr};
    case FastPath::Start::Variable:
        break;
    }
    const xmlXPathObject* value = variables.find(path.variable);
    if (!value) return std::nullopt;
    if (value->type == XPATH_NODESET) {
        const xmlNodeSet* nodes = value->nodesetval;
        const int count = nodes ? nodes->nodeNr : 0;
        if (count == 0) return Selected{};
        // Child steps from several start nodes may interleave in document order: libxml2 sorts those.
        if (count > 1 && !path.steps.empty()) return std::nullopt;
        for (int i = 0; i < count; ++i)
            if (xmlNode* found = firstFrom(nodes->nodeTab[i], path, 0)) return Selected{found, nullptr};
        return Selected{};
    }
    if (!path.steps.empty() || !path.attribute.empty()) return std::nullopt; // libxml2 reports the type error
    if (value->type == XPATH_STRING || value->type == XPATH_BOOLEAN) return Selected{nullptr, value};
    return std::nullopt; // numbers: their string form is libxml2's business
}

std::optional<std::string> pathString(const FastPath& path, xmlNode* context, const VariableSource& variables) {
    const auto selected = select(path, context, variables);
    if (!selected) return std::nullopt;
    if (selected->value) {
        if (selected->value->type == XPATH_BOOLEAN) return std::string(selected->value->boolval ? "true" : "false");
        return std::string(selected->value->stringval ? xml::c(selected->value->stringval) : "");
    }
    return selected->node ? stringValue(selected->node) : std::string();
}

std::atomic<bool> fastEnabled{true};

} // namespace

void useFastExpressions(bool enabled) {
    fastEnabled = enabled;
}

bool fastExpressionsEnabled() {
    return fastEnabled.load(std::memory_order_relaxed);
}

FastExpression FastExpression::parse(std::string_view text) {
    text = trimmedView(text);
    FastExpression expression = simple(text);
    if (expression.kind != Kind::None) return expression;
    if (const auto inner = arguments(text, "string"); inner && inner->size() == 1) {
        expression = simple((*inner)[0]);
        if (expression.kind == Kind::Path) expression.kind = Kind::StringOf;
        return expression; // a string(literal) is that literal
    }
    if (const auto inner = arguments(text, "concat"); inner && inner->size() >= 2) {
        FastExpression concat;
        concat.kind = Kind::Concat;
        for (const auto part : *inner) {
            concat.parts.push_back(simple(part));
            if (concat.parts.back().kind == Kind::None) return {};
        }
        return concat;
    }
    if (const auto inner = arguments(text, "cf:format-date"); inner && !inner->empty() && inner->size() <= 2) {
        const auto date = parsePath((*inner)[0]);
        std::optional<DateStyle> style = DateStyle::Long;
        if (inner->size() == 2) {
            const auto name = parseLiteral((*inner)[1]);
            style = name ? parseDateStyle(*name) : std::nullopt;
        }
        if (!date || !style) return {};
        expression.kind = Kind::FormatDate;
        expression.path = std::move(*date);
        expression.style = *style;
    }
    return expression;
}

std::optional<std::string> FastExpression::string(xmlNode* context, const VariableSource& variables,
                                                  const std::string& language) const {
    switch (kind) {
    case Kind::None:
        return std::nullopt;
    case Kind::Literal:
        return literal;
    case Kind::Path:
    case Kind::StringOf:
        return pathString(path, context, variables);
    case Kind::Concat: {
        std::string joined;
        for (const auto& part : parts) {
            const auto value = part.string(context, variables, language);
            if (!value) return std::nullopt;
            joined += *value;
        }
        return joined;
    }
    case Kind::FormatDate: {
        const auto date = pathString(path, context, variables);
        if (!date) return std::nullopt;
        return formatIsoDate(*date, language, style).value_or("");
    }
    }
    return std::nullopt;
}

xmlXPathObject* FastExpression::object(xmlNode* context, const VariableSource& variables,
                                       const std::string& language) const {
    if (kind != Kind::Path) {
        const auto value = string(context, variables, language);
        return value ? xmlXPathNewString(xml::x(value->c_str())) : nullptr;
    }
    xmlNode* start = context;
    if (path.start == FastPath::Start::Root) {
        start = reinterpret_cast<xmlNode*>(const_cast<xmlDoc*>(variables.rootDocument()));
        if (!start) return nullptr;
    } else if (path.start == FastPath::Start::Variable) {
        const xmlXPathObject* value = variables.find(path.variable);
        if (!value) return nullptr;
        if (path.steps.empty() && path.attribute.empty()) return xmlXPathObjectCopy(const_cast<xmlXPathObject*>(value));
        if (value->type != XPATH_NODESET) return nullptr; // libxml2 reports the type error
        const xmlNodeSet* nodes = value->nodesetval;
        const int count = nodes ? nodes->nodeNr : 0;
        // Child steps from several start nodes may interleave in document order: libxml2 sorts those.
        if (count > 1 && !path.steps.empty()) return nullptr;
        xmlXPathObject* result = xmlXPathNewNodeSet(nullptr);
        if (!result) return nullptr;
        for (int i = 0; i < count; ++i) collectFrom(nodes->nodeTab[i], path, 0, result->nodesetval);
        return result;
    }
    xmlXPathObject* result = xmlXPathNewNodeSet(nullptr);
    if (result) collectFrom(start, path, 0, result->nodesetval);
    return result;
}

std::optional<bool> FastExpression::boolean(xmlNode* context, const VariableSource& variables,
                                            const std::string& language) const {
    if (kind != Kind::Path) {
        const auto value = string(context, variables, language);
        if (!value) return std::nullopt;
        return !value->empty();
    }
    const auto selected = select(path, context, variables);
    if (!selected) return std::nullopt;
    if (selected->value) {
        if (selected->value->type == XPATH_BOOLEAN) return selected->value->boolval != 0;
        return selected->value->stringval && selected->value->stringval[0] != 0;
    }
    return selected->node != nullptr;
}

} // namespace caseflow::render
