// 入退室 pass: load a freshly signed QR code every 30 seconds, and at once when the phone
// comes back to this page (a code shown after a pause would soon expire).
(function () {
  "use strict";
  var img = document.getElementById("pass-qr");
  if (!img) { return; }
  var base = img.getAttribute("src");
  var status = document.getElementById("pass-updated");
  var refresh = function () {
    img.setAttribute("src", base + "&t=" + Date.now());
  };
  var stamp = function () {
    if (!status) { return; }
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    status.textContent = pad(now.getHours()) + ":" + pad(now.getMinutes()) + ":" + pad(now.getSeconds());
  };
  img.addEventListener("load", stamp);
  if (img.complete) { stamp(); }
  setInterval(function () {
    if (document.visibilityState === "visible") { refresh(); }
  }, 30000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { refresh(); }
  });
}());
