// The library card page's service worker (scope /library): the card opens at once from the
// copy kept here, and with no signal at all once it has been shown; the copy is refreshed
// from the portal in the background each time. A page that is not the card (the login page,
// after a logout or an expired session) removes the copy. Logging out also clears it
// (Clear-Site-Data).
"use strict";

var CACHE = "library-card-v1";
var PAGE = "/library";
var ASSETS = ["/static/app.css", "/static/library.js", "/library/manifest.webmanifest", "/library/icon.svg"];

// Installed from the card page itself: keep the card at once, so that the very first visit
// is enough to open it later with no signal.
self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(ASSETS).then(function () { return refresh(cache, PAGE); });
  }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function refresh(cache, request) {
  return fetch(request).then(function (response) {
    var isCard = response.ok && !response.redirected && new URL(response.url).pathname === PAGE;
    if (isCard) {
      return cache.put(PAGE, response.clone()).then(function () { return response; });
    }
    return cache.delete(PAGE).then(function () { return response; });
  });
}

function cardPage(event, url) {
  return caches.open(CACHE).then(function (cache) {
    var fresh = refresh(cache, event.request);
    // A plain visit opens the kept copy at once; a visit after a change (?saved=1) waits
    // for the portal, so the change shows.
    if (url.search !== "") {
      return fresh.catch(function () { return cache.match(PAGE); });
    }
    return cache.match(PAGE).then(function (kept) {
      if (!kept) { return fresh; }
      event.waitUntil(fresh.catch(function () {}));
      return kept;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname === PAGE && request.mode === "navigate") {
    event.respondWith(cardPage(event, url));
  } else if (ASSETS.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(url.pathname).then(function (kept) {
        var fresh = fetch(request).then(function (response) {
          if (response.ok) { cache.put(url.pathname, response.clone()); }
          return response;
        });
        if (kept) { event.waitUntil(fresh.catch(function () {})); return kept; }
        return fresh;
      });
    }));
  }
});
