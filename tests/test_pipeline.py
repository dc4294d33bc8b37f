"""End-to-end behaviour of code() / code_many(): evidence offsets, determinism, failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsevents
from newsevents.model import Event

pytestmark = pytest.mark.model

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

GLUED = (
    "DOHA, March 5 - Qatar\u2019s foreign minister held talks with his Omani counterpart on Monday."
    "He condemned the Israeli air strikes on Gaza, which killed at least 42 people, according to "
    "the health ministry. Iran did not attack the tanker."
)


def _check_offsets(text: str, events: list[Event]) -> None:
    for e in events:
        assert text[e.evidence.start : e.evidence.end] == e.evidence.sentence
        trig = e.evidence.trigger
        assert text[trig.start : trig.end] == trig.text
        for a in [*e.actor, *e.recipient, *([e.reported_by] if e.reported_by else [])]:
            assert text[a.start : a.end] == a.text
        if e.date.text is not None and e.date.start is not None and e.date.end_char is not None:
            assert text[e.date.start : e.date.end_char] == e.date.text
        for c in e.size.counts:
            assert text[c.start : c.end] == c.text


def test_glued_story_codes_with_exact_offsets() -> None:
    events = newsevents.code(GLUED, date="2024-03-05", doc_id="glued")
    _check_offsets(GLUED, events)
    types = {e.event_type for e in events}
    assert "CONSULT" in types
    consult = next(e for e in events if e.event_type == "CONSULT")
    assert consult.actor[0].country == "QAT"
    assert consult.date.value.isoformat() == "2024-03-04"  # "on Monday" before Tuesday 5 March
    # the negated attack is not coded
    assert not any(e.evidence.trigger.text == "attack" for e in events)


def test_reported_casualties_carry_their_source() -> None:
    events = newsevents.code(GLUED, date="2024-03-05")
    reported = [e for e in events if e.reported_by is not None]
    assert reported
    assert any("ministry" in (e.reported_by.text if e.reported_by else "") for e in reported)


def test_same_input_same_ids() -> None:
    first = [e.event_id for e in newsevents.code(GLUED, date="2024-03-05", doc_id="a")]
    second = [e.event_id for e in newsevents.code(GLUED, date="2024-03-05", doc_id="a")]
    assert first == second
    assert len(set(first)) == len(first)


def test_code_many_independent_of_batching_and_processes() -> None:
    texts = [p.read_text("utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    docs = [{"id": f"s{n}", "text": t, "date": "2024-03-05"} for n, t in enumerate(texts)]
    one = [r.events for r in newsevents.code_many(docs, batch_size=1)]
    many = [r.events for r in newsevents.code_many(docs, batch_size=64)]
    parallel = [r.events for r in newsevents.code_many(docs, n_process=2, batch_size=2)]
    assert one == many == parallel
    assert sum(len(e) for e in one) > 10


def test_failing_document_does_not_stop_the_batch() -> None:
    docs = [{"id": "empty", "text": "   "}, {"id": "ok", "text": GLUED, "date": "2024-03-05"}]
    results = list(newsevents.code_many(docs))
    assert results[0].error is not None and results[0].error.code == "E006"
    assert results[1].error is None and results[1].events


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=300))
def test_arbitrary_unicode_never_crashes_and_offsets_slice(text: str) -> None:
    if not text.strip():
        return
    result = next(newsevents.code_many([{"id": "x", "text": text, "date": "2024-03-05"}]))
    if result.error is not None:  # the only accepted failure: "not English" (E009)
        assert result.error.code == "E009", result.error
        return
    _check_offsets(text, result.events)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "Israeli troops killed 12 Palestinians in Jenin on Monday.",
                "Iran\u2019s foreign minister met his Omani counterpart.",
                "He urged the UN to act.Protesters rallied in Tbilisi.",
                "The army did not attack the town.",
                "  \u201cWe will respond,\u201d Russia said.",
                "\u00a0Hamas fired 50 rockets at Israel, the army said.",
            ]
        ),
        min_size=1,
        max_size=5,
    ).map(" ".join)
)
def test_news_like_text_offsets_slice(text: str) -> None:
    _check_offsets(text, newsevents.code(text, date="2024-03-05"))
