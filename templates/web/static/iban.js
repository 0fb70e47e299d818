// The IBAN field of the funding request form, checked as it is typed: the ISO 13616 mod-97
// check, computed here without sending anything anywhere. The server checks again (R15);
// this only tells the user sooner. The messages come translated from the page (hidden spans).
"use strict";
(function () {
  function validIban(typed) {
    var iban = typed.replace(/\s+/g, "").toUpperCase();
    if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/.test(iban)) return false;
    var moved = iban.slice(4) + iban.slice(0, 4);
    var remainder = 0;
    for (var i = 0; i < moved.length; i++) {
      var code = moved.charCodeAt(i);
      var digits = code >= 65 ? String(code - 55) : moved[i];
      for (var k = 0; k < digits.length; k++) remainder = (remainder * 10 + Number(digits[k])) % 97;
    }
    return remainder === 1;
  }
  function check() {
    var field = document.getElementById("iban");
    var note = document.getElementById("iban-check");
    if (!field || !note) return;
    if (field.value.trim() === "") {
      note.textContent = "";
      field.removeAttribute("aria-invalid");
      return;
    }
    var valid = validIban(field.value);
    note.textContent = document.getElementById(valid ? "iban-valid" : "iban-invalid").textContent;
    if (valid) field.removeAttribute("aria-invalid");
    else field.setAttribute("aria-invalid", "true");
  }
  document.addEventListener("DOMContentLoaded", function () {
    var field = document.getElementById("iban");
    if (!field) return;
    field.addEventListener("input", check);
    check();
  });
})();
