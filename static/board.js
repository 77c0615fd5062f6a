// The board: drag a member chip onto another team (or the unplaced tray) with SortableJS.
// A drop never saves: it posts the board's hidden form for a preview, which the user then
// confirms or cancels. Without this file every move works through the chip's buttons.
(function () {
  "use strict";

  function drop(event) {
    var chip = event.item;
    var to = event.to.dataset.target;
    if (event.from === event.to || !to) { return; }
    var form = document.getElementById("board-drop");
    if (!form) { return; }
    form.elements.action.value = to === "unplaced" ? "unplace" : "move";
    form.elements.student_id.value = chip.dataset.student;
    form.elements.from_team.value = chip.dataset.team || "";
    form.elements.from_version.value = chip.dataset.version || "";
    form.elements.target.value = to === "unplaced" ? "" : to;
    if (!chip.dataset.team) { form.elements.from_team.disabled = true; form.elements.from_version.disabled = true; }
    form.submit();
  }

  function makeSortable(root) {
    if (!window.Sortable || !root.querySelectorAll) { return; }
    var lists = root.querySelectorAll(".chip-list[data-droppable]");
    Array.prototype.forEach.call(lists, function (list) {
      if (list.dataset.sortableReady) { return; }
      list.dataset.sortableReady = "1";
      window.Sortable.create(list, {
        group: "board",
        sort: false,
        draggable: ".chip:not([data-locked])",
        filter: "a, button, summary, input, select",
        preventOnFilter: false,
        ghostClass: "chip-ghost",
        forceFallback: true,  // mouse and touch events, the same on every browser
        onEnd: drop
      });
    });
  }

  if (window.htmx) { window.htmx.onLoad(makeSortable); }
  else { document.addEventListener("DOMContentLoaded", function () { makeSortable(document); }); }
})();
