/* Actor network: force layout (d3-force from npm when installed, else a circle), drawn as SVG. */
(function () {
  "use strict";
  var NE = window.NE;
  var fig = document.getElementById("network");
  if (!fig) { return; }
  var area = fig.querySelector(".chart-area");

  function draw(data) {
    area.textContent = "";
    if (!data.nodes.length) {
      NE.message(area, "No actor–recipient pairs to draw.");
      return;
    }
    var W = 1100, H = 700;
    var hasD3 = !!(window.d3 && window.d3.forceSimulation);
    if (!hasD3) { document.getElementById("network-vendor-missing").hidden = false; }
    var maxW = Math.max.apply(null, data.nodes.map(function (n) { return n.weight; }));
    var maxE = Math.max.apply(null, data.edges.map(function (e) { return e.weight; }).concat([1]));
    var nodes = data.nodes.map(function (n, i) {
      var a = 2 * Math.PI * i / data.nodes.length;
      return { id: n.id, weight: n.weight, r: 5 + 16 * Math.sqrt(n.weight / maxW),
        x: W / 2 + (W / 2 - 80) * Math.cos(a), y: H / 2 + (H / 2 - 60) * Math.sin(a) };
    });
    var byId = {};
    nodes.forEach(function (n) { byId[n.id] = n; });
    var links = data.edges.map(function (e) {
      return { source: byId[e.source], target: byId[e.target], weight: e.weight, conflict: e.conflict, goldstein: e.goldstein };
    });
    if (hasD3) {
      var d3 = window.d3;
      var sim = d3.forceSimulation(nodes)
        .force("link", d3.forceLink(links).distance(90).strength(function (l) { return 0.2 + 0.6 * l.weight / maxE; }))
        .force("charge", d3.forceManyBody().strength(-260))
        .force("collide", d3.forceCollide(function (n) { return n.r + 6; }))
        .force("x", d3.forceX(W / 2).strength(0.05))
        .force("y", d3.forceY(H / 2).strength(0.07))
        .stop();
      for (var t = 0; t < 300; t++) { sim.tick(); }
    }
    nodes.forEach(function (n) {
      n.x = Math.max(n.r + 4, Math.min(W - n.r - 4, n.x));
      n.y = Math.max(n.r + 4, Math.min(H - n.r - 14, n.y));
    });
    var root = NE.svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img",
      "aria-label": "Network of " + nodes.length + " actors and " + links.length + " relations" }, area);
    var defs = NE.svg("defs", null, root);
    ["coop", "conf"].forEach(function (k) {
      var mk = NE.svg("marker", { id: "arrow-" + k, viewBox: "0 0 10 10", refX: 10, refY: 5,
        markerWidth: 11, markerHeight: 11, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" }, defs);
      NE.svg("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: k === "coop" ? "#2f7fc1" : "#c0392b" }, mk);
    });
    var gl = NE.svg("g", { "class": "links" }, root);
    var gn = NE.svg("g", { "class": "nodes" }, root);
    var lines = links.map(function (l) {
      var kind = l.conflict * 2 > l.weight ? "conf" : "coop";
      var line = NE.svg("line", { "class": "link link-" + kind, stroke: kind === "coop" ? "#2f7fc1" : "#c0392b",
        "stroke-opacity": 0.55, "stroke-width": 1 + 5 * l.weight / maxE, "marker-end": "url(#arrow-" + kind + ")" }, gl);
      NE.svg("title", null, line).textContent = l.source.id + " → " + l.target.id + ": " + l.weight +
        " event" + (l.weight === 1 ? "" : "s") + ", mean Goldstein " + l.goldstein;
      return line;
    });
    var groups = nodes.map(function (n) {
      var g = NE.svg("g", { "class": "node", tabindex: 0, role: "button", "aria-label": n.id + ", " + n.weight + " events" }, gn);
      NE.svg("circle", { r: n.r, fill: "#4c6a8a" }, g);
      NE.svg("title", null, g).textContent = n.id + " (" + n.weight + " events)";
      var label = NE.svg("text", { "text-anchor": "middle", dy: n.r + 12 }, g);
      label.textContent = n.id.length > 28 ? n.id.slice(0, 27) + "…" : n.id;
      g.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          var key = data.level === "country" ? "country" : "actor";
          window.location.href = "/?" + key + "=" + encodeURIComponent(n.id);
        }
      });
      g.addEventListener("dblclick", function () {
        var key = data.level === "country" ? "country" : "actor";
        window.location.href = "/?" + key + "=" + encodeURIComponent(n.id);
      });
      return g;
    });

    function place() {
      links.forEach(function (l, i) {
        var dx = l.target.x - l.source.x, dy = l.target.y - l.source.y;
        var d = Math.sqrt(dx * dx + dy * dy) || 1;
        lines[i].setAttribute("x1", l.source.x + dx * l.source.r / d);
        lines[i].setAttribute("y1", l.source.y + dy * l.source.r / d);
        lines[i].setAttribute("x2", l.target.x - dx * (l.target.r + 2) / d);
        lines[i].setAttribute("y2", l.target.y - dy * (l.target.r + 2) / d);
      });
      nodes.forEach(function (n, i) { groups[i].setAttribute("transform", "translate(" + n.x + "," + n.y + ")"); });
    }
    place();
    /* zoom to the drawing: a few nodes should not sit tiny in the middle of the frame */
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    nodes.forEach(function (n) {
      x0 = Math.min(x0, n.x - n.r - 60); x1 = Math.max(x1, n.x + n.r + 60);
      y0 = Math.min(y0, n.y - n.r - 20); y1 = Math.max(y1, n.y + n.r + 24);
    });
    var bw = Math.max(x1 - x0, 480), bh = Math.max(y1 - y0, 300);
    var cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    if (bw / bh < W / H) { bw = bh * W / H; } else { bh = bw * H / W; }
    root.setAttribute("viewBox", [cx - bw / 2, cy - bh / 2, bw, bh].join(" "));

    /* drag nodes with the pointer */
    var dragging = null;
    function toSvg(ev) {
      var pt = root.createSVGPoint();
      pt.x = ev.clientX; pt.y = ev.clientY;
      return pt.matrixTransform(root.getScreenCTM().inverse());
    }
    groups.forEach(function (g, i) {
      g.addEventListener("pointerdown", function (ev) { dragging = nodes[i]; g.setPointerCapture(ev.pointerId); });
      g.addEventListener("pointermove", function (ev) {
        if (dragging !== nodes[i]) { return; }
        var p = toSvg(ev);
        dragging.x = p.x; dragging.y = p.y;
        place();
      });
      g.addEventListener("pointerup", function () { dragging = null; });
    });
    fig.setAttribute("data-rendered", String(nodes.length));
  }

  NE.getJSON(fig.getAttribute("data-source")).then(draw).catch(function (err) {
    NE.message(area, "Could not draw the network: " + err.message, "error");
  });
})();
