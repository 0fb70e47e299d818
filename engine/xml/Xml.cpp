// Hardened libxml2 wrappers. What must stay true: no document we parse can make us
// expand an entity, read a file or open a socket; no libxml2 object outlives its owner; no
// exception crosses a libxml2 callback (each is noexcept and keeps what it caught).
#include "xml/Xml.h"
#include "core/Files.h"
#include "core/Text.h"

#include "core/Errors.h"

#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>
#include <libxml/xpathInternals.h>

#include <array>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>

namespace caseflow::xml {
namespace {

constexpr std::size_t kMaximumSize = static_cast<std::size_t>(64) * 1024 * 1024;

// A DOCTYPE is where entities (and so billion laughs and XXE) come from: none of our formats
// needs one, so its mere presence stops the parser before anything in it is declared.
void refuseDoctype(void* parserContext, const xmlChar*, const xmlChar*, const xmlChar*) noexcept {
    auto* ctxt = static_cast<xmlParserCtxt*>(parserContext);
    ctxt->wellFormed = 0;
    ctxt->sax->startElement = nullptr;
    ctxt->sax->startElementNs = nullptr;
    xmlStopParser(ctxt);
    auto* capture = static_cast<ErrorCapture*>(ctxt->_private);
    if (!capture) return;
    try {
        capture->add(std::string(ctxt->input && ctxt->input->filename ? ctxt->input->filename : "input") + ':' +
                     std::to_string(ctxt->input ? ctxt->input->line : 0) +
                     ": a DOCTYPE is not allowed (entities and DTDs are refused)");
    } catch (...) {
        capture->keepFailure(std::current_exception());
    }
}

std::optional<std::string> declaredEncoding(std::string_view text) {
    if (text.substr(0, 5) != "<?xml") return std::nullopt;
    const auto end = text.find("?>");
    const std::string_view declaration = text.substr(0, end);
    const auto key = declaration.find("encoding");
    if (key == std::string_view::npos) return std::nullopt;
    const auto open = declaration.find_first_of("\"'", key);
    if (open == std::string_view::npos) return std::nullopt;
    const auto close = declaration.find(declaration[open], open + 1);
    if (close == std::string_view::npos) return std::nullopt;
    std::string encoding(declaration.substr(open + 1, close - open - 1));
    for (auto& ch : encoding) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return encoding;
}

} // namespace

ErrorCapture::ErrorCapture() noexcept
    : previousStructuredContext_(xmlStructuredErrorContext), previousStructuredHandler_(xmlStructuredError),
      previousGenericContext_(xmlGenericErrorContext), previousGenericHandler_(xmlGenericError) {
    xmlSetStructuredErrorFunc(this, onStructuredError);
    xmlSetGenericErrorFunc(this, onGenericError);
}

ErrorCapture::~ErrorCapture() {
    xmlSetGenericErrorFunc(previousGenericContext_, previousGenericHandler_);
    xmlSetStructuredErrorFunc(previousStructuredContext_, previousStructuredHandler_);
}

void ErrorCapture::onStructuredError(void* capture, xmlError* error) noexcept {
    auto* self = static_cast<ErrorCapture*>(capture);
    if (!self || !error) return;
    try {
        self->lastReason_ = text::trimmed(error->message ? error->message : "error");
        self->lastExpression_ = error->domain == XML_FROM_XPATH && error->str1 ? error->str1 : "";
        self->lastOffset_ = error->int1;
        self->add(std::string(error->file ? error->file : "input") + ':' + std::to_string(error->line) + ": " +
                  self->lastReason_);
    } catch (...) {
        self->keepFailure(std::current_exception());
    }
}

void ErrorCapture::onGenericError(void* capture, const char* format, ...) noexcept {
    auto* self = static_cast<ErrorCapture*>(capture);
    if (!self) return;
    std::array<char, 1024> buffer{};
    va_list arguments;
    va_start(arguments, format);
    std::vsnprintf(buffer.data(), buffer.size(), format, arguments);
    va_end(arguments);
    try {
        self->generic_ += buffer.data();
    } catch (...) {
        self->keepFailure(std::current_exception());
    }
}

void CallbackMessages::add(std::string message) noexcept {
    try {
        messages_.push_back(std::move(message));
    } catch (...) {
        keepFailure(std::current_exception());
    }
}

void CallbackMessages::keepFailure(std::exception_ptr failure) noexcept {
    if (!failure_) failure_ = std::move(failure);
}

void CallbackMessages::rethrowFailure() const {
    if (failure_) std::rethrow_exception(failure_);
}

const std::vector<std::string>& CallbackMessages::messages() const {
    rethrowFailure();
    return messages_;
}

std::string ErrorCapture::lastMessage() const {
    rethrowFailure();
    if (lastExpression_.empty()) return lastReason_;
    return lastReason_ + " at character " + std::to_string(lastOffset_ + 1);
}

std::string ErrorCapture::genericText() const {
    rethrowFailure();
    return std::string(text::trimmed(generic_));
}

Document parseString(std::string_view text, const std::string& name, Whitespace whitespace) {
    if (text.size() > kMaximumSize) throw InvalidInput(name + ": document larger than 64 MiB refused");
    // libxml2 stops reading at a NUL byte and takes what came before it for the whole document,
    // so "<a/>\0<anything>" would pass as "<a/>" (a fuzzer found it). XML allows no U+0000.
    if (const auto nul = text.find('\0'); nul != std::string_view::npos)
        throw InvalidInput(name + ": a NUL byte (at byte " + std::to_string(nul) + ") is not allowed in XML");
    // We force UTF-8 when parsing; a declaration claiming another encoding means the producer
    // and we disagree about the bytes: refuse rather than guess.
    if (auto declared = declaredEncoding(text); declared && *declared != "UTF-8" && *declared != "UTF8")
        throw InvalidInput(name + ":1: encoding " + *declared + " refused, documents must be UTF-8");
    ErrorCapture capture;
    ParserContextPtr ctxt(xmlNewParserCtxt());
    if (!ctxt) throw Error("out of memory creating an XML parser");
    ctxt->sax->internalSubset = refuseDoctype;
    ctxt->sax->externalSubset = refuseDoctype;
    ctxt->_private = &capture;
    // COMPACT keeps short texts inside their node (no allocation each): most of a situation's
    // texts are codes, dates and amounts, and libxml2 frees and edits such nodes correctly.
    const int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT |
                        (whitespace == Whitespace::Drop ? XML_PARSE_NOBLANKS : 0);
    Document doc(
        xmlCtxtReadMemory(ctxt.get(), text.data(), static_cast<int>(text.size()), name.c_str(), "UTF-8", options));
    capture.rethrowFailure();
    if (!doc || !ctxt->wellFormed) {
        std::vector<std::string> details = capture.messages();
        if (details.empty()) details.push_back(name + ": not well-formed XML");
        throw InvalidInput(details.front(), details);
    }
    if (doc->intSubset || doc->extSubset) throw InvalidInput(name + ": a DOCTYPE is not allowed");
    return doc;
}

Document parseFile(const std::filesystem::path& path, Whitespace whitespace) {
    return parseFile(path, path.string(), whitespace);
}

Document parseFile(const std::filesystem::path& path, const std::string& name, Whitespace whitespace) {
    return parseString(readFile(path, name), name, whitespace);
}

std::string serializeWithLibxml2(const xmlDoc* doc, bool pretty) {
    xmlChar* bytes = nullptr;
    int size = 0;
    xmlDocDumpFormatMemoryEnc(const_cast<xmlDoc*>(doc), &bytes, &size, "UTF-8", pretty ? 1 : 0);
    const XmlString owned(bytes);
    return std::string(bytes ? c(bytes) : "", static_cast<size_t>(size));
}

namespace {

// The compact writer below gives, byte for byte, what libxml2 2.9's xmlDocDumpFormatMemoryEnc
// writes for a document in UTF-8 without formatting (xmlsave.c), for the nodes our documents
// are made of: elements, attributes, namespace declarations, text and comments. libxml2's own
// writer goes through an output buffer, an encoder (UTF-8 to UTF-8) and a call per piece,
// about a sixth of a transition's instructions; this one appends to one string. Any other node
// (CDATA, entity references, processing instructions, a DTD...) sends the whole document to
// libxml2, so an unusual document costs time, never a different text.

// The entity or character reference libxml2 writes for a byte, nullptr where it writes the byte.
using EscapeTable = std::array<const char*, 256>;

// Text content, as xmlEscapeContent escapes it.
constexpr EscapeTable kTextEscapes = [] {
    EscapeTable table{};
    table['<'] = "&lt;";
    table['>'] = "&gt;";
    table['&'] = "&amp;";
    table['\r'] = "&#13;";
    return table;
}();

// An attribute's text, as xmlBufAttrSerializeTxtContent escapes it while the document being
// written carries an encoding (non-ASCII bytes stay as they are).
constexpr EscapeTable kAttributeEscapes = [] {
    EscapeTable table = kTextEscapes;
    table['\n'] = "&#10;";
    table['\t'] = "&#9;";
    table['"'] = "&quot;";
    return table;
}();

void appendEscaped(std::string& out, const xmlChar* text, const EscapeTable& escapes) {
    const xmlChar* run = text;
    for (const xmlChar* at = text; *at; ++at) {
        const char* replacement = escapes[*at];
        if (!replacement) continue;
        out.append(c(run), static_cast<std::size_t>(at - run));
        out.append(replacement);
        run = at + 1;
    }
    out.append(c(run));
}

// xmlBufWriteQuotedString for a value with no quote of either kind (the caller checks).
bool appendQuoted(std::string& out, const xmlChar* value) {
    if (std::strpbrk(c(value), "\"'") != nullptr) return false;
    out += '"';
    out.append(c(value));
    out += '"';
    return true;
}

void appendQualifiedName(std::string& out, const xmlNs* ns, const xmlChar* localName) {
    if (ns && ns->prefix) {
        out.append(c(ns->prefix));
        out += ':';
    }
    out.append(c(localName));
}

// What is being written: a whole document (libxml2 then gives the document an encoding for the
// time of the dump), or one node of it, whose attributes libxml2 writes by the document's own
// encoding: with none (a text parsed without an XML declaration), a non-ASCII character in an
// attribute becomes a character reference, which the compact writer leaves to libxml2.
struct Writing {
    const xmlDoc* doc = nullptr;
    bool asciiAttributesOnly = false;
};

bool appendNodes(std::string& out, const Writing& writing, const xmlNode* first);

bool hasNonAscii(const xmlChar* text) {
    for (; *text; ++text)
        if (*text >= 0x80) return true;
    return false;
}

bool appendElement(std::string& out, const Writing& writing, const xmlNode* element) {
    out += '<';
    appendQualifiedName(out, element->ns, element->name);
    for (const xmlNs* ns = element->nsDef; ns; ns = ns->next) {
        if (ns->type != XML_LOCAL_NAMESPACE || !ns->href) continue;
        if (ns->prefix && xmlStrEqual(ns->prefix, x("xml"))) continue;
        if (ns->prefix) {
            out += " xmlns:";
            out.append(c(ns->prefix));
        } else {
            out += " xmlns";
        }
        out += '=';
        if (!appendQuoted(out, ns->href)) return false;
    }
    for (const xmlAttr* attribute = element->properties; attribute; attribute = attribute->next) {
        if (attribute->doc != writing.doc) return false; // libxml2 escapes by the attribute's own document
        out += ' ';
        appendQualifiedName(out, attribute->ns, attribute->name);
        out += "=\"";
        for (const xmlNode* part = attribute->children; part; part = part->next) {
            if (part->type != XML_TEXT_NODE) return false;
            if (!part->content) continue;
            if (writing.asciiAttributesOnly && hasNonAscii(part->content)) return false;
            appendEscaped(out, part->content, kAttributeEscapes);
        }
        out += '"';
    }
    if (!element->children) {
        out += "/>";
        return true;
    }
    out += '>';
    if (!appendNodes(out, writing, element->children)) return false;
    out += "</";
    appendQualifiedName(out, element->ns, element->name);
    out += '>';
    return true;
}

bool appendNode(std::string& out, const Writing& writing, const xmlNode* node) {
    switch (node->type) {
    case XML_ELEMENT_NODE:
        return appendElement(out, writing, node);
    case XML_TEXT_NODE:
        if (node->name == xmlStringTextNoenc) return false;
        if (node->content) appendEscaped(out, node->content, kTextEscapes);
        return true;
    case XML_COMMENT_NODE:
        if (node->content) {
            out += "<!--";
            out.append(c(node->content));
            out += "-->";
        }
        return true;
    default:
        return false;
    }
}

bool appendNodes(std::string& out, const Writing& writing, const xmlNode* first) {
    for (const xmlNode* node = first; node; node = node->next)
        if (!appendNode(out, writing, node)) return false;
    return true;
}

} // namespace

std::optional<std::string> serializeCompact(const xmlDoc* doc) {
    if (!doc || doc->type != XML_DOCUMENT_NODE || doc->intSubset || doc->extSubset) return std::nullopt;
    std::string out;
    out.reserve(16 * 1024);
    out += "<?xml version=";
    if (!doc->version)
        out += "\"1.0\"";
    else if (!appendQuoted(out, doc->version))
        return std::nullopt;
    out += " encoding=\"UTF-8\"";
    if (doc->standalone == 0) out += " standalone=\"no\"";
    if (doc->standalone == 1) out += " standalone=\"yes\"";
    out += "?>\n";
    const Writing writing{doc, false};
    for (const xmlNode* child = doc->children; child; child = child->next) {
        if (child->type == XML_TEXT_NODE || !appendNode(out, writing, child)) return std::nullopt;
        out += '\n'; // libxml2 ends every top-level node with a line break
    }
    return out;
}

std::optional<std::string> serializeNodeCompact(const xmlNode* node) {
    if (!node) return std::nullopt;
    std::string out;
    if (!appendNode(out, Writing{node->doc, !node->doc || !node->doc->encoding}, node)) return std::nullopt;
    return out;
}

std::string serialize(const xmlDoc* doc, bool pretty) {
    if (!pretty)
        if (auto compact = serializeCompact(doc)) return std::move(*compact);
    return serializeWithLibxml2(doc, pretty);
}

std::string serializeNode(const xmlNode* node) {
    if (auto compact = serializeNodeCompact(node)) return std::move(*compact);
    BufferPtr buffer(xmlBufferCreate());
    if (!buffer) throw Error("out of memory serialising an XML node");
    xmlNodeDump(buffer.get(), node->doc, const_cast<xmlNode*>(node), 0, 0);
    return std::string(c(xmlBufferContent(buffer.get())), static_cast<size_t>(xmlBufferLength(buffer.get())));
}

Document copy(const xmlDoc* doc) {
    return Document(xmlCopyDoc(const_cast<xmlDoc*>(doc), 1));
}

std::string name(const xmlNode* node) {
    return node && node->name ? c(node->name) : "";
}

std::optional<std::string> attribute(const xmlNode* node, const char* attributeName) {
    if (!node) return std::nullopt;
    const XmlString value(xmlGetNoNsProp(node, x(attributeName)));
    if (!value) return std::nullopt;
    return std::string(c(value.get()));
}

std::string text(const xmlNode* node) {
    if (!node) return "";
    const XmlString content(xmlNodeGetContent(node));
    return content ? c(content.get()) : "";
}

xmlNode* firstChild(xmlNode* parent, const char* elementName) {
    if (!parent) return nullptr;
    for (xmlNode* child = parent->children; child; child = child->next)
        if (child->type == XML_ELEMENT_NODE && std::strcmp(c(child->name), elementName) == 0) return child;
    return nullptr;
}

std::vector<xmlNode*> children(xmlNode* parent, const char* elementName) {
    std::vector<xmlNode*> result;
    if (!parent) return result;
    for (xmlNode* child = parent->children; child; child = child->next)
        if (child->type == XML_ELEMENT_NODE && (!elementName || std::strcmp(c(child->name), elementName) == 0))
            result.push_back(child);
    return result;
}

xmlNode* root(const xmlDoc* doc) {
    return doc ? xmlDocGetRootElement(doc) : nullptr;
}

int line(const xmlNode* node) {
    return node ? static_cast<int>(xmlGetLineNo(node)) : 0;
}

std::shared_ptr<const Schema> Schema::load(const std::filesystem::path& path) {
    // Schemas are our own files, but parse them through the hardened parser all the same.
    Document schemaDoc = parseFile(path);
    ErrorCapture capture;
    SchemaParserContextPtr parser(xmlSchemaNewDocParserCtxt(schemaDoc.get()));
    SchemaPtr schema(xmlSchemaParse(parser.get()));
    if (!schema) {
        throw Error("cannot load schema " + path.string() +
                    (capture.messages().empty() ? std::string() : ": " + capture.messages().front()));
    }
    return std::shared_ptr<const Schema>(new Schema(std::move(schema)));
}

namespace {

// One validation (a whole document, or one element's subtree) with its errors gathered and
// named after the document the user knows.
void validateWith(const xmlSchema* schema, const std::string& documentName,
                  const std::function<int(xmlSchemaValidCtxt*)>& run) {
    ErrorCapture capture;
    // A validation context is cheap and not thread-safe: one per call keeps the schema shareable.
    SchemaValidContextPtr validator(xmlSchemaNewValidCtxt(const_cast<xmlSchema*>(schema)));
    if (!validator) throw Error("out of memory creating a schema validator");
    xmlSchemaSetValidStructuredErrors(validator.get(), ErrorCapture::onStructuredError, &capture);
    const int result = run(validator.get());
    capture.rethrowFailure();
    if (result == 0) return;
    std::vector<std::string> details;
    for (const auto& message : capture.messages()) {
        // libxml2 names the document by its URL; the caller's name is what the user knows.
        auto colon = message.find(':');
        details.push_back(documentName + (colon == std::string::npos ? ": " + message : message.substr(colon)));
    }
    if (details.empty()) details.push_back(documentName + ": does not match the schema");
    throw InvalidInput(details.front(), details);
}

} // namespace

void Schema::validate(const xmlDoc* doc, const std::string& documentName) const {
    validateWith(schema_.get(), documentName, [doc](xmlSchemaValidCtxt* validator) {
        return xmlSchemaValidateDoc(validator, const_cast<xmlDoc*>(doc));
    });
}

void Schema::validateElement(const xmlNode* element, const std::string& documentName) const {
    validateWith(schema_.get(), documentName, [element](xmlSchemaValidCtxt* validator) {
        return xmlSchemaValidateOneElement(validator, const_cast<xmlNode*>(element));
    });
}

XPath::XPath(const xmlDoc* doc) : context_(xmlXPathNewContext(const_cast<xmlDoc*>(doc))) {
    if (!context_) throw Error("out of memory creating an XPath context");
}

void XPath::setVariable(const std::string& variableName, xmlXPathObject* value) {
    xmlXPathRegisterVariable(context_.get(), x(variableName.c_str()), value);
}

void XPath::setStringVariable(const std::string& variableName, const std::string& value) {
    setVariable(variableName, xmlXPathNewString(x(value.c_str())));
}

void XPath::setNodeVariable(const std::string& variableName, xmlNode* node) {
    setVariable(variableName, xmlXPathNewNodeSet(node));
}

XPathObjectPtr XPath::evaluate(const std::string& expression, xmlNode* contextNode) {
    ErrorCapture capture;
    context_->node = contextNode ? contextNode : xmlDocGetRootElement(context_->doc);
    XPathObjectPtr result(xmlXPathEvalExpression(x(expression.c_str()), context_.get()));
    capture.rethrowFailure();
    if (!result) {
        throw InvalidInput("invalid XPath expression '" + expression + "'" +
                           (capture.messages().empty() ? std::string() : ": " + capture.messages().back()));
    }
    return result;
}

std::string XPath::string(const std::string& expression, xmlNode* contextNode) {
    return stringValue(evaluate(expression, contextNode).get());
}

double XPath::number(const std::string& expression, xmlNode* contextNode) {
    return xmlXPathCastToNumber(evaluate(expression, contextNode).get());
}

bool XPath::boolean(const std::string& expression, xmlNode* contextNode) {
    return xmlXPathCastToBoolean(evaluate(expression, contextNode).get()) != 0;
}

std::vector<xmlNode*> XPath::nodes(const std::string& expression, xmlNode* contextNode) {
    auto result = evaluate(expression, contextNode);
    std::vector<xmlNode*> found;
    if (result->type == XPATH_NODESET && result->nodesetval) {
        for (int i = 0; i < result->nodesetval->nodeNr; ++i) found.push_back(result->nodesetval->nodeTab[i]);
    }
    return found;
}

std::string stringValue(xmlXPathObject* object) {
    if (!object) return "";
    if (object->type == XPATH_STRING) return object->stringval ? c(object->stringval) : "";
    const XmlString value(xmlXPathCastToString(object));
    return value ? c(value.get()) : "";
}

std::string popString(xmlXPathParserContext* ctxt) {
    const XmlString value(xmlXPathPopString(ctxt));
    return value ? c(value.get()) : std::string();
}

void pushString(xmlXPathParserContext* ctxt, const std::string& value) {
    valuePush(ctxt, xmlXPathNewString(x(value.c_str())));
}

} // namespace caseflow::xml
