// Small enhancements; every page works without them.
(function () {
  "use strict";
  // Bars in tables: widths carried by data attributes (inline styles are forbidden by CSP).
  document.querySelectorAll(".bar[data-width]").forEach(function (el) {
    el.style.width = Math.max(2, parseInt(el.dataset.width, 10)) * 0.08 + "rem";
  });

  // Commune suggestions from the API for inputs marked data-autocomplete="communes".
  function lastEntry(value) {
    var parts = value.split(/[,;]/);
    return parts[parts.length - 1].trim();
  }
  document.querySelectorAll('input[data-autocomplete="communes"]').forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var seen = {};
    input.addEventListener("input", function () {
      var term = lastEntry(input.value);
      if (input.dataset.go && seen[input.value]) {
        window.location.href = seen[input.value];
        return;
      }
      clearTimeout(timer);
      if (term.length < 2 || /\(\d[\dAB]\d{3}\)$/.test(term)) return;
      timer = setTimeout(function () {
        fetch("/api/v1/communes?limit=10&q=" + encodeURIComponent(term))
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) {
            var prefix = input.dataset.go ? "" : input.value.slice(0, input.value.length - lastEntry(input.value).length);
            list.innerHTML = "";
            data.results.forEach(function (c) {
              var option = document.createElement("option");
              option.value = prefix + c.name + " (" + c.code + ")";
              seen[option.value] = "/communes/" + c.code + "/";
              list.appendChild(option);
            });
          });
      }, 150);
    });
  });
})();
