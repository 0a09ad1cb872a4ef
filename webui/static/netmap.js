// Network map: zoom with the wheel, pan by dragging, double-click to fit.
// The SVG fits the viewport by its viewBox; zoom and pan move the viewBox.
(function () {
  "use strict";
  var svg = document.getElementById("netmap");
  if (!svg) { return; }
  var full = svg.viewBox.baseVal;
  var fit = { x: full.x, y: full.y, w: full.width, h: full.height };
  var box = { x: fit.x, y: fit.y, w: fit.w, h: fit.h };
  function apply() { svg.setAttribute("viewBox", box.x + " " + box.y + " " + box.w + " " + box.h); }
  function point(ev) {
    var r = svg.getBoundingClientRect();
    return { x: box.x + (ev.clientX - r.left) / r.width * box.w, y: box.y + (ev.clientY - r.top) / r.height * box.h };
  }
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var p = point(ev);
    var k = ev.deltaY < 0 ? 0.85 : 1 / 0.85;
    var w = Math.min(Math.max(box.w * k, fit.w / 20), fit.w * 4);
    k = w / box.w;
    box = { x: p.x - (p.x - box.x) * k, y: p.y - (p.y - box.y) * k, w: box.w * k, h: box.h * k };
    apply();
  }, { passive: false });
  var drag = null;
  svg.addEventListener("pointerdown", function (ev) {
    if (ev.target.closest("a")) { return; }
    drag = { x: ev.clientX, y: ev.clientY, bx: box.x, by: box.y };
    svg.setPointerCapture(ev.pointerId);
    svg.classList.add("dragging");
  });
  svg.addEventListener("pointermove", function (ev) {
    if (!drag) { return; }
    var r = svg.getBoundingClientRect();
    var s = Math.max(box.w / r.width, box.h / r.height);
    box.x = drag.bx - (ev.clientX - drag.x) * s;
    box.y = drag.by - (ev.clientY - drag.y) * s;
    apply();
  });
  function end() { drag = null; svg.classList.remove("dragging"); }
  svg.addEventListener("pointerup", end);
  svg.addEventListener("pointercancel", end);
  svg.addEventListener("dblclick", function () { box = { x: fit.x, y: fit.y, w: fit.w, h: fit.h }; apply(); });
}());
