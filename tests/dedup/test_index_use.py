"""Every dedup query is an index search: checked with SQLite's EXPLAIN QUERY PLAN."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from dedup_support import MiniWriter, make_event

from newsevents.store import schema

_SEARCH = re.compile(r"\bSEARCH (\w+) USING (?:COVERING |INTEGER PRIMARY KEY|PRIMARY KEY|INDEX)")


@pytest.fixture
def lite() -> Iterator[sa.Connection]:
    engine = sa.create_engine("sqlite://")
    with engine.connect() as c:
        schema.metadata.create_all(c)
        yield c
    engine.dispose()


def _plans(conn: sa.Connection, work: Any) -> list[tuple[str, list[str]]]:
    seen: list[tuple[str, Any]] = []

    def capture(_c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    sa.event.listen(conn, "before_cursor_execute", capture)
    try:
        work()
    finally:
        sa.event.remove(conn, "before_cursor_execute", capture)
    raw = conn.connection.dbapi_connection
    assert raw is not None
    out = []
    for statement, params in seen:
        cur = raw.cursor()
        rows = cur.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall()
        out.append((statement, [str(r[-1]) for r in rows]))
    return out


def test_dedup_queries_never_scan_a_table(lite: sa.Connection) -> None:
    w = MiniWriter(lite)
    body = " ".join(f"word{i}" for i in range(120))

    def work() -> None:
        for i in range(4):
            w.write(
                f"{i:040d}", body if i % 2 else f"story {i} " * 30,
                [make_event(f"e{i}", dead=10 + i, date=dt.date(2024, 3, 5 + i % 2)),
                 make_event(f"c{i}", "CONSULT", "040", actor=("Russia", "RUS", "GOV"),
                            recipient=("China", "CHN", "GOV"))],
                source=f"S{i}",
            )

    plans = _plans(lite, work)
    assert len(plans) > 20
    used_cluster_key = False
    for statement, lines in plans:
        for line in lines:
            if line.startswith("SCAN"):
                pytest.fail(f"full scan {line!r} in {statement}")
            if line.startswith("SEARCH"):
                assert _SEARCH.search(line), line
            used_cluster_key |= "ix_clusters_key" in line
    assert used_cluster_key
