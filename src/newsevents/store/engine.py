"""Open a store: SQLite (a file) or PostgreSQL (a server), with the same tables on both.

:func:`open_store` maps the user's ``--db`` value to an SQLAlchemy engine, sets up SQLite for one
writer and many readers (WAL journal, foreign keys, a busy timeout, ``synchronous=NORMAL``) and
brings the schema up to date (:mod:`newsevents.store.migrations`). Database errors that users can
act on (no such file, read-only, disk full, locked) come out as coded
:class:`~newsevents.errors.NewsEventsError` from :meth:`Store.begin` and :meth:`Store.connect`.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Literal
from urllib.parse import quote

import sqlalchemy
from sqlalchemy import event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

from newsevents.errors import Errors, NewsEventsError

__all__ = ["BUSY_TIMEOUT_MS", "Store", "open_store", "safe_url", "translate_error"]

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000
"""How long an SQLite connection waits for another process's lock before giving up."""

Dialect = Literal["sqlite", "postgresql"]


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    if "://" not in url:
        return url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        return url


def _parse(url: str) -> tuple[Dialect, sqlalchemy.URL, Path | None]:
    """The dialect, the SQLAlchemy URL and (for SQLite) the database file."""
    text = url.strip()
    if not text:
        raise NewsEventsError(Errors.E404, url=url, detail="it is empty")
    if "://" not in text:
        path = Path(text).expanduser()
        return "sqlite", sqlalchemy.URL.create("sqlite", database=str(path)), path
    try:
        parsed = make_url(text)
    except exc.ArgumentError as err:
        raise NewsEventsError(Errors.E404, url=safe_url(url), detail=str(err)) from err
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "sqlite":
        if driver not in ("", "pysqlite"):
            raise NewsEventsError(Errors.E404, url=url, detail=f"unsupported SQLite driver {driver!r}")
        if not parsed.database or parsed.database == ":memory:":
            raise NewsEventsError(Errors.E404, url=url, detail="an SQLite store needs a file path")
        path = Path(parsed.database).expanduser()
        return "sqlite", parsed.set(drivername="sqlite", database=str(path)), path
    if backend in ("postgresql", "postgres"):
        if driver not in ("", "psycopg"):
            raise NewsEventsError(
                Errors.E404, url=safe_url(url), detail=f"unsupported driver {driver!r}; newsevents uses psycopg 3"
            )
        if not parsed.database:
            raise NewsEventsError(Errors.E404, url=safe_url(url), detail="no database name")
        return "postgresql", parsed.set(drivername="postgresql+psycopg"), None
    raise NewsEventsError(
        Errors.E404, url=safe_url(url), detail=f"unknown database type {backend!r}; use sqlite or postgresql"
    )


_SQLITE_MESSAGES: tuple[tuple[str, Errors], ...] = (
    ("database or disk is full", Errors.E403),
    ("no space left on device", Errors.E403),
    ("could not extend file", Errors.E403),
    ("attempt to write a readonly database", Errors.E402),
    ("read-only transaction", Errors.E402),
    ("readonly database", Errors.E402),
    ("database is locked", Errors.E407),
    ("lock timeout", Errors.E407),
    ("unable to open database file", Errors.E401),
    ("file is not a database", Errors.E401),
    ("connection refused", Errors.E401),
    ("connection failed", Errors.E401),
    ("could not connect", Errors.E401),
    ("does not exist", Errors.E401),
    ("password authentication failed", Errors.E401),
)


def translate_error(err: BaseException, url: str) -> NewsEventsError | None:
    """A coded error for a database error users can act on, else ``None``."""
    if not isinstance(err, exc.DatabaseError | sqlite3.DatabaseError) or isinstance(
        err, exc.IntegrityError | exc.ProgrammingError | sqlite3.IntegrityError | sqlite3.ProgrammingError
    ):
        return None
    original = getattr(err, "orig", None) or err
    message = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    lowered = str(original).lower()
    for needle, code in _SQLITE_MESSAGES:
        if needle in lowered:
            return NewsEventsError(code, url=safe_url(url), detail=message)
    return None


class Store:
    """An open store: an SQLAlchemy engine plus the transaction helpers the writer and readers use.

    Use :func:`open_store` to make one. A context manager; :meth:`close` disposes the engine.
    """

    def __init__(self, engine: sqlalchemy.Engine, *, url: str, dialect: Dialect, readonly: bool) -> None:
        self.engine = engine
        self.url = url
        self.dialect: Dialect = dialect
        self.readonly = readonly

    def __repr__(self) -> str:
        mode = "readonly" if self.readonly else "readwrite"
        return f"Store({safe_url(self.url)!r}, {self.dialect}, {mode})"

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except (exc.DBAPIError, sqlite3.Error) as err:
            coded = translate_error(err, self.url)
            if coded is None:
                raise
            raise coded from err

    @contextmanager
    def begin(self) -> Iterator[sqlalchemy.Connection]:
        """One write transaction: committed when the block ends, rolled back on an exception.

        On SQLite the transaction starts with ``BEGIN IMMEDIATE``, so a second writer waits for
        the lock up front instead of failing half-way.
        """
        with self._translated(), self.engine.connect() as conn:
            conn.execution_options(newsevents_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def connect(self) -> Iterator[sqlalchemy.Connection]:
        """A connection for reading; whatever it did is rolled back when the block ends."""
        with self._translated(), self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _sqlite_engine(url: str, path: Path, *, readonly: bool, create: bool) -> sqlalchemy.Engine:
    if not path.exists():
        if readonly or not create:
            raise NewsEventsError(Errors.E401, url=url, detail="no such file")
        if not path.parent.is_dir():
            raise NewsEventsError(Errors.E401, url=url, detail=f"folder {str(path.parent)!r} does not exist")
    elif path.is_dir():
        raise NewsEventsError(Errors.E401, url=url, detail="it is a folder, not a database file")
    target = "file:" + quote(str(path.resolve())) + ("?mode=ro" if readonly else "")

    def _connect() -> sqlite3.Connection:
        return sqlite3.connect(target, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)

    engine = sqlalchemy.create_engine("sqlite+pysqlite://", creator=_connect, poolclass=QueuePool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # transactions are begun by _on_begin below
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if readonly:
                cursor.execute("PRAGMA query_only = ON")
            else:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sqlalchemy.Connection) -> None:
        write = conn.get_execution_options().get("newsevents_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write and not readonly else "BEGIN")

    return engine


def _postgres_engine(target: sqlalchemy.URL, *, readonly: bool) -> sqlalchemy.Engine:
    connect_args: dict[str, Any] = {"connect_timeout": 10}
    if readonly:
        connect_args["options"] = "-c default_transaction_read_only=on"
    return sqlalchemy.create_engine(target, connect_args=connect_args, pool_pre_ping=True)


def open_store(
    url: str | None = None, *, readonly: bool = False, create: bool = True, check: bool = True
) -> Store:
    """Open (and, unless ``readonly``, create and migrate) the store at ``url``.

    ``url``: ``None`` for ``--db``'s default (``$NEWSEVENTS_DB``, else ``./newsevents.db``), a
    file path or ``sqlite:///PATH`` for SQLite, ``postgresql://USER:PASSWORD@HOST:PORT/DB`` for
    PostgreSQL (driven by psycopg 3). ``readonly`` opens SQLite with ``mode=ro`` and PostgreSQL
    with read-only transactions, and never migrates. ``create=False`` refuses to create a missing
    SQLite file or missing tables. ``check=False`` skips the schema check and migration (for
    ``newsevents db info``/``migrate``, which look at stores of any version).
    """
    from newsevents.cli_support import db_url
    from newsevents.store.migrations import ensure_schema

    raw = db_url(url)
    dialect, target, path = _parse(raw)
    if dialect == "sqlite":
        assert path is not None
        engine = _sqlite_engine(raw, path, readonly=readonly, create=create)
    else:
        engine = _postgres_engine(target, readonly=readonly)
    store = Store(engine, url=raw, dialect=dialect, readonly=readonly)
    if not check:
        return store
    try:
        with store._translated():
            ensure_schema(store, create=create and not readonly)
    except BaseException:
        store.close()
        raise
    logger.debug("Opened %r", store)
    return store
