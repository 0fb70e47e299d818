// The errors of the documents module. A template error always says where (file:line) and
// which directive, because the person who reads it is editing that template; a document that
// does not apply yet is its own kind, so the CLI can refuse it clearly and `render --all` can
// skip it without counting a failure.
#pragma once

#include "core/Errors.h"

#include <string>

namespace caseflow::render {

// A place in a template file, as the template's author sees it ("templates/minutes.xhtml:42").
struct SourceLocation {
    std::string file;
    int line = 0;
    std::string toString() const { return file + ':' + std::to_string(line); }
};

// A template that cannot be compiled, or an expression of it that fails while rendering.
// what() reads "FILE:LINE: t:DIRECTIVE: message".
class TemplateError : public Error {
public:
    TemplateError(SourceLocation where, std::string directive, const std::string& message)
        : Error(where.toString() + ": " + (directive.empty() ? "" : directive + ": ") + message),
          where_(std::move(where)), directive_(std::move(directive)), message_(message) {}
    const SourceLocation& where() const { return where_; }
    const std::string& directive() const { return directive_; }
    const std::string& message() const { return message_; }

private:
    SourceLocation where_;
    std::string directive_;
    std::string message_;
};

// The situation has not reached the phase this document belongs to (no decision yet for a
// budget decision, for instance), or the requested item does not exist.
class NotApplicable : public NotFound {
public:
    using NotFound::NotFound;
};

// An external program a format needs (WeasyPrint for PDF) is not installed.
class MissingTool : public Error {
public:
    using Error::Error;
};

} // namespace caseflow::render
