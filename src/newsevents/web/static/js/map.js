/* Event places on an offline world map (world-atlas + topojson-client from npm), drawn as SVG.
   Without the npm files the points are drawn on a plain grid and the page says why. */
(function () {
  "use strict";
  var NE = window.NE;
  var fig = document.getElementById("map");
  if (!fig) { return; }
  var area = fig.querySelector(".chart-area");
  var W = 1000, H = 500;

  /* equirectangular projection: Natural Earth geometry is already cut at the antimeridian */
  function px(lon) { return (lon + 180) / 360 * W; }
  function py(lat) { return (90 - lat) / 180 * H; }

  function ringPath(ring) {
    var d = "";
    for (var i = 0; i < ring.length; i++) {
      d += (i ? "L" : "M") + px(ring[i][0]).toFixed(1) + " " + py(ring[i][1]).toFixed(1);
    }
    return d + "Z";
  }

  function geometryPath(geom) {
    if (!geom) { return ""; }
    var polys = geom.type === "Polygon" ? [geom.coordinates] : geom.type === "MultiPolygon" ? geom.coordinates : [];
    return polys.map(function (p) { return p.map(ringPath).join(""); }).join("");
  }

  function drawBase(root, world) {
    NE.svg("rect", { "class": "sphere", x: 0, y: 0, width: W, height: H }, root);
    var grat = NE.svg("g", { "class": "graticule" }, root);
    for (var lon = -150; lon <= 150; lon += 30) { NE.svg("line", { x1: px(lon), x2: px(lon), y1: 0, y2: H }, grat); }
    for (var lat = -60; lat <= 60; lat += 30) { NE.svg("line", { x1: 0, x2: W, y1: py(lat), y2: py(lat) }, grat); }
    if (!world) { return; }
    var land = NE.svg("g", { "class": "countries" }, root);
    var fc = window.topojson.feature(world, world.objects.countries);
    fc.features.forEach(function (f) {
      var p = NE.svg("path", { "class": "land", d: geometryPath(f.geometry) }, land);
      if (f.properties && f.properties.name) { NE.svg("title", null, p).textContent = f.properties.name; }
    });
    fig.setAttribute("data-countries", String(fc.features.length));
  }

  function drawPoints(root, data) {
    var g = NE.svg("g", { "class": "points" }, root);
    var max = Math.max.apply(null, data.points.map(function (p) { return p.count; }).concat([1]));
    data.points.slice().sort(function (a, b) { return b.count - a.count; }).forEach(function (p) {
      var conf = p.conflict * 2 > p.count;
      var c = NE.svg("circle", { "class": "point " + (conf ? "point-conf" : "point-coop"),
        cx: px(p.lon), cy: py(p.lat), r: 3 + 14 * Math.sqrt(p.count / max) }, g);
      NE.svg("title", null, c).textContent = p.place + (p.country ? " (" + p.country + ")" : "") + ": " +
        p.count + " event" + (p.count === 1 ? "" : "s");
    });
  }

  function render(data, world) {
    area.textContent = "";
    var root = NE.svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img",
      "aria-label": "Map of " + data.points.length + " event places" }, area);
    drawBase(root, world);
    drawPoints(root, data);
    fig.setAttribute("data-rendered", String(data.points.length));
  }

  function showMissing(text) {
    var note = document.getElementById("map-missing");
    if (!note) {
      note = NE.el("div", { id: "map-missing", "class": "notice notice-warn", role: "status" }, text);
      fig.parentNode.insertBefore(note, fig);
    }
  }

  var worldUrl = fig.getAttribute("data-world");
  NE.getJSON(fig.getAttribute("data-source")).then(function (data) {
    if (!worldUrl || !window.topojson) {
      if (worldUrl) { showMissing("The map library (topojson-client) did not load; countries are not drawn."); }
      render(data, null);
      return;
    }
    return NE.getJSON(worldUrl).then(function (world) { render(data, world); }, function () {
      showMissing("The offline world map could not be loaded; countries are not drawn. Run npm ci in src/newsevents/web.");
      render(data, null);
    });
  }).catch(function (err) {
    NE.message(area, "Could not draw the map: " + err.message, "error");
  });
})();
