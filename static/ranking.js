// The ranking page: drag-and-drop ordering with SortableJS, saved by htmx, and focus kept
// where it was after htmx replaces the ranking region. Without this file the buttons work.
(function () {
  "use strict";
  var AREA = "ranking_area";
  var focusKey = null;

  function keyOf(el) {
    if (!el || el === document.body) { return null; }
    if (el.id) { return { id: el.id }; }
    if (el.name) { return { name: el.name, value: el.value }; }
    return null;
  }

  function findByKey(key) {
    if (key.id) {
      // An added opdracht loses its add button: land on its "in your ranking" mark.
      return document.getElementById(key.id) ||
        document.getElementById(key.id.replace(/^add_/, "added_"));
    }
    var selector = "[name='" + key.name + "'][value='" + key.value + "']";
    var el = document.querySelector("#" + AREA + " button" + selector);
    if (el && !el.disabled) { return el; }
    // The item reached the top or bottom: its other move button, else the list heading.
    var other = { up: "down", down: "up" }[key.name];
    if (other) {
      el = document.querySelector("#" + AREA + " button[name='" + other + "'][value='" + key.value + "']");
      if (el && !el.disabled) { return el; }
    }
    return document.getElementById("choices-title");
  }

  function makeSortable(root) {
    var lists = root.querySelectorAll ? root.querySelectorAll("[data-sortable]") : [];
    Array.prototype.forEach.call(lists, function (list) {
      if (list.dataset.sortableReady) { return; }
      list.dataset.sortableReady = "1";
      window.Sortable.create(list, {
        handle: ".drag-handle",
        animation: 150,
        ghostClass: "choice-ghost",
        onEnd: function (event) {
          if (event.oldIndex === event.newIndex) { return; }
          focusKey = null;
          // The hidden order inputs moved with their items: post the form as it now stands.
          window.htmx.trigger(list.closest("form"), "ranking-reorder");
        }
      });
    });
  }

  window.htmx.onLoad(makeSortable);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var area = document.getElementById(AREA);
    if (area && area.contains(event.detail.elt)) { focusKey = keyOf(document.activeElement); }
  });

  // A refused change (422) or a closed ranking (409) comes back as the ranking region
  // with its messages: show it instead of ignoring the response.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if ((status === 422 || status === 409) && target && target.id === AREA) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== AREA || !focusKey) { return; }
    var el = findByKey(focusKey);
    focusKey = null;
    if (el) { el.focus(); }
  });
})();
