// The cf: functions that compare periods, for rules worded "more than N months" (R8: the
// partners meet again « à plus de 6 mois »). What must stay true: like every cf: function
// (XPathFunctions.cpp), none lets an exception escape into libxml2's C frames, and a date it
// cannot read makes the comparison false, never true; the month arithmetic is Date's, so it
// agrees with cf:add-months and cf:months-between.
#include "workflow/XPathFunctions.h"

#include "core/Text.h"
#include "model/Date.h"
#include "xml/XPathFunctionKit.h"
#include "xml/Xml.h"

#include <libxml/xpathInternals.h>

#include <cmath>

namespace caseflow::workflow {
namespace {

// cf:more-than-months(from, to, n): true when `to` falls strictly after `from` plus n months
// (clamped to the month's end, as cf:add-months). Exactly n months later is not "more than".
void moreThanMonths(xmlXPathParserContextPtr ctxt, int nargs) {
    if (!xml::hasArity(ctxt, nargs, 3, 3)) return;
    const double months = xmlXPathPopNumber(ctxt);
    const std::string to = xml::popString(ctxt);
    const std::string from = xml::popString(ctxt);
    if (ctxt->error) return;
    const auto fromDate = Date::parse(text::trimmed(from)), toDate = Date::parse(text::trimmed(to));
    const bool whole = std::isfinite(months) && std::trunc(months) == months && std::fabs(months) <= 12 * 10000;
    const bool later =
        fromDate && toDate && whole && fromDate->year() >= 1 && *toDate > fromDate->addMonths(static_cast<int>(months));
    valuePush(ctxt, xmlXPathNewBoolean(later ? 1 : 0));
}

} // namespace

void registerPeriodFunctions(xmlXPathContext* context) {
    xmlXPathRegisterFuncNS(context, xml::x("more-than-months"), xml::x(kFunctionsNamespace),
                           xml::guarded<moreThanMonths>);
}

} // namespace caseflow::workflow
