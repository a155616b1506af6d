/* Offline activity entry: a form sent without a network waits on the phone, then is sent once.
 *
 * docs/decisions/0008-offline-activity-entry.md. Progressive enhancement, no inline script
 * (CSP): without IndexedDB or fetch the form posts as before. Loaded on an adviser's every page
 * (base.html); its <script> tag carries data-user, data-login-url and data-form-url.
 *
 * - A new-activity form (form[data-offline-entry]) is sent with fetch, asking for JSON. If the
 *   network fails (no connection, or the answer lost on the way back), the fields are stored in
 *   IndexedDB under the form's idempotency key, and the form is emptied for the next person.
 * - On every page load and on the `online` event, the entries of the logged-in adviser are
 *   sent again with a fresh CSRF token (read from a form page fetched now: this also proves the
 *   session is still open, and whose it is). The server records one activity per key, so an
 *   entry that had in fact reached the server is answered "already recorded", never doubled.
 * - An entry the server refuses (a French message per field) stays on the phone, shown with the
 *   messages and a button that puts it back into the form to fix it.
 * - Expired session: the entries stay and the adviser is asked to log in. Entries carry their
 *   adviser's id and are never shown nor sent under another account.
 * - Background Sync where the browser has it: queuing an entry registers SYNC_TAG, and the
 *   service worker sends the queue when the network returns, even with no page open. It takes
 *   the same Web Lock as replay() and tells the pages what it sent ("queue-sent").
 * - Offline person search: the picker's search (htmx, server side) is answered from the
 *   adviser's recent people kept by the service worker (PERSONAL_CACHE), accent-insensitive,
 *   from 2 letters, with the same line (birth year, commune, last visit) as online.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.indexedDB || !window.fetch || !window.FormData || !window.Promise) {
    return;
  }
  var user = script.getAttribute("data-user");
  var loginUrl = script.getAttribute("data-login-url");
  var formUrl = script.getAttribute("data-form-url");
  var KEY_FIELD = "idempotency_key";
  var DB_NAME = "relais-offline";
  var STORE = "activities";
  var KEPT = "Enregistré sur ce téléphone, sera envoyé au retour du réseau.";
  var KIND_LABELS = {individual: "Accompagnement", collective: "Atelier collectif"};
  var state = {note: "", noteKind: "info", needLogin: false, entries: []};
  var replaying = false;
  var SYNC_TAG = "relais-queue"; // the service worker's `sync` listener
  var PERSONAL_CACHE = "relais-personal-v1"; // activities.views.PERSONAL_CACHE
  var MIN_CHARS = 2; // beneficiaries.queries.PICKER_MIN_CHARS
  var LIMIT = 10; // beneficiaries.queries.PICKER_LIMIT

  // --- IndexedDB ------------------------------------------------------------------------------
  var dbPromise = new Promise(function (resolve, reject) {
    var request = window.indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = function () {
      request.result.createObjectStore(STORE, {keyPath: "key"});
    };
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });

  function withStore(mode, action) {
    return dbPromise.then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result = action(transaction.objectStore(STORE));
        transaction.oncomplete = function () { resolve(result && result.result); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function mine() {
    return withStore("readonly", function (store) { return store.getAll(); }).then(function (all) {
      return (all || []).filter(function (entry) { return entry.user === user; })
        .sort(function (a, b) { return a.savedAt - b.savedAt; });
    });
  }

  function keep(entry) {
    return withStore("readwrite", function (store) { return store.put(entry); });
  }

  function drop(key) {
    return withStore("readwrite", function (store) { return store.delete(key); });
  }

  // --- Talking to the server ------------------------------------------------------------------
  function isLoginPage(url) {
    try {
      return new URL(url, window.location.href).pathname === new URL(loginUrl, window.location.href).pathname;
    } catch (error) {
      return false;
    }
  }

  function send(action, fields, csrf, replay) {
    var body = new FormData();
    fields.forEach(function (pair) {
      if (pair[0] !== "csrfmiddlewaretoken") {
        body.append(pair[0], pair[1]);
      }
    });
    body.append("csrfmiddlewaretoken", csrf);
    var headers = {"Accept": "application/json", "X-CSRFToken": csrf};
    if (replay) {
      headers["X-Relais-Replay"] = "1";
    }
    return window.fetch(action, {method: "POST", body: body, headers: headers, credentials: "same-origin"})
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === 0) {
          return response.json().then(function (data) {
            if (response.ok && data.url) {
              return {kind: "recorded", url: data.url};
            }
            if (response.status === 400 && data.errors) {
              return {kind: "refused", errors: data.errors};
            }
            return {kind: "error"};
          });
        }
        if (isLoginPage(response.url)) {
          return {kind: "login"};
        }
        return {kind: response.status === 403 ? "forbidden" : "error"};
      }, function () {
        return {kind: "network"};
      });
  }

  // A CSRF token from a form page fetched now; null when the session is over or is another
  // account's (then nothing is sent).
  function freshToken() {
    return window.fetch(formUrl, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (response) {
        if (isLoginPage(response.url) || !response.ok) {
          return null;
        }
        return response.text().then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var tag = page.querySelector("script[data-user]");
          var input = page.querySelector("input[name=csrfmiddlewaretoken]");
          return tag && tag.getAttribute("data-user") === user && input ? input.value : null;
        });
      });
  }

  // --- What the adviser sees ------------------------------------------------------------------
  var main = document.querySelector("main");
  var box = document.createElement("div");
  box.className = "offline-status";
  box.setAttribute("role", "status");
  box.hidden = true;
  if (main) {
    main.insertBefore(box, main.firstChild);
  }
  var form = document.querySelector("form[data-offline-entry]");

  function plural(count, one, many) {
    // French: the singular for 0 and 1 (« 0 saisie envoyée »), as the server's catalog says.
    return count + " " + (count < 2 ? one : many);
  }

  function paragraph(text, kind) {
    var p = document.createElement("p");
    p.className = "message message--" + kind;
    p.textContent = text;
    box.appendChild(p);
    return p;
  }

  function render() {
    var pending = state.entries.filter(function (e) { return e.state === "pending"; });
    var refused = state.entries.filter(function (e) { return e.state === "refused"; });
    box.textContent = "";
    if (state.note) {
      paragraph(state.note, state.noteKind);
    }
    if (pending.length) {
      var waiting = paragraph(
        plural(pending.length, "saisie en attente d'envoi", "saisies en attente d'envoi") + ".",
        "warning"
      );
      if (state.needLogin) {
        waiting.appendChild(document.createTextNode(" Votre session est terminée : "));
        var link = document.createElement("a");
        link.href = loginUrl + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
        link.textContent = "connectez-vous pour les envoyer";
        waiting.appendChild(link);
        waiting.appendChild(document.createTextNode(" (elles restent sur ce téléphone)."));
      }
    }
    refused.forEach(function (entry) {
      var p = paragraph(entry.label + " non acceptée : " + entry.errors.map(function (error) {
        return (error.field ? error.field + " — " : "") + error.message;
      }).join(" ; "), "error");
      if (form && form.getAttribute("data-offline-entry") === entry.kind) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "link-button";
        button.textContent = "Reprendre cette saisie";
        button.addEventListener("click", function () { reopen(entry); });
        p.appendChild(document.createTextNode(" "));
        p.appendChild(button);
      }
    });
    box.hidden = !box.firstChild;
  }

  function refresh() {
    return mine().then(function (entries) {
      state.entries = entries;
      render();
    });
  }

  // --- Replaying the queue --------------------------------------------------------------------
  function replayNow() {
    return mine().then(function (entries) {
      var pending = entries.filter(function (e) { return e.state === "pending"; });
      if (!pending.length || navigator.onLine === false) {
        return;
      }
      return freshToken().then(function (csrf) {
        state.needLogin = !csrf;
        if (!csrf) {
          return;
        }
        var sent = 0;
        return pending.reduce(function (chain, entry) {
          return chain.then(function (stop) {
            if (stop) {
              return true;
            }
            return send(entry.action, entry.fields, csrf, true).then(function (outcome) {
              if (outcome.kind === "recorded") {
                sent += 1;
                return drop(entry.key).then(function () { return false; });
              }
              if (outcome.kind === "refused") {
                entry.state = "refused";
                entry.errors = outcome.errors;
                return keep(entry).then(function () { return false; });
              }
              state.needLogin = outcome.kind === "login" || outcome.kind === "forbidden";
              return true; // no network, or the server failed: the rest waits for next time
            });
          });
        }, Promise.resolve(false)).then(function () {
          if (sent) {
            state.note = plural(sent, "saisie envoyée", "saisies envoyées") + ".";
            state.noteKind = "success";
          }
        });
      }, function () { /* still no network */ });
    });
  }

  function replay() {
    if (replaying) {
      return Promise.resolve();
    }
    replaying = true;
    // Two tabs replaying at once would only be answered "already recorded"; a lock spares it.
    var run = navigator.locks && navigator.locks.request
      ? navigator.locks.request("relais-offline-replay", {ifAvailable: true}, function (lock) {
        return lock ? replayNow() : null;
      })
      : replayNow();
    return Promise.resolve(run).catch(function () { /* kept for next time */ }).then(function () {
      replaying = false;
      return refresh();
    });
  }

  // Background Sync (Chromium): the worker sends the queue when the network returns, even if the
  // adviser has closed Relais. Elsewhere the next visit or the `online` event sends it.
  function askForSync() {
    if (!("serviceWorker" in navigator)) {
      return;
    }
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.sync ? registration.sync.register(SYNC_TAG) : null;
    }).catch(function () { /* no sync: replay() on the next visit */ });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type !== "queue-sent") {
        return;
      }
      if (data.sent) {
        state.note = plural(data.sent, "saisie envoyée", "saisies envoyées") + ".";
        state.noteKind = "success";
      }
      refresh();
    });
  }

  // --- Offline person search ------------------------------------------------------------------
  function fold(text) {
    return (text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[-'\u2019\u2010\u2013_.]/g, " ").split(/\s+/).filter(Boolean);
  }

  var listsUrl = form ? form.getAttribute("data-offline-lists") : null;

  // The adviser's recent people as the service worker kept them (the page's own fetch would
  // fail offline); only this adviser's copy.
  function recentPeople() {
    if (!listsUrl || !window.caches) {
      return Promise.resolve([]);
    }
    var url = new URL(listsUrl, window.location.href).href;
    return window.caches.open(PERSONAL_CACHE).then(function (cache) {
      return cache.match(url);
    }).then(function (response) {
      return response ? response.json() : {};
    }).then(function (lists) {
      return String(lists.user) === user && lists.people ? lists.people : [];
    }).catch(function () { return []; });
  }

  function offlineSearch(input) {
    var target = document.querySelector(input.getAttribute("hx-target") || "");
    if (!target) {
      return;
    }
    var name = input.name.replace(/_q$/, "");
    var id = target.id.replace(/_results$/, "");
    var query = input.value.trim();
    var words = fold(query);
    recentPeople().then(function (people) {
      var found = words.join("").length < MIN_CHARS ? [] : people.filter(function (person) {
        return words.every(function (word) { return person.key.indexOf(word) !== -1; });
      });
      target.textContent = "";
      var status = document.createElement("p");
      status.className = "picker__status";
      status.id = id + "_status";
      if (!query) {
        status.textContent = "";
      } else if (words.join("").length < MIN_CHARS) {
        status.textContent = "Tapez au moins " + MIN_CHARS + " lettres.";
      } else if (!found.length) {
        status.textContent = "Hors ligne : aucune de vos personnes récentes ne correspond à « " +
          query + " ». Laissez « Personne anonyme » et rattachez la personne plus tard.";
      } else {
        status.textContent = "Hors ligne : " + plural(Math.min(found.length, LIMIT),
          "personne récente trouvée", "personnes récentes trouvées") + ".";
      }
      target.appendChild(status);
      if (!found.length) {
        return;
      }
      var options = document.createElement("div");
      options.className = "picker__options";
      found.slice(0, LIMIT).forEach(function (person) {
        var label = document.createElement("label");
        label.className = "picker__option";
        var radio = document.createElement("input");
        radio.type = "radio";
        radio.name = name;
        radio.value = String(person.id);
        var who = document.createElement("span");
        who.className = "picker__name";
        who.textContent = person.name;
        var meta = document.createElement("span");
        meta.className = "picker__meta";
        meta.textContent = person.meta;
        label.appendChild(radio);
        label.appendChild(document.createTextNode(" "));
        label.appendChild(who);
        label.appendChild(document.createTextNode(" "));
        label.appendChild(meta);
        options.appendChild(label);
      });
      target.appendChild(options);
    });
  }

  if (form && listsUrl) {
    // Offline, htmx's request to the server is not sent: the kept list answers instead. A
    // request that fails all the same (navigator.onLine can be wrong) falls back to it too.
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      var input = event.target;
      if (navigator.onLine === false && input.matches && input.matches("[data-picker] input[type=search]")) {
        event.preventDefault();
        offlineSearch(input);
      }
    });
    document.body.addEventListener("htmx:sendError", function (event) {
      var input = event.target;
      if (input.matches && input.matches("[data-picker] input[type=search]")) {
        offlineSearch(input);
      }
    });
  }

  // --- The form -------------------------------------------------------------------------------
  function today() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  // A blank form gets a new key each time it opens: a copy kept by the service worker carries
  // the key of the day it was fetched, and two entries must never share one.
  function freshForm() {
    var key = form.elements[KEY_FIELD];
    if (key && window.crypto && window.crypto.randomUUID) {
      key.value = window.crypto.randomUUID();
    }
    var date = form.elements.date;
    var renderedOn = form.getAttribute("data-rendered-on");
    if (form.hasAttribute("data-kept-copy") && date && renderedOn && date.value === renderedOn) {
      date.value = today(); // the service worker's copy, maybe fetched another day
    }
  }

  function fields() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") {
        pairs.push([name, value]);
      }
    });
    return pairs;
  }

  function french(isoDate) {
    var parts = (isoDate || "").split("-");
    return parts.length === 3 ? parts[2] + "/" + parts[1] + "/" + parts[0] : isoDate;
  }

  function keepOnPhone(pairs) {
    var values = {};
    pairs.forEach(function (pair) { values[pair[0]] = values[pair[0]] || pair[1]; });
    var kind = form.getAttribute("data-offline-entry");
    var entry = {
      key: values[KEY_FIELD],
      user: user,
      kind: kind,
      action: form.action,
      fields: pairs,
      label: (KIND_LABELS[kind] || "Activité") + " du " + french(values.date),
      savedAt: Date.now(),
      state: "pending",
      errors: []
    };
    return keep(entry).then(function () {
      askForSync();
      var draftKey = form.getAttribute("data-draft-key");
      if (draftKey) {
        try {
          window.localStorage.removeItem(draftKey); // the queue holds it now
        } catch (error) { /* no drafts either */ }
      }
      form.reset();
      form.querySelectorAll("[data-draft-status], [data-draft-discard]").forEach(function (el) {
        el.hidden = true;
      });
      freshForm();
      state.note = KEPT;
      state.noteKind = "info";
      return refresh();
    }).then(function () {
      box.scrollIntoView({block: "start"});
    });
  }

  function reopen(entry) {
    var values = {};
    entry.fields.forEach(function (pair) {
      (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
    });
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.name === "csrfmiddlewaretoken" || element.type === "submit") {
        return;
      }
      var list = values[element.name] || [];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = list.indexOf(element.value) !== -1;
      } else if (element.tagName === "SELECT" && element.multiple) {
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = list.indexOf(option.value) !== -1;
        });
      } else if (element.type !== "file") {
        element.value = list.length ? list[0] : "";
      }
    });
    form.dispatchEvent(new Event("change", {bubbles: true})); // draft.js keeps it from now on
    drop(entry.key).then(function () {
      state.note = "Saisie reprise dans le formulaire : corrigez-la puis enregistrez.";
      state.noteKind = "info";
      return refresh();
    }).then(function () {
      var first = form.querySelector("input:not([type=hidden]), select, textarea");
      if (first) {
        first.focus();
      }
    });
  }

  if (form) {
    if (form.getAttribute("data-bound") !== "true") {
      freshForm(); // before draft.js, which runs next and restores a draft's own key
    }
    var busy = false;
    form.addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.name) {
        return; // another button than « Enregistrer » (the person search without script)
      }
      event.preventDefault();
      if (busy) {
        return; // a second tap while the first is on its way
      }
      busy = true;
      var submit = form.querySelector("[type=submit]");
      if (submit) {
        submit.disabled = true;
      }
      var pairs = fields();
      var token = form.elements.csrfmiddlewaretoken ? form.elements.csrfmiddlewaretoken.value : "";
      var done = function () {
        busy = false;
        if (submit) {
          submit.disabled = false;
        }
      };
      var nativeSubmit = function () {
        HTMLFormElement.prototype.submit.call(form); // the server shows its page, as without JS
      };
      if (navigator.onLine === false) {
        keepOnPhone(pairs).then(done, done);
        return;
      }
      send(form.action, pairs, token, false).then(function (outcome) {
        if (outcome.kind === "forbidden") {
          // A kept copy of the form may hold an old token (a new login rotates it).
          return freshToken().then(function (csrf) {
            return csrf ? send(form.action, pairs, csrf, false) : {kind: "login"};
          }, function () { return {kind: "network"}; });
        }
        return outcome;
      }).then(function (outcome) {
        if (outcome.kind === "recorded") {
          window.location.assign(outcome.url);
        } else if (outcome.kind === "network" || outcome.kind === "login") {
          state.needLogin = outcome.kind === "login";
          keepOnPhone(pairs).then(done, done);
        } else {
          nativeSubmit(); // refused: the server's page shows the errors at their fields
        }
      });
    });
  }

  window.addEventListener("online", replay);
  replay();
})();
