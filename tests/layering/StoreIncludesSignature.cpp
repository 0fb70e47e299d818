// Compiled only by the `layering` test, as if it were part of engine/store/: the store sits
// below signature and process, so their headers are out of its reach.
#include "signature/TrustStore.h"
