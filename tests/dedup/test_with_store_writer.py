"""The dedup hooks called by the real StoreWriter (skipped while the store is unavailable)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from dedup_support import make_event

from newsevents.model import Article, DocError, Entity, Event
from newsevents.store import schema

writer_mod = pytest.importorskip("newsevents.store.writer")
engine_mod = pytest.importorskip("newsevents.store.engine")

BODY = " ".join(
    f"Paragraph {i} of an invented report describes shelling near the border town and the "
    f"efforts of rescue teams to reach the wounded before nightfall on day {i % 3}."
    for i in range(8)
)


@dataclass
class Coded:
    article: Article
    events: list[Event]
    error: DocError | None = None
    entities: list[Entity] = field(default_factory=list)


def test_store_writer_uses_dedup_hooks(tmp_path: Path) -> None:
    store = engine_mod.open_store(str(tmp_path / "t.db"))
    try:
        w = writer_mod.StoreWriter(store, None)
        d = dt.date(2024, 3, 5)
        docs = [
            Coded(Article(id="a", text=BODY, date=d, source="Wire"), [make_event("x1", doc_id="a", dead=12)]),
            Coded(Article(id="b", text="BREAKING\n" + BODY + "\nAll rights reserved.", date=d, source="Reprint"),
                  [make_event("x2", doc_id="b", dead=12)]),
            Coded(Article(id="c", text="A separate report in other words entirely.", date=d, source="Local"),
                  [make_event("x3", doc_id="c", dead=15, date=d + dt.timedelta(days=1))]),
        ]
        for doc in docs:
            assert w.write(doc).status == "stored"
        with store.connect() as conn:
            groups = conn.execute(
                sa.select(schema.articles.c.doc_id, schema.articles.c.article_id, schema.articles.c.dup_group)
                .order_by(schema.articles.c.doc_id)
            ).all()
            clusters = conn.execute(sa.select(schema.event_clusters)).all()
            cids = conn.execute(sa.select(schema.events.c.cluster_id).distinct()).scalars().all()
    finally:
        store.close()
    by_doc: dict[str, Any] = {g.doc_id: g for g in groups}
    assert by_doc["b"].dup_group == by_doc["a"].article_id
    assert by_doc["c"].dup_group == by_doc["c"].article_id
    assert len(clusters) == 1 and cids == [clusters[0].cluster_id]
    row = clusters[0]
    assert (row.num_mentions, row.num_articles, row.num_sources) == (3, 2, 2)
    assert [d["field"] for d in json.loads(row.disagreements)] == ["dead"]
