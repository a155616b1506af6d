/* After a failed submit, move the focus to the error summary (includes/error_summary.html),
   so that a screen reader announces it and a phone shows it, and make its links focus the
   field they name with its label in view. Without this script the summary is still there,
   at the top of the form, and its links still lead to the fields. */
(function () {
  "use strict";

  function focusSummary(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  function labelOf(field) {
    var group = field.closest("fieldset");
    if (group && (field.type === "radio" || field.type === "checkbox")) {
      return group.querySelector("legend") || group;
    }
    return (field.id && document.querySelector('label[for="' + CSS.escape(field.id) + '"]')) || field;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    labelOf(field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { focusSummary(document); });
  } else {
    focusSummary(document);
  }
  // A form re-rendered by htmx with its errors.
  document.addEventListener("htmx:afterSwap", function (event) { focusSummary(event.target); });
})();
