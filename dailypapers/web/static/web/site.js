// Small behaviours for every page. Loaded as a file: the Content Security Policy allows no
// inline scripts or on* attributes, so pages mark elements with data-* and this wires them.
(function () {
  "use strict";

  function wire(root) {
    // <select data-autosubmit>: submit its form on change (the Filter button stays for no-JS).
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      if (select.dataset.wired) return;
      select.dataset.wired = "1";
      select.addEventListener("change", function () { select.form.requestSubmit(); });
    });
    // <button data-copy-target="ID">: copy the element's text. The Clipboard API needs a secure
    // context (https or localhost); say so otherwise.
    root.querySelectorAll("button[data-copy-target]").forEach(function (button) {
      if (button.dataset.wired) return;
      button.dataset.wired = "1";
      var label = button.textContent;
      button.addEventListener("click", function () {
        var text = document.getElementById(button.dataset.copyTarget).textContent;
        var done = function (message) {
          button.textContent = message;
          setTimeout(function () { button.textContent = label; }, 2000);
        };
        if (navigator.clipboard) {
          navigator.clipboard.writeText(text).then(function () { done("Copied"); }, function () { done("Copy failed"); });
        } else {
          done("Select and copy");
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:afterSwap", function (event) { wire(event.target); });
})();
