// RAII owners for the libxml2 resources the documents module uses beyond model/Xml.h, and
// the parser for templates and rendered XHTML. What must stay true: every xmlChar*, buffer,
// node set and parser context is owned by exactly one of these; no raw xmlFree elsewhere.
// Templates are parsed like any untrusted XML (no DTD, no entities, no network) but keep
// their whitespace, which is significant between inline elements.
#pragma once

#include "model/Xml.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow::render {

struct XmlCharDeleter {
    void operator()(xmlChar* text) const { xmlFree(text); }
};
using XmlString = std::unique_ptr<xmlChar, XmlCharDeleter>;

struct NodeSetDeleter {
    void operator()(xmlNodeSet* set) const { xmlXPathFreeNodeSet(set); }
};
using NodeSetPtr = std::unique_ptr<xmlNodeSet, NodeSetDeleter>;

struct ParserContextDeleter {
    void operator()(xmlParserCtxt* context) const { xmlFreeParserCtxt(context); }
};
using ParserContextPtr = std::unique_ptr<xmlParserCtxt, ParserContextDeleter>;

// Captures libxml2's *generic* error channel (where, for instance, the XPath evaluator
// reports an unknown function) for the scope's lifetime; per thread, like libxml2's own.
class GenericErrorCapture {
public:
    GenericErrorCapture();
    ~GenericErrorCapture();
    GenericErrorCapture(const GenericErrorCapture&) = delete;
    GenericErrorCapture& operator=(const GenericErrorCapture&) = delete;
    const std::string& text() const { return text_; }
    void append(const char* chunk) { text_ += chunk; }

private:
    std::string text_;
    void* previousContext_;
    xmlGenericErrorFunc previousHandler_;
};

// Captures libxml2's structured errors with their details (XPath reports the failing
// expression and the offset in it), for the scope's lifetime, on this thread.
class StructuredErrorCapture {
public:
    struct Entry {
        std::string message;
        std::string expression; // XPath errors: the expression
        int offset = 0;         // XPath errors: where in it, 0-based
    };
    StructuredErrorCapture();
    ~StructuredErrorCapture();
    StructuredErrorCapture(const StructuredErrorCapture&) = delete;
    StructuredErrorCapture& operator=(const StructuredErrorCapture&) = delete;
    const std::vector<Entry>& entries() const { return entries_; }
    void add(Entry entry) { entries_.push_back(std::move(entry)); }
    // "message at character N" for the last entry, "" when there is none.
    std::string lastMessage() const;

private:
    std::vector<Entry> entries_;
    void* previousContext_;
    xmlStructuredErrorFunc previousHandler_;
};

// Parses a template, a fragment or a rendered XHTML text: UTF-8, no DOCTYPE, no entity,
// no network, whitespace kept, line numbers kept. Throws InvalidInput naming `name:line`.
xml::Document parseMarkup(std::string_view text, const std::string& name);
xml::Document parseMarkupFile(const std::filesystem::path& path, const std::string& name);

// The string value of an XPath result, "" for null.
std::string toString(xmlXPathObject* object);

} // namespace caseflow::render
