/* Relais service worker, version {{ version }} (docs/decisions/0008-offline-activity-entry.md).
 *
 * Served by relais.activities.views.service_worker at the site root, so its scope is the whole
 * site. It only makes the activity forms open without a network: the queue of unsent entries
 * lives in the page's script (static/activities/offline.js), which also replays it.
 *
 * - The static files the forms need are precached at install, in a cache named after this
 *   version: a deployment that changes one of them changes the version, hence this file, and
 *   the browser installs the new worker, which drops the old caches.
 * - The forms themselves (GET /activites/nouveau/, individual and collective) are fetched from
 *   the network first and kept; without a network, the kept copy answers. pwa.js asks for them
 *   at each visit of a logged-in adviser, and deletes the copy when nobody is logged in (a
 *   shared device never shows one adviser's form to the next person).
 * - The reference lists of the forms (themes, the adviser's places and recent people: the
 *   offline person search) are fetched network first and kept in PERSONAL_CACHE, a fixed name
 *   that logging out deletes (the only personal data kept here).
 * - Background Sync (Chromium): offline.js registers SYNC_TAG when it queues an entry; the
 *   `sync` event sends the queue from IndexedDB with a CSRF token fetched now (TOKEN_PATH), even
 *   with no Relais page open. The page still replays on load and on `online` (other browsers);
 *   both take the same Web Lock and re-read the queue inside it, and the server records one
 *   activity per key, so an entry is never stored nor announced twice.
 * - Any other page is left to the network; offline, a short page links to the forms.
 */
"use strict";

const VERSION = "{{ version }}";
const STATIC_CACHE = "relais-static-" + VERSION;
const PAGES_CACHE = "relais-pages-" + VERSION;
const PRECACHE = {{ precache|safe }};
const FORM_PATH = "{{ form_path|escapejs }}";
const COLLECTIVE = "{{ collective|escapejs }}";
const LISTS_PATH = "{{ lists_path|escapejs }}";
const TOKEN_PATH = "{{ token_path|escapejs }}";
const PERSONAL_CACHE = "{{ personal_cache|escapejs }}";
const SYNC_TAG = "relais-queue";
const REPLAY_LOCK = "relais-offline-replay"; // offline.js takes the same lock
const DB_NAME = "relais-offline";
const STORE = "activities";
// A weak connection can hang for a minute: past this delay the kept form answers.
const NETWORK_TIMEOUT_MS = 6000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names
          .filter((name) => name.startsWith("relais-") &&
            name !== STATIC_CACHE && name !== PAGES_CACHE && name !== PERSONAL_CACHE)
          .map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

// The key a form is kept under: its path and its kind, not the prefilled place or person.
function formKey(url) {
  if (url.origin !== self.location.origin || url.pathname !== FORM_PATH) {
    return null;
  }
  const kind = url.searchParams.get("kind") === COLLECTIVE ? "?kind=" + COLLECTIVE : "";
  return new URL(FORM_PATH + kind, self.location.origin).href;
}

async function keepForm(key, response) {
  // A redirect (to the login page, to a workshop's report) is not the form: never kept.
  if (response.ok && !response.redirected && response.type === "basic") {
    const cache = await caches.open(PAGES_CACHE);
    await cache.put(key, response.clone());
  }
  return response;
}

function withTimeout(promise, milliseconds) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), milliseconds);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error) => { clearTimeout(timer); reject(error); }
    );
  });
}

async function formFromNetworkOrKept(request, key) {
  const kept = await caches.match(key, {cacheName: PAGES_CACHE});
  // Only the blank form is kept: one prefilled for a workshop session (hidden field) or a
  // person must not come back as the blank form offline.
  const network = fetch(request).then(
    (response) => request.url === key ? keepForm(key, response) : response
  );
  try {
    return await (kept ? withTimeout(network, NETWORK_TIMEOUT_MS) : network);
  } catch (error) {
    if (kept) {
      return markedAsKept(kept);
    }
    return offlinePage();
  }
}

// offline.js cannot see where its page came from: the kept copy says it, so that a copy fetched
// on another day gets today's date instead of that day's.
async function markedAsKept(response) {
  const html = await response.text();
  return new Response(html.replace("data-offline-entry=", "data-kept-copy data-offline-entry="), {
    status: response.status,
    headers: response.headers,
  });
}

function offlinePage() {
  const cssUrl = PRECACHE.find((url) => url.endsWith(".css")) || "";
  const body = '<!doctype html><html lang="fr"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<title>Hors ligne · Relais</title>" +
    '<link rel="stylesheet" href="' + cssUrl + '"></head><body>' +
    '<main id="contenu" class="container"><h1>Pas de connexion</h1>' +
    "<p>Cette page n'est pas disponible hors ligne. Vous pouvez toujours saisir une activité : " +
    "elle sera envoyée au retour du réseau.</p>" +
    '<p><a href="' + FORM_PATH + '">Saisir un accompagnement</a></p>' +
    '<p><a href="' + FORM_PATH + "?kind=" + COLLECTIVE + '">Saisir un atelier collectif</a></p>' +
    "</main></body></html>";
  return new Response(body, {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
}

// The adviser's reference lists: from the network when there is one (and kept), else the copy.
async function keepLists(response) {
  const type = response.headers.get("Content-Type") || "";
  if (response.ok && !response.redirected && type.startsWith("application/json")) {
    const cache = await caches.open(PERSONAL_CACHE);
    await cache.put(new URL(LISTS_PATH, self.location.origin).href, response.clone());
  }
  return response;
}

async function listsFromNetworkOrKept(request) {
  try {
    return await withTimeout(fetch(request).then(keepLists), NETWORK_TIMEOUT_MS);
  } catch (error) {
    const kept = await caches.match(new URL(LISTS_PATH, self.location.origin).href,
      {cacheName: PERSONAL_CACHE});
    return kept || new Response("{}", {status: 503, headers: {"Content-Type": "application/json"}});
  }
}

async function staticFile(request) {
  const cached = await caches.match(request, {cacheName: STATIC_CACHE});
  if (cached) {
    return cached;
  }
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(STATIC_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return; // posts go to the network: offline.js queues what fails
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  const key = formKey(url);
  if (url.pathname === LISTS_PATH) {
    event.respondWith(listsFromNetworkOrKept(request));
  } else if (key && request.mode === "navigate") {
    event.respondWith(formFromNetworkOrKept(request, key));
  } else if (PRECACHE.includes(url.pathname)) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => offlinePage()));
  }
});

// pwa.js: keep the forms now (a logged-in adviser's visit), or forget them (nobody logged in).
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep-forms") {
    event.waitUntil(Promise.all(
      [FORM_PATH, FORM_PATH + "?kind=" + COLLECTIVE].map((path) => {
        const url = new URL(path, self.location.origin);
        return fetch(url, {credentials: "same-origin"})
          .then((response) => keepForm(formKey(url), response))
          .catch(() => null);
      }).concat([
        fetch(new URL(LISTS_PATH, self.location.origin), {credentials: "same-origin"})
          .then(keepLists)
          .catch(() => null),
      ])
    ));
  } else if (data.type === "forget-forms") {
    event.waitUntil(Promise.all([caches.delete(PAGES_CACHE), caches.delete(PERSONAL_CACHE)]));
  }
});

// --- Background Sync: the queue sent with no page open ------------------------------------------
function openQueue() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, {keyPath: "key"});
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function inStore(db, mode, action) {
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const result = action(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(result && result.result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

// Who is logged in, and a CSRF token of their session; null when nobody is (the entries wait).
async function sessionToken() {
  const response = await fetch(new URL(TOKEN_PATH, self.location.origin), {
    credentials: "same-origin",
    headers: {"Accept": "application/json"},
  });
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok || response.redirected || !type.startsWith("application/json")) {
    return null;
  }
  const data = await response.json();
  return data.csrf && data.user ? {user: String(data.user), csrf: data.csrf} : null;
}

async function sendEntry(entry, csrf) {
  const body = new FormData();
  entry.fields.forEach(([name, value]) => {
    if (name !== "csrfmiddlewaretoken") {
      body.append(name, value);
    }
  });
  body.append("csrfmiddlewaretoken", csrf);
  const response = await fetch(entry.action, {
    method: "POST",
    body: body,
    credentials: "same-origin",
    headers: {"Accept": "application/json", "X-CSRFToken": csrf, "X-Relais-Replay": "1"},
  });
  const type = response.headers.get("Content-Type") || "";
  if (!type.startsWith("application/json")) {
    return {kind: "stop"}; // the login page: the session ended meanwhile
  }
  const data = await response.json();
  if (response.ok && data.url) {
    return {kind: "recorded"};
  }
  if (response.status === 400 && data.errors) {
    return {kind: "refused", errors: data.errors};
  }
  return {kind: "stop"};
}

async function tellPages(message) {
  const pages = await self.clients.matchAll({type: "window"});
  pages.forEach((page) => page.postMessage(message));
}

// Sends the pending entries of the adviser logged in now. A network failure throws, so that
// the browser fires the sync again later; an expired session leaves the entries for the page.
async function sendQueue() {
  const token = await sessionToken();
  if (!token) {
    return;
  }
  const db = await openQueue();
  // Read inside the lock: entries the page sent meanwhile are gone from the store.
  const entries = (await inStore(db, "readonly", (store) => store.getAll())) || [];
  const pending = entries
    .filter((entry) => entry.user === token.user && entry.state === "pending")
    .sort((a, b) => a.savedAt - b.savedAt);
  let sent = 0;
  let refused = 0;
  try {
    for (const entry of pending) {
      const outcome = await sendEntry(entry, token.csrf);
      if (outcome.kind === "recorded") {
        await inStore(db, "readwrite", (store) => store.delete(entry.key));
        sent += 1;
      } else if (outcome.kind === "refused") {
        entry.state = "refused";
        entry.errors = outcome.errors;
        await inStore(db, "readwrite", (store) => store.put(entry));
        refused += 1;
      } else {
        break;
      }
    }
  } finally {
    db.close();
    if (sent || refused) {
      await tellPages({type: "queue-sent", sent: sent, refused: refused});
    }
  }
}

self.addEventListener("sync", (event) => {
  if (event.tag !== SYNC_TAG) {
    return;
  }
  const locks = self.navigator && self.navigator.locks;
  event.waitUntil(locks ? locks.request(REPLAY_LOCK, sendQueue) : sendQueue());
});
