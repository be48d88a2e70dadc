// Redaction review: drag over the page image to draw a box; the box is sent in PDF
// points through the "draw a box by hand" form (which also works without this script).
// While dragging, the box is an SVG rectangle of the overlay, in the same PDF points as
// the other boxes: geometry attributes, no style attribute (the site's CSP refuses them).
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var sheet = document.getElementById("sheet");
  var overlay = document.getElementById("boxes");
  var form = document.getElementById("draw-form");
  if (!sheet || !overlay || !form) return;
  var width = parseFloat(sheet.dataset.width), height = parseFloat(sheet.dataset.height);
  var start = null, band = null;

  // The pointer's position in PDF points of the page, kept inside the page.
  function point(event) {
    var area = overlay.getBoundingClientRect();
    var x = Math.min(Math.max(event.clientX - area.left, 0), area.width);
    var y = Math.min(Math.max(event.clientY - area.top, 0), area.height);
    return { x: x * width / area.width, y: y * height / area.height,
             px: x, py: y };
  }

  function place(first, now) {
    band.setAttribute("x", Math.min(first.x, now.x).toFixed(2));
    band.setAttribute("y", Math.min(first.y, now.y).toFixed(2));
    band.setAttribute("width", Math.abs(now.x - first.x).toFixed(2));
    band.setAttribute("height", Math.abs(now.y - first.y).toFixed(2));
  }

  sheet.addEventListener("pointerdown", function (event) {
    if (event.button !== 0 || event.target.closest("a")) return;  // a box: go to its row
    event.preventDefault();
    start = point(event);
    band = document.createElementNS(SVG, "rect");
    band.setAttribute("class", "box box-drawing");
    place(start, start);
    overlay.appendChild(band);
    sheet.setPointerCapture(event.pointerId);
  });

  sheet.addEventListener("pointermove", function (event) {
    if (start) place(start, point(event));
  });

  function cancel() {
    start = null;
    if (band) band.remove();
    band = null;
  }

  sheet.addEventListener("pointercancel", cancel);

  sheet.addEventListener("pointerup", function (event) {
    if (!start) return;
    var end = point(event), first = start;
    // A click or a tremor is not a box (three screen pixels either way).
    if (Math.abs(end.px - first.px) < 3 || Math.abs(end.py - first.py) < 3) {
      cancel();
      return;
    }
    start = null;
    var values = {
      x0: Math.min(first.x, end.x), y0: Math.min(first.y, end.y),
      x1: Math.max(first.x, end.x), y1: Math.max(first.y, end.y)
    };
    Object.keys(values).forEach(function (name) {
      document.getElementById("draw-" + name).value = values[name].toFixed(1);
    });
    form.submit();
  });
})();
