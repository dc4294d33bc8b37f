"""Property tests: results do not depend on batch size or input order, and the same input gives
the same event ids, in the coder and in the store.

tests/test_pipeline.py already has: no crash on arbitrary Unicode with offsets slicing back
(test_arbitrary_unicode_never_crashes_and_offsets_slice, test_news_like_text_offsets_slice), same
ids for one fixed text twice (test_same_input_same_ids) and batch/process independence on the
sample files (test_code_many_independent_of_batching_and_processes). These extend them to random
orders, batch sizes and mixes of good and bad documents, and to the store.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rb_helpers import story
from sqlalchemy import select

from newsevents.ingest import ingest
from newsevents.model import Article
from newsevents.pipeline import CodedDoc, code_many
from newsevents.store import open_store
from newsevents.store import schema as s

pytestmark = [pytest.mark.model]

_NOISE = [
    "   ",
    "Министр встретился с коллегой в Москве в понедельник и обсудил перемирие на границе.",
    "12 34 56 -- ### $$$",
    "He said.",
    "Troops fired on demonstrators, killing 5 people. " * 20,
]
DOCS = [Article(id=f"d{n}", text=story(n), date=dt.date(2024, 3, 1 + n % 28)) for n in range(12)] + [
    Article(id=f"x{n}", text=text, date=dt.date(2024, 3, 5)) for n, text in enumerate(_NOISE)
]
_SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _key(result: CodedDoc) -> tuple[Any, ...]:
    error = (result.error.code, result.error.stage) if result.error else None
    return (error, [e.to_json_dict() for e in result.events], [x.model_dump(mode="json") for x in result.entities])


_REFERENCE: dict[str, tuple[Any, ...]] = {}


def _reference() -> dict[str, tuple[Any, ...]]:
    if not _REFERENCE:
        _REFERENCE.update({r.article.id: _key(r) for r in code_many(DOCS, batch_size=1)})
    return _REFERENCE


@_SETTINGS
@given(order=st.permutations(range(len(DOCS))), batch_size=st.integers(1, 7))
def test_results_independent_of_order_and_batch_size(order: list[int], batch_size: int) -> None:
    docs = [DOCS[i] for i in order]
    got = list(code_many(docs, batch_size=batch_size))
    assert [r.article.id for r in got] == [d.id for d in docs]  # input order kept
    want = _reference()
    for result in got:
        assert _key(result) == want[result.article.id], result.article.id
    for result in got:  # offsets slice back into the original text
        for event in result.events:
            trigger = event.evidence.trigger
            assert result.article.text[trigger.start : trigger.end] == trigger.text


@_SETTINGS
@given(order=st.permutations(range(len(DOCS))), batch_size=st.integers(1, 7))
def test_store_holds_the_same_event_ids_whatever_the_order(tmp_path: Path, order: list[int], batch_size: int) -> None:
    import json
    import uuid

    def stored(docs: list[Article], name: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
        source = tmp_path / f"{name}.jsonl"
        source.write_text("".join(json.dumps({"id": d.id, "text": d.text, "date": d.date.isoformat() if d.date else None}) + "\n" for d in docs),
                          encoding="utf-8")  # fmt: skip
        with open_store(str(tmp_path / f"{name}.db")) as store:
            ingest([str(source)], store, batch_size=batch_size, progress=False)
            with store.connect() as conn:
                events = {(r.event_id, r.article_id) for r in conn.execute(select(s.events.c.event_id, s.events.c.article_id))}
                fails = {(r.doc_id, r.code) for r in conn.execute(select(s.failures.c.doc_id, s.failures.c.code))}
        return events, fails

    tag = uuid.uuid4().hex[:8]
    first = stored(DOCS, f"a{tag}")
    second = stored([DOCS[i] for i in order], f"b{tag}")
    assert first == second
    assert first[0] and first[1]  # events, and failures (blank, Russian)
