// The signing page's script played by a C++ test: what WebCrypto's sign() returns for a signer's
// key over the SignedInfo bytes the server hands out (ECDSA P-256 with SHA-256 as r||s, RSA
// PKCS#1 v1.5 with SHA-256), and the JSON the page reads. What must stay true: the value is made
// by OpenSSL from the key itself, never copied from what the server expects.
#pragma once

#include "service/ServiceFixture.h"
#include "signature/OpenSsl.h"
#include "signature/SigningKey.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <catch2/catch.hpp>

#include <openssl/ecdsa.h>

namespace caseflow::test::web {

inline Poco::JSON::Object::Ptr parsedJson(const std::string& json) {
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

inline std::string signLikeWebCrypto(const signature::SigningKey& key, const std::string& bytes) {
    namespace ossl = signature::ossl;
    ossl::DigestContext context(EVP_MD_CTX_new());
    REQUIRE(EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key.key().get()) == 1);
    std::size_t size = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    REQUIRE(EVP_DigestSign(context.get(), nullptr, &size, data, bytes.size()) == 1);
    std::string der(size, '\0');
    REQUIRE(EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(der.data()), &size, data, bytes.size()) ==
            1);
    der.resize(size);
    if (key.key().type() == signature::KeyType::Rsa) return der;
    const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
    std::unique_ptr<ECDSA_SIG, ossl::Deleter<ECDSA_SIG, ECDSA_SIG_free>> parsedSignature(
        d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
    REQUIRE(parsedSignature);
    std::string raw(64, '\0');
    REQUIRE(BN_bn2binpad(ECDSA_SIG_get0_r(parsedSignature.get()), reinterpret_cast<unsigned char*>(raw.data()), 32) ==
            32);
    REQUIRE(BN_bn2binpad(ECDSA_SIG_get0_s(parsedSignature.get()), reinterpret_cast<unsigned char*>(raw.data()) + 32,
                         32) == 32);
    return raw;
}

} // namespace caseflow::test::web
