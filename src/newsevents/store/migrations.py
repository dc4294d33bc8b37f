"""Numbered schema migrations, recorded in the ``meta`` table under ``schema_version``.

A new store gets the current tables of :mod:`newsevents.store.schema` at once and is stamped
with :data:`~newsevents.store.schema.SCHEMA_VERSION`. An older store runs the steps in
:data:`MIGRATIONS` from its version up, each in one transaction together with its new version
number, so a failed step leaves the store at the previous version. Steps use the same SQLAlchemy
definitions on SQLite and PostgreSQL, so both dialects end with the same schema.

To change the schema: add the column/table/index to ``schema.py``, bump ``SCHEMA_VERSION`` and add
a step here with that number. Never rename or drop a column.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import sqlalchemy
from sqlalchemy import Column, Connection, func, inspect, or_, select, union_all, update
from sqlalchemy.schema import CreateIndex

from newsevents._version import __version__
from newsevents.errors import Errors, NewsEventsError
from newsevents.store import schema
from newsevents.store.engine import safe_url

if TYPE_CHECKING:
    from newsevents.store.engine import Store

__all__ = ["MIGRATIONS", "VERSION_KEY", "ensure_schema", "migrate", "read_schema_version", "rebuild_daily_counts"]

logger = logging.getLogger(__name__)

VERSION_KEY = "schema_version"
_PG_LOCK = 0x6E65_7773  # advisory lock id for migrations on PostgreSQL ("news")


def _add_column(conn: Connection, table: sqlalchemy.Table, name: str) -> None:
    """``ALTER TABLE ... ADD COLUMN`` for a column as ``schema.py`` defines it."""
    column: Column[object] = table.c[name]
    preparer = conn.dialect.identifier_preparer
    ddl = f"ALTER TABLE {preparer.format_table(table)} ADD COLUMN {preparer.format_column(column)} "
    ddl += column.type.compile(dialect=conn.dialect)
    if column.server_default is not None:
        default = column.server_default.arg  # type: ignore[attr-defined]
        literal = str(default) if not isinstance(default, str) else default
        ddl += " DEFAULT " + (literal if literal.isdigit() else "'" + literal.replace("'", "''") + "'")
    if not column.nullable:
        ddl += " NOT NULL"
    conn.exec_driver_sql(ddl)


def _add_index(conn: Connection, table: sqlalchemy.Table, name: str) -> None:
    """``CREATE INDEX`` for an index as ``schema.py`` defines it."""
    index = next(ix for ix in table.indexes if ix.name == name)
    conn.execute(CreateIndex(index, if_not_exists=True))


def _v2_run_status(conn: Connection) -> None:
    """2: ``runs.n_present`` (documents skipped as already stored), ``runs.status`` and an
    index on ``failures.article_id``."""
    _add_column(conn, schema.runs, "n_present")
    _add_column(conn, schema.runs, "status")
    _add_index(conn, schema.failures, "ix_failures_article")
    conn.execute(
        update(schema.runs).where(schema.runs.c.finished_at.is_not(None)).values(status="finished")
    )


def _v3_cluster_state(conn: Connection) -> None:
    """3: tables ``cluster_state`` and ``cluster_sources`` (de-duplication bookkeeping).

    Left empty: :mod:`newsevents.dedup` rebuilds a cluster's rows from its events the first time
    it meets that cluster again.
    """
    schema.cluster_state.create(conn, checkfirst=True)
    schema.cluster_sources.create(conn, checkfirst=True)


def _v4_query_indexes(conn: Connection) -> None:
    """4: indexes for the API's keyset pages and index-only timelines (``ANALYZE`` after)."""
    for name in ("ix_events_dup_date", "ix_events_dup_date_id", "ix_events_dup_confidence_id", "ix_events_dup_goldstein_id"):
        _add_index(conn, schema.events, name)
    conn.exec_driver_sql("ANALYZE")


def rebuild_daily_counts(conn: Connection) -> None:
    """Recount ``daily_counts`` and ``country_daily_counts`` from ``events``.

    The writer keeps both up to date afterwards. An event counts once for each distinct country
    on its actor or recipient side.
    """
    e = schema.events.c
    dims = [e.date, e.event_type, e.quad_class, e.duplicate_article]
    names = ["date", "event_type", "quad_class", "duplicate_article", "n", "goldstein_sum"]
    conn.execute(schema.daily_counts.delete())
    conn.execute(
        schema.daily_counts.insert().from_select(
            names, select(*dims, func.count(), func.sum(e.goldstein)).group_by(*dims)
        )
    )
    sides = union_all(
        select(e.actor_country.label("country"), *dims, e.goldstein).where(e.actor_country.is_not(None)),
        select(e.recipient_country.label("country"), *dims, e.goldstein).where(
            e.recipient_country.is_not(None),
            or_(e.actor_country.is_(None), e.recipient_country != e.actor_country),
        ),
    ).subquery()
    side_dims = [sides.c.country, sides.c.date, sides.c.event_type, sides.c.quad_class, sides.c.duplicate_article]
    conn.execute(schema.country_daily_counts.delete())
    conn.execute(
        schema.country_daily_counts.insert().from_select(
            ["country", *names], select(*side_dims, func.count(), func.sum(sides.c.goldstein)).group_by(*side_dims)
        )
    )


def _v5_daily_counts(conn: Connection) -> None:
    """5: tables ``daily_counts`` and ``country_daily_counts`` (per-day event counts that the
    timeline reads instead of the events), filled from ``events``."""
    schema.daily_counts.create(conn, checkfirst=True)
    schema.country_daily_counts.create(conn, checkfirst=True)
    rebuild_daily_counts(conn)


MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    2: _v2_run_status,
    3: _v3_cluster_state,
    4: _v4_query_indexes,
    5: _v5_daily_counts,
}
"""Step ``n`` brings a store from version ``n - 1`` to ``n``."""

assert sorted(MIGRATIONS) == list(range(2, schema.SCHEMA_VERSION + 1)), "one step per version"


def read_schema_version(conn: Connection) -> int | None:
    """The store's schema version, or ``None`` when it has no newsevents tables yet."""
    if not inspect(conn).has_table(schema.meta.name):
        return None
    value = conn.execute(
        select(schema.meta.c.value).where(schema.meta.c.key == VERSION_KEY)
    ).scalar_one_or_none()
    return int(value) if value is not None else None


def _set_meta(conn: Connection, key: str, value: str) -> None:
    found = conn.execute(select(schema.meta.c.key).where(schema.meta.c.key == key)).first()
    if found is None:
        conn.execute(schema.meta.insert().values(key=key, value=value))
    else:
        conn.execute(schema.meta.update().where(schema.meta.c.key == key).values(value=value))


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sqlalchemy.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
    # SQLite: Store.begin() already holds the write lock (BEGIN IMMEDIATE)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def migrate(store: Store) -> tuple[int | None, int]:
    """Create or upgrade the tables; returns (version before, version after)."""
    with store.begin() as conn:
        _lock(conn)
        found = read_schema_version(conn)
        if found is not None and found > schema.SCHEMA_VERSION:
            raise NewsEventsError(
                Errors.E405, url=safe_url(store.url), found=found, supported=schema.SCHEMA_VERSION
            )
        if found is None:
            schema.metadata.create_all(conn)
            _set_meta(conn, VERSION_KEY, str(schema.SCHEMA_VERSION))
            _set_meta(conn, "created_at", _now())
            _set_meta(conn, "created_by", f"newsevents {__version__}")
            logger.info("Created the store's tables (schema version %d)", schema.SCHEMA_VERSION)
            return None, schema.SCHEMA_VERSION
    version = found
    while version < schema.SCHEMA_VERSION:
        step = version + 1
        with store.begin() as conn:
            _lock(conn)
            if read_schema_version(conn) != version:  # another process migrated meanwhile
                version = read_schema_version(conn) or version
                continue
            MIGRATIONS[step](conn)
            _set_meta(conn, VERSION_KEY, str(step))
            _set_meta(conn, f"migrated_to_{step}", _now())
        logger.info("Migrated the store from schema version %d to %d", version, step)
        version = step
    return found, version


def ensure_schema(store: Store, *, create: bool) -> int:
    """Check the schema version; create or migrate when ``create`` (else raise E406/E409)."""
    with store.connect() as conn:
        found = read_schema_version(conn)
    if found == schema.SCHEMA_VERSION:
        return found
    if found is not None and found > schema.SCHEMA_VERSION:
        raise NewsEventsError(Errors.E405, url=safe_url(store.url), found=found, supported=schema.SCHEMA_VERSION)
    if not create:
        if found is None:
            raise NewsEventsError(Errors.E409, url=safe_url(store.url))
        raise NewsEventsError(Errors.E406, url=safe_url(store.url), found=found, supported=schema.SCHEMA_VERSION)
    return migrate(store)[1]

