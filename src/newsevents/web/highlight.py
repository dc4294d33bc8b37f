"""Evidence spans of events → highlighted, always-escaped HTML.

The article text is never inserted raw: the text is cut at every span boundary and each piece
is escaped on its own (:func:`markupsafe.escape`) before it is wrapped in ``<mark>`` elements.
Spans that nest become nested marks; a span that crosses the end of another is split in two
(both pieces carry the same ``data-span`` id), so the HTML is always well formed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from newsevents.model import Event

__all__ = ["KINDS", "HighlightSpan", "event_spans", "render_highlighted"]

KINDS: dict[str, str] = {
    "sentence": "evidence sentence",
    "trigger": "trigger",
    "actor": "actor",
    "recipient": "recipient",
    "source": "reported by",
    "date": "date",
    "place": "place",
    "count": "count",
}
"""Span kinds, in legend order, with the label the legend shows."""

_ORDER = {kind: i for i, kind in enumerate(KINDS)}


@dataclass(frozen=True, slots=True)
class HighlightSpan:
    """One span to mark: ``text == article_text[start:end]``."""

    kind: str
    start: int
    end: int
    text: str
    label: str = ""
    event_ids: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "label": self.label,
            "event_ids": list(self.event_ids),
        }


def _span(text: str, kind: str, start: int | None, end: int | None, label: str, event_id: str) -> HighlightSpan | None:
    if start is None or end is None or not 0 <= start < end <= len(text):
        return None
    return HighlightSpan(kind, start, end, text[start:end], label, (event_id,))


def event_spans(event: Event, text: str, *, with_sentence: bool = True) -> list[HighlightSpan]:
    """Every evidence span of one event, checked against ``text`` (bad offsets are dropped)."""
    eid = event.event_id
    found: list[HighlightSpan | None] = []
    if with_sentence:
        found.append(_span(text, "sentence", event.evidence.start, event.evidence.end, "evidence", eid))
    trig = event.evidence.trigger
    found.append(_span(text, "trigger", trig.start, trig.end, f"{event.event_type} ({event.cameo})", eid))
    for actor in event.actor:
        found.append(_span(text, "actor", actor.start, actor.end, actor.code or actor.name or "", eid))
    for actor in event.recipient:
        found.append(_span(text, "recipient", actor.start, actor.end, actor.code or actor.name or "", eid))
    if event.reported_by is not None:
        rb = event.reported_by
        found.append(_span(text, "source", rb.start, rb.end, rb.name or "", eid))
    found.append(_span(text, "date", event.date.start, event.date.end_char, event.date.value.isoformat(), eid))
    if event.location is not None:
        loc = event.location
        found.append(_span(text, "place", loc.start, loc.end, loc.name, eid))
    for count in event.size.counts:
        value = "" if count.value is None else str(count.value)
        found.append(_span(text, "count", count.start, count.end, f"{count.kind} {value}".strip(), eid))
    return [s for s in found if s is not None]


def merge_spans(spans: Iterable[HighlightSpan]) -> list[HighlightSpan]:
    """One span per (kind, start, end), with the event ids of every event that had it."""
    merged: dict[tuple[str, int, int], HighlightSpan] = {}
    for span in spans:
        key = (span.kind, span.start, span.end)
        old = merged.get(key)
        if old is None:
            merged[key] = span
        else:
            ids = old.event_ids + tuple(e for e in span.event_ids if e not in old.event_ids)
            merged[key] = HighlightSpan(old.kind, old.start, old.end, old.text, old.label, ids)
    return sorted(merged.values(), key=lambda s: (s.start, -s.end, _ORDER.get(s.kind, 99)))


def _open_tag(span: HighlightSpan, index: int) -> str:
    attrs = [
        f'class="hl hl-{escape(span.kind)}"',
        f'data-kind="{escape(span.kind)}"',
        f'data-span="{index}"',
    ]
    if span.label:
        attrs.append(f'title="{escape(KINDS.get(span.kind, span.kind))}: {escape(span.label)}"')
    if span.event_ids:
        attrs.append(f'data-events="{escape(" ".join(span.event_ids))}"')
    return "<mark " + " ".join(attrs) + ">"


def render_highlighted(text: str, spans: Sequence[HighlightSpan]) -> Markup:
    """``text`` as HTML with every span wrapped in ``<mark class="hl hl-KIND">``.

    Each stretch of text between two span boundaries is escaped separately, so no character of
    the article can become markup. Spans outside the text are ignored.
    """
    valid = [s for s in merge_spans(spans) if 0 <= s.start < s.end <= len(text)]
    bounds = sorted({0, len(text)} | {s.start for s in valid} | {s.end for s in valid})
    starts: dict[int, list[int]] = {}
    for i, s in enumerate(valid):
        starts.setdefault(s.start, []).append(i)
    out: list[str] = []
    stack: list[int] = []  # indexes into valid, outermost first
    for pos, nxt in zip(bounds, bounds[1:], strict=False):
        # close every mark that ends here; marks above it on the stack are closed and reopened
        ended = [depth for depth, i in enumerate(stack) if valid[i].end <= pos]
        if ended:
            cut = ended[0]  # the outermost mark that ends: close everything above and including it
            reopen = [i for i in stack[cut:] if valid[i].end > pos]
            out.append("</mark>" * (len(stack) - cut))
            stack = stack[:cut]
            for i in reopen:
                out.append(_open_tag(valid[i], i))
                stack.append(i)
        # open the marks that start here, longest first (valid is sorted that way)
        for i in starts.get(pos, []):
            out.append(_open_tag(valid[i], i))
            stack.append(i)
        out.append(str(escape(text[pos:nxt])))
    out.append("</mark>" * len(stack))
    return Markup("".join(out))
