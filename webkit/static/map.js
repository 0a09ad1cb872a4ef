// The network map pans by dragging: a pointer pressed on the map and moved
// scrolls the card (zoomed drawings are larger than it; "fit" ones can be
// taller). A drag of more than a few pixels does not follow the box's link
// it started on. Scrolling, the zoom steps and the links work without it.
(function () {
  "use strict";
  var card = document.querySelector(".map-card");
  if (!card) {
    return;
  }
  var drag = null; // {id, x, y, left, top, moved}
  card.addEventListener("pointerdown", function (e) {
    if (e.button !== 0 || !e.isPrimary) {
      return;
    }
    drag = { id: e.pointerId, x: e.clientX, y: e.clientY, left: card.scrollLeft, top: card.scrollTop, moved: false };
  });
  card.addEventListener("pointermove", function (e) {
    if (!drag || e.pointerId !== drag.id) {
      return;
    }
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) > 4) {
      drag.moved = true;
      card.setPointerCapture(drag.id);
      card.classList.add("map-dragging");
    }
    if (drag.moved) {
      card.scrollLeft = drag.left - dx;
      card.scrollTop = drag.top - dy;
      e.preventDefault();
    }
  });
  function end(e) {
    if (!drag || e.pointerId !== drag.id) {
      return;
    }
    if (drag.moved) {
      card.classList.remove("map-dragging");
      // The click that ends a drag is not a click on a box.
      var swallow = function (c) { c.preventDefault(); c.stopPropagation(); };
      card.addEventListener("click", swallow, true);
      setTimeout(function () { card.removeEventListener("click", swallow, true); }, 0);
    }
    drag = null;
  }
  card.addEventListener("pointerup", end);
  card.addEventListener("pointercancel", end);
})();
