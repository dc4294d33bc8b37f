"""Streaming downloads of an events query as CSV, JSON Lines or Parquet, in constant memory.

Each writer is a generator of byte chunks over :func:`newsevents.store.query.iter_events`; the
connection stays open while the response streams. Every format is the one ``newsevents export``
writes for the same filter: CSV has the columns of ``newsevents code --format csv`` plus
``cluster_id`` and ``article_id``, JSON Lines the full event records, Parquet the schema of the
Parquet export (:func:`newsevents.export.parquet.event_schema`) in one file, unpartitioned.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import Any

import sqlalchemy as sa

from newsevents.export._source import ARTICLE_COLUMNS
from newsevents.export.csv import csv_columns, csv_record
from newsevents.export.parquet import event_schema, parquet_record
from newsevents.store.query import EventFilter, iter_events
from newsevents.store.schema import articles, events

__all__ = ["FORMATS", "csv_chunks", "jsonl_chunks", "parquet_chunks"]

_BATCH = 2000

RowSource = Callable[[], Iterator[sa.Row[Any]]]


def _rows(
    conn: sa.Connection, f: EventFilter, sort: str, max_rows: int | None, columns: Sequence[str | sa.ColumnElement[Any]]
) -> Iterator[sa.Row[Any]]:
    rows = iter_events(conn, f, batch=_BATCH, sort=sort, columns=columns)
    return islice(rows, max_rows) if max_rows is not None else rows


def _with_article() -> list[sa.ColumnElement[Any]]:
    """Every events column plus the article's (title, url, source, ...), as the export has them."""
    same = articles.c.article_id == events.c.article_id
    return [*events.c, *(sa.select(articles.c[name]).where(same).scalar_subquery().label(name) for name in ARTICLE_COLUMNS)]


def csv_chunks(conn: sa.Connection, f: EventFilter, *, sort: str = "date_asc", max_rows: int | None = None) -> Iterator[bytes]:
    """CSV with a header row (the columns of ``newsevents export -f csv``); a chunk per 500 rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_columns())
    for n, row in enumerate(_rows(conn, f, sort, max_rows, ["event_id", "record", "cluster_id", "article_id"]), 1):
        writer.writerow(csv_record(row._mapping))
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


def parquet_chunks(conn: sa.Connection, f: EventFilter, *, sort: str = "date_asc", max_rows: int | None = None) -> Iterator[bytes]:
    """A Parquet file with the export's schema, one row group per batch, streamed as it is written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = event_schema()
    sink = _Sink()
    writer = pq.ParquetWriter(sink, schema, compression="zstd")
    batch: list[dict[str, Any]] = []

    def flush() -> bytes:
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
        batch.clear()
        return sink.take()

    n = 0
    for row in _rows(conn, f, sort, max_rows, _with_article()):
        batch.append(parquet_record(row._mapping))
        n += 1
        if n % _BATCH == 0:
            yield flush()
    if batch or n == 0:
        yield flush()
    writer.close()
    yield sink.take()


FORMATS: dict[str, tuple[str, Callable[..., Iterator[bytes]]]] = {
    "csv": ("text/csv; charset=utf-8", csv_chunks),
    "jsonl": ("application/x-ndjson", jsonl_chunks),
    "parquet": ("application/vnd.apache.parquet", parquet_chunks),
}
"""Format → (media type, chunk writer)."""
