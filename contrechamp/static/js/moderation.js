// Keyboard shortcuts of the moderation queue: j/k move between changes, a accepts,
// r puts the cursor in the reason for rejecting, e opens "edit then accept", x selects
// for a bulk action. Keys typed in a field are the field's, never a shortcut.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll("li.proposal"));
  if (!items.length) return;
  var current = 0;

  function select(index, scroll) {
    if (index < 0 || index >= items.length) return;
    items[current].classList.remove("current");
    current = index;
    var item = items[current];
    item.classList.add("current");
    if (scroll) {
      item.focus({ preventScroll: true });
      item.scrollIntoView({ block: "start" });
      if (history.replaceState) history.replaceState(null, "", "#" + item.id);
    }
  }

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  var start = location.hash ? items.findIndex(function (i) { return "#" + i.id === location.hash; }) : 0;
  select(start < 0 ? 0 : start, false);
  items.forEach(function (item, index) {
    item.addEventListener("focusin", function () { select(index, false); });
  });

  document.addEventListener("keydown", function (event) {
    // Ctrl+Enter (⌘+Enter) in a reason sends its form: rejecting stays on the keyboard.
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.form &&
        event.target.matches("textarea")) {
      event.preventDefault();
      event.target.form.requestSubmit();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
      if (event.key === "Escape" && typing(event.target)) event.target.blur();
      return;
    }
    var item = items[current];
    var target = null;
    switch (event.key) {
      case "j": select(current + 1, true); break;
      case "k": select(current - 1, true); break;
      case "a":
        target = item.querySelector("[data-key='a']");
        if (target) target.click();
        break;
      case "r":
        target = item.querySelector("[data-key='r']");
        if (target) target.focus();
        break;
      case "e":
        target = item.querySelector("[data-key='e']");
        if (target) target.click();
        break;
      case "x":
        target = item.querySelector("input[type='checkbox']");
        if (target) target.checked = !target.checked;
        break;
      default: return;
    }
    event.preventDefault();
  });
})();
