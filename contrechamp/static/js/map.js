// The map of France: department outlines served by the project, one marker per commune.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") return;
  var map = L.map(el, { zoomSnap: 0.5 }).setView([46.6, 2.4], 6);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(map);
  }
  fetch(el.dataset.outlines).then(function (r) { return r.json(); }).then(function (data) {
    L.geoJSON(data, { style: { color: "#777", weight: 1, fillColor: "#fff", fillOpacity: el.dataset.tiles ? 0 : 1 },
                      interactive: false }).addTo(map);
    map.fitBounds([[41.3, -5.2], [51.1, 9.6]]);
  });
  var markers = L.layerGroup().addTo(map);
  var select = document.getElementById("map-technology");
  var counter = document.getElementById("map-count");

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function load() {
    var url = el.dataset.points + (select.value ? "?technology=" + encodeURIComponent(select.value) : "");
    fetch(url).then(function (r) { return r.json(); }).then(function (data) {
      markers.clearLayers();
      data.features.forEach(function (f) {
        var p = f.properties;
        var html = '<strong><a href="' + p.url + '">' + escapeHtml(p.name) + "</a></strong><ul>" +
          p.deployments.map(function (d) { return '<li><a href="' + d.url + '">' + escapeHtml(d.title) + "</a></li>"; }).join("") + "</ul>";
        L.circleMarker([f.geometry.coordinates[1], f.geometry.coordinates[0]],
          { radius: 5 + Math.min(10, p.deployments.length * 2), color: "#a4161a", weight: 2, fillOpacity: 0.6,
            className: "commune-marker" })
          .bindPopup(html).bindTooltip(p.name).addTo(markers);
      });
      el.dataset.markers = String(data.features.length);
      // One commune, or none, in the singular (French: "0 commune", "1 commune").
      var n = data.features.length;
      var one = n === 1 || (n === 0 && document.documentElement.lang === "fr");
      counter.textContent = n + " " + (one ? el.dataset.countLabelOne : el.dataset.countLabel);
    });
  }
  select.addEventListener("change", function () {
    var params = new URLSearchParams(window.location.search);
    if (select.value) params.set("technology", select.value); else params.delete("technology");
    history.replaceState(null, "", "?" + params.toString());
    load();
  });
  load();
})();
