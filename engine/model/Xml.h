// The one place where libxml2's C API is wrapped: RAII owners for every libxml2 resource,
// a hardened parser (no DTD, no entities, no network, UTF-8 only), RelaxNG validation and
// XPath evaluation. Every other module goes through these types, never through raw frees.
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow::xml {

struct DocumentDeleter {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
struct XPathContextDeleter {
    void operator()(xmlXPathContext* ctx) const { xmlXPathFreeContext(ctx); }
};
struct XPathObjectDeleter {
    void operator()(xmlXPathObject* obj) const { xmlXPathFreeObject(obj); }
};
struct XPathCompExprDeleter {
    void operator()(xmlXPathCompExpr* expr) const { xmlXPathFreeCompExpr(expr); }
};
struct NodeDeleter {
    void operator()(xmlNode* node) const { xmlFreeNode(node); }
};

using Document = std::unique_ptr<xmlDoc, DocumentDeleter>;
using XPathContextPtr = std::unique_ptr<xmlXPathContext, XPathContextDeleter>;
using XPathObjectPtr = std::unique_ptr<xmlXPathObject, XPathObjectDeleter>;
using XPathCompiledPtr = std::unique_ptr<xmlXPathCompExpr, XPathCompExprDeleter>;
using NodePtr = std::unique_ptr<xmlNode, NodeDeleter>;

// Parses untrusted XML. Refuses any DOCTYPE (so no entity expansion, no external entity,
// no billion laughs), any network access, and any encoding but UTF-8. Errors name
// `name:line` and the parser's message.
Document parseFile(const std::filesystem::path& path);
Document parseString(std::string_view text, const std::string& name);

// Canonical text form used for storage and hashing: UTF-8, no pretty-printing changes.
std::string serialize(const xmlDoc* doc, bool pretty = false);
std::string serializeNode(const xmlNode* node);

Document copy(const xmlDoc* doc);

// Small helpers that hide libxml2's xmlChar casts.
inline const xmlChar* x(const char* s) {
    return reinterpret_cast<const xmlChar*>(s);
}
inline const char* c(const xmlChar* s) {
    return reinterpret_cast<const char*>(s);
}
std::string name(const xmlNode* node);
std::optional<std::string> attribute(const xmlNode* node, const char* attributeName);
std::string text(const xmlNode* node); // concatenated text content, "" for null
xmlNode* firstChild(xmlNode* parent, const char* elementName);
std::vector<xmlNode*> children(xmlNode* parent, const char* elementName = nullptr);
xmlNode* root(const xmlDoc* doc);
int line(const xmlNode* node);

// Appends `text` escaped for XML character data and double-quoted attribute values (& < > ",
// the quote only when `escapeQuotes`: text content may keep it readable). Every writer that
// builds XML by hand goes through here, so data never becomes markup.
inline void appendEscaped(std::string& out, std::string_view text, bool escapeQuotes = true) {
    for (const char ch : text) {
        switch (ch) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += escapeQuotes ? "&quot;" : "\"";
            break;
        default:
            out += ch;
        }
    }
}
inline std::string escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    appendEscaped(out, text);
    return out;
}

// An XML Schema (XSD) loaded once and used to validate many documents; XSD rather than
// RelaxNG because libxml2 names the missing or unexpected element in its XSD messages.
// Validation reports every error with `name:line: message`. Thread-safe after loading.
class Schema {
public:
    static std::shared_ptr<const Schema> load(const std::filesystem::path& path);
    // Throws InvalidInput listing every schema error; `name` is used in the messages.
    void validate(const xmlDoc* doc, const std::string& name) const;
    ~Schema();
    Schema(const Schema&) = delete;
    Schema& operator=(const Schema&) = delete;

private:
    explicit Schema(xmlSchemaPtr schema) : schema_(schema) {}
    xmlSchemaPtr schema_;
};

// XPath 1.0 evaluation over one document, with variables. Not thread-safe: one per thread.
class XPath {
public:
    explicit XPath(const xmlDoc* doc);
    xmlXPathContext* context() { return context_.get(); }

    // The context takes ownership of `value`.
    void setVariable(const std::string& variableName, xmlXPathObject* value);
    void setStringVariable(const std::string& variableName, const std::string& value);
    void setNodeVariable(const std::string& variableName, xmlNode* node);

    XPathObjectPtr evaluate(const std::string& expression, xmlNode* contextNode = nullptr);
    std::string string(const std::string& expression, xmlNode* contextNode = nullptr);
    double number(const std::string& expression, xmlNode* contextNode = nullptr);
    bool boolean(const std::string& expression, xmlNode* contextNode = nullptr);
    std::vector<xmlNode*> nodes(const std::string& expression, xmlNode* contextNode = nullptr);

private:
    XPathContextPtr context_;
};

// Captures libxml2's structured errors for the lifetime of the scope (libxml2's error
// callbacks are per thread), so failures can be reported with file and line.
class ErrorCapture {
public:
    ErrorCapture();
    ~ErrorCapture();
    ErrorCapture(const ErrorCapture&) = delete;
    ErrorCapture& operator=(const ErrorCapture&) = delete;
    const std::vector<std::string>& messages() const { return messages_; }
    void add(std::string message) { messages_.push_back(std::move(message)); }

private:
    std::vector<std::string> messages_;
    void* previousContext_;
    xmlStructuredErrorFunc previousHandler_;
};

} // namespace caseflow::xml
