// Sortable columns for every table.sortable and the operations filter. Without JavaScript the
// tables are simply shown in their generated order.
(function () {
  "use strict";
  function cellValue(row, column) {
    var cell = row.cells[column];
    if (!cell) return "";
    return cell.getAttribute("data-value") || cell.textContent.trim();
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var body = table.tBodies[0];
    table.querySelectorAll("thead th").forEach(function (header, column) {
      var numeric = header.getAttribute("data-sort") === "number";
      header.tabIndex = 0;
      header.classList.add("sort");
      function sort() {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, column), y = cellValue(b, column);
          var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" });
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      header.addEventListener("click", sort);
      header.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
  });
  var input = document.getElementById("operation-filter");
  var table = document.getElementById("operation-table");
  if (input && table) {
    var count = document.getElementById("operation-count");
    input.closest(".filter").hidden = false;
    function filter() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0, rows = table.tBodies[0].rows;
      for (var i = 0; i < rows.length; i++) {
        var text = rows[i].textContent.toLowerCase() + " " + (rows[i].cells[0].title || "").toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) >= 0; });
        rows[i].hidden = !match;
        if (match) shown++;
      }
      count.textContent = shown + " of " + rows.length;
    }
    input.addEventListener("input", filter);
    filter();
  }
})();
