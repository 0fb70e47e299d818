// Signing in two steps (see DetachedSigning.h). What must stay true: the digest is computed the
// way xmlsec verifies a Reference URI="" with our two transforms (the whole element, its
// signature taken out, exclusive canonicalisation without comments), and SignedInfo is
// canonicalised the way xmlsec does before checking a value (the SignedInfo subtree alone,
// exclusive, without comments).
#include "signature/DetachedSigning.h"

#include "signature/BrowserKey.h"
#include "signature/OpenSsl.h"
#include "signature/XmlSignature.h"
#include "signature/XmlSignatureParts.h"

#include <libxml/c14n.h>

namespace caseflow::signature {
namespace {

using namespace parts;

void closeBuffer(xmlOutputBuffer* buffer) {
    xmlOutputBufferClose(buffer);
}
using OutputBuffer = std::unique_ptr<xmlOutputBuffer, ossl::Deleter<xmlOutputBuffer, closeBuffer>>;

// libxml2's c14n asks, for each node (a namespace node comes with its element as `parent`),
// whether it belongs to the node set: here, SignedInfo and what it contains.
int withinSubtree(void* root, xmlNodePtr node, xmlNodePtr parent) {
    const xmlNode* at = node && node->type == XML_NAMESPACE_DECL ? parent : node;
    for (; at; at = at->parent)
        if (at == root) return 1;
    return 0;
}

std::string exclusiveCanonical(xmlDoc* doc, xmlNode* subtree) {
    OutputBuffer buffer(xmlAllocOutputBuffer(nullptr));
    if (!buffer) throw Error("out of memory canonicalising SignedInfo");
    if (xmlC14NExecute(doc, withinSubtree, subtree, XML_C14N_EXCLUSIVE_1_0, nullptr, 0, buffer.get()) < 0)
        throw Error("cannot canonicalise SignedInfo");
    return std::string(xml::c(xmlOutputBufferGetContent(buffer.get())), xmlOutputBufferGetSize(buffer.get()));
}

xmlNode* signedInfoOf(xmlDoc* doc, const std::string& name) {
    xmlNode* signature = signatureOf(xml::root(doc));
    xmlNode* signedInfo = signature ? only(signature, "SignedInfo") : nullptr;
    if (!signedInfo || !only(signedInfo, "SignatureMethod") || !only(only(signedInfo, "Reference"), "DigestValue") ||
        !only(signature, "SignatureValue") || !only(only(signature, "KeyInfo"), "X509Data"))
        throw MalformedSignature(name + ": the document holds no signature template to sign (prepare it first)");
    return signedInfo;
}

} // namespace

SignedInfoToSign prepareSignedInfo(std::string_view preparedXml, const Certificate& certificate,
                                   const std::string& name) {
    auto doc = xml::parseString(preparedXml, name);
    xmlNode* root = xml::root(doc.get());
    xmlNode* signedInfo = signedInfoOf(doc.get(), name);
    xmlNode* signature = signatureOf(root);
    const bool rsa = EVP_PKEY_get_base_id(X509_get0_pubkey(certificate.get())) == EVP_PKEY_RSA;
    xmlSetProp(only(signedInfo, "SignatureMethod"), xml::x("Algorithm"), xml::x(rsa ? kRsaSha256 : kEcdsaSha256));

    // The reference's digest: the element without its signature (enveloped), canonicalised.
    auto content = standaloneCopy(root);
    xmlNode* enveloped = signatureOf(xml::root(content.get()));
    xmlUnlinkNode(enveloped);
    xml::NodePtr removed(enveloped);
    xmlChar* bytes = nullptr;
    const int size = xmlC14NDocDumpMemory(content.get(), nullptr, XML_C14N_EXCLUSIVE_1_0, nullptr, 0, &bytes);
    const xml::XmlString owned(bytes);
    if (size < 0) throw Error("cannot canonicalise <" + xml::name(root) + ">");
    std::string digest(32, '\0');
    ossl::require(EVP_Digest(bytes, static_cast<std::size_t>(size), reinterpret_cast<unsigned char*>(digest.data()),
                             nullptr, EVP_sha256(), nullptr),
                  "cannot compute the digest");
    xmlNodeSetContent(only(only(signedInfo, "Reference"), "DigestValue"), xml::x(encodeBase64(digest).c_str()));

    xmlNode* x509Data = only(only(signature, "KeyInfo"), "X509Data");
    while (xmlNode* earlier = x509Data->children) {
        xmlUnlinkNode(earlier);
        xml::NodePtr dropped(earlier);
    }
    xmlNewTextChild(x509Data, x509Data->ns, xml::x("X509Certificate"), xml::x(encodeBase64(certificate.der()).c_str()));
    xmlNodeSetContent(only(signature, "SignatureValue"), nullptr);
    removeBlankText(signature);

    SignedInfoToSign result;
    result.document = xml::serialize(doc.get());
    // From the document as it will be read back, not the one in hand.
    result.signedInfo = canonicalSignedInfo(result.document, name);
    result.algorithm = rsa ? "rsa-sha256" : "ecdsa-sha256";
    return result;
}

std::string canonicalSignedInfo(std::string_view document, const std::string& name) {
    auto doc = xml::parseString(document, name);
    return exclusiveCanonical(doc.get(), signedInfoOf(doc.get(), name));
}

std::string assembleSignature(std::string_view document, std::string_view signatureValue, const std::string& name) {
    if (signatureValue.empty()) throw MalformedSignature(name + ": the signature value is empty");
    auto doc = xml::parseString(document, name);
    signedInfoOf(doc.get(), name);
    xmlNodeSetContent(only(signatureOf(xml::root(doc.get())), "SignatureValue"),
                      xml::x(encodeBase64(signatureValue).c_str()));
    return xml::serialize(doc.get());
}

} // namespace caseflow::signature
