// The town app's service worker (rathaus/platform/portal/app.py).
// It keeps only the offline page and static files. Pages and API answers always come
// from the network and are never stored: nothing personal is readable offline,
// and nothing of one person is left on a shared phone after logging out.
"use strict";
const CONFIG = {{ config|safe }};

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CONFIG.cache).then(function (cache) {
      // Fetched without cookies: the offline page is the same for everyone.
      const offline = new Request(CONFIG.offline, { credentials: "omit" });
      return Promise.all([
        fetch(offline).then(function (response) { return cache.put(CONFIG.offline, response); }),
        cache.addAll(CONFIG.assets),
      ]);
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("rathaus-") === 0 && name !== CONFIG.cache;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf(CONFIG.static) === 0) {
    // Static files: from the cache, else from the network (and kept).
    event.respondWith(
      caches.open(CONFIG.cache).then(function (cache) {
        return cache.match(request).then(function (hit) {
          return hit || fetch(request).then(function (response) {
            if (response.ok && response.type === "basic") cache.put(request, response.clone());
            return response;
          });
        });
      })
    );
    return;
  }
  if (request.mode === "navigate") {
    // Pages: always the network; without one, the offline page.
    event.respondWith(
      fetch(request).catch(function () {
        return caches.open(CONFIG.cache).then(function (cache) { return cache.match(CONFIG.offline); });
      })
    );
  }
  // Everything else (API answers, downloads, files): the network, never stored.
});
