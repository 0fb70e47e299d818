// The one place where xmlsec's C API gets owners: process-wide initialisation (once, thread
// safe), a unique_ptr for every xmlsec object we create, and xmlsec's error reports captured
// per thread instead of printed on standard error. What must stay true: no other file calls
// xmlSecInit or frees an xmlsec object by hand.
#pragma once

#include <xmlsec/keys.h>
#include <xmlsec/keysmngr.h>
#include <xmlsec/xmldsig.h>

#include <memory>
#include <string>
#include <vector>

namespace caseflow::signature::xmlsec {

// Initialises libxmlsec1 and its OpenSSL backend the first time it is called.
void initialise();

struct DSigContextDeleter {
    void operator()(xmlSecDSigCtx* context) const { xmlSecDSigCtxDestroy(context); }
};
struct KeyDeleter {
    void operator()(xmlSecKey* key) const { xmlSecKeyDestroy(key); }
};
struct KeyDataDeleter {
    void operator()(xmlSecKeyData* data) const { xmlSecKeyDataDestroy(data); }
};
using DSigContext = std::unique_ptr<xmlSecDSigCtx, DSigContextDeleter>;
using Key = std::unique_ptr<xmlSecKey, KeyDeleter>;
using KeyData = std::unique_ptr<xmlSecKeyData, KeyDataDeleter>;

// Collects xmlsec's error reports on this thread for the lifetime of the scope.
class ErrorCapture {
public:
    ErrorCapture();
    ~ErrorCapture();
    ErrorCapture(const ErrorCapture&) = delete;
    ErrorCapture& operator=(const ErrorCapture&) = delete;
    void add(std::string message) { messages_.push_back(std::move(message)); }
    // The reports, "; "-separated, for a message; "" when there were none.
    std::string text() const;

private:
    std::vector<std::string> messages_;
    ErrorCapture* previous_;
};

} // namespace caseflow::signature::xmlsec
