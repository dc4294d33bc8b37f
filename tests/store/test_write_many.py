"""StoreWriter.write_many and ingest's batched commits: the same store as one transaction per document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, exc, select
from store_helpers import FAKE_HOOKS, Coded, FakeEngine, dump, fake_code

from newsevents.ingest import ingest
from newsevents.model import Article
from newsevents.store import DedupHooks, Store, StoreWriter, open_store
from newsevents.store import schema as s
from newsevents.store.writer import default_hooks

DAY = dt.date(2024, 3, 5)
_TEXTS = [
    "Russia attacked Kharkiv on Monday and officials met in Kyiv.",
    "Georgia protested in Tbilisi; police attacked the crowd near the parliament building.",
    "Qatar met Egypt in Doha to discuss the border crossing and the aid convoys.",
    "  Russia attacked   Kharkiv on Monday and officials met in Kyiv. ",  # the first one again
    "This document will FAIL in the coder.",
    "Georgia protested in Tbilisi; police attacked the crowd near the parliament building today.",
    "Nothing to code here.",
    "Kenya met Uganda in Nairobi and both protested against the tariffs.",
]


def _docs() -> list[Coded]:
    return [
        fake_code(Article(id=f"d{n}", text=text, date=DAY + dt.timedelta(days=n % 2), source=f"Wire {n % 3}"))
        for n, text in enumerate(_TEXTS)
    ]


def _outcomes(outcomes: Iterable[object]) -> list[tuple[object, ...]]:
    return [(o.status, o.article_id, o.n_events, o.error and o.error.code) for o in outcomes]  # type: ignore[attr-defined]


@pytest.mark.parametrize("hooks", ["real", "fake"])
@pytest.mark.parametrize("chunk", [2, 3, 8])
def test_write_many_stores_what_write_stores(store_url: str, tmp_path: Path, hooks: str, chunk: int) -> None:
    chosen = default_hooks() if hooks == "real" else FAKE_HOOKS
    docs = _docs()
    with open_store(str(tmp_path / "one-by-one.db")) as single:
        writer = StoreWriter(single, None, hooks=chosen)
        want = _outcomes(writer.write(doc, input_ref="in.jsonl") for doc in docs)
        expected = dump(single)
    with open_store(store_url) as batched:
        writer = StoreWriter(batched, None, hooks=chosen)
        got = []
        for start in range(0, len(docs), chunk):
            got += _outcomes(writer.write_many([(doc, "in.jsonl") for doc in docs[start : start + chunk]]))
        assert got == want
        assert dump(batched) == expected
    statuses = [w[0] for w in want]
    assert statuses.count("present") == 1 and statuses.count("failed") == 1


def _refusing(article_doc_id: str) -> DedupHooks:
    """Hooks that make one article's transaction fail the way a constraint violation does."""

    def assign_dup_group(conn: Connection, article_id: str, text: str) -> str:
        if text.startswith("Qatar"):
            raise exc.IntegrityError("INSERT ...", {}, Exception(f"{article_doc_id} refused"))
        return str(FAKE_HOOKS.assign_dup_group(conn, article_id, text))

    return DedupHooks(assign_dup_group=assign_dup_group, assign_cluster=FAKE_HOOKS.assign_cluster)


def test_write_many_falls_back_to_one_transaction_per_document(store: Store) -> None:
    docs = _docs()
    writer = StoreWriter(store, None, hooks=_refusing("d2"))
    outcomes = writer.write_many([(doc, "in.jsonl") for doc in docs[:4]])
    assert [o.status for o in outcomes] == ["stored", "stored", "failed", "present"]
    assert outcomes[2].error is not None and outcomes[2].error.code == "E410"
    with store.connect() as conn:
        doc_ids = set(conn.execute(select(s.articles.c.doc_id)).scalars())
        failures = conn.execute(select(s.failures.c.doc_id, s.failures.c.code)).all()
    assert doc_ids == {"d0", "d1"}
    assert [tuple(f) for f in failures] == [("d2", "E410")]


class _StoppingEngine(FakeEngine):
    """Codes a few documents, then fails the way a lost cluster does."""

    def __init__(self, stop_after: int) -> None:
        super().__init__()
        self.stop_after = stop_after

    def code(self, articles: Iterable[Article]) -> Iterator[Coded]:
        for n, coded in enumerate(super().code(articles)):
            if n == self.stop_after:
                raise RuntimeError("the engine stopped")
            yield coded


def _jsonl(path: Path) -> Path:
    import json

    path.write_text(
        "".join(json.dumps({"id": f"d{n}", "text": t, "date": DAY.isoformat()}) + "\n" for n, t in enumerate(_TEXTS)),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("commit_every", [1, 3, 32])
def test_ingest_commits_batches_and_keeps_what_was_coded_when_the_engine_fails(
    store: Store, tmp_path: Path, commit_every: int
) -> None:
    source = _jsonl(tmp_path / "in.jsonl")
    stopping = _StoppingEngine(5)
    with pytest.raises(RuntimeError, match="the engine stopped"):
        ingest([str(source)], store, engine=stopping, progress=False, hooks=FAKE_HOOKS,
               commit_every=commit_every)  # fmt: skip
    with store.connect() as conn:
        stored = set(conn.execute(select(s.articles.c.doc_id)).scalars())
        status = conn.execute(select(s.runs.c.status)).scalar_one()
    # every document coded before the engine stopped is stored (d4 fails; d3 repeats d0)
    coded = stopping.seen[:5]
    assert stored == {d for d in coded if d not in ("d3", "d4")}
    assert status == "failed"

    again = FakeEngine()
    summary = ingest([str(source)], store, engine=again, progress=False, hooks=FAKE_HOOKS, commit_every=commit_every)
    assert not stored & set(again.seen)  # what was stored is not coded again
    assert "d4" in again.seen  # the failed document is
    clean_path = tmp_path / "clean.db"
    with open_store(str(clean_path)) as clean:
        ingest([str(source)], clean, engine=FakeEngine(), progress=False, hooks=FAKE_HOOKS, commit_every=1)
        assert dump(store) == dump(clean)
    assert summary.failed == 1
