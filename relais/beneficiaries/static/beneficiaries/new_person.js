// « Nouvelle personne » inside the activity form (beneficiaries/includes/new_person.html).
// With htmx, the panel is shown and the link to the full creation page hidden; Enter in one
// of its fields creates the person instead of sending the activity. Offline, nothing is sent:
// the panel says how to record the activity anyway (ADR 0008).
(function () {
  if (window.relaisNewPerson) return; // one <script> per page
  window.relaisNewPerson = true;
  var OFFLINE = "Hors ligne : une nouvelle fiche ne peut être créée qu'avec le réseau. " +
    "Enregistrez l'activité pour une personne anonyme (profil ci-dessous), puis rattachez-la " +
    "à sa fiche depuis « Mes activités » une fois en ligne.";
  function offline(panel) {
    var note = panel.querySelector("[data-new-person-offline]");
    if (note) {
      note.textContent = OFFLINE;
      note.hidden = false;
    }
  }
  function setUp() {
    if (!window.htmx) return;
    document.querySelectorAll("[data-new-person]").forEach(function (panel) {
      panel.hidden = false;
      document.querySelectorAll("[data-new-person-link]").forEach(function (link) {
        link.hidden = true;
      });
      panel.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && event.target.tagName === "INPUT") {
          event.preventDefault();
          var button = panel.querySelector("[data-new-person-submit]");
          if (button) button.click();
        }
      });
      panel.addEventListener("htmx:beforeRequest", function (event) {
        if (navigator.onLine === false) {
          event.preventDefault();
          offline(panel);
        }
      });
      panel.addEventListener("htmx:sendError", function () { offline(panel); });
      panel.addEventListener("htmx:afterSwap", function () {
        // After a submit the page does not move: show what happened (created, or the errors).
        var news = panel.querySelector("[data-new-person-created], [data-new-person-errors]") ||
          panel.querySelector("[aria-invalid=true]");
        if (news) news.focus();
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
