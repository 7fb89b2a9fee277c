// Installs the town app's service worker (portal/sw.js), which gives an offline page.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  var link = document.querySelector('link[rel="manifest"]');
  if (!link) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(link.getAttribute("data-service-worker"), { scope: "/" });
  });
})();
