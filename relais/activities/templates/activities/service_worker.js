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
 * - Any other page is left to the network; offline, a short page links to the forms.
 */
"use strict";

const VERSION = "{{ version }}";
const STATIC_CACHE = "relais-static-" + VERSION;
const PAGES_CACHE = "relais-pages-" + VERSION;
const PRECACHE = {{ precache|safe }};
const FORM_PATH = "{{ form_path|escapejs }}";
const COLLECTIVE = "{{ collective|escapejs }}";
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
            name !== STATIC_CACHE && name !== PAGES_CACHE)
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
  if (key && request.mode === "navigate") {
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
      })
    ));
  } else if (data.type === "forget-forms") {
    event.waitUntil(caches.delete(PAGES_CACHE));
  }
});
