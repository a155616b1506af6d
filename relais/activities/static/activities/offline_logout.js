/* Logging out clears the offline queue: nothing of one adviser stays on a shared phone.
 *
 * docs/decisions/0008-offline-activity-entry.md. Loaded on an adviser's pages (base.html); its
 * <script> tag carries data-user. The logout buttons are POST forms (form[data-logout]) that
 * work without JavaScript — then there is no queue either (it needs IndexedDB and fetch).
 *
 * On « Se déconnecter »: when this adviser's entries still wait on the phone (offline.js, the
 * IndexedDB store below), a dialog says how many will be erased, and offers to send them first
 * (when online: offline.js's replay, run by an `online` event) or to log out and erase them.
 * Logging out then deletes this adviser's entries and the service worker's personal caches
 * (the kept forms and the recent people, as pwa.js does on the next page), then posts the form.
 * Entries of another adviser (a session that expired, never logged out) are left for them.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var user = script && script.getAttribute("data-user");
  if (!user || !window.indexedDB || !window.Promise) {
    return;
  }
  var DB_NAME = "relais-offline"; // offline.js
  var STORE = "activities";
  var SEND_WAIT_MS = 20000; // the longest « Envoyer d'abord » waits for the queue to empty

  // The service worker's caches that hold personal data: the kept forms (relais-pages-*, with
  // the adviser's name and people) and the recent people (activities.views.PERSONAL_CACHE).
  function isPersonalCache(name) {
    return name.indexOf("relais-pages-") === 0 || name === "relais-personal-v1";
  }

  function openQueue() {
    return new Promise(function (resolve, reject) {
      var request = window.indexedDB.open(DB_NAME);
      request.onupgradeneeded = function () {
        // No queue on this phone yet: create the store as offline.js would (version 1).
        request.result.createObjectStore(STORE, {keyPath: "key"});
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, action) {
    return openQueue().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var request = action(transaction.objectStore(STORE));
        transaction.oncomplete = function () {
          db.close();
          resolve(request && request.result);
        };
        transaction.onerror = transaction.onabort = function () {
          db.close();
          reject(transaction.error);
        };
      });
    });
  }

  function mine() {
    return withStore("readonly", function (store) { return store.getAll(); }).then(function (all) {
      return (all || []).filter(function (entry) { return String(entry.user) === user; });
    });
  }

  function forget() {
    var queue = mine().then(function (entries) {
      return withStore("readwrite", function (store) {
        entries.forEach(function (entry) { store.delete(entry.key); });
      });
    });
    var caches = window.caches ? window.caches.keys().then(function (names) {
      return Promise.all(names.filter(isPersonalCache).map(function (name) {
        return window.caches.delete(name);
      }));
    }) : Promise.resolve();
    return Promise.all([queue, caches]);
  }

  // « 0 saisie », « 1 saisie », « 2 saisies »: French takes the singular below 2.
  function waiting(count) {
    return count < 2
      ? count + " saisie en attente d'envoi sera effacée de cet appareil."
      : count + " saisies en attente d'envoi seront effacées de cet appareil.";
  }

  function logOut(form) {
    var post = function () { HTMLFormElement.prototype.submit.call(form); };
    // Storage that does not answer must not keep the adviser logged in.
    Promise.race([forget(), new Promise(function (resolve) { setTimeout(resolve, 3000); })])
      .then(post, post);
  }

  var dialog = null;

  function button(text, className, onClick) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.textContent = text;
    element.addEventListener("click", onClick);
    return element;
  }

  function ask(form, count) {
    if (dialog) {
      dialog.remove();
    }
    dialog = document.createElement("dialog");
    dialog.className = "card logout-confirm";
    dialog.setAttribute("aria-labelledby", "logout-confirm-title");
    dialog.setAttribute("aria-describedby", "logout-confirm-text");
    var title = document.createElement("h2");
    title.id = "logout-confirm-title";
    title.textContent = "Se déconnecter ?";
    var text = document.createElement("p");
    text.id = "logout-confirm-text";
    text.textContent = waiting(count);
    var hint = document.createElement("p");
    hint.className = "hint";
    hint.setAttribute("role", "status");
    var online = navigator.onLine !== false;
    var one = count < 2;  // « la » for one entry, « les » from two
    hint.textContent = online
      ? (one ? "Envoyez-la d'abord pour la garder." : "Envoyez-les d'abord pour les garder.")
      : (one ? "Sans réseau, elle ne peut pas être envoyée maintenant."
        : "Sans réseau, elles ne peuvent pas être envoyées maintenant.");
    var actions = document.createElement("div");
    actions.className = "actions";
    if (online) {
      actions.appendChild(button("Envoyer d'abord", "button", function (event) {
        sendFirst(form, event.currentTarget, text, hint);
      }));
    }
    actions.appendChild(button("Se déconnecter et effacer", online ? "button button--secondary" : "button", function () {
      logOut(form);
    }));
    actions.appendChild(button("Annuler", "link-button", function () { dialog.close(); }));
    dialog.appendChild(title);
    dialog.appendChild(text);
    dialog.appendChild(hint);
    dialog.appendChild(actions);
    document.body.appendChild(dialog);
    if (dialog.showModal) {
      dialog.showModal();
    } else {
      dialog.setAttribute("open", "");
    }
    actions.firstChild.focus();
  }

  // offline.js replays its queue on `online`; once it is empty, log out. Entries the server
  // refused (or a network that fails again) stay: the adviser chooses again.
  function sendFirst(form, sendButton, text, hint) {
    sendButton.disabled = true;
    hint.textContent = "Envoi en cours…";
    window.dispatchEvent(new Event("online"));
    var started = Date.now();
    (function check() {
      mine().then(function (entries) {
        if (!entries.length) {
          hint.textContent = "Saisies envoyées. Déconnexion…";
          logOut(form);
        } else if (Date.now() - started > SEND_WAIT_MS || entries.every(function (e) { return e.state === "refused"; })) {
          text.textContent = waiting(entries.length);
          hint.textContent = "Envoi impossible pour l'instant : réessayez, ou reprenez les saisies " +
            "refusées sur la page « Nouvelle activité ».";
          sendButton.disabled = false;
        } else {
          setTimeout(check, 500);
        }
      }, function () {
        sendButton.disabled = false;
      });
    })();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-logout]")) {
      return;
    }
    event.preventDefault();
    mine().then(function (entries) {
      if (entries.length) {
        ask(form, entries.length);
      } else {
        logOut(form);
      }
    }, function () {
      logOut(form); // no storage: nothing queued either
    });
  });
})();
