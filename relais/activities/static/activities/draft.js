/* Keeps an unsent activity form in this browser until the server has recorded it.
 *
 * Progressive enhancement, no inline script (CSP): a form with data-draft-key is saved to
 * localStorage on every input and restored when the page opens again (after a failed send, a
 * closed tab, a lost connection). The hidden idempotency key is saved with it, so re-sending a
 * restored draft that had in fact reached the server returns the activity already recorded
 * instead of creating a second one. The activity page reached after a successful send carries
 * data-draft-clear + data-draft-id: the draft with that key is then removed. Drafts expire after
 * 12 hours so an old entry never resurfaces days later.
 */
(function () {
  "use strict";
  var MAX_AGE_MS = 12 * 60 * 60 * 1000;
  var KEY_FIELD = "idempotency_key";
  var store;
  try {
    store = window.localStorage;
    store.setItem("relais-probe", "1");
    store.removeItem("relais-probe");
  } catch (error) {
    return; // private browsing or storage disabled: the form still works, without drafts
  }

  function read(key) {
    try {
      var draft = JSON.parse(store.getItem(key));
      if (draft && draft.values && Date.now() - draft.savedAt <= MAX_AGE_MS) {
        return draft;
      }
    } catch (error) {
      /* unreadable: dropped below */
    }
    store.removeItem(key);
    return null;
  }

  document.querySelectorAll("[data-draft-clear]").forEach(function (element) {
    var key = element.getAttribute("data-draft-clear");
    var draft = read(key);
    var sent = element.getAttribute("data-draft-id");
    if (draft && (draft.values[KEY_FIELD] || [])[0] === sent) {
      store.removeItem(key);
    }
  });

  document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
    var key = form.getAttribute("data-draft-key");
    if (!key) {
      return;
    }
    var status = form.querySelector("[data-draft-status]");
    var discard = form.querySelector("[data-draft-discard]");

    function fields() {
      return Array.prototype.filter.call(form.elements, function (element) {
        return element.name && element.name !== "csrfmiddlewaretoken" &&
          ["submit", "button", "file", "reset"].indexOf(element.type) === -1;
      });
    }

    function save() {
      var values = {};
      fields().forEach(function (element) {
        var list = values[element.name] = values[element.name] || [];
        if (element.type === "checkbox" || element.type === "radio") {
          if (element.checked) {
            list.push(element.value);
          }
        } else if (element.tagName === "SELECT" && element.multiple) {
          Array.prototype.forEach.call(element.selectedOptions, function (option) {
            list.push(option.value);
          });
        } else {
          list.push(element.value);
        }
      });
      store.setItem(key, JSON.stringify({savedAt: Date.now(), values: values}));
    }

    function restore() {
      var draft = read(key);
      if (!draft) {
        return false;
      }
      fields().forEach(function (element) {
        var values = draft.values[element.name];
        if (!values) {
          return;
        }
        if (element.type === "checkbox" || element.type === "radio") {
          element.checked = values.indexOf(element.value) !== -1;
        } else if (element.tagName === "SELECT" && element.multiple) {
          Array.prototype.forEach.call(element.options, function (option) {
            option.selected = values.indexOf(option.value) !== -1;
          });
        } else if (values.length) {
          element.value = values.shift();
        }
      });
      return true;
    }

    // A form the server sent back with errors already holds the latest content.
    if (form.getAttribute("data-bound") !== "true" && restore()) {
      if (status) {
        status.textContent = "Saisie non envoyée restaurée : vérifiez-la puis enregistrez.";
        status.hidden = false;
      }
      if (discard) {
        discard.hidden = false;
        discard.addEventListener("click", function () {
          store.removeItem(key);
          window.location.reload();
        });
      }
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
  });
})();
