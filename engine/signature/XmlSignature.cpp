// Making and checking XML Signatures with xmlsec (see XmlSignature.h). What must stay true:
// the SignedInfo we sign holds no whitespace-only text (our parser drops such text when a
// stored document is read back, and SignedInfo's canonical bytes must survive that), and a
// verification restricts xmlsec to the transforms and URIs of our one shape, so a crafted
// signature cannot make it fetch, filter or transform anything else.
#include "signature/XmlSignature.h"

#include "signature/OpenSsl.h"
#include "signature/XmlSec.h"
#include "signature/XmlSignatureParts.h"

#include <libxml/c14n.h>
#include <xmlsec/crypto.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/openssl/x509.h>
#include <xmlsec/templates.h>
#include <xmlsec/transforms.h>
#include <xmlsec/xmltree.h>

namespace caseflow::signature {
namespace {

using namespace parts;

std::string algorithmOf(const xmlNode* node) {
    return xml::attribute(node, "Algorithm").value_or("");
}

void expectChildren(const xmlNode* parent, const std::vector<const char*>& names, const std::string& where) {
    const auto found = elementChildren(parent);
    std::string expected, actual;
    for (const char* name : names) expected += std::string(expected.empty() ? "" : ", ") + name;
    for (const xmlNode* child : found) actual += (actual.empty() ? "" : ", ") + xml::name(child);
    bool same = found.size() == names.size();
    for (std::size_t i = 0; same && i < names.size(); ++i) same = isDsig(found[i], names[i]);
    if (!same)
        throw MalformedSignature(where + " must hold " + expected + " (in the XML Signature namespace), found " +
                                 (actual.empty() ? "nothing" : actual));
}

void forbidTransformParameters(const xmlNode* transform) {
    if (!elementChildren(transform).empty())
        throw MalformedSignature("the " + algorithmOf(transform) + " transform must have no parameters");
}

void enableOurTransforms(xmlSecDSigCtx* context) {
    context->enabledReferenceUris = xmlSecTransformUriTypeEmpty;
    for (xmlSecTransformId id : {xmlSecTransformEnvelopedId, xmlSecTransformExclC14NId, xmlSecTransformSha256Id}) {
        if (xmlSecDSigCtxEnableReferenceTransform(context, id) < 0) throw Error("cannot restrict xmlsec's transforms");
    }
    for (xmlSecTransformId id : {xmlSecTransformExclC14NId, xmlSecTransformRsaSha256Id, xmlSecTransformEcdsaSha256Id}) {
        if (xmlSecDSigCtxEnableSignatureTransform(context, id) < 0) throw Error("cannot restrict xmlsec's transforms");
    }
    context->flags |= XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS;
}

xmlsec::DSigContext newContext() {
    xmlsec::initialise();
    xmlsec::DSigContext context(xmlSecDSigCtxCreate(nullptr));
    if (!context) throw Error("cannot create an xmlsec signature context");
    enableOurTransforms(context.get());
    return context;
}

// The signing key as xmlsec wants it: the private key plus the certificate it writes in X509Data.
xmlsec::Key xmlsecKey(const SigningKey& signingKey) {
    xmlsec::Key key(xmlSecKeyCreate());
    if (!key) throw Error("cannot create an xmlsec key");
    // xmlsec adopts a reference of its own; until it has, that reference is ours to drop.
    EVP_PKEY_up_ref(signingKey.key().get());
    ossl::Key reference(signingKey.key().get());
    xmlsec::KeyData value(xmlSecOpenSSLEvpKeyAdopt(reference.get()));
    if (!value) throw Error("cannot hand the key to xmlsec");
    reference.release();
    if (xmlSecKeySetValue(key.get(), value.get()) < 0) throw Error("cannot hand the key to xmlsec");
    value.release(); // the key owns it now
    xmlSecKeyDataPtr x509 = xmlSecKeyEnsureData(key.get(), xmlSecOpenSSLKeyDataX509Id);
    if (!x509) throw Error("cannot attach the certificate to the xmlsec key");
    // The key certificate says which key signs; the certificate list is what X509Data shows.
    // Both are references to the signer's certificate, not copies: X509_dup re-decodes the
    // whole certificate (its public key through OpenSSL 3's decoders), which cost more than
    // the signature itself; xmlsec only reads them and drops its references with X509_free.
    const auto certificateReference = [&] {
        X509* certificate = signingKey.certificate().get();
        ossl::require(X509_up_ref(certificate), "cannot take a reference to the certificate");
        return ossl::Cert(certificate);
    };
    ossl::Cert keyCert = certificateReference();
    if (xmlSecOpenSSLKeyDataX509AdoptKeyCert(x509, keyCert.get()) < 0) throw Error("cannot attach the certificate");
    keyCert.release();
    ossl::Cert shown = certificateReference();
    if (xmlSecOpenSSLKeyDataX509AdoptCert(x509, shown.get()) < 0) throw Error("cannot attach the certificate");
    shown.release();
    return key;
}

} // namespace

xmlNode* signatureOf(const xmlNode* element) {
    for (xmlNode* child : elementChildren(element))
        if (isDsig(child, "Signature")) return child;
    return nullptr;
}

void prepareForSigning(xmlDoc* doc, std::int64_t situationId, std::int64_t situationVersion,
                       const std::string& signedAt, KeyType type) {
    xmlsec::initialise();
    xmlNode* root = xml::root(doc);
    while (xmlNode* old = signatureOf(root)) {
        xmlUnlinkNode(old);
        xml::NodePtr removed(old);
    }
    xmlSetProp(root, xml::x(kSituationAttribute), xml::x(std::to_string(situationId).c_str()));
    xmlSetProp(root, xml::x(kVersionAttribute), xml::x(std::to_string(situationVersion).c_str()));
    xmlSetProp(root, xml::x(kSignedAtAttribute), xml::x(signedAt.c_str()));

    xmlNode* signature = xmlSecTmplSignatureCreate(
        doc, xmlSecTransformExclC14NId,
        type == KeyType::Rsa ? xmlSecTransformRsaSha256Id : xmlSecTransformEcdsaSha256Id, nullptr);
    if (!signature) throw Error("cannot create a signature template");
    xmlAddChild(root, signature);
    xmlNode* reference =
        xmlSecTmplSignatureAddReference(signature, xmlSecTransformSha256Id, nullptr, xml::x(""), nullptr);
    if (!reference || !xmlSecTmplReferenceAddTransform(reference, xmlSecTransformEnvelopedId) ||
        !xmlSecTmplReferenceAddTransform(reference, xmlSecTransformExclC14NId))
        throw Error("cannot create the signature's reference");
    xmlNode* keyInfo = xmlSecTmplSignatureEnsureKeyInfo(signature, nullptr);
    if (!keyInfo || !xmlSecTmplKeyInfoAddX509Data(keyInfo)) throw Error("cannot create the signature's KeyInfo");
    // xmlsec indents its templates; our parser would drop that indentation on the next read
    // and change SignedInfo's canonical bytes, so the template carries none.
    removeBlankText(signature);
}

void signPrepared(xmlDoc* doc, const SigningKey& key) {
    xmlNode* root = xml::root(doc);
    xmlNode* signature = signatureOf(root);
    if (!signature) throw MalformedSignature("the document holds no signature template to sign");
    xmlNode* method = only(only(signature, "SignedInfo"), "SignatureMethod");
    if (!method) throw MalformedSignature("the signature template has no SignedInfo/SignatureMethod");
    xmlSetProp(method, xml::x("Algorithm"), xml::x(key.key().type() == KeyType::Rsa ? kRsaSha256 : kEcdsaSha256));
    removeBlankText(signature);

    xmlsec::ErrorCapture capture;
    auto context = newContext();
    context->signKey = xmlsecKey(key).release(); // the context destroys it
    if (xmlSecDSigCtxSign(context.get(), signature) < 0 || context->status != xmlSecDSigStatusSucceeded)
        throw Error("cannot sign: " + capture.text());
    removeBlankText(signature); // KeyInfo's line breaks: outside SignedInfo, never signed
}

std::string signDocument(std::string_view preparedXml, const SigningKey& key, const std::string& name) {
    auto doc = xml::parseString(preparedXml, name);
    signPrepared(doc.get(), key);
    return xml::serialize(doc.get());
}

SignatureContent inspectSignature(const xmlNode* signedElement) {
    int signatures = 0;
    std::vector<const xmlNode*> pending = {signedElement};
    while (!pending.empty()) {
        const xmlNode* node = pending.back();
        pending.pop_back();
        for (xmlNode* child : elementChildren(node)) {
            if (isDsig(child, "Signature")) ++signatures;
            // A budget decision's R14 countersignature is a signed element of its own, inside
            // the decision's signed content, and verified on its own (process/GuardFacts).
            if (!child->ns && xml::name(child) == "countersignature") continue;
            pending.push_back(child);
        }
    }
    xmlNode* signature = signatureOf(signedElement);
    if (!signature) throw MalformedSignature("<" + xml::name(signedElement) + "> carries no signature");
    if (signatures != 1)
        throw MalformedSignature("<" + xml::name(signedElement) + "> must carry exactly one signature, found " +
                                 std::to_string(signatures));
    if (elementChildren(signedElement).back() != signature)
        throw MalformedSignature("the signature must be the last child of <" + xml::name(signedElement) + ">");

    expectChildren(signature, {"SignedInfo", "SignatureValue", "KeyInfo"}, "Signature");
    xmlNode* signedInfo = only(signature, "SignedInfo");
    expectChildren(signedInfo, {"CanonicalizationMethod", "SignatureMethod", "Reference"}, "SignedInfo");
    if (algorithmOf(only(signedInfo, "CanonicalizationMethod")) != kExclusiveC14n)
        throw MalformedSignature("SignedInfo must be canonicalised with exclusive XML canonicalisation (" +
                                 std::string(kExclusiveC14n) + ")");
    forbidTransformParameters(only(signedInfo, "CanonicalizationMethod"));
    SignatureContent content;
    const std::string method = algorithmOf(only(signedInfo, "SignatureMethod"));
    if (method == kRsaSha256)
        content.algorithm = "rsa-sha256";
    else if (method == kEcdsaSha256)
        content.algorithm = "ecdsa-sha256";
    else
        throw MalformedSignature("signature method '" + method + "' refused; use RSA-SHA256 or ECDSA-SHA256");

    xmlNode* reference = only(signedInfo, "Reference");
    const auto uri = xml::attribute(reference, "URI");
    if (!uri || !uri->empty())
        throw MalformedSignature("the signature must reference the whole signed element (URI=\"\"), not '" +
                                 uri.value_or("(no URI)") + "'");
    expectChildren(reference, {"Transforms", "DigestMethod", "DigestValue"}, "Reference");
    const auto transforms = elementChildren(only(reference, "Transforms"));
    if (transforms.size() != 2 || !isDsig(transforms[0], "Transform") || !isDsig(transforms[1], "Transform") ||
        algorithmOf(transforms[0]) != kEnveloped || algorithmOf(transforms[1]) != kExclusiveC14n)
        throw MalformedSignature("the reference's transforms must be exactly: enveloped signature, then exclusive "
                                 "canonicalisation");
    for (const xmlNode* transform : transforms) forbidTransformParameters(transform);
    if (algorithmOf(only(reference, "DigestMethod")) != kSha256)
        throw MalformedSignature("the digest must be SHA-256 (" + std::string(kSha256) + ")");
    const std::string value = decodeBase64(xml::text(only(signature, "SignatureValue")), "SignatureValue");
    if (value.empty()) throw MalformedSignature("SignatureValue is empty: the document was never signed");
    if (decodeBase64(xml::text(only(reference, "DigestValue")), "DigestValue").size() != 32)
        throw MalformedSignature("DigestValue is not a SHA-256 digest");
    content.signatureId = ossl::sha256Hex(value);

    xmlNode* keyInfo = only(signature, "KeyInfo");
    const auto keyInfoChildren = elementChildren(keyInfo);
    if (keyInfoChildren.size() != 1 || !isDsig(keyInfoChildren[0], "X509Data"))
        throw MalformedSignature("KeyInfo must hold exactly one X509Data with the signer's certificate");
    for (xmlNode* child : elementChildren(keyInfoChildren[0])) {
        if (!isDsig(child, "X509Certificate"))
            throw MalformedSignature("X509Data may only hold X509Certificate elements, found " + xml::name(child));
        content.certificates.push_back(
            Certificate::fromDer(decodeBase64(xml::text(child), "X509Certificate"), "X509Certificate"));
    }
    if (content.certificates.empty()) throw MalformedSignature("X509Data carries no certificate");
    return content;
}

ValueCheck checkSignatureValue(const xmlNode* signedElement, const Certificate& certificate, std::string& detail) {
    auto copy = standaloneCopy(signedElement);
    xmlNode* signature = signatureOf(xml::root(copy.get()));
    if (!signature) throw MalformedSignature("<" + xml::name(signedElement) + "> carries no signature");

    xmlsec::ErrorCapture capture;
    auto context = newContext();
    xmlsec::Key key(xmlSecKeyCreate());
    xmlsec::KeyData value(xmlSecOpenSSLX509CertGetKey(certificate.get()));
    if (!key || !value || xmlSecKeySetValue(key.get(), value.get()) < 0) {
        ossl::drainErrors();
        detail = "the certificate's public key is unusable (" + capture.text() + ")";
        return ValueCheck::SignatureValueWrong;
    }
    value.release();
    // With the key set, xmlsec ignores KeyInfo: the caller has already decided which
    // certificate speaks for the signer.
    context->signKey = key.release();
    if (xmlSecDSigCtxVerify(context.get(), signature) < 0) {
        detail = "the signature cannot be checked with the certificate's key (" + capture.text() + ")";
        return ValueCheck::SignatureValueWrong;
    }
    if (context->status == xmlSecDSigStatusSucceeded) return ValueCheck::Valid;
    for (xmlSecSize i = 0; i < xmlSecPtrListGetSize(&context->signedInfoReferences); ++i) {
        auto* reference = static_cast<xmlSecDSigReferenceCtx*>(xmlSecPtrListGetItem(&context->signedInfoReferences, i));
        if (reference && reference->status != xmlSecDSigStatusSucceeded) {
            detail = "the digest of the signed content does not match: the content changed after signing";
            return ValueCheck::ContentChanged;
        }
    }
    detail = "the signature value does not match the signed content and the certificate's key";
    return ValueCheck::SignatureValueWrong;
}

xml::Document standaloneCopy(const xmlNode* element) {
    xml::Document doc(xmlNewDoc(xml::x("1.0")));
    if (!doc) throw Error("out of memory copying a signed element");
    xmlNode* copy = xmlDocCopyNode(const_cast<xmlNode*>(element), doc.get(), 1);
    if (!copy) throw Error("out of memory copying a signed element");
    xmlDocSetRootElement(doc.get(), copy);
    return doc;
}

std::string standaloneXml(const xmlNode* element) {
    return xml::serialize(standaloneCopy(element).get());
}

std::string contentWithoutSignature(const xmlNode* element) {
    auto copy = standaloneCopy(element);
    xmlNode* root = xml::root(copy.get());
    while (xmlNode* signature = signatureOf(root)) {
        xmlUnlinkNode(signature);
        xml::NodePtr removed(signature);
    }
    for (const char* attribute : {kSituationAttribute, kVersionAttribute, kSignedAtAttribute})
        xmlUnsetProp(root, xml::x(attribute));
    xmlChar* bytes = nullptr;
    const int size = xmlC14NDocDumpMemory(copy.get(), nullptr, XML_C14N_EXCLUSIVE_1_0, nullptr, 0, &bytes);
    const xml::XmlString owned(bytes);
    if (size < 0) throw Error("cannot canonicalise <" + xml::name(element) + ">");
    return std::string(xml::c(bytes), static_cast<std::size_t>(size));
}

std::string decodeBase64(std::string_view text, const std::string& what) {
    std::string bytes;
    unsigned buffer = 0;
    int bits = 0;
    int padding = 0;
    for (char ch : text) {
        if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') continue;
        if (ch == '=') {
            ++padding;
            continue;
        }
        if (padding) throw MalformedSignature(what + " is not valid base64 (data after padding)");
        int value;
        if (ch >= 'A' && ch <= 'Z')
            value = ch - 'A';
        else if (ch >= 'a' && ch <= 'z')
            value = ch - 'a' + 26;
        else if (ch >= '0' && ch <= '9')
            value = ch - '0' + 52;
        else if (ch == '+')
            value = 62;
        else if (ch == '/')
            value = 63;
        else
            throw MalformedSignature(what + " is not valid base64 (character '" + std::string(1, ch) + "')");
        buffer = (buffer << 6) | static_cast<unsigned>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            bytes += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    if (padding > 2 || bits >= 6) throw MalformedSignature(what + " is not valid base64 (truncated)");
    return bytes;
}

} // namespace caseflow::signature
