// Hardened libxml2 wrappers. What must stay true: no document we parse can make us
// expand an entity, read a file or open a socket, and no libxml2 object outlives its owner.
#include "model/Xml.h"

#include "model/Errors.h"

#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>
#include <libxml/xpathInternals.h>

#include <cstring>
#include <fstream>
#include <sstream>

namespace caseflow::xml {
namespace {

struct ParserContextDeleter {
    void operator()(xmlParserCtxt* ctxt) const { xmlFreeParserCtxt(ctxt); }
};
using ParserContextPtr = std::unique_ptr<xmlParserCtxt, ParserContextDeleter>;

struct SchemaParserDeleter {
    void operator()(xmlSchemaParserCtxt* p) const { xmlSchemaFreeParserCtxt(p); }
};
struct SchemaValidDeleter {
    void operator()(xmlSchemaValidCtxt* p) const { xmlSchemaFreeValidCtxt(p); }
};

std::string trimmed(const char* message) {
    std::string text = message ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

void captureError(void* userData, xmlError* error) {
    auto* capture = static_cast<ErrorCapture*>(userData);
    if (!capture || !error) return;
    std::ostringstream out;
    out << (error->file ? error->file : "input") << ':' << error->line << ": " << trimmed(error->message);
    capture->add(out.str());
}

// A DOCTYPE is where entities (and so billion laughs and XXE) come from: our formats never
// need one, so its mere presence stops the parser.
void refuseDoctype(void* parserContext, const xmlChar*, const xmlChar*, const xmlChar*) {
    auto* ctxt = static_cast<xmlParserCtxt*>(parserContext);
    ctxt->wellFormed = 0;
    ctxt->sax->startElement = nullptr;
    ctxt->sax->startElementNs = nullptr;
    xmlStopParser(ctxt);
    auto* capture = static_cast<ErrorCapture*>(ctxt->_private);
    if (capture) {
        capture->add(std::string(ctxt->input && ctxt->input->filename ? ctxt->input->filename : "input") + ':' +
                     std::to_string(ctxt->input ? ctxt->input->line : 0) +
                     ": a DOCTYPE is not allowed (entities and DTDs are refused)");
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

constexpr int kParseOptions = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOBLANKS;

Document parseBuffer(const char* data, size_t size, const std::string& name) {
    if (size > static_cast<size_t>(64) * 1024 * 1024)
        throw InvalidInput(name + ": document larger than 64 MiB refused");
    // We force UTF-8 when parsing; a declaration claiming another encoding means the producer
    // and we disagree about the bytes: refuse rather than guess.
    if (auto declared = declaredEncoding(std::string_view(data, size)); declared && *declared != "UTF-8" && *declared != "UTF8")
        throw InvalidInput(name + ":1: encoding " + *declared + " refused, documents must be UTF-8");
    ErrorCapture capture;
    ParserContextPtr ctxt(xmlNewParserCtxt());
    if (!ctxt) throw Error("out of memory creating an XML parser");
    ctxt->sax->internalSubset = refuseDoctype;
    ctxt->sax->externalSubset = refuseDoctype;
    ctxt->_private = &capture;
    Document doc(xmlCtxtReadMemory(ctxt.get(), data, static_cast<int>(size), name.c_str(), "UTF-8", kParseOptions));
    if (!doc || !ctxt->wellFormed) {
        std::vector<std::string> details = capture.messages();
        if (details.empty()) details.push_back(name + ": not well-formed XML");
        throw InvalidInput(details.front(), details);
    }
    if (doc->intSubset || doc->extSubset) throw InvalidInput(name + ": a DOCTYPE is not allowed");
    return doc;
}

} // namespace

ErrorCapture::ErrorCapture()
    : previousContext_(xmlStructuredErrorContext), previousHandler_(xmlStructuredError) {
    xmlSetStructuredErrorFunc(this, captureError);
}

ErrorCapture::~ErrorCapture() { xmlSetStructuredErrorFunc(previousContext_, previousHandler_); }

Document parseFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw NotFound("cannot read " + path.string());
    std::ostringstream content;
    content << in.rdbuf();
    const std::string text = content.str();
    return parseBuffer(text.data(), text.size(), path.string());
}

Document parseString(std::string_view text, const std::string& name) {
    return parseBuffer(text.data(), text.size(), name);
}

std::string serialize(const xmlDoc* doc, bool pretty) {
    xmlChar* buffer = nullptr;
    int size = 0;
    xmlDocDumpFormatMemoryEnc(const_cast<xmlDoc*>(doc), &buffer, &size, "UTF-8", pretty ? 1 : 0);
    std::string result(buffer ? c(buffer) : "", static_cast<size_t>(size));
    xmlFree(buffer);
    return result;
}

std::string serializeNode(const xmlNode* node) {
    std::unique_ptr<xmlBuffer, decltype(&xmlBufferFree)> buffer(xmlBufferCreate(), xmlBufferFree);
    xmlNodeDump(buffer.get(), node->doc, const_cast<xmlNode*>(node), 0, 0);
    return std::string(c(xmlBufferContent(buffer.get())), static_cast<size_t>(xmlBufferLength(buffer.get())));
}

Document copy(const xmlDoc* doc) { return Document(xmlCopyDoc(const_cast<xmlDoc*>(doc), 1)); }

std::string name(const xmlNode* node) { return node && node->name ? c(node->name) : ""; }

std::optional<std::string> attribute(const xmlNode* node, const char* attributeName) {
    if (!node) return std::nullopt;
    xmlChar* value = xmlGetNoNsProp(node, x(attributeName));
    if (!value) return std::nullopt;
    std::string result = c(value);
    xmlFree(value);
    return result;
}

std::string text(const xmlNode* node) {
    if (!node) return "";
    xmlChar* content = xmlNodeGetContent(node);
    std::string result = content ? c(content) : "";
    xmlFree(content);
    return result;
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

xmlNode* root(const xmlDoc* doc) { return doc ? xmlDocGetRootElement(doc) : nullptr; }

int line(const xmlNode* node) { return node ? static_cast<int>(xmlGetLineNo(node)) : 0; }

std::shared_ptr<const Schema> Schema::load(const std::filesystem::path& path) {
    // Schemas are our own files, but parse them through the hardened parser all the same.
    Document schemaDoc = parseFile(path);
    ErrorCapture capture;
    std::unique_ptr<xmlSchemaParserCtxt, SchemaParserDeleter> parser(xmlSchemaNewDocParserCtxt(schemaDoc.get()));
    xmlSchemaPtr schema = xmlSchemaParse(parser.get());
    if (!schema) {
        throw Error("cannot load schema " + path.string() +
                    (capture.messages().empty() ? std::string() : ": " + capture.messages().front()));
    }
    return std::shared_ptr<const Schema>(new Schema(schema));
}

Schema::~Schema() { xmlSchemaFree(schema_); }

void Schema::validate(const xmlDoc* doc, const std::string& documentName) const {
    ErrorCapture capture;
    // A validation context is cheap and not thread-safe: one per call keeps the schema shareable.
    std::unique_ptr<xmlSchemaValidCtxt, SchemaValidDeleter> validator(xmlSchemaNewValidCtxt(schema_));
    xmlSchemaSetValidStructuredErrors(validator.get(), captureError, &capture);
    const int result = xmlSchemaValidateDoc(validator.get(), const_cast<xmlDoc*>(doc));
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
    if (!result) {
        throw InvalidInput("invalid XPath expression '" + expression + "'" +
                           (capture.messages().empty() ? std::string() : ": " + capture.messages().back()));
    }
    return result;
}

std::string XPath::string(const std::string& expression, xmlNode* contextNode) {
    auto result = evaluate(expression, contextNode);
    xmlChar* value = xmlXPathCastToString(result.get());
    std::string text = value ? c(value) : "";
    xmlFree(value);
    return text;
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

} // namespace caseflow::xml
