// The one per-thread failure reason of cf: functions (see XPathFunctionKit.h).
#include "xml/XPathFunctionKit.h"

namespace caseflow::xml {
namespace {

thread_local std::string lastFunctionError;

} // namespace

void failFunction(xmlXPathParserContext* ctxt, const std::string& reason) noexcept {
    try {
        const xmlChar* name = ctxt && ctxt->context ? ctxt->context->function : nullptr;
        lastFunctionError = name ? std::string(reinterpret_cast<const char*>(name)) + ": " + reason : reason;
    } catch (...) {
        lastFunctionError.clear(); // out of memory: the XPath error below still fails the evaluation
    }
    xmlXPathErr(ctxt, XPATH_INVALID_OPERAND);
}

std::string takeFunctionError() {
    std::string message = std::move(lastFunctionError);
    lastFunctionError.clear();
    return message;
}

bool hasArity(xmlXPathParserContext* ctxt, int nargs, int minimum, int maximum) noexcept {
    if (nargs >= minimum && nargs <= maximum) return true;
    xmlXPathErr(ctxt, XPATH_INVALID_ARITY);
    return false;
}

} // namespace caseflow::xml
