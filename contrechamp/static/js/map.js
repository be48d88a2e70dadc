// The map of France: department outlines served by the project, one marker per commune,
// and one per intercommunality whose deployments name no commune of their own.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") return;
  // Leaflet's own zoom buttons are titled in English: these are in the page's language.
  var map = L.map(el, { zoomSnap: 0.5, zoomControl: false }).setView([46.6, 2.4], 6);
  L.control.zoom({ zoomInTitle: el.dataset.zoomIn, zoomOutTitle: el.dataset.zoomOut }).addTo(map);
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
  var listLink = document.getElementById("map-list-link");
  // A finger needs a larger target than a pointer (14 px circles were hard to hit).
  var base = window.matchMedia && window.matchMedia("(pointer: coarse)").matches ? 10 : 5;

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  // A circle is an SVG path, which the keyboard cannot reach: each one is made a button
  // named after its place (Tab reaches it, Enter or Space opens its list of deployments,
  // whose first link then takes the focus; Escape closes it and gives the focus back).
  function reachable(marker, label) {
    var path = marker.getElement();
    if (!path) return;
    path.setAttribute("tabindex", "0");
    path.setAttribute("role", "button");
    path.setAttribute("aria-label", label);
    path.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        marker.openPopup();
        var popup = marker.getPopup().getElement();
        var first = popup && popup.querySelector(".leaflet-popup-content a");
        if (first) first.focus();
      }
    });
    // (Once: the popup keeps its element from one opening to the next.)
    marker.once("popupopen", function (e) {
      e.popup.getElement().addEventListener("keydown", function (event) {
        if (event.key === "Escape") { marker.closePopup(); path.focus(); }
      });
    });
    // Closed by its "×" (or any way but Escape), the focus went nowhere: it comes back.
    marker.on("popupclose", function (e) {
      // (The popup fades out before it leaves the page: the focus inside it is moved
      // now, not once it is gone.)
      var popup = e.popup.getElement();
      var active = document.activeElement;
      if (!active || active === document.body || (popup && popup.contains(active))) path.focus();
    });
  }

  function load() {
    var url = el.dataset.points + (select.value ? "?technology=" + encodeURIComponent(select.value) : "");
    fetch(url).then(function (r) { return r.json(); }).then(function (data) {
      markers.clearLayers();
      var communes = 0;
      data.features.forEach(function (f) {
        var p = f.properties;
        var epci = p.kind === "intercommunality";
        if (!epci) communes += 1;
        var html = '<strong><a href="' + p.url + '">' + escapeHtml(p.name) + "</a></strong>" +
          (epci ? '<br><span class="meta">' + escapeHtml(el.dataset.epciLabel) + "</span>" : "") + "<ul>" +
          p.deployments.map(function (d) { return '<li><a href="' + d.url + '">' + escapeHtml(d.title) + "</a></li>"; }).join("") + "</ul>";
        var marker = L.circleMarker([f.geometry.coordinates[1], f.geometry.coordinates[0]],
          { radius: base + Math.min(10, p.deployments.length * 2), color: epci ? "#5c4d7d" : "#a4161a", weight: 2,
            fillOpacity: epci ? 0.25 : 0.6, dashArray: epci ? "4 3" : null,
            className: epci ? "epci-marker" : "commune-marker" })
          .bindPopup(html).bindTooltip(p.name).addTo(markers);
        reachable(marker, p.name + " — " + p.label);
      });
      el.dataset.markers = String(data.features.length);
      // One commune, or none, in the singular (French: "0 commune", "1 commune").
      var n = communes;
      var one = n === 1 || (n === 0 && document.documentElement.lang === "fr");
      var text = n + " " + (one ? el.dataset.countLabelOne : el.dataset.countLabel);
      var m = data.features.length - communes;
      if (m) text += ", " + m + " " + (m === 1 ? el.dataset.epciCountOne : el.dataset.epciCount);
      counter.textContent = text;
    });
  }
  select.addEventListener("change", function () {
    var params = new URLSearchParams(window.location.search);
    if (select.value) params.set("technology", select.value); else params.delete("technology");
    history.replaceState(null, "", "?" + params.toString());
    if (listLink) {
      var list = new URL(listLink.href, window.location.href);
      if (select.value) list.searchParams.set("technology", select.value); else list.searchParams.delete("technology");
      listLink.href = list.pathname + list.search;
    }
    load();
  });
  load();
})();
