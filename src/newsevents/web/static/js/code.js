/* "Code this text": POST the pasted article to the API and show its events with highlights.
   The text is only ever inserted with text nodes (never innerHTML). */
(function () {
  "use strict";
  var NE = window.NE;
  var form = document.getElementById("code-form");
  if (!form) { return; }
  var status = document.getElementById("code-status");
  var result = document.getElementById("code-result");
  var out = document.getElementById("code-text-out");
  var tbody = document.querySelector("#code-events tbody");
  var ORDER = ["trigger", "actor", "recipient", "source", "date", "place", "count"];

  function spansOf(events, n) {
    var seen = {}, spans = [];
    function add(kind, start, end, label, eid) {
      if (start === null || start === undefined || end === null || end === undefined) { return; }
      if (!(start >= 0 && start < end && end <= n)) { return; }
      var key = kind + ":" + start + ":" + end;
      if (seen[key]) { seen[key].events.push(eid); return; }
      seen[key] = { kind: kind, start: start, end: end, label: label || "", events: [eid] };
      spans.push(seen[key]);
    }
    events.forEach(function (ev) {
      var id = ev.event_id;
      add("trigger", ev.evidence.trigger.start, ev.evidence.trigger.end, ev.event_type + " (" + ev.cameo + ")", id);
      (ev.actor || []).forEach(function (a) { add("actor", a.start, a.end, a.code || a.name, id); });
      (ev.recipient || []).forEach(function (a) { add("recipient", a.start, a.end, a.code || a.name, id); });
      if (ev.reported_by) { add("source", ev.reported_by.start, ev.reported_by.end, ev.reported_by.name, id); }
      if (ev.date) { add("date", ev.date.start, ev.date.end_char, ev.date.value, id); }
      if (ev.location) { add("place", ev.location.start, ev.location.end, ev.location.name, id); }
      ((ev.size && ev.size.counts) || []).forEach(function (c) { add("count", c.start, c.end, c.kind + " " + (c.value === null ? "" : c.value), id); });
    });
    spans.sort(function (a, b) {
      return a.start - b.start || b.end - a.end || ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind);
    });
    return spans;
  }

  function makeMark(span, index) {
    var m = document.createElement("mark");
    m.className = "hl hl-" + span.kind;
    m.setAttribute("data-kind", span.kind);
    m.setAttribute("data-span", String(index));
    m.setAttribute("data-events", span.events.join(" "));
    if (span.label) { m.title = span.kind + ": " + span.label; }
    return m;
  }

  /* offsets are Unicode code points (Python); index the text as an array of code points */
  function renderText(container, text, spans) {
    container.textContent = "";
    var chars = Array.from(text), n = chars.length;
    var bounds = {}; bounds[0] = true; bounds[n] = true;
    var starts = {};
    spans.forEach(function (s, i) {
      bounds[s.start] = true; bounds[s.end] = true;
      (starts[s.start] = starts[s.start] || []).push(i);
    });
    var cuts = Object.keys(bounds).map(Number).sort(function (a, b) { return a - b; });
    var stack = [];  // [{i, el}]
    function parent() { return stack.length ? stack[stack.length - 1].el : container; }
    for (var k = 0; k < cuts.length - 1; k++) {
      var pos = cuts[k], next = cuts[k + 1];
      var cut = -1;
      for (var d = 0; d < stack.length; d++) { if (spans[stack[d].i].end <= pos) { cut = d; break; } }
      if (cut >= 0) {
        var keep = stack.slice(cut).filter(function (o) { return spans[o.i].end > pos; });
        stack = stack.slice(0, cut);
        keep.forEach(function (o) {
          var m = makeMark(spans[o.i], o.i);
          parent().appendChild(m);
          stack.push({ i: o.i, el: m });
        });
      }
      (starts[pos] || []).forEach(function (i) {
        var m = makeMark(spans[i], i);
        parent().appendChild(m);
        stack.push({ i: i, el: m });
      });
      parent().appendChild(document.createTextNode(chars.slice(pos, next).join("")));
    }
  }

  function cell(row, text) { NE.el("td", null, text === null || text === undefined || text === "" ? "—" : text, row); }

  function show(text, data) {
    var events = Array.isArray(data) ? data : (data.events || []);
    var n = Array.from(text).length;
    renderText(out, text, spansOf(events, n));
    tbody.textContent = "";
    events.forEach(function (ev) {
      var tr = NE.el("tr", null, null, tbody);
      cell(tr, ev.event_type);
      cell(tr, ev.cameo + (ev.cameo_name ? " " + ev.cameo_name : ""));
      cell(tr, (ev.actor || []).map(function (a) { return a.text + (a.code ? " [" + a.code + "]" : ""); }).join("; "));
      cell(tr, (ev.recipient || []).map(function (a) { return a.text + (a.code ? " [" + a.code + "]" : ""); }).join("; "));
      cell(tr, ev.date ? ev.date.value : "");
      cell(tr, ev.location ? ev.location.name : "");
      cell(tr, ev.factuality + (ev.reported_by ? " (" + (ev.reported_by.name || ev.reported_by.text) + ")" : ""));
    });
    result.hidden = false;
    var msg = events.length + " event" + (events.length === 1 ? "" : "s") + " found.";
    if (data.error) { msg += " " + data.error.code + ": " + data.error.message; }
    status.textContent = msg;
  }

  function submit() {
    var text = document.getElementById("code-text").value;
    var date = document.getElementById("code-date").value;
    var token = document.getElementById("code-token").value;
    if (!text.trim()) { status.textContent = "Paste some text first."; return; }
    var body = { text: text };
    if (date) { body.date = date; }
    var headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (token) { headers.Authorization = "Bearer " + token; }
    status.textContent = "Coding…";
    form.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("data-endpoint"), { method: "POST", headers: headers, body: JSON.stringify(body), credentials: "same-origin" })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) {
          if (!r.ok) {
            var e = data && data.error ? data.error.code + ": " + data.error.message : "HTTP " + r.status;
            throw new Error(e);
          }
          show(text, data);
        });
      })
      .catch(function (err) { status.textContent = "Could not code the text (" + err.message + ")."; })
      .then(function () { form.removeAttribute("aria-busy"); });
  }

  form.addEventListener("submit", function (ev) { ev.preventDefault(); submit(); });
  document.getElementById("code-text").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); submit(); }
  });
})();
