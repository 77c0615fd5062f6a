// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Move focus to the main region after an htmx swap of a whole page, for screen readers.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "main") { target.focus(); }
  });
})();
