"""Comparing stores in tests: every row of every table, minus the columns that differ by run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from newsevents.store import Store
from newsevents.store import schema as s


def dump(
    store: Store, *, volatile: Iterable[str], skip: Iterable[str] = ("runs", "meta")
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (minus ``skip`` tables and ``volatile`` columns), sorted: stores
    compare equal when they hold the same data."""
    ignored = set(volatile)
    out: dict[str, list[tuple[Any, ...]]] = {}
    with store.connect() as conn:
        for table in s.metadata.sorted_tables:
            if table.name in skip:
                continue
            columns = [c for c in table.columns if c.name not in ignored]
            rows = conn.execute(select(*columns)).all()
            out[table.name] = sorted((tuple(_plain(v) for v in row) for row in rows), key=repr)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):  # SQLite gives naive UTC, PostgreSQL aware
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(dt.UTC).replace(tzinfo=None)
    return value
