/* Stacked bar chart of event counts per period, drawn as SVG from /timeline.json. */
(function () {
  "use strict";
  var NE = window.NE;
  var fig = document.getElementById("timeline");
  if (!fig) { return; }
  var area = fig.querySelector(".chart-area");
  var legend = fig.querySelector(".chart-legend");

  /* an integer tick step (1, 2, 5 × 10^k) giving at most 5 ticks */
  function tickStep(v) {
    var raw = Math.max(1, v / 5), p = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) { if (steps[i] * p >= raw) { return steps[i] * p; } }
    return 10 * p;
  }

  function draw(data) {
    area.textContent = "";
    legend.textContent = "";
    if (!data.buckets.length) {
      NE.message(area, "No events to chart.");
      return;
    }
    var W = 1100, H = 380, m = { t: 16, r: 16, b: 48, l: 48 };
    var iw = W - m.l - m.r, ih = H - m.t - m.b;
    var n = data.buckets.length;
    var totals = data.buckets.map(function (_, i) {
      return data.series.reduce(function (s, se) { return s + se.counts[i]; }, 0);
    });
    var top = Math.max.apply(null, totals.concat([1]));
    var tick = tickStep(top), ymax = tick * Math.ceil(top / tick);
    var root = NE.svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img",
      "aria-label": "Events per " + data.interval + ", " + data.total + " in all" }, area);
    var g = NE.svg("g", { transform: "translate(" + m.l + "," + m.t + ")" }, root);
    var grid = NE.svg("g", { "class": "grid" }, g);
    for (var yv = 0; yv <= ymax; yv += tick) {
      var y = ih - ih * yv / ymax;
      NE.svg("line", { x1: 0, x2: iw, y1: y, y2: y }, grid);
      NE.svg("text", { x: -6, y: y + 4, "text-anchor": "end" }, g).textContent = String(yv);
    }
    var step = iw / n, bw = Math.max(1, step * 0.85);
    var colours = {};
    data.series.forEach(function (se, si) {
      colours[se.key] = data.by === "quad_class" ? (NE.QUAD[se.key] || NE.PALETTE[si % 16]) : NE.PALETTE[si % 16];
    });
    for (var i = 0; i < n; i++) {
      var y0 = ih;
      for (var s = 0; s < data.series.length; s++) {
        var se = data.series[s], c = se.counts[i];
        if (!c) { continue; }
        var h = ih * c / ymax;
        var r = NE.svg("rect", { "class": "bar", x: m.l * 0 + i * step + (step - bw) / 2, y: y0 - h,
          width: bw, height: Math.max(h, 0.5), fill: colours[se.key] }, g);
        NE.svg("title", null, r).textContent = data.buckets[i] + " · " + se.label + ": " + c;
        y0 -= h;
      }
    }
    NE.svg("line", { x1: 0, x2: iw, y1: ih, y2: ih, stroke: "#8895a3" }, g);
    var every = Math.max(1, Math.ceil(n / 10));
    for (var j = 0; j < n; j += every) {
      NE.svg("text", { x: j * step + step / 2, y: ih + 18, "text-anchor": "middle" }, g).textContent = data.buckets[j];
    }
    data.series.forEach(function (se) {
      var li = NE.el("li", null, null, legend);
      NE.el("span", { "class": "sw", "data-colour": colours[se.key] }, null, li).style.background = colours[se.key];
      li.appendChild(document.createTextNode(se.label + " (" + se.total + ")"));
    });
  }

  NE.getJSON(fig.getAttribute("data-source")).then(draw).catch(function (err) {
    NE.message(area, "Could not load the chart data: " + err.message, "error");
  });
})();
