/* Shared helpers for the newsevents pages (no inline scripts: CSP default-src 'self'). */
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";

  function svg(tag, attrs, parent) {
    var el = document.createElementNS(SVGNS, tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) { el.setAttribute(k, String(attrs[k])); });
    }
    if (parent) { parent.appendChild(el); }
    return el;
  }

  function el(tag, attrs, text, parent) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status + " for " + url); }
        return r.json();
      });
  }

  function message(container, text, kind) {
    var p = el("p", { "class": "notice" + (kind ? " notice-" + kind : ""), role: "status" }, text);
    container.appendChild(p);
    return p;
  }

  var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd"];
  var QUAD = { "1": "#2f8f5b", "2": "#1f7a3d", "3": "#d08a1d", "4": "#c0392b" };

  window.NE = { svg: svg, el: el, getJSON: getJSON, message: message, PALETTE: PALETTE, QUAD: QUAD };

  /* keyboard: "/" focuses the page's search box unless the user is typing somewhere */
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var t = ev.target;
    var tag = t && t.tagName ? t.tagName.toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select" || (t && t.isContentEditable)) { return; }
    var box = document.querySelector("[data-search]");
    if (box) {
      ev.preventDefault();
      box.focus();
      if (box.select) { box.select(); }
    }
  });
})();
