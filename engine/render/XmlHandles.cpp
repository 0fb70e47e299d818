// Hardened markup parsing and the generic-error capture. What must stay true: a template or
// rendered document with a DOCTYPE is refused before any entity could be declared, and no
// libxml2 error text leaks to stderr while a capture is active.
#include "render/XmlHandles.h"

#include "model/Errors.h"

#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xpathInternals.h>

#include <cstdarg>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace caseflow::render {
namespace {

void collectGeneric(void* context, const char* format, ...) {
    auto* capture = static_cast<GenericErrorCapture*>(context);
    if (!capture) return;
    char buffer[1024];
    va_list arguments;
    va_start(arguments, format);
    std::vsnprintf(buffer, sizeof buffer, format, arguments);
    va_end(arguments);
    capture->append(buffer);
}

void collectStructured(void* context, xmlError* error) {
    auto* capture = static_cast<StructuredErrorCapture*>(context);
    if (!capture || !error) return;
    std::string message = error->message ? error->message : "error";
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    capture->add({message, error->str1 ? error->str1 : "", error->int1});
}

// A DOCTYPE is where entities come from; neither templates nor our output need one.
void refuseDoctype(void* parserContext, const xmlChar*, const xmlChar*, const xmlChar*) {
    auto* context = static_cast<xmlParserCtxt*>(parserContext);
    if (auto* capture = static_cast<xml::ErrorCapture*>(context->_private)) {
        const char* file = context->input && context->input->filename ? context->input->filename : "input";
        capture->add(std::string(file) + ':' + std::to_string(context->input ? context->input->line : 0) +
                     ": a DOCTYPE is not allowed (entities and DTDs are refused)");
    }
    context->wellFormed = 0;
    xmlStopParser(context);
}

} // namespace

GenericErrorCapture::GenericErrorCapture()
    : previousContext_(xmlGenericErrorContext), previousHandler_(xmlGenericError) {
    xmlSetGenericErrorFunc(this, collectGeneric);
}

GenericErrorCapture::~GenericErrorCapture() {
    xmlSetGenericErrorFunc(previousContext_, previousHandler_);
}

StructuredErrorCapture::StructuredErrorCapture()
    : previousContext_(xmlStructuredErrorContext), previousHandler_(xmlStructuredError) {
    xmlSetStructuredErrorFunc(this, collectStructured);
}

StructuredErrorCapture::~StructuredErrorCapture() {
    xmlSetStructuredErrorFunc(previousContext_, previousHandler_);
}

std::string StructuredErrorCapture::lastMessage() const {
    if (entries_.empty()) return "";
    const Entry& last = entries_.back();
    if (last.expression.empty()) return last.message;
    return last.message + " at character " + std::to_string(last.offset + 1);
}

xml::Document parseMarkup(std::string_view text, const std::string& name) {
    if (text.size() > static_cast<std::size_t>(64) * 1024 * 1024) throw InvalidInput(name + ": larger than 64 MiB");
    xml::ErrorCapture capture; // names each message "name:line: ..." after the URL given below
    ParserContextPtr context(xmlNewParserCtxt());
    if (!context) throw Error("out of memory creating an XML parser");
    context->sax->internalSubset = refuseDoctype;
    context->sax->externalSubset = refuseDoctype;
    context->_private = &capture;
    xml::Document document(xmlCtxtReadMemory(context.get(), text.data(), static_cast<int>(text.size()), name.c_str(),
                                             "UTF-8", XML_PARSE_NONET | XML_PARSE_NOCDATA));
    if (!document || !context->wellFormed || document->intSubset || document->extSubset) {
        std::vector<std::string> messages = capture.messages();
        if (messages.empty()) messages.push_back(name + ": not well-formed XML");
        throw InvalidInput(messages.front(), messages);
    }
    return document;
}

xml::Document parseMarkupFile(const std::filesystem::path& path, const std::string& name) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw NotFound("cannot read " + name + " (" + path.string() + ")");
    std::ostringstream content;
    content << in.rdbuf();
    return parseMarkup(content.str(), name);
}

std::string toString(xmlXPathObject* object) {
    if (!object) return "";
    if (object->type == XPATH_STRING) return object->stringval ? xml::c(object->stringval) : "";
    XmlString value(xmlXPathCastToString(object));
    return value ? xml::c(value.get()) : "";
}

} // namespace caseflow::render
