"""Fixtures for the dedup tests: a fresh store schema on SQLite and on PostgreSQL (the
session's ``pg_server``: $NEWSEVENTS_TEST_PG or a throw-away server), plus a tiny stand-in
for the store's writer."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from dedup_support import MiniWriter

from newsevents.store import schema

BACKENDS = ["sqlite", "postgresql"]


def _pg_url(server: str | None) -> str | None:
    url = server
    if not url:
        return None
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


@pytest.fixture(params=BACKENDS)
def conn(request: pytest.FixtureRequest) -> Iterator[sa.Connection]:
    """A connection inside one transaction on an empty schema; rolled back afterwards."""
    if request.param == "sqlite":
        engine = sa.create_engine("sqlite://")

        @sa.event.listens_for(engine, "connect")
        def _fk(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute("PRAGMA foreign_keys=ON")

        with engine.connect() as c:
            schema.metadata.create_all(c)
            c.commit()
            with c.begin():
                yield c
        engine.dispose()
        return
    url = _pg_url(request.getfixturevalue("pg_server"))
    if url is None:
        pytest.skip("PostgreSQL: set NEWSEVENTS_TEST_PG or install the server binaries (initdb)")
    engine = sa.create_engine(url)
    name = f"dedup_test_{uuid.uuid4().hex[:10]}"
    with engine.connect() as c:
        trans = c.begin()
        c.execute(sa.text(f'CREATE SCHEMA "{name}"'))
        c.execute(sa.text(f'SET LOCAL search_path TO "{name}"'))
        schema.metadata.create_all(c)
        try:
            yield c
        finally:
            trans.rollback()  # drops the schema and everything in it
    engine.dispose()


@pytest.fixture
def writer(conn: sa.Connection) -> MiniWriter:
    return MiniWriter(conn)
