/* Installs the service worker for advisers, and forgets their kept forms when nobody is in.
 *
 * Loaded on every page (base.html). Its <script> tag carries data-service-worker (the worker's
 * URL) and data-user only for a logged-in adviser, who may record activities offline
 * (docs/decisions/0008-offline-activity-entry.md). Any other page — the login page after a
 * logout or an expired session, another role's pages — deletes the kept copies of the forms,
 * which show the adviser's name and list of people: a shared phone never shows them to the next
 * person. The queue of unsent entries (offline.js) is not deleted here: a session that expired
 * keeps it for its adviser's next login; an explicit logout erases it after saying how many
 * entries it holds (activities/offline_logout.js).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator) || !window.caches) {
    return;
  }
  var workerUrl = script.getAttribute("data-service-worker");
  var user = script.getAttribute("data-user");

  function forgetForms() {
    return window.caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        // relais-personal-v1: the adviser's recent people (activities.views.PERSONAL_CACHE).
        return name.indexOf("relais-pages-") === 0 || name === "relais-personal-v1";
      }).map(function (name) {
        return window.caches.delete(name);
      }));
    }).catch(function () { /* storage unavailable: nothing kept either */ });
  }

  if (!workerUrl || !user) {
    forgetForms();
    return;
  }
  // Every login passes through the login page, which forgot the previous adviser's forms.
  navigator.serviceWorker.register(workerUrl, {scope: "/"}).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    if (registration.active) {
      registration.active.postMessage({type: "keep-forms"});
    }
  }).catch(function () {
    /* no worker (private browsing, an old browser): the site works online as before */
  });
})();
