/* Progressive enhancement for the provenance site: the record filter on the index, and the
   highlight tooltips on article pages. Every page works without it. */
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  /* Index: filter the list of records as you type. */
  var filter = document.getElementById("filter");
  if (filter) {
    var items = document.querySelectorAll(".record-list li");
    var groups = document.querySelectorAll(".records .group");
    var count = document.getElementById("filter-count");
    var apply = function () {
      var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      each(items, function (li) {
        var text = li.getAttribute("data-filter");
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        li.hidden = !match;
        if (match) { shown += 1; }
      });
      each(groups, function (group) { group.hidden = !group.querySelector("li:not([hidden])"); });
      count.textContent = words.length ? shown + " of " + items.length + " records match" : "";
    };
    filter.closest(".filter").hidden = false;
    filter.addEventListener("input", apply);
    apply();
  }

  /* Article pages: name the records and fields a highlight supports, on hover and on focus. */
  var dataNode = document.getElementById("page-data");
  var tip = document.getElementById("tip");
  if (!dataNode || !tip) { return; }
  var data = JSON.parse(dataNode.textContent);
  var byEvidence = {};
  each(document.querySelectorAll("mark.seg"), function (mark) {
    mark.getAttribute("data-evidence-ids").split(" ").forEach(function (id) {
      (byEvidence[id] = byEvidence[id] || []).push(mark);
    });
    var link = mark.querySelector("a");
    if (link) {
      link.removeAttribute("title");  /* the tooltip below replaces it */
      link.setAttribute("aria-describedby", "tip");
    }
  });

  var shownFor = null;
  var extent = [];

  function clearExtent() {
    extent.forEach(function (m) { m.classList.remove("extent"); });
    extent = [];
  }

  function hide() {
    tip.hidden = true;
    shownFor = null;
    clearExtent();
  }

  function add(parent, tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (className) { node.className = className; }
    parent.appendChild(node);
    return node;
  }

  function show(mark) {
    if (mark === shownFor) { return; }
    shownFor = mark;
    clearExtent();
    var ids = mark.getAttribute("data-evidence-ids").split(" ");
    extent = byEvidence[ids[0]] || [];
    extent.forEach(function (m) { m.classList.add("extent"); });
    while (tip.firstChild) { tip.removeChild(tip.firstChild); }
    var seen = {};
    var list = document.createElement("ul");
    ids.forEach(function (id, index) {
      var evidence = data.evidence[id];
      var key = evidence[0] + "|" + (evidence[1] || "");
      if (seen[key]) { return; }
      seen[key] = true;
      var record = data.records[evidence[0]];
      var item = add(list, "li", "", index === 0 ? "first" : "");
      add(item, "span", record.table_title + ": ", "tip-table");
      add(item, "span", record.label, "tip-label");
      if (evidence[1]) { add(item, "span", " — field " + evidence[1], "tip-field"); }
    });
    var count = Object.keys(seen).length;
    add(tip, "p", mark.querySelector("a") ? "Enter or click opens the first; supports " + count + (count === 1 ? " record or field:" : " records and fields:") : "Supports:", "tip-head");
    tip.appendChild(list);
    tip.hidden = false;
    var rect = mark.getBoundingClientRect();
    var width = tip.offsetWidth;
    var height = tip.offsetHeight;
    var left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    var top = rect.bottom + 6;
    if (top + height > window.innerHeight && rect.top - height - 6 > 0) { top = rect.top - height - 6; }
    tip.style.left = (left + window.pageXOffset) + "px";
    tip.style.top = (top + window.pageYOffset) + "px";
  }

  document.addEventListener("mouseover", function (event) {
    var mark = event.target.closest ? event.target.closest("mark.seg") : null;
    if (mark) { show(mark); } else if (shownFor && !tip.contains(event.target)) { hide(); }
  });
  document.addEventListener("focusin", function (event) {
    var mark = event.target.closest ? event.target.closest("mark.seg") : null;
    if (mark) { show(mark); } else { hide(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hide(); }
  });
  window.addEventListener("scroll", function () { if (shownFor && document.activeElement !== shownFor.querySelector("a")) { hide(); } }, { passive: true });

  /* Arriving at #ev-...: mark the whole span, including any part beyond its element. */
  function target() {
    each(document.querySelectorAll("mark.targeted"), function (m) { m.classList.remove("targeted"); });
    var hash = decodeURIComponent(window.location.hash.slice(1));
    if (hash.indexOf("ev-") === 0) {
      (byEvidence[hash.slice(3)] || []).forEach(function (m) { m.classList.add("targeted"); });
    }
  }
  window.addEventListener("hashchange", target);
  target();
}());
