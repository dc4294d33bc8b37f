"""Small read-side helpers for ``newsevents db info`` and tests: counts, runs, failures.

Event queries for the API, exports and web pages live in :mod:`newsevents.store.query`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, inspect, select

from newsevents.store import schema
from newsevents.store.engine import Store, safe_url
from newsevents.store.migrations import read_schema_version

__all__ = ["StoreInfo", "failure_counts", "recent_runs", "store_info", "table_counts"]


def table_counts(conn: Connection) -> dict[str, int]:
    """Rows per newsevents table, in schema order (tables an older schema lacks are left out)."""
    present = set(inspect(conn).get_table_names())
    return {
        table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        for table in schema.metadata.sorted_tables
        if table.name in present
    }


def recent_runs(conn: Connection, *, limit: int = 10) -> list[dict[str, Any]]:
    """The latest runs, newest first, with their versions decoded."""
    rows = conn.execute(
        select(schema.runs).order_by(schema.runs.c.started_at.desc()).limit(limit)
    ).mappings()
    out = []
    for row in rows:
        item = dict(row)
        item["versions"] = json.loads(item["versions"]) if item.get("versions") else {}
        out.append(item)
    return out


def failure_counts(conn: Connection) -> dict[tuple[str, str], int]:
    """Failures per (code, stage)."""
    f = schema.failures
    rows = conn.execute(
        select(f.c.code, f.c.stage, func.count()).group_by(f.c.code, f.c.stage).order_by(f.c.code, f.c.stage)
    )
    return {(code, stage): int(n) for code, stage, n in rows}


@dataclass(frozen=True, slots=True)
class StoreInfo:
    url: str
    dialect: str
    schema_version: int | None
    supported_version: int
    counts: dict[str, int] = field(default_factory=dict)
    failures: dict[tuple[str, str], int] = field(default_factory=dict)
    runs: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)


def store_info(store: Store, *, runs: int = 10) -> StoreInfo:
    """Schema version, rows per table, failures and recent runs of an open store."""
    with store.connect() as conn:
        version = read_schema_version(conn)
        if version is None:
            return StoreInfo(safe_url(store.url), store.dialect, None, schema.SCHEMA_VERSION)
        meta = {k: v for k, v in conn.execute(select(schema.meta.c.key, schema.meta.c.value))}
        current = version == schema.SCHEMA_VERSION
        return StoreInfo(
            url=safe_url(store.url),
            dialect=store.dialect,
            schema_version=version,
            supported_version=schema.SCHEMA_VERSION,
            counts=table_counts(conn),
            failures=failure_counts(conn),
            runs=recent_runs(conn, limit=runs) if current else [],
            meta=meta,
        )
