// The person picker with JavaScript (forms.BeneficiaryPicker): htmx lists the names as one
// types; Enter and « Rechercher » search in place instead of sending the whole form, and
// choosing « Personne anonyme » forgets the name typed (else the server would pick by it).
(function () {
  if (window.relaisPicker) return; // one <script> per picker on the page
  window.relaisPicker = true;
  function setUp() {
    document.querySelectorAll("[data-picker]").forEach(function (picker) {
      var input = picker.querySelector('input[type="search"]');
      var button = picker.querySelector(".picker__button");
      if (!input || !window.htmx) return;
      function search(event) {
        event.preventDefault();
        window.htmx.trigger(input, "search");
      }
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") search(event);
      });
      if (button) button.addEventListener("click", search);
      picker.addEventListener("change", function (event) {
        if (event.target.type === "radio" && event.target.value === "") input.value = "";
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
