// A compiled template: immutable, shared, rendered many times, from many threads at once.
// Rendering = one walk of the node tree with a fresh scope; each render borrows an
// evaluator (an XPath context with its own compiled copy of the template's expressions)
// from a pool and gives it back, because libxml2 caches function lookups inside compiled
// expressions while evaluating them: sharing one compiled expression between threads would
// be a data race, sharing it between contexts would leave pointers into a freed context.
#pragma once

#include "render/FastExpression.h"
#include "render/LanguageSpec.h"
#include "render/TemplateSyntax.h"
#include "render/TemplateTree.h"
#include "render/Terms.h"

#include "xml/Xml.h"

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace caseflow::render {

// What one render reads. Variables the caller does not give are bound to an empty node-set
// ($network, $record, $envelope, $signatures) or "" ($document, $item); $today defaults to Date::today().
struct RenderInputs {
    const xmlDoc* situation = nullptr; // "/" and the initial context node
    LanguageSpec language;
    std::vector<std::pair<std::string, xmlNode*>> nodes;
    std::vector<std::pair<std::string, std::string>> strings;
};

// An XPath context and the template's expressions compiled in it: used by one render at a time.
struct Evaluator {
    xml::XPathContextPtr context;
    std::vector<xml::XPathCompiledPtr> expressions;
};

class EvaluatorPool {
public:
    explicit EvaluatorPool(const std::vector<ExpressionSource>& sources) : sources_(sources) {}

    class Lease {
    public:
        Lease(EvaluatorPool& pool, std::unique_ptr<Evaluator> evaluator)
            : pool_(pool), evaluator_(std::move(evaluator)) {}
        ~Lease() { pool_.giveBack(std::move(evaluator_)); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Evaluator& operator*() const { return *evaluator_; }
        Evaluator* operator->() const { return evaluator_.get(); }

    private:
        EvaluatorPool& pool_;
        std::unique_ptr<Evaluator> evaluator_;
    };

    Lease acquire();

private:
    void giveBack(std::unique_ptr<Evaluator> evaluator);
    std::unique_ptr<Evaluator> create() const;

    const std::vector<ExpressionSource>& sources_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Evaluator>> idle_;
};

class CompiledTemplate {
public:
    CompiledTemplate(std::string name, SourceLocation where, std::vector<Node> nodes,
                     std::vector<ExpressionSource> expressions, std::vector<Message> messages, int subject,
                     std::string subjectName, std::shared_ptr<const Terms> terms,
                     TemplateKind kind = TemplateKind::Page);
    CompiledTemplate(const CompiledTemplate&) = delete;
    CompiledTemplate& operator=(const CompiledTemplate&) = delete;

    const std::string& name() const { return name_; }
    const SourceLocation& where() const { return where_; }

    // The document as HTML5 (polyglot: also well-formed XML once the DOCTYPE line is removed),
    // or for a data template its XML, where an empty t:text leaves its element out (the
    // schema makes it optional) instead of writing "not provided". Throws NotApplicable when
    // the template's t:subject selects nothing, TemplateError when an expression fails
    // (naming file:line and the directive).
    std::string render(const RenderInputs& inputs) const;

    // What t:subject selects (its first node), or nullptr: the page and the PDF's
    // attachments are about the same element.
    xmlNode* subjectNode(const RenderInputs& inputs) const;
    TemplateKind kind() const { return kind_; }

    // Whether t:subject selects something for these inputs (always true without t:subject).
    bool applies(const RenderInputs& inputs) const;
    // What the subject is called in messages ("concertation"), "" without t:subject.
    const std::string& subjectName() const { return subjectName_; }

    const std::vector<Message>& messages() const { return messages_; }
    const std::vector<ExpressionSource>& expressions() const { return expressions_; }
    // Per expression, its fast form (FastExpression::Kind::None when libxml2 must evaluate it).
    const std::vector<FastExpression>& fastExpressions() const { return fast_; }
    const std::vector<Node>& nodes() const { return nodes_; }
    const Terms& terms() const { return *terms_; }
    int subject() const { return subject_; }
    EvaluatorPool& pool() const { return pool_; }

private:
    std::string name_;
    SourceLocation where_;
    std::vector<Node> nodes_;
    std::vector<ExpressionSource> expressions_;
    std::vector<FastExpression> fast_;
    std::vector<Message> messages_;
    int subject_;
    std::string subjectName_;
    std::shared_ptr<const Terms> terms_;
    TemplateKind kind_;
    mutable EvaluatorPool pool_;
};

} // namespace caseflow::render
