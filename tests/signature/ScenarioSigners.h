// Signers for replaying scenarios in tests: a network certification authority made for one
// pilot database on first use, and one ECDSA P-256 key per person, issued and recorded in the
// trust store the first time that person signs. Scenario steps with signedBy="role:Name" are
// signed through SigningDesk exactly as `caseflow plan sign` / `decision sign` do.
// Header-only so any test fixture (support/Pilot, the service fixture) can use it.
#pragma once

#include "process/FundingProcess.h"
#include "process/SigningDesk.h"
#include "signature/CertificateAuthority.h"
#include "signature/SigningKey.h"
#include "signature/TrustStore.h"

#include <map>
#include <optional>
#include <string>

namespace caseflow::test {

class ScenarioSigners {
public:
    explicit ScenarioSigners(FundingProcess& process) : process_(process) {}

    // The network's authority in this database, created on first use.
    const signature::CertificateAuthority& authority() {
        if (!authority_) {
            authority_.emplace(signature::CertificateAuthority::create("Test network signature CA", "caseflow tests",
                                                                       signature::KeyType::Ecdsa,
                                                                       signature::Validity::fromNow(5)));
            process_.trustStore().setAuthority(authority_->certificate(), "system:tests");
        }
        return *authority_;
    }

    // The key of `signer` ("pedopsychiatrist:Dr Hélène Marchal"), issued on first use.
    const signature::SigningKey& keyFor(const std::string& signer) {
        auto found = keys_.find(signer);
        if (found != keys_.end()) return found->second;
        const Actor actor = Actor::parse(signer);
        auto key = signature::PrivateKey::generate(signature::KeyType::Ecdsa);
        auto certificate = authority().issue(actor.name, actor.role, key, signature::Validity::fromNow(1));
        process_.trustStore().addSigner(certificate, "system:tests");
        return keys_.emplace(signer, signature::SigningKey(key, certificate, {authority().certificate()}))
            .first->second;
    }

    // Signs and records a step: the current care plan for plan.signed, else the step's
    // budget decision; `actor` is who records the event.
    FireResult fire(std::int64_t id, const std::string& event, const std::string& data, const std::string& actor,
                    const std::string& signer) {
        SigningDesk desk(process_);
        const auto& key = keyFor(signer);
        if (event == "plan.signed") return desk.signPlan(id, key, Actor::parse(actor));
        return desk.signDecision(id, data, event + " data", key, Actor::parse(actor));
    }

private:
    FundingProcess& process_;
    std::optional<signature::CertificateAuthority> authority_;
    std::map<std::string, signature::SigningKey> keys_;
};

} // namespace caseflow::test
