"""Reading the store for the exporters: filtered event rows, streamed in batches.

Every format reads through :func:`event_batches` (or :func:`cluster_batches` for GDELT's one
row per real-world event), so a filter means what it means in the API (the WHERE clause comes
from :func:`newsevents.store.query.event_conditions`) and memory stays flat whatever the size
of the store: rows arrive ``batch_size`` at a time from a server-side cursor (PostgreSQL) or
SQLite's own step-wise cursor. Rows come in a stable order: event date, then event id.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

import sqlalchemy as sa

from newsevents.store.query import EventFilter, event_conditions
from newsevents.store.schema import articles, event_clusters, events

__all__ = [
    "ARTICLE_COLUMNS",
    "ConnectionSource",
    "Row",
    "cluster_batches",
    "connection",
    "event_batches",
    "unclustered_batches",
]

Row = sa.RowMapping
"""One exported row: the ``events`` columns plus the article columns of :data:`ARTICLE_COLUMNS`."""

ARTICLE_COLUMNS = ("title", "url", "source", "pub_date", "ingested_at")
"""Article columns joined onto every event row (``article_``-free names, none clash with events)."""


class _Connectable(Protocol):
    def connect(self) -> AbstractContextManager[sa.Connection]: ...


ConnectionSource = sa.Connection | sa.Engine | _Connectable
"""What the exporters read from: an open connection, an engine, or a ``Store``."""


@contextmanager
def connection(source: ConnectionSource) -> Iterator[sa.Connection]:
    """A connection to read from; one the caller passed in is used as it is (not closed)."""
    if isinstance(source, sa.Connection):
        yield source
        return
    with source.connect() as conn:
        yield conn


def _article_cols() -> list[sa.ColumnElement[Any]]:
    return [articles.c[name] for name in ARTICLE_COLUMNS]


def _stream(conn: sa.Connection, stmt: sa.Select[Any], batch_size: int) -> Iterator[Sequence[Row]]:
    result = conn.execution_options(yield_per=batch_size).execute(stmt)
    try:
        yield from result.mappings().partitions(batch_size)
    finally:
        result.close()


def event_statement(f: EventFilter) -> sa.Select[Any]:
    """Every ``events`` column plus the article's, for the events matching ``f``, in export order."""
    return (
        sa.select(*events.c, *_article_cols())
        .select_from(events.join(articles, articles.c.article_id == events.c.article_id))
        .where(*event_conditions(f))
        .order_by(events.c.date, events.c.event_id)
    )


def event_batches(
    conn: sa.Connection, f: EventFilter, *, batch_size: int = 1000
) -> Iterator[Sequence[Row]]:
    """The events matching ``f`` (with their article's columns), ``batch_size`` rows at a time."""
    return _stream(conn, event_statement(f), batch_size)


def cluster_statement(f: EventFilter) -> sa.Select[Any]:
    """One row per event cluster with at least one event matching ``f``.

    The row holds the cluster's counts (``num_mentions``, ``num_articles``, ``num_sources``,
    ``first_seen``, ``date_first``, ``date_last``) and every column of its representative event
    and that event's article, ordered by the representative event's date, then cluster id.
    """
    matching = (
        sa.select(events.c.cluster_id)
        .where(*event_conditions(f), events.c.cluster_id.is_not(None))
        .distinct()
    )
    c = event_clusters.c
    return (
        sa.select(
            *events.c,
            *_article_cols(),
            c.num_mentions,
            c.num_articles,
            c.num_sources,
            c.first_seen,
            c.date_first,
            c.date_last,
        )
        .select_from(
            event_clusters.join(events, events.c.event_id == c.representative_event_id).join(
                articles, articles.c.article_id == events.c.article_id
            )
        )
        .where(c.cluster_id.in_(matching))
        .order_by(events.c.date, c.cluster_id)
    )


def cluster_batches(
    conn: sa.Connection, f: EventFilter, *, batch_size: int = 1000
) -> Iterator[Sequence[Row]]:
    """The rows of :func:`cluster_statement`, ``batch_size`` at a time."""
    return _stream(conn, cluster_statement(f), batch_size)


def unclustered_batches(
    conn: sa.Connection, f: EventFilter, *, batch_size: int = 1000
) -> Iterator[Sequence[Row]]:
    """Events matching ``f`` that belong to no cluster (stores ingested without de-duplication)."""
    stmt = event_statement(f).where(events.c.cluster_id.is_(None))
    return _stream(conn, stmt, batch_size)
