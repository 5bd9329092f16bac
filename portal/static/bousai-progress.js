// 避難情報の配信状況: follow an alert's delivery while it is handed over (every 2 s until done).
(function () {
  "use strict";
  var table = document.querySelector("[data-progress]");
  if (!table || !window.fetch) { return; }
  var url = table.getAttribute("data-progress");
  function show(progress) {
    Array.prototype.forEach.call(table.querySelectorAll("[data-field]"), function (cell) {
      var value = cell.getAttribute("data-field").split(".").reduce(function (at, key) {
        return at === undefined ? undefined : at[key];
      }, progress);
      if (value !== undefined) { cell.textContent = String(value); }
    });
    table.setAttribute("data-done", progress.done ? "1" : "0");
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (progress) {
        if (progress) { show(progress); }
        if (!progress || !progress.done) { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  poll();
}());
