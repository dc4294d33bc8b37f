"""render_highlighted: every piece of text escaped, marks well nested, text preserved."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from webdata import build_docs

from newsevents.web.highlight import HighlightSpan, event_spans, render_highlighted


def _strip(markup: str) -> str:
    return html.unescape(re.sub(r"</?mark[^>]*>", "", markup))


def _well_nested(markup: str) -> bool:
    depth = 0
    for tag in re.findall(r"</?mark", markup):
        depth += 1 if tag == "<mark" else -1
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("a <b> c", [HighlightSpan("actor", 2, 5, "<b>")], 'a <mark class="hl hl-actor" data-kind="actor" data-span="0">&lt;b&gt;</mark> c'),
        ("abcdef", [HighlightSpan("sentence", 0, 6, "abcdef"), HighlightSpan("trigger", 2, 4, "cd")],
         '<mark class="hl hl-sentence" data-kind="sentence" data-span="0">ab<mark class="hl hl-trigger" data-kind="trigger" data-span="1">cd</mark>ef</mark>'),
        ("abcdef", [], "abcdef"),
        ("abc", [HighlightSpan("actor", 2, 9, "c")], "abc"),  # out of range: ignored
    ],
)
def test_render_cases(text: str, spans: list[HighlightSpan], expected: str) -> None:
    assert str(render_highlighted(text, spans)) == expected


def test_crossing_spans_are_split_and_stay_nested() -> None:
    text = "one two three"
    out = str(render_highlighted(text, [HighlightSpan("actor", 0, 7, "one two"), HighlightSpan("place", 4, 13, "two three")]))
    assert _well_nested(out)
    assert _strip(out) == text
    assert out.count('data-span="1"') == 2  # the place span is cut where the actor span ends


@given(
    st.text(alphabet=st.sampled_from("ab<>&\"' \n\u00e9\U0001f600"), max_size=30),
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30), st.sampled_from(["actor", "trigger", "place"])), max_size=6),
)
def test_render_preserves_text_and_escapes(text: str, raw: list[tuple[int, int, str]]) -> None:
    spans = [HighlightSpan(k, min(a, b), max(a, b), text[min(a, b) : max(a, b)]) for a, b, k in raw if a != b]
    out = str(render_highlighted(text, spans))
    assert _well_nested(out)
    assert _strip(out) == text
    assert "<" not in re.sub(r"</?mark[^>]*>", "", out)


def test_event_spans_match_the_text() -> None:
    for doc in build_docs():
        for event in doc.events:
            spans = event_spans(event, doc.article.text)
            assert {s.kind for s in spans} >= {"sentence", "trigger", "actor", "recipient", "date"}
            for s in spans:
                assert doc.article.text[s.start : s.end] == s.text
