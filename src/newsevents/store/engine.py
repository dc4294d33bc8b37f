"""Open a store: SQLite (a file) or PostgreSQL (a server), with the same tables on both.

:func:`open_store` maps the user's ``--db`` value to an SQLAlchemy engine, sets up SQLite for one
writer and many readers (WAL journal, foreign keys, a busy timeout, ``synchronous=NORMAL``) and
brings the schema up to date (:mod:`newsevents.store.migrations`). Database errors that users can
act on (no such file, read-only, disk full, locked) come out as coded
:class:`~newsevents.errors.NewsEventsError` from :meth:`Store.begin` and :meth:`Store.connect`.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, TypeVar
from urllib.parse import quote

import sqlalchemy
from sqlalchemy import event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

from newsevents.errors import Errors, NewsEventsError

__all__ = ["BUSY_TIMEOUT_MS", "RETRY_DELAYS", "Store", "is_disconnect", "open_store", "safe_url", "translate_error"]

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000
"""How long an SQLite connection waits for another process's lock before giving up."""

RETRY_DELAYS: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)
"""Seconds to wait before each new attempt when a PostgreSQL server connection is lost (about
30 s in all: long enough for a server restart, short enough to fail clearly when it is down)."""

Dialect = Literal["sqlite", "postgresql"]
T = TypeVar("T")


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


_DISCONNECT_MESSAGES = (
    "server closed the connection",
    "terminating connection",
    "connection refused",
    "could not connect",
    "connection is closed",
    "connection is lost",
    "connection failed",
    "connection reset",
    "connection timeout expired",
    "consuming input failed",
    "no connection to the server",
    "ssl connection has been closed",
    "broken pipe",
    "the database system is shutting down",
    "the database system is starting up",
    "the database system is in recovery mode",
    "the database system is not yet accepting connections",
)


def is_disconnect(err: BaseException | None) -> bool:
    """Whether ``err`` (or what caused it) means the database server connection was lost or refused."""
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if isinstance(err, exc.DBAPIError) and err.connection_invalidated:
            return True
        if isinstance(err, exc.OperationalError | exc.InterfaceError) or type(err).__module__.startswith("psycopg"):
            lowered = str(err).lower()
            if any(needle in lowered for needle in _DISCONNECT_MESSAGES):
                return True
        err = err.__cause__ or err.__context__
    return False


class Store:
    """An open store: an SQLAlchemy engine plus the transaction helpers the writer and readers use.

    Use :func:`open_store` to make one. A context manager; :meth:`close` disposes the engine.
    """

    def __init__(self, engine: sqlalchemy.Engine, *, url: str, dialect: Dialect, readonly: bool) -> None:
        self.engine = engine
        self.url = url
        self.dialect: Dialect = dialect
        self.readonly = readonly
        self.retry_delays: tuple[float, ...] = RETRY_DELAYS if dialect == "postgresql" else ()
        """Waits before each retry of :meth:`retrying` (none for SQLite, which has no server)."""

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

    def retrying(self, work: Callable[[], T], *, what: str = "store access") -> T:
        """``work()``, run again after a pause when the server connection was lost.

        ``work`` must be one whole transaction (or a read), so running it again is safe: a lost
        connection rolls back whatever it did. After ``retry_delays`` are used up the loss is
        reported as E411. Other errors pass through unchanged.
        """
        started = time.monotonic()
        for attempt, delay in enumerate((*self.retry_delays, None), 1):
            try:
                return work()
            except (NewsEventsError, exc.DBAPIError, sqlite3.Error) as err:
                if not self.retry_delays or not is_disconnect(err):
                    raise
                detail = str(getattr(err, "orig", None) or err).strip().splitlines()[0]
                if delay is None:
                    raise NewsEventsError(
                        Errors.E411, url=safe_url(self.url), attempts=attempt,
                        seconds=time.monotonic() - started, detail=detail,
                    ) from err  # fmt: skip
                logger.warning(
                    "%s: lost the connection to %s (%s); trying again in %.1f s (attempt %d of %d)",
                    what, safe_url(self.url), detail, delay, attempt + 1, len(self.retry_delays) + 1,
                )  # fmt: skip
                self.engine.dispose()  # drop pooled connections to the old server
                time.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

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
        if not os.access(path.parent, os.W_OK):
            raise NewsEventsError(Errors.E402, url=url, detail=f"folder {str(path.parent)!r} is not writable")
    elif path.is_dir():
        raise NewsEventsError(Errors.E401, url=url, detail="it is a folder, not a database file")
    elif not readonly:
        # SQLite would open the file read-only (or, for WAL, not at all) and fail on the first write
        for target_path, what in ((path, "the file"), (path.parent, "its folder")):
            if not os.access(target_path, os.W_OK):
                raise NewsEventsError(Errors.E402, url=url, detail=f"{what} is not writable")
    query = ""
    if readonly:
        query = "?mode=ro"
        shm = path.with_name(path.name + "-shm")
        if not os.access(path.parent, os.W_OK) and not (shm.exists() and os.access(shm, os.W_OK)):
            # A WAL database on a read-only filesystem cannot be opened even read-only (SQLite must
            # create the -shm file). Nobody can be writing to it there, so read it as immutable.
            logger.info("store folder %s is not writable: reading %s as immutable", path.parent, path.name)
            query += "&immutable=1"
    target = "file:" + quote(str(path.resolve())) + query

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
