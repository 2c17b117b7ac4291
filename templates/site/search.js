// Search across plans, services, operations and shapes, from the index in search-index.js (no
// server). Results are built with textContent only: no text from a plan becomes markup.
(function () {
  "use strict";
  var entries = window.plansmithSearch;
  var nav = document.querySelector("header.top nav");
  if (!entries || !nav) return;
  // The search box is made here: without the script there is nothing to search with.
  var box = document.createElement("div");
  box.className = "search";
  var input = document.createElement("input");
  input.type = "search";
  input.id = "site-search";
  input.placeholder = "Search plans, operations, shapes\u2026";
  input.setAttribute("aria-label", "Search plans, operations and shapes");
  input.autocomplete = "off";
  var list = document.createElement("ul");
  list.id = "search-results";
  list.hidden = true;
  box.appendChild(input);
  box.appendChild(list);
  nav.appendChild(box);
  var root = document.body.getAttribute("data-root") || "";
  function item(entry) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = root + entry.h;
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = entry.k;
    var name = document.createElement("strong");
    name.textContent = entry.t;
    var detail = document.createElement("span");
    detail.className = "muted";
    detail.textContent = entry.d;
    a.appendChild(kind);
    a.appendChild(name);
    a.appendChild(detail);
    li.appendChild(a);
    return li;
  }
  function show() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!words.length) { list.hidden = true; return; }
    var found = [];
    for (var i = 0; i < entries.length; i++) {
      var name = entries[i].t.toLowerCase();
      var text = name + " " + entries[i].d.toLowerCase();
      if (!words.every(function (w) { return text.indexOf(w) >= 0; })) continue;
      var at = name.indexOf(words[0]);
      found.push([at === 0 ? (name === words[0] ? 0 : 1) : at > 0 ? 2 : 3, i]);
    }
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    found.slice(0, 20).forEach(function (f) { list.appendChild(item(entries[f[1]])); });
    if (!found.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "Nothing found";
      list.appendChild(none);
    }
    list.hidden = false;
  }
  input.addEventListener("input", show);
  // A link may carry a search: index.html?q=words.
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { input.value = query; show(); }
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; show(); }
    if (event.key === "Enter") {
      var first = list.querySelector("a");
      if (first) first.click();
    }
  });
})();
