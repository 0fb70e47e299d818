// The one place where libxml2's C API is wrapped: RAII owners for every libxml2 resource,
// the one hardened parser (no DTD, no entities, no network, UTF-8 only, 64 MiB at most), the
// one capture of libxml2's error reports, XML Schema validation and XPath evaluation. Every
// other module goes through these types, never through raw frees or handlers of its own.
// What must stay true: every callback libxml2 calls is noexcept (a C frame cannot carry an
// exception); what one catches is kept and rethrown after the C call has returned.
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>

#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow::xml {

// The deleter of every handle below: calls the C library's release function for the type.
template <auto Release> struct Releaser {
    template <typename Resource> void operator()(Resource* resource) const noexcept { Release(resource); }
};
// xmlFree is a variable (a replaceable allocator), not a function: it cannot be a template argument.
struct XmlFree {
    void operator()(void* memory) const noexcept { xmlFree(memory); }
};

using Document = std::unique_ptr<xmlDoc, Releaser<xmlFreeDoc>>;
using NodePtr = std::unique_ptr<xmlNode, Releaser<xmlFreeNode>>;
using XmlString = std::unique_ptr<xmlChar, XmlFree>;
using BufferPtr = std::unique_ptr<xmlBuffer, Releaser<xmlBufferFree>>;
using ParserContextPtr = std::unique_ptr<xmlParserCtxt, Releaser<xmlFreeParserCtxt>>;
using XPathContextPtr = std::unique_ptr<xmlXPathContext, Releaser<xmlXPathFreeContext>>;
using XPathObjectPtr = std::unique_ptr<xmlXPathObject, Releaser<xmlXPathFreeObject>>;
using XPathCompiledPtr = std::unique_ptr<xmlXPathCompExpr, Releaser<xmlXPathFreeCompExpr>>;
using NodeSetPtr = std::unique_ptr<xmlNodeSet, Releaser<xmlXPathFreeNodeSet>>;
using SchemaPtr = std::unique_ptr<xmlSchema, Releaser<xmlSchemaFree>>;
using SchemaParserContextPtr = std::unique_ptr<xmlSchemaParserCtxt, Releaser<xmlSchemaFreeParserCtxt>>;
using SchemaValidContextPtr = std::unique_ptr<xmlSchemaValidCtxt, Releaser<xmlSchemaFreeValidCtxt>>;

// Whether the parser keeps whitespace-only text. Data (situations, workflows, settings,
// signed documents) drops it: indentation is not content, and signatures are computed over
// the dropped form. Markup (templates, rendered XHTML) keeps it: between inline elements it
// is a visible space.
enum class Whitespace { Drop, Keep };

// Parses untrusted XML. Refuses any DOCTYPE (so no entity expansion, no external entity,
// no billion laughs), any network access, any encoding but UTF-8 and any document over
// 64 MiB. Errors (InvalidInput) name `name:line` and the parser's message.
Document parseString(std::string_view text, const std::string& name, Whitespace whitespace = Whitespace::Drop);
Document parseFile(const std::filesystem::path& path, Whitespace whitespace = Whitespace::Drop);
// `name` is what the messages call the file (a template's name rather than its full path).
Document parseFile(const std::filesystem::path& path, const std::string& name, Whitespace whitespace);

// Canonical text form used for storage and hashing: UTF-8, no pretty-printing changes.
std::string serialize(const xmlDoc* doc, bool pretty = false);
// What libxml2 itself writes (xmlDocDumpFormatMemoryEnc, UTF-8). serialize() without `pretty`
// gives the same bytes through serializeCompact(), which writes the nodes our documents hold
// (elements, attributes, namespaces, text, comments) and declines (nullopt) any other.
std::string serializeWithLibxml2(const xmlDoc* doc, bool pretty = false);
std::optional<std::string> serializeCompact(const xmlDoc* doc);
// One node's subtree as libxml2's xmlNodeDump writes it (no declaration, no namespaces declared
// on its ancestors): serializeNode() through serializeNodeCompact(), which declines (nullopt) a
// subtree holding a node it leaves to libxml2.
std::string serializeNode(const xmlNode* node);
std::optional<std::string> serializeNodeCompact(const xmlNode* node);

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
    // The subtree of `element` alone, against the schema's global declaration of its name.
    void validateElement(const xmlNode* element, const std::string& name) const;

private:
    explicit Schema(SchemaPtr schema) : schema_(std::move(schema)) {}
    SchemaPtr schema_;
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

// Messages gathered inside C callbacks, where no exception may escape: adding never throws;
// a failure (out of memory) is kept and rethrown by the accessors once the C call has returned.
class CallbackMessages {
public:
    // In order of arrival.
    const std::vector<std::string>& messages() const;
    void add(std::string message) noexcept;
    // Keeps what a callback caught; the first failure is the cause, later ones are dropped.
    void keepFailure(std::exception_ptr failure) noexcept;
    void rethrowFailure() const;

private:
    std::vector<std::string> messages_;
    std::exception_ptr failure_;
};

// Captures what libxml2 reports on this thread for the lifetime of the scope (its handlers
// are per thread), on both of its channels: structured errors (the parser's, the schema
// validator's, the XPath compiler's, with file and line or the offset in the expression) and
// the generic channel (where the XPath evaluator reports, for instance, an unknown function).
// Nothing reaches standard error while a capture is active. Captures nest.
class ErrorCapture : public CallbackMessages {
public:
    ErrorCapture() noexcept;
    ~ErrorCapture();
    ErrorCapture(const ErrorCapture&) = delete;
    ErrorCapture& operator=(const ErrorCapture&) = delete;

    // messages(): one "name:line: message" per structured error, in order ("input:0: " when
    // libxml2 knows no file, as for an XPath expression), and the parser's DOCTYPE refusal.
    // The last structured error alone; for an XPath error, "message at character N" (1-based).
    // "" when there was none.
    std::string lastMessage() const;
    // What was printed on the generic channel, trimmed; "" when nothing.
    std::string genericText() const;
    // The structured-error callback, for the libxml2 APIs that take one explicitly (the
    // schema validator); `capture` is an ErrorCapture.
    static void onStructuredError(void* capture, xmlError* error) noexcept;

private:
    static void onGenericError(void* capture, const char* format, ...) noexcept;

    std::string lastReason_;     // the last structured error's message
    std::string lastExpression_; // its XPath expression, "" for other errors
    int lastOffset_ = 0;         // where in that expression, 0-based
    std::string generic_;
    void* previousStructuredContext_;
    xmlStructuredErrorFunc previousStructuredHandler_;
    void* previousGenericContext_;
    xmlGenericErrorFunc previousGenericHandler_;
};

// The string value of an XPath result (XPath's string() of it), "" for null.
std::string stringValue(xmlXPathObject* object);

// For XPath extension functions, which libxml2 calls with its parser context: pop a string
// argument (a node-set gives the string value of its first node, as in XPath) or push a
// string result.
std::string popString(xmlXPathParserContext* ctxt);
void pushString(xmlXPathParserContext* ctxt, const std::string& value);

} // namespace caseflow::xml
