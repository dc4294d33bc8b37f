"""The incremental cluster bookkeeping (cluster_state, cluster_sources) gives exactly what
recomputing every count from the stored mentions gives, and is rebuilt when missing."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

import sqlalchemy as sa
from dedup_support import MiniWriter, make_event

from newsevents.dedup import CountReport, disagreements
from newsevents.model import Event
from newsevents.store import schema

D = dt.date(2024, 3, 5)
QUALS = ["exact", "exact", "at_least", "about", "more_than", "up_to", "nearly"]
SOURCES = ["A", "B", "C", None]


def _feed(w: MiniWriter, n: int, seed: int, *, wipe_at: int | None = None) -> list[list[str]]:
    rng = random.Random(seed)
    bodies: list[str] = []
    out = []
    for i in range(n):
        if wipe_at is not None and i == wipe_at:  # a store whose clusters predate the bookkeeping
            w.conn.execute(schema.cluster_sources.delete())
            w.conn.execute(schema.cluster_state.delete())
        if bodies and rng.random() < 0.2:
            body = "Copied headline\n" + rng.choice(bodies)
        else:
            body = " ".join(f"w{rng.randrange(5000)}" for _ in range(80))
            bodies.append(body)
        evs = []
        for k in range(rng.choice([1, 1, 2, 3])):
            dead = rng.choice([None, 10, 12, 12, 15, 40])
            evs.append(
                make_event(
                    f"e{i}_{k}", date=D + dt.timedelta(days=rng.choice([0, 0, 1, 4])),
                    actor=rng.choice([("Israeli forces", "ISR", "MIL"), ("Israeli army", "ISR", "MIL"), None]),
                    dead=dead, qualifiers={"dead": rng.choice(QUALS)} if dead else None,
                    injured=rng.choice([None, None, 30, 31]),
                    reported_by=rng.choice([None, "ministry"]), confidence=rng.choice([0.5, 0.6, 0.9]),
                )  # fmt: skip
            )
        out.append(w.write(f"{i:040d}", body, evs, source=rng.choice(SOURCES)).cluster_ids)
    return out


def _recomputed(conn: sa.Connection, cid: str) -> dict[str, Any]:
    e, a = schema.events.c, schema.articles.c
    rows = conn.execute(
        sa.select(e.event_id, e.article_id, e.duplicate_article, e.record, a.source)
        .join(schema.articles, a.article_id == e.article_id)
        .where(e.cluster_id == cid)
    ).all()
    counted = {r.article_id: r.source for r in rows if not r.duplicate_article}
    reports: dict[str, list[CountReport]] = {}
    for r in rows:
        ev = Event.model_validate_json(r.record)
        for kind in ("dead", "injured", "arrested"):
            value = getattr(ev.size, kind)
            if value is not None:
                rb = ev.reported_by.name or ev.reported_by.text if ev.reported_by else None
                reports.setdefault(kind, []).append(
                    CountReport(value, ev.size.qualifiers.get(kind, "exact"), r.event_id, r.article_id,
                                r.source, rb, bool(r.duplicate_article))  # fmt: skip
                )
    return {
        "num_mentions": len(rows),
        "num_articles": len(counted),
        "num_sources": len({s for s in counted.values() if s is not None})
        + sum(1 for s in counted.values() if s is None),
        "disagreements": json.dumps(disagreements(reports), sort_keys=True),
    }


def test_counts_and_disagreements_equal_a_full_recount(conn: sa.Connection, writer: MiniWriter) -> None:
    _feed(writer, 60, seed=3)
    clusters = conn.execute(sa.select(schema.event_clusters)).all()
    assert any(r.num_mentions > 5 for r in clusters)
    assert any(r.disagreements != "[]" for r in clusters)
    for row in clusters:
        want = _recomputed(conn, row.cluster_id)
        got = {k: getattr(row, k) for k in want}
        assert got == want, row.cluster_id


def test_missing_bookkeeping_is_rebuilt_with_the_same_results(conn: sa.Connection) -> None:
    first = _feed(MiniWriter(conn), 40, seed=5)
    rows = conn.execute(sa.select(schema.event_clusters).order_by(schema.event_clusters.c.cluster_id)).all()
    engine = sa.create_engine("sqlite://")
    with engine.connect() as other:
        schema.metadata.create_all(other)
        assert _feed(MiniWriter(other), 40, seed=5, wipe_at=20) == first
        again = other.execute(sa.select(schema.event_clusters).order_by(schema.event_clusters.c.cluster_id)).all()
        n_state = other.execute(sa.select(sa.func.count()).select_from(schema.cluster_state)).scalar_one()
    engine.dispose()

    def norm(r: Any) -> tuple[Any, ...]:
        d = r._asdict()
        d["first_seen"] = d["first_seen"].replace(tzinfo=None)
        return tuple(d.items())

    assert [norm(r) for r in rows] == [norm(r) for r in again]
    assert n_state > 0
