// Redaction review: drag over the page image to draw a box; the box is sent in PDF
// points through the "draw a box by hand" form (which also works without this script).
(function () {
  "use strict";
  var sheet = document.getElementById("sheet");
  var form = document.getElementById("draw-form");
  if (!sheet || !form) return;
  var width = parseFloat(sheet.dataset.width), height = parseFloat(sheet.dataset.height);
  var start = null, band = null;

  function point(event) {
    var area = sheet.getBoundingClientRect();
    var x = Math.min(Math.max(event.clientX - area.left, 0), area.width);
    var y = Math.min(Math.max(event.clientY - area.top, 0), area.height);
    return { x: x, y: y, w: area.width, h: area.height };
  }

  sheet.addEventListener("pointerdown", function (event) {
    if (event.target.classList.contains("box")) return;
    event.preventDefault();
    start = point(event);
    band = document.createElement("div");
    band.className = "box box-drawing";
    sheet.appendChild(band);
    sheet.setPointerCapture(event.pointerId);
  });

  sheet.addEventListener("pointermove", function (event) {
    if (!start) return;
    var now = point(event);
    band.style.left = Math.min(start.x, now.x) + "px";
    band.style.top = Math.min(start.y, now.y) + "px";
    band.style.width = Math.abs(now.x - start.x) + "px";
    band.style.height = Math.abs(now.y - start.y) + "px";
  });

  sheet.addEventListener("pointerup", function (event) {
    if (!start) return;
    var end = point(event), first = start;
    start = null;
    if (Math.abs(end.x - first.x) < 3 || Math.abs(end.y - first.y) < 3) {
      band.remove();
      return;
    }
    var scaleX = width / end.w, scaleY = height / end.h;
    var values = {
      x0: Math.min(first.x, end.x) * scaleX, y0: Math.min(first.y, end.y) * scaleY,
      x1: Math.max(first.x, end.x) * scaleX, y1: Math.max(first.y, end.y) * scaleY
    };
    Object.keys(values).forEach(function (name) {
      document.getElementById("draw-" + name).value = values[name].toFixed(1);
    });
    form.submit();
  });
})();
