"""Streaming downloads of an events query as CSV, JSON Lines or Parquet, in constant memory.

Each writer is a generator of byte chunks over :func:`newsevents.store.query.iter_events`; the
connection stays open while the response streams. CSV and Parquet carry the flat columns
(:data:`~newsevents.store.query.LIST_COLUMNS`), JSON Lines the full event records exactly as
``newsevents code`` prints them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

import sqlalchemy as sa

from newsevents.store.query import LIST_COLUMNS, EventFilter, iter_events

__all__ = ["FORMATS", "csv_chunks", "jsonl_chunks", "parquet_chunks"]

_BATCH = 2000

RowSource = Callable[[], Iterator[sa.Row[Any]]]


def _rows(conn: sa.Connection, f: EventFilter, sort: str, max_rows: int | None, columns: list[str]) -> Iterator[sa.Row[Any]]:
    rows = iter_events(conn, f, batch=_BATCH, sort=sort, columns=columns)
    return islice(rows, max_rows) if max_rows is not None else rows


def _cell(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def csv_chunks(conn: sa.Connection, f: EventFilter, *, sort: str = "date_asc", max_rows: int | None = None) -> Iterator[bytes]:
    """CSV with a header row; one chunk per few hundred rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LIST_COLUMNS)
    for n, row in enumerate(_rows(conn, f, sort, max_rows, list(LIST_COLUMNS)), 1):
        m = row._mapping
        writer.writerow([_cell(m[c]) for c in LIST_COLUMNS])
        if n % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def jsonl_chunks(conn: sa.Connection, f: EventFilter, *, sort: str = "date_asc", max_rows: int | None = None) -> Iterator[bytes]:
    """One event record (the stored JSON) per line."""
    lines: list[str] = []
    for row in _rows(conn, f, sort, max_rows, ["event_id", "record"]):
        record = str(row._mapping["record"])
        lines.append(" ".join(record.splitlines()))
        if len(lines) >= 200:
            yield ("\n".join(lines) + "\n").encode()
            lines = []
    if lines:
        yield ("\n".join(lines) + "\n").encode()


class _Sink(io.RawIOBase):
    """A write-only file that hands out what was written since the last :meth:`take`."""

    def __init__(self) -> None:
        super().__init__()
        self._chunks: list[bytes] = []
        self._pos = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._chunks.append(chunk)
        self._pos += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self._pos

    def take(self) -> bytes:
        out = b"".join(self._chunks)
        self._chunks = []
        return out


def _arrow_schema() -> Any:
    import pyarrow as pa

    types: dict[str, Any] = {
        "quad_class": pa.int32(),
        "goldstein": pa.float64(),
        "lat": pa.float64(),
        "lon": pa.float64(),
        "dead": pa.int64(),
        "injured": pa.int64(),
        "arrested": pa.int64(),
        "confidence": pa.float64(),
        "date": pa.date32(),
        "duplicate_article": pa.bool_(),
    }
    return pa.schema([(c, types.get(c, pa.string())) for c in LIST_COLUMNS])


def parquet_chunks(conn: sa.Connection, f: EventFilter, *, sort: str = "date_asc", max_rows: int | None = None) -> Iterator[bytes]:
    """A Parquet file written one row group per batch, streamed as it is written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema()
    sink = _Sink()
    writer = pq.ParquetWriter(sink, schema, compression="zstd")
    columns: dict[str, list[Any]] = {c: [] for c in LIST_COLUMNS}

    def flush() -> bytes:
        table = pa.Table.from_pydict(columns, schema=schema)
        writer.write_table(table)
        for values in columns.values():
            values.clear()
        return sink.take()

    n = 0
    for row in _rows(conn, f, sort, max_rows, list(LIST_COLUMNS)):
        m = row._mapping
        for c in LIST_COLUMNS:
            value = m[c]
            columns[c].append(bool(value) if c == "duplicate_article" else value)
        n += 1
        if n % _BATCH == 0:
            yield flush()
    if n % _BATCH or n == 0:
        yield flush()
    writer.close()
    yield sink.take()


FORMATS: dict[str, tuple[str, Callable[..., Iterator[bytes]]]] = {
    "csv": ("text/csv; charset=utf-8", csv_chunks),
    "jsonl": ("application/x-ndjson", jsonl_chunks),
    "parquet": ("application/vnd.apache.parquet", parquet_chunks),
}
"""Format → (media type, chunk writer)."""
