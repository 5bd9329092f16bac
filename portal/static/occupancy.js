// 混雑状況: follow the portal's event stream and update every center shown on the page.
(function () {
  "use strict";
  if (!window.EventSource || !document.querySelector("[data-center]")) { return; }
  var source = new EventSource("/kosodate/centers/events");
  source.addEventListener("occupancy", function (message) {
    var view;
    try { view = JSON.parse(message.data); } catch (e) { return; }
    var boxes = document.querySelectorAll("[data-center=\"" + view.center_id + "\"]");
    Array.prototype.forEach.call(boxes, function (box) {
      ["level_label", "families_in", "children_in", "updated_hm"].forEach(function (field) {
        var slot = box.querySelector("[data-field=\"" + field + "\"]");
        if (slot) { slot.textContent = String(view[field]); }
      });
      var level = box.querySelector(".level");
      if (level) {
        level.className = level.className.replace(/\blevel-[a-z_]+/, "level-" + view.level);
      }
      box.setAttribute("data-seq", String(view.seq));
    });
  });
}());
