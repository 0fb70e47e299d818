// What XmlSignature.cpp (signing whole documents with xmlsec) and DetachedSigning.cpp (signing
// in two steps, the signature value computed elsewhere) share about the one signature shape
// we make: the algorithm URIs and how to walk a ds:Signature. Internal to the signature
// module. What must stay true: both write and read exactly the same shape, so a signature
// assembled from a browser's value is the one `sign-file` would have written.
#pragma once

#include "signature/XmlSignature.h"

#include <cstring>
#include <vector>

namespace caseflow::signature::parts {

inline constexpr const char* kExclusiveC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
inline constexpr const char* kEnveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
inline constexpr const char* kSha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
inline constexpr const char* kRsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
inline constexpr const char* kEcdsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";

inline bool isDsig(const xmlNode* node, const char* localName) {
    return node && node->type == XML_ELEMENT_NODE && node->ns && node->ns->href &&
           std::strcmp(xml::c(node->ns->href), kDsigNamespace) == 0 &&
           (!localName || std::strcmp(xml::c(node->name), localName) == 0);
}

inline std::vector<xmlNode*> elementChildren(const xmlNode* parent) {
    std::vector<xmlNode*> found;
    for (xmlNode* child = parent ? parent->children : nullptr; child; child = child->next) {
        if (child->type == XML_ELEMENT_NODE) found.push_back(child);
    }
    return found;
}

// The first ds:`name` child of `parent`, or nullptr.
inline xmlNode* only(const xmlNode* parent, const char* name) {
    for (xmlNode* child : elementChildren(parent))
        if (isDsig(child, name)) return child;
    return nullptr;
}

// Our parser drops whitespace-only text when a stored document is read back; a signature that
// held some would change its canonical bytes on the way.
inline void removeBlankText(xmlNode* node) {
    for (xmlNode* child = node->children; child;) {
        xmlNode* next = child->next;
        if (child->type == XML_TEXT_NODE && xmlIsBlankNode(child)) {
            xmlUnlinkNode(child);
            xml::NodePtr removed(child);
        } else if (child->type == XML_ELEMENT_NODE) {
            removeBlankText(child);
        }
        child = next;
    }
}

} // namespace caseflow::signature::parts
