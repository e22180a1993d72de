/* Small enhancements over pages that work without them:
   - on narrow screens the site menu folds behind a button;
   - each table cell learns its column's header, so narrow screens can show rows as
     cards (label: value) instead of squeezing a column to one character. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function foldMenu() {
    var button = document.querySelector(".menu-toggle");
    var menu = document.getElementById("site-menu");
    if (!button || !menu) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    });
  }

  // The header text of each column, a grouping row's text before its column's own.
  function columnLabels(table) {
    var labels = [];
    var rows = table.tHead ? table.tHead.rows : [];
    for (var r = 0; r < rows.length; r++) {
      var column = 0;
      for (var c = 0; c < rows[r].cells.length; c++) {
        var cell = rows[r].cells[c];
        var text = cell.textContent.replace(/\s+/g, " ").trim();
        for (var span = 0; span < (cell.colSpan || 1); span++, column++) {
          labels[column] = labels[column] && labels[column] !== text && text
            ? labels[column] + " · " + text : (text || labels[column] || "");
        }
      }
    }
    return labels;
  }

  function labelCells() {
    var tables = document.querySelectorAll("table.table");
    for (var t = 0; t < tables.length; t++) {
      var labels = columnLabels(tables[t]);
      if (!labels.length) { continue; }
      tables[t].classList.add("stacks");
      var bodies = tables[t].tBodies;
      for (var b = 0; b < bodies.length; b++) {
        for (var r = 0; r < bodies[b].rows.length; r++) {
          var column = 0, cells = bodies[b].rows[r].cells;
          for (var c = 0; c < cells.length; c++) {
            if (labels[column] && (cells[c].colSpan || 1) === 1) {
              cells[c].setAttribute("data-label", labels[column]);
            }
            column += cells[c].colSpan || 1;
          }
        }
      }
    }
  }

  function ready() { foldMenu(); labelCells(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
