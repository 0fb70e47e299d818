// Signing in the browser (docs/signatures.md, "Signing in the browser"): opens the signer's
// browser key file (from `caseflow signer add`) with WebCrypto alone, shows the server the
// certificate it holds, signs the canonical SignedInfo (of a care plan, a budget decision or a
// decision's countersignature: the form's data-prepare says which) the server hands back and posts only the
// signature value with the server's nonce.
//
// What must stay true: the private key is unwrapped straight into a non-extractable CryptoKey
// (unwrapKey: its bytes never reach this script), is never sent, never stored (no
// localStorage, no IndexedDB) and is dropped with the password as soon as the value is made;
// the key file and password fields have no name, so the form never posts them. Without
// WebCrypto the section stays hidden and the page's download/upload way remains.
"use strict";
(function () {
  var FORMAT = "caseflow-browser-key/1";

  function message(id) {
    var item = document.querySelector('#sign-messages [data-id="' + id + '"]');
    return item ? item.textContent : id;
  }

  function bytesOf(base64) {
    var text = atob(base64);
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  function base64Of(buffer) {
    var bytes = new Uint8Array(buffer);
    var text = "";
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text);
  }

  function SigningProblem(text) {
    this.text = text;
  }

  // The key file's private key as a CryptoKey that can sign and cannot be exported.
  async function openKey(file, password) {
    var keyFile;
    try {
      keyFile = JSON.parse(await file.text());
    } catch (error) {
      throw new SigningProblem(message("not-a-key"));
    }
    if (!keyFile || keyFile.format !== FORMAT || !keyFile.kdf || !keyFile.cipher || !keyFile.privateKey ||
        !keyFile.certificate)
      throw new SigningProblem(message("not-a-key"));
    var subtle = window.crypto.subtle;
    var secret = await subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveKey"]);
    var wrapping = await subtle.deriveKey(
      { name: "PBKDF2", hash: keyFile.kdf.hash, salt: bytesOf(keyFile.kdf.salt), iterations: keyFile.kdf.iterations },
      secret, { name: "AES-GCM", length: 256 }, false, ["unwrapKey"]);
    var algorithm = keyFile.algorithm === "ECDSA"
      ? { name: "ECDSA", namedCurve: keyFile.namedCurve }
      : { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    try {
      var key = await subtle.unwrapKey("pkcs8", bytesOf(keyFile.privateKey), wrapping,
        { name: "AES-GCM", iv: bytesOf(keyFile.cipher.iv), tagLength: keyFile.cipher.tagLength },
        algorithm, false, ["sign"]);
      return { key: key, certificate: keyFile.certificate, algorithm: keyFile.algorithm };
    } catch (error) {
      // AES-GCM's tag does not check: the password derived another key.
      throw new SigningProblem(message("wrong-password"));
    }
  }

  async function sign(form, status) {
    var fileField = document.getElementById("key-file");
    var passwordField = document.getElementById("key-password");
    if (!fileField.files || fileField.files.length === 0) throw new SigningProblem(message("no-file"));
    var opened = await openKey(fileField.files[0], passwordField.value);
    passwordField.value = "";

    var asked = new URLSearchParams(new FormData(form));
    asked.set("certificate", opened.certificate);
    var response = await fetch(form.dataset.prepare, { method: "POST", body: asked, credentials: "same-origin" });
    var answer = await response.json();
    if (!response.ok) throw new SigningProblem((answer.rule ? answer.rule + " " : "") + answer.error);

    var parameters = opened.algorithm === "ECDSA" ? { name: "ECDSA", hash: "SHA-256" } : { name: "RSASSA-PKCS1-v1_5" };
    // ECDSA gives r||s, which is XML Signature's ECDSA SignatureValue as it is.
    var value = await window.crypto.subtle.sign(parameters, opened.key, bytesOf(answer.signedInfo));
    opened = null; // the key goes with the page's last reference to it
    form.elements.nonce.value = answer.nonce;
    form.elements.signatureValue.value = base64Of(value);
    status.textContent = "";
    form.submit();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("sign-form");
    var section = document.getElementById("browser-signing");
    if (!form || !section) return;
    if (!window.crypto || !window.crypto.subtle || !window.fetch) {
      var fallback = document.querySelector(".fallback");
      if (fallback) fallback.insertAdjacentText("afterbegin", message("no-webcrypto") + " ");
      return;
    }
    section.hidden = false;
    var status = document.getElementById("sign-status");
    var busy = false;
    form.addEventListener("submit", function (event) {
      // A button that posts the form as it is (asking for a countersignature) signs nothing.
      if (event.submitter && event.submitter.dataset.plain) return;
      event.preventDefault();
      if (busy) return;
      busy = true;
      status.textContent = message("working");
      sign(form, status).catch(function (problem) {
        busy = false;
        status.textContent = problem instanceof SigningProblem ? problem.text : message("failed") + problem;
      });
    });
  });
})();
