// 図書館利用カード: keep the page for offline use (a service worker whose scope is /library), and
// keep the screen on while the barcode is shown at the counter.
(function () {
  "use strict";
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/library-sw.js", { scope: "/library" }).catch(function () {});
  }
  if (!document.getElementById("card-barcode") || !("wakeLock" in navigator)) { return; }
  var lock = null;
  var keepOn = function () {
    if (document.visibilityState !== "visible" || lock) { return; }
    navigator.wakeLock.request("screen").then(function (held) {
      lock = held;
      held.addEventListener("release", function () { lock = null; });
    }).catch(function () {});
  };
  keepOn();
  document.addEventListener("visibilitychange", keepOn);
}());
