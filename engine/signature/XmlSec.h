// The one place where xmlsec's C API gets owners: process-wide initialisation (once, thread
// safe), a unique_ptr for every xmlsec object we create, and xmlsec's error reports captured
// per thread instead of printed on standard error. What must stay true: no other file calls
// xmlSecInit or frees an xmlsec object by hand.
#pragma once

#include "xml/Xml.h"

#include <xmlsec/keys.h>
#include <xmlsec/keysmngr.h>
#include <xmlsec/xmldsig.h>

#include <memory>
#include <string>

namespace caseflow::signature::xmlsec {

// Initialises libxmlsec1 and its OpenSSL backend the first time it is called.
void initialise();

using DSigContext = std::unique_ptr<xmlSecDSigCtx, xml::Releaser<xmlSecDSigCtxDestroy>>;
using Key = std::unique_ptr<xmlSecKey, xml::Releaser<xmlSecKeyDestroy>>;
using KeyData = std::unique_ptr<xmlSecKeyData, xml::Releaser<xmlSecKeyDataDestroy>>;

// Collects xmlsec's error reports on this thread for the lifetime of the scope.
class ErrorCapture : public xml::CallbackMessages {
public:
    ErrorCapture();
    ~ErrorCapture();
    ErrorCapture(const ErrorCapture&) = delete;
    ErrorCapture& operator=(const ErrorCapture&) = delete;
    // The reports, "; "-separated, for a message; "" when there were none.
    std::string text() const;

private:
    ErrorCapture* previous_;
};

} // namespace caseflow::signature::xmlsec
