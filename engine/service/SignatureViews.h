// What the signature endpoints share: the key type a signer asks for and the JSON form of a
// document to sign. What must stay true: the document is handed out byte for byte as the
// signing desk prepared it (a signature covers its canonical form; a reformatted SignedInfo
// would not verify), inside a JSON string.
#pragma once

#include "process/SigningDesk.h"
#include "signature/PrivateKey.h"

namespace caseflow::service {

class RequestContext;

// ?keyType=ecdsa (default) or rsa; 400 otherwise.
signature::KeyType keyTypeParameter(const RequestContext& context);
// 200 {situationId, situationVersion, part, event, signedAt, document}, ETag of the version.
void sendDocumentToSign(RequestContext& context, const DocumentToSign& document);

} // namespace caseflow::service
