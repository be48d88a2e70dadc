// Small enhancements; every page works without them.
(function () {
  "use strict";
  // Bars in tables: widths carried by data attributes (inline styles are forbidden by CSP).
  document.querySelectorAll(".bar[data-width]").forEach(function (el) {
    el.style.width = Math.max(2, parseInt(el.dataset.width, 10)) * 0.08 + "rem";
  });

  // Filters that apply as soon as they change (a <noscript> button does it without JS).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) select.form.submit();
    });
  });

  // Suggestions from the API for inputs marked data-autocomplete: communes (entries
  // separated by commas, "Name (code)"; with data-go, choosing one opens its page) or the
  // bodies a request can go to (entries separated by semicolons, "Name [reference]"), or
  // the deployments a request is about ("Title [identifier]").
  var SOURCES = {
    communes: {
      url: "/api/v1/communes?limit=10&q=",
      separator: /[,;]/,
      complete: /\(\d[\dAB]\d{3}\)$/,
      label: function (c) { return c.name + " (" + c.code + ")"; },
      page: function (c) { return "/communes/" + c.code + "/"; }
    },
    // A commune, a department or an intercommunality ("Alpes-Maritimes (06)"): the
    // library's and the search's place filter.
    places: {
      url: "/api/v1/places?limit=10&q=",
      separator: /;/,
      complete: /\((?:\d[\dAB]\d{3}|\d{2,3}|2[AB]|\d{9})\)$/,
      label: function (p) { return p.name + " (" + p.code + ")"; }
    },
    bodies: {
      url: "/api/v1/bodies?limit=15&q=",
      separator: /;/,
      complete: /\]$/,
      label: function (b) { return b.name + " [" + b.reference + "]"; }
    },
    // Published deployments by title, "Title [identifier]" (a request's subject).
    deployments: {
      url: "/api/v1/deployments?limit=10&q=",
      separator: /;/,
      complete: /\]$/,
      label: function (d) { return d.title + " [" + d.slug + "]"; }
    }
  };
  document.querySelectorAll("input[data-autocomplete]").forEach(function (input) {
    var source = SOURCES[input.dataset.autocomplete];
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var seen = {};
    if (!source || !list) return;
    function lastEntry() {
      var parts = input.value.split(source.separator);
      return parts[parts.length - 1].trim();
    }
    input.addEventListener("input", function () {
      var term = lastEntry();
      if (input.dataset.go && seen[input.value]) {
        window.location.href = seen[input.value];
        return;
      }
      clearTimeout(timer);
      if (term.length < 2 || source.complete.test(term)) return;
      timer = setTimeout(function () {
        fetch(source.url + encodeURIComponent(term))
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) {
            // An answer to what was typed before (answers may come back out of order)
            // would list the suggestions of an older word: only the last one counts.
            if (term !== lastEntry()) return;
            var prefix = input.dataset.go ? "" : input.value.slice(0, input.value.length - lastEntry().length);
            list.innerHTML = "";
            data.results.forEach(function (item) {
              var option = document.createElement("option");
              option.value = prefix + source.label(item);
              if (source.page) seen[option.value] = source.page(item);
              list.appendChild(option);
            });
          });
      }, 150);
    });
  });
})();

// Document upload: one request per file, each with its progress bar.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.FormData) return;
  // Counted over every batch sent from this page: a second batch sent while the first is
  // still uploading adds its lines under the first's, which stay until they are answered.
  var remaining = 0;
  var added = 0;
  form.addEventListener("submit", function (event) {
    var input = form.querySelector('input[type="file"]');
    if (!input || !input.files.length) return;
    event.preventDefault();
    var list = document.getElementById("upload-progress");
    var refresh = list.querySelector("li.refresh");
    if (refresh) refresh.remove();
    var files = Array.prototype.slice.call(input.files);
    remaining += files.length;
    // Once every file is answered, a link shows the list again with the new documents
    // (the list under the form was the one before the upload).
    function answered() {
      remaining -= 1;
      if (remaining > 0 || !added) return;
      var item = document.createElement("li");
      item.className = "refresh";
      var link = document.createElement("a");
      // (The list's filters kept, not its page: the newest documents are on the first.)
      var params = new URLSearchParams(window.location.search);
      params.delete("page");
      var query = params.toString();
      link.href = window.location.pathname + (query ? "?" + query : "");
      link.textContent = form.dataset.refresh;
      item.appendChild(link);
      list.appendChild(item);
      // The list under the form said "no document yet" above the new ones: it says it
      // was read before the upload, with the same link.
      var empty = document.getElementById("documents-empty");
      if (empty) {
        empty.textContent = form.dataset.listStale + " ";
        var again = link.cloneNode(false);
        again.textContent = form.dataset.listReload;
        empty.appendChild(again);
      }
    }
    files.forEach(function (file) {
      var item = document.createElement("li");
      var bar = document.createElement("progress");
      bar.max = 100; bar.value = 0;
      var label = document.createElement("span");
      label.textContent = " " + file.name + " ";
      var status = document.createElement("span");
      item.appendChild(bar); item.appendChild(label); item.appendChild(status);
      list.appendChild(item);
      // Past the server's limit: said at once, in the page's language, and not sent (the
      // server would refuse it on its length and close the connection).
      if (form.dataset.maxBytes && file.size > parseInt(form.dataset.maxBytes, 10)) {
        item.className = "error";
        status.textContent = form.dataset.tooLarge;
        answered();
        return;
      }
      var data = new FormData(form);
      data.delete("files");
      data.append("files", file);
      if (files.length > 1) data.set("title", "");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total);
      });
      xhr.addEventListener("load", function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
        var result = (body.results || [])[0] || {};
        bar.value = 100;
        if (xhr.status !== 200 || result.error) {
          item.className = "error";
          status.textContent = result.error || Object.values(body.errors || {}).join(" ") ||
            (xhr.status === 413 ? form.dataset.tooLarge : xhr.statusText);
          // A reason that names the file itself ("vide.pdf est vide…") is not
          // preceded by the name a second time.
          if (result.error && result.error.indexOf(file.name) === 0) label.textContent = " ";
        } else if (!result.url) {
          // A copy of a document the sender may not open: said, not linked.
          status.textContent = result.message || form.dataset.duplicate;
        } else {
          var link = document.createElement("a");
          link.href = result.url;
          link.textContent = result.message || (result.duplicate ? form.dataset.duplicate : form.dataset.added);
          status.appendChild(link);
          if (!result.duplicate || result.places_added) added += 1;
        }
        answered();
      });
      xhr.addEventListener("error", function () {
        item.className = "error";
        status.textContent = form.dataset.failed;
        answered();
      });
      xhr.send(data);
    });
  });
})();

// A form that asks before it acts (removing an event): data-confirm holds the question.
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
