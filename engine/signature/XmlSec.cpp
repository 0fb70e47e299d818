// xmlsec initialisation and error capture (see XmlSec.h). What must stay true: xmlsec is
// initialised once per process before any use, and its reports never reach standard error,
// where they would garble the CLI's output.
#include "signature/XmlSec.h"

#include "core/Errors.h"

#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/xmlsec.h>

#include <mutex>

namespace caseflow::signature::xmlsec {
namespace {

thread_local ErrorCapture* currentCapture = nullptr;

std::string describe(const char* function, const char* errorObject, const char* errorSubject, int reason,
                     const char* message) {
    std::string text;
    for (xmlSecSize i = 0; i < XMLSEC_ERRORS_MAX_NUMBER; ++i) {
        if (xmlSecErrorsGetCode(i) == reason) {
            text = xmlSecErrorsGetMsg(i);
            break;
        }
    }
    if (message && *message) text += std::string(text.empty() ? "" : ": ") + message;
    if (errorSubject && *errorSubject)
        text += std::string(" (") + errorSubject + ")";
    else if (errorObject && *errorObject)
        text += std::string(" (") + errorObject + ")";
    if (text.empty() && function) text = function;
    return text;
}

// xmlsec calls this from C: nothing may escape it.
void report(const char*, int, const char* function, const char* errorObject, const char* errorSubject, int reason,
            const char* message) noexcept {
    if (!currentCapture) return;
    try {
        currentCapture->add(describe(function, errorObject, errorSubject, reason, message));
    } catch (...) {
        currentCapture->keepFailure(std::current_exception());
    }
}

} // namespace

void initialise() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (xmlSecInit() < 0) throw Error("cannot initialise xmlsec");
        if (xmlSecCheckVersion() != 1)
            throw Error("the loaded xmlsec library does not match the one caseflow was built with");
        if (xmlSecCryptoAppInit(nullptr) < 0) throw Error("cannot initialise xmlsec's OpenSSL backend");
        if (xmlSecCryptoInit() < 0) throw Error("cannot initialise xmlsec's crypto functions");
        // Last: the initialisations above install xmlsec's default callback, which prints.
        xmlSecErrorsSetCallback(report);
    });
}

ErrorCapture::ErrorCapture() : previous_(currentCapture) {
    currentCapture = this;
}

ErrorCapture::~ErrorCapture() {
    currentCapture = previous_;
}

std::string ErrorCapture::text() const {
    std::string joined;
    for (const auto& message : messages()) {
        if (message.empty()) continue;
        if (joined.find(message) != std::string::npos) continue; // xmlsec repeats itself up the stack
        joined += (joined.empty() ? "" : "; ") + message;
    }
    return joined;
}

} // namespace caseflow::signature::xmlsec
