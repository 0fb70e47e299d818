// The network's certification authority: a key pair and a self-signed certificate made once
// by `caseflow ca init`, whose only use is to issue signer certificates (`caseflow signer
// add`). The CA's certificate is the trust anchor everybody verifies against (the database's
// trust store, `caseflow ca export`, `xmlsec1 --trusted-pem`); its key stays in a file the
// coordinator protects and is never stored in the database.
#pragma once

#include "signature/Certificate.h"
#include "signature/PrivateKey.h"

#include <chrono>
#include <string>

namespace caseflow::signature {

// The roles a signer certificate can carry, as docs/domain.md names them.
inline constexpr const char* kPedopsychiatristRole = "pedopsychiatrist";
inline constexpr const char* kCoordinatorRole = "coordinator";
// Throws UsageError unless `role` is one of the two roles above.
void checkSignerRole(const std::string& role);

struct Validity {
    std::chrono::system_clock::time_point notBefore;
    std::chrono::system_clock::time_point notAfter;
    // From a few minutes ago (clocks of signers' machines drift) for `years` years.
    static Validity fromNow(int years);
};

class CertificateAuthority {
public:
    // A new CA named `commonName` for the organisation `organisation`.
    static CertificateAuthority create(const std::string& commonName, const std::string& organisation, KeyType type,
                                       const Validity& validity);
    // Throws UsageError when the key is not the certificate's, or the certificate is no CA.
    CertificateAuthority(PrivateKey key, Certificate certificate);

    // A certificate for `name` signing as `role`, for `subjectKey`'s public half.
    Certificate issue(const std::string& name, const std::string& role, const PrivateKey& subjectKey,
                      const Validity& validity) const;

    const Certificate& certificate() const { return certificate_; }
    const PrivateKey& key() const { return key_; }

private:
    PrivateKey key_;
    Certificate certificate_;
};

} // namespace caseflow::signature
