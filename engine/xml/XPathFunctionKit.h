// What every cf: XPath extension function is built with, for workflow guards and templates
// alike: a body never lets an exception cross libxml2's C frames (`guarded`), a wrong number of
// arguments is an XPath arity error (`hasArity`), and the reason a function failed is kept on
// the thread until the evaluator that called it asks (`takeFunctionError`), because libxml2
// itself only knows "invalid operand". What must stay true: there is one such reason per
// thread, whoever registered the function, so an evaluator never reports a stale reason of
// the other family nor loses its own.
#pragma once

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <exception>
#include <string>

namespace caseflow::xml {

// Fails the evaluation with XPATH_INVALID_OPERAND, keeping "NAME: reason" for takeFunctionError.
void failFunction(xmlXPathParserContext* ctxt, const std::string& reason) noexcept;

// The reason the last cf: function on this thread failed, then cleared ("" when none did).
std::string takeFunctionError();

// True when nargs is within [minimum, maximum]; otherwise raises XPATH_INVALID_ARITY.
bool hasArity(xmlXPathParserContext* ctxt, int nargs, int minimum, int maximum) noexcept;

// Runs Body so that no exception crosses libxml2: a failure becomes an XPath error.
template <void (*Body)(xmlXPathParserContext*, int)> void guarded(xmlXPathParserContext* ctxt, int nargs) noexcept {
    try {
        Body(ctxt, nargs);
    } catch (const std::exception& error) {
        failFunction(ctxt, error.what());
    } catch (...) {
        failFunction(ctxt, "unexpected failure");
    }
}

} // namespace caseflow::xml
