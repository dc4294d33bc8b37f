"""Parquet export: a Hive-partitioned dataset directory, ``year=YYYY/month=MM/part-N.parquet``.

The schema (:func:`event_schema`) is explicit: dates are ``date32``, counts ``int32``, scores
``float64``, actors and recipients ``list<struct>`` with the fields of
:class:`newsevents.model.Actor`. Partition columns (``year``, ``month``) live in the directory
names only, as Hive-style readers (DuckDB ``hive_partitioning``, pandas/pyarrow datasets, Polars
``scan_parquet(hive_partitioning=True)``, Spark) expect. Rows are written in row groups of
``row_group_size`` as they stream out of the store, in event-date order, so one partition is open
at a time and memory does not grow with the store. Files use Snappy compression and the
Parquet 2.6 format with Spark-compatible nested list names.

Months are zero-padded (``month=03``) so folders sort in time order. pyarrow/pandas, Polars and
Spark infer integer partition columns from that; DuckDB infers VARCHAR for a leading zero, so
read with ``read_parquet('DIR/**/*.parquet', hive_partitioning = true, hive_types = {'year':
INTEGER, 'month': INTEGER})`` (or filter on the ``date`` column, which is always ``DATE``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from newsevents._version import __version__
from newsevents.errors import Errors, NewsEventsError
from newsevents.export._source import Row, event_batches
from newsevents.model import Actor, Event
from newsevents.store.query import EventFilter

__all__ = ["PARTITION_COLUMNS", "event_schema", "parquet_record", "partition_path", "write_parquet"]

PARTITION_COLUMNS = ("year", "month")


def event_schema() -> Any:
    """The ``pyarrow.Schema`` of one exported event (without the partition columns)."""
    import pyarrow as pa

    actor = pa.struct(
        [
            pa.field("text", pa.string()),
            pa.field("name", pa.string()),
            pa.field("country", pa.string()),
            pa.field("sector", pa.string()),
            pa.field("sectors", pa.list_(pa.string())),
            pa.field("code", pa.string()),
            pa.field("start", pa.int32()),
            pa.field("end", pa.int32()),
            pa.field("entity_id", pa.string()),
            pa.field("resolution", pa.string()),
        ]
    )
    s, i32, f64 = pa.string(), pa.int32(), pa.float64()
    fields = [
        pa.field("event_id", s, nullable=False),
        pa.field("article_id", s, nullable=False),
        pa.field("doc_id", s, nullable=False),
        pa.field("cluster_id", s),
        pa.field("duplicate_article", pa.bool_(), nullable=False),
        pa.field("event_type", s, nullable=False),
        pa.field("mode", s),
        pa.field("context", pa.list_(s)),
        pa.field("cameo", s, nullable=False),
        pa.field("cameo_name", s),
        pa.field("quad_class", i32, nullable=False),
        pa.field("goldstein", f64, nullable=False),
        pa.field("plover_score", f64),
        pa.field("actor", pa.list_(actor)),
        pa.field("recipient", pa.list_(actor)),
        pa.field("actor_name", s),
        pa.field("actor_country", s),
        pa.field("actor_sector", s),
        pa.field("actor_code", s),
        pa.field("recipient_name", s),
        pa.field("recipient_country", s),
        pa.field("recipient_sector", s),
        pa.field("recipient_code", s),
        pa.field("reported_by", s),
        pa.field("factuality", s, nullable=False),
        pa.field("date", pa.date32(), nullable=False),
        pa.field("date_end", pa.date32()),
        pa.field("date_precision", s, nullable=False),
        pa.field("place_name", s),
        pa.field("place_country", s),
        pa.field("place_admin1", s),
        pa.field("lat", f64),
        pa.field("lon", f64),
        pa.field("geonameid", pa.int64()),
        pa.field("dead", i32),
        pa.field("injured", i32),
        pa.field("arrested", i32),
        pa.field("confidence", f64, nullable=False),
        pa.field("sentence_index", i32, nullable=False),
        pa.field("sentence", s, nullable=False),
        pa.field("evidence_start", i32, nullable=False),
        pa.field("evidence_end", i32, nullable=False),
        pa.field("trigger", s, nullable=False),
        pa.field("trigger_start", i32, nullable=False),
        pa.field("trigger_end", i32, nullable=False),
        pa.field("rule", s),
        pa.field("pub_date", pa.date32()),
        pa.field("source", s),
        pa.field("url", s),
        pa.field("title", s),
    ]
    meta = {
        "newsevents.version": __version__,
        "newsevents.record": "newsevents.model.Event, flattened; see docs of newsevents.export.parquet",
        "newsevents.partitioning": json.dumps(list(PARTITION_COLUMNS)),
    }
    return pa.schema(fields, metadata=meta)


def partition_path(date: dt.date) -> str:
    """The Hive partition folder of an event date, e.g. ``year=2024/month=03``."""
    return f"year={date.year:04d}/month={date.month:02d}"


def _actor(actor: Actor) -> dict[str, Any]:
    return {
        "text": actor.text,
        "name": actor.name,
        "country": actor.country,
        "sector": actor.sector,
        "sectors": list(actor.sectors),
        "code": actor.code,
        "start": actor.start,
        "end": actor.end,
        "entity_id": actor.entity_id,
        "resolution": actor.resolution,
    }


def parquet_record(row: Mapping[Any, Any]) -> dict[str, Any]:
    """One event row as a dict matching :func:`event_schema`."""
    event = Event.model_validate_json(row["record"])
    loc = event.location
    return {
        "event_id": row["event_id"],
        "article_id": row["article_id"],
        "doc_id": row["doc_id"],
        "cluster_id": row["cluster_id"],
        "duplicate_article": bool(row["duplicate_article"]),
        "event_type": row["event_type"],
        "mode": row["mode"],
        "context": list(event.context),
        "cameo": row["cameo"],
        "cameo_name": event.cameo_name,
        "quad_class": row["quad_class"],
        "goldstein": row["goldstein"],
        "plover_score": row["plover_score"],
        "actor": [_actor(a) for a in event.actor],
        "recipient": [_actor(a) for a in event.recipient],
        "actor_name": row["actor_name"],
        "actor_country": row["actor_country"],
        "actor_sector": row["actor_sector"],
        "actor_code": row["actor_code"],
        "recipient_name": row["recipient_name"],
        "recipient_country": row["recipient_country"],
        "recipient_sector": row["recipient_sector"],
        "recipient_code": row["recipient_code"],
        "reported_by": row["reported_by"],
        "factuality": row["factuality"],
        "date": row["date"],
        "date_end": row["date_end"],
        "date_precision": row["date_precision"],
        "place_name": row["place_name"],
        "place_country": row["place_country"],
        "place_admin1": row["place_admin1"],
        "lat": row["lat"],
        "lon": row["lon"],
        "geonameid": loc.geonameid if loc else None,
        "dead": row["dead"],
        "injured": row["injured"],
        "arrested": row["arrested"],
        "confidence": row["confidence"],
        "sentence_index": row["sentence_index"],
        "sentence": row["sentence"],
        "evidence_start": row["evidence_start"],
        "evidence_end": row["evidence_end"],
        "trigger": event.evidence.trigger.text,
        "trigger_start": row["trigger_start"],
        "trigger_end": row["trigger_end"],
        "rule": event.evidence.rule,
        "pub_date": row["pub_date"],
        "source": row["source"],
        "url": row["url"],
        "title": row["title"],
    }


def _prepare(root: Path) -> None:
    if root.exists():
        if not root.is_dir():
            raise NewsEventsError(Errors.E503, path=str(root), detail="it is a file")
        if any(root.iterdir()):
            raise NewsEventsError(Errors.E503, path=str(root), detail="it is not empty")
    root.mkdir(parents=True, exist_ok=True)


class _PartitionedWriter:
    """Row groups into ``root/year=YYYY/month=MM/part-N.parquet``; one open file at a time."""

    def __init__(self, root: Path, schema: Any, *, row_group_size: int) -> None:
        self.root = root
        self.schema = schema
        self.row_group_size = row_group_size
        self.key: str | None = None
        self.buffer: list[dict[str, Any]] = []
        self.writer: Any = None
        self.parts: dict[str, int] = {}
        self.files: list[Path] = []

    def add(self, key: str, record: dict[str, Any]) -> None:
        if key != self.key:
            self._close_partition()
            self.key = key
        self.buffer.append(record)
        if len(self.buffer) >= self.row_group_size:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.buffer or self.key is None:
            return
        if self.writer is None:
            n = self.parts.get(self.key, 0)
            self.parts[self.key] = n + 1
            folder = self.root / self.key
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"part-{n}.parquet"
            self.files.append(path)
            self.writer = pq.ParquetWriter(
                path,
                self.schema,
                compression="snappy",
                version="2.6",
                use_compliant_nested_type=True,
            )
        table = pa.Table.from_pylist(self.buffer, schema=self.schema)
        self.writer.write_table(table, row_group_size=len(self.buffer))
        self.buffer = []

    def _close_partition(self) -> None:
        self._flush()
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def close(self) -> list[Path]:
        self._close_partition()
        return self.files


def write_parquet(
    conn: sa.Connection,
    root: Path,
    f: EventFilter,
    *,
    batch_size: int = 1000,
    row_group_size: int = 10_000,
) -> tuple[int, list[Path]]:
    """Write the events matching ``f`` as a partitioned dataset under ``root``.

    ``root`` must not exist or be an empty directory (E503). Returns the number of rows and the
    files written. An export with no matching events leaves ``root`` empty.
    """
    _prepare(root)
    writer = _PartitionedWriter(root, event_schema(), row_group_size=max(1, row_group_size))
    n = 0
    try:
        for batch in event_batches(conn, f, batch_size=batch_size):
            _add_batch(writer, batch)
            n += len(batch)
    finally:
        files = writer.close()
    return n, files


def _add_batch(writer: _PartitionedWriter, batch: Sequence[Row]) -> None:
    for row in batch:
        writer.add(partition_path(row["date"]), parquet_record(row))
